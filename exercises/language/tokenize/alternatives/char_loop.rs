//! alternative: one pass over the characters, lowercasing each char; most_common with a key

// language/tokenize: Unicode-aware tokens (lowercase, alphanumeric runs, >= 2 chars) and counts.

use std::cmp::Reverse;
use std::collections::HashMap;

/// The tokens of `text`, in order: lowercase the whole text with `str::to_lowercase`, cut it
/// into maximal runs of `char::is_alphanumeric` characters, keep the runs of at least 2
/// characters (not bytes).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut length = 0;
    for c in text.chars() {
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                current.push(lower);
                length += 1;
            }
        } else {
            if length >= 2 {
                tokens.push(current.clone());
            }
            current.clear();
            length = 0;
        }
    }
    if length >= 2 {
        tokens.push(current);
    }
    tokens
}

/// How many times each token (as `tokenize` gives them) occurs in all of `texts`.
pub fn token_counts(texts: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    texts
        .iter()
        .flat_map(|text| tokenize(text))
        .for_each(|token| *counts.entry(token).or_default() += 1);
    counts
}

/// The `k` entries of `counts` with the largest counts (all if fewer), largest count first,
/// equal counts in alphabetical order of the token.
pub fn most_common(counts: &HashMap<String, usize>, k: usize) -> Vec<(String, usize)> {
    let mut entries: Vec<(&String, &usize)> = counts.iter().collect();
    entries.sort_unstable_by_key(|&(token, &count)| (Reverse(count), token));
    entries
        .into_iter()
        .take(k)
        .map(|(token, &count)| (token.clone(), count))
        .collect()
}
