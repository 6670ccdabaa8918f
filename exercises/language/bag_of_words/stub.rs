// language/bag_of_words: a sorted vocabulary (min_df, max_features) and a count matrix.
// `learnml show language/bag_of_words` shows the full statement; `learnml check language/bag_of_words` grades this file.

use ndarray::Array2;

/// Given: the tokens of `text` (language/tokenize's rule): lowercase with `to_lowercase`,
/// maximal runs of alphanumeric characters, runs of at least 2 characters.
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// The vocabulary of `docs`, in scikit-learn's `CountVectorizer` conventions: keep the terms
/// that occur in at least `min_df` documents; then, if `max_features` is `Some(m)` and more
/// than m remain, keep the m with the largest corpus count (ties: alphabetically first
/// wins); return the kept terms sorted alphabetically (column j = `vocabulary[j]`).
pub fn fit_vocabulary(
    docs: &[Vec<String>],
    min_df: usize,
    max_features: Option<usize>,
) -> Vec<String> {
    let _ = (docs, min_df, max_features);
    todo!("document frequencies, corpus counts, filter, cut, sort")
}

/// n_docs x vocabulary.len(): entry [i, j] counts the occurrences of `vocabulary[j]` in
/// `docs[i]`; tokens not in the vocabulary are ignored.
pub fn count_matrix(docs: &[Vec<String>], vocabulary: &[String]) -> Array2<f64> {
    let _ = (docs, vocabulary);
    todo!("map each term to its column, then count")
}
