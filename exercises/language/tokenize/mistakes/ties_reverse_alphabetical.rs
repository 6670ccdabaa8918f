//! mistake: sorts the (count, token) pairs descending as a whole, so equal counts come in reverse alphabetical order
//! fails: most_common
//! message: "reverse alphabetical"

// language/tokenize: Unicode-aware tokens (lowercase, alphanumeric runs, >= 2 chars) and counts.

use std::collections::HashMap;

/// The tokens of `text`, in order: lowercase the whole text with `str::to_lowercase`, cut it
/// into maximal runs of `char::is_alphanumeric` characters, keep the runs of at least 2
/// characters (not bytes).
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// How many times each token (as `tokenize` gives them) occurs in all of `texts`.
pub fn token_counts(texts: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for text in texts {
        for token in tokenize(text) {
            *counts.entry(token).or_insert(0) += 1;
        }
    }
    counts
}

/// The `k` entries of `counts` with the largest counts (all if fewer), largest count first,
/// equal counts in alphabetical order of the token.
pub fn most_common(counts: &HashMap<String, usize>, k: usize) -> Vec<(String, usize)> {
    let mut entries: Vec<(String, usize)> = counts.iter().map(|(t, &c)| (t.clone(), c)).collect();
    // Largest (count, token) first.
    entries.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    entries.truncate(k);
    entries
}
