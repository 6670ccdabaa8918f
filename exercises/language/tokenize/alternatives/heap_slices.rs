//! alternative: byte-range slices of the lowercased text (char_indices), BTreeMap counted with fold, top k popped from a BinaryHeap on (count, Reverse(token))

// language/tokenize: Unicode-aware tokens (lowercase, alphanumeric runs, >= 2 chars) and counts.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// The tokens of `text`, in order: lowercase the whole text with `str::to_lowercase`, cut it
/// into maximal runs of `char::is_alphanumeric` characters, keep the runs of at least 2
/// characters (not bytes).
pub fn tokenize(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in lower
        .char_indices()
        .chain(std::iter::once((lower.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let run = &lower[s..i];
                if run.chars().nth(1).is_some() {
                    tokens.push(run.to_owned());
                }
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

/// How many times each token (as `tokenize` gives them) occurs in all of `texts`.
pub fn token_counts(texts: &[&str]) -> HashMap<String, usize> {
    let sorted: BTreeMap<String, usize> =
        texts
            .iter()
            .flat_map(|t| tokenize(t))
            .fold(BTreeMap::new(), |mut m, t| {
                *m.entry(t).or_default() += 1;
                m
            });
    sorted.into_iter().collect()
}

/// The `k` entries of `counts` with the largest counts (all if fewer), largest count first,
/// equal counts in alphabetical order of the token.
pub fn most_common(counts: &HashMap<String, usize>, k: usize) -> Vec<(String, usize)> {
    // A max-heap on (count, Reverse(token)): the largest count, then the smallest token.
    let mut heap: BinaryHeap<(usize, Reverse<&String>)> =
        counts.iter().map(|(t, &c)| (c, Reverse(t))).collect();
    let mut out = Vec::new();
    while out.len() < k {
        match heap.pop() {
            Some((c, Reverse(t))) => out.push((t.clone(), c)),
            None => break,
        }
    }
    out
}
