//! alternative: document sets as BTreeSets (vocabulary = their union), idf as ln(1 + n) - ln(1 + df) + 1, transform from the nonzero (column, weight) pairs of each row (an empty row has none, so no 0 / 0)

// language/tfidf: smooth idf fitted on training documents, l2-normalized TF-IDF rows.

use std::collections::{BTreeSet, HashMap};

use ndarray::Array2;

/// Given: the tokens of `text` (language/tokenize's rule).
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// Given: n_docs x vocabulary.len() raw counts (language/bag_of_words); tokens outside the
/// vocabulary are ignored.
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

/// A fitted TF-IDF model.
pub struct Tfidf {
    /// Every term of the training documents, sorted alphabetically (column j = term j).
    pub vocabulary: Vec<String>,
    /// idf[j] = ln((1 + n) / (1 + df_j)) + 1: n training documents, df_j of them contain term j.
    pub idf: Vec<f64>,
}

/// Fit the vocabulary and the smooth idf on `docs` (the training documents).
pub fn fit(docs: &[Vec<String>]) -> Tfidf {
    let sets: Vec<BTreeSet<&str>> = docs
        .iter()
        .map(|d| d.iter().map(String::as_str).collect())
        .collect();
    let vocabulary: Vec<String> = sets
        .iter()
        .flatten()
        .copied()
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(String::from)
        .collect();
    let n = docs.len() as f64;
    let idf = vocabulary
        .iter()
        .map(|term| {
            let df = sets.iter().filter(|s| s.contains(term.as_str())).count() as f64;
            (1.0 + n).ln() - (1.0 + df).ln() + 1.0
        })
        .collect();
    Tfidf { vocabulary, idf }
}

/// n_docs x vocabulary.len(): count x idf, then each row divided by its l2 norm (rows of
/// zeros stay zeros).
pub fn transform(model: &Tfidf, docs: &[Vec<String>]) -> Array2<f64> {
    let counts = count_matrix(docs, &model.vocabulary);
    let mut x = Array2::<f64>::zeros(counts.dim());
    for (i, row) in counts.outer_iter().enumerate() {
        // Only the nonzero counts matter: collect (column, tf x idf) pairs first.
        let weights: Vec<(usize, f64)> = row
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c != 0.0)
            .map(|(j, &c)| (j, c * model.idf[j]))
            .collect();
        let norm = weights.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
        for (j, w) in weights {
            x[[i, j]] = w / norm;
        }
    }
    x
}

/// Fit on `train` only; return the model and the TF-IDF matrices of `train` and `test`.
pub fn train_test_features(
    train: &[Vec<String>],
    test: &[Vec<String>],
) -> (Tfidf, Array2<f64>, Array2<f64>) {
    let model = fit(train);
    let (x_train, x_test) = (transform(&model, train), transform(&model, test));
    (model, x_train, x_test)
}
