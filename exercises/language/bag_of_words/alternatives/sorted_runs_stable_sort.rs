//! alternative: df and counts from runs of each sorted document (sort, no set), a stable sort on Reverse(count) over BTreeMap (alphabetical) order for the ties, count matrix filled in a flat Vec

// language/bag_of_words: a sorted vocabulary (min_df, max_features) and a count matrix.

use std::cmp::Reverse;
use std::collections::BTreeMap;

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
    // term -> (document frequency, corpus count)
    let mut stats: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for doc in docs {
        let mut sorted: Vec<&str> = doc.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        // Runs of equal tokens: one document, `run` occurrences.
        let mut i = 0;
        while i < sorted.len() {
            let mut j = i;
            while j < sorted.len() && sorted[j] == sorted[i] {
                j += 1;
            }
            let entry = stats.entry(sorted[i]).or_insert((0, 0));
            entry.0 += 1;
            entry.1 += j - i;
            i = j;
        }
    }
    // BTreeMap order is alphabetical, and the sort below is stable.
    let mut kept: Vec<(&str, usize)> = stats
        .into_iter()
        .filter(|&(_, (df, _))| df >= min_df)
        .map(|(t, (_, count))| (t, count))
        .collect();
    if let Some(m) = max_features {
        kept.sort_by_key(|&(_, count)| Reverse(count));
        kept.truncate(m);
        kept.sort_unstable_by_key(|&(t, _)| t);
    }
    kept.into_iter().map(|(t, _)| t.to_owned()).collect()
}

/// n_docs x vocabulary.len(): entry [i, j] counts the occurrences of `vocabulary[j]` in
/// `docs[i]`; tokens not in the vocabulary are ignored.
pub fn count_matrix(docs: &[Vec<String>], vocabulary: &[String]) -> Array2<f64> {
    let column: BTreeMap<&str, usize> = vocabulary.iter().map(String::as_str).zip(0..).collect();
    let width = vocabulary.len();
    let mut flat = vec![0.0; docs.len() * width];
    for (i, doc) in docs.iter().enumerate() {
        doc.iter()
            .filter_map(|t| column.get(t.as_str()))
            .for_each(|&j| flat[i * width + j] += 1.0);
    }
    Array2::from_shape_vec((docs.len(), width), flat).expect("n_docs x vocabulary.len() values")
}
