// language/tokenize: Unicode-aware tokens (lowercase, alphanumeric runs, >= 2 chars) and counts.
// `learnml show language/tokenize` shows the full statement; `learnml check language/tokenize` grades this file.

use std::collections::HashMap;

/// The tokens of `text`, in order: lowercase the whole text with `str::to_lowercase`, cut it
/// into maximal runs of `char::is_alphanumeric` characters, keep the runs of at least 2
/// characters (not bytes).
pub fn tokenize(text: &str) -> Vec<String> {
    let _ = text;
    todo!("lowercase, split where a char is not alphanumeric, keep runs of >= 2 chars")
}

/// How many times each token (as `tokenize` gives them) occurs in all of `texts`.
pub fn token_counts(texts: &[&str]) -> HashMap<String, usize> {
    let _ = texts;
    todo!("tokenize each text and count with `*map.entry(token).or_insert(0) += 1`")
}

/// The `k` entries of `counts` with the largest counts (all if fewer), largest count first,
/// equal counts in alphabetical order of the token.
pub fn most_common(counts: &HashMap<String, usize>, k: usize) -> Vec<(String, usize)> {
    let _ = (counts, k);
    todo!("sort by count descending, then token ascending, keep k")
}
