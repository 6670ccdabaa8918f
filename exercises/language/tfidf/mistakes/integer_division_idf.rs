//! mistake: computes (1 + n) / (1 + df) in usize, an integer division that truncates, before converting to f64
//! fails: smooth_idf
//! message: "integer division"

// language/tfidf: smooth idf fitted on training documents, l2-normalized TF-IDF rows.

use std::collections::{HashMap, HashSet};

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
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let distinct: HashSet<&str> = doc.iter().map(String::as_str).collect();
        for term in distinct {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
    }
    let mut vocabulary: Vec<String> = document_frequency.keys().map(|t| t.to_string()).collect();
    vocabulary.sort_unstable();
    let n = docs.len();
    let idf = vocabulary
        .iter()
        .map(|term| {
            let df = document_frequency[term.as_str()];
            (((1 + n) / (1 + df)) as f64).ln() + 1.0
        })
        .collect();
    Tfidf { vocabulary, idf }
}

/// n_docs x vocabulary.len(): count x idf, then each row divided by its l2 norm (rows of
/// zeros stay zeros).
pub fn transform(model: &Tfidf, docs: &[Vec<String>]) -> Array2<f64> {
    let mut x = count_matrix(docs, &model.vocabulary);
    for mut row in x.rows_mut() {
        for (value, idf) in row.iter_mut().zip(&model.idf) {
            *value *= idf;
        }
        let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            row /= norm;
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
    let x_train = transform(&model, train);
    let x_test = transform(&model, test);
    (model, x_train, x_test)
}
