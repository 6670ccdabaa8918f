//! mistake: sorts the (count, term) pairs descending as a whole, so ties at the max_features cut keep the alphabetically last terms
//! fails: max_features
//! message: "reverse alphabetical"

// language/bag_of_words: a sorted vocabulary (min_df, max_features) and a count matrix.

use std::collections::{HashMap, HashSet};

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
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    let mut corpus_count: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let distinct: HashSet<&str> = doc.iter().map(String::as_str).collect();
        for term in distinct {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
        for term in doc {
            *corpus_count.entry(term).or_insert(0) += 1;
        }
    }
    let mut kept: Vec<&str> = document_frequency
        .into_iter()
        .filter(|&(_, df)| df >= min_df)
        .map(|(term, _)| term)
        .collect();
    if let Some(m) = max_features {
        // Largest (count, term) first.
        kept.sort_by(|a, b| (corpus_count[b], b).cmp(&(corpus_count[a], a)));
        kept.truncate(m);
    }
    kept.sort_unstable();
    kept.into_iter().map(str::to_string).collect()
}

/// n_docs x vocabulary.len(): entry [i, j] counts the occurrences of `vocabulary[j]` in
/// `docs[i]`; tokens not in the vocabulary are ignored.
pub fn count_matrix(docs: &[Vec<String>], vocabulary: &[String]) -> Array2<f64> {
    let column: HashMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(j, term)| (term.as_str(), j))
        .collect();
    let mut x = Array2::zeros((docs.len(), vocabulary.len()));
    for (i, doc) in docs.iter().enumerate() {
        for token in doc {
            if let Some(&j) = column.get(token.as_str()) {
                x[[i, j]] += 1.0;
            }
        }
    }
    x
}
