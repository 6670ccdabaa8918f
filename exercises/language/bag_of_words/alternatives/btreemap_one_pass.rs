//! alternative: one BTreeMap of (document frequency, count) per term, a sort key, iterators

// language/bag_of_words: a sorted vocabulary (min_df, max_features) and a count matrix.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

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
    // term -> (documents containing it, occurrences); a BTreeMap iterates alphabetically.
    let mut stats: BTreeMap<&String, (usize, usize)> = BTreeMap::new();
    for doc in docs {
        for term in doc {
            stats.entry(term).or_default().1 += 1;
        }
        for term in doc.iter().collect::<BTreeSet<_>>() {
            stats.entry(term).or_default().0 += 1;
        }
    }
    let mut kept: Vec<(&String, usize)> = stats
        .into_iter()
        .filter(|(_, (df, _))| *df >= min_df)
        .map(|(term, (_, count))| (term, count))
        .collect();
    if let Some(m) = max_features {
        kept.sort_by_key(|&(term, count)| (Reverse(count), term));
        kept.truncate(m);
        kept.sort();
    }
    kept.into_iter().map(|(term, _)| term.clone()).collect()
}

/// n_docs x vocabulary.len(): entry [i, j] counts the occurrences of `vocabulary[j]` in
/// `docs[i]`; tokens not in the vocabulary are ignored.
pub fn count_matrix(docs: &[Vec<String>], vocabulary: &[String]) -> Array2<f64> {
    let mut x = Array2::zeros((docs.len(), vocabulary.len()));
    for (i, doc) in docs.iter().enumerate() {
        for token in doc {
            // The vocabulary is sorted: binary search finds the column.
            if let Ok(j) = vocabulary.binary_search(token) {
                x[[i, j]] += 1.0;
            }
        }
    }
    x
}
