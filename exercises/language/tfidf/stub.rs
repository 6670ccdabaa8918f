// language/tfidf: smooth idf fitted on training documents, l2-normalized TF-IDF rows.
// `learnml show language/tfidf` shows the full statement; `learnml check language/tfidf` grades this file.

use std::collections::HashMap;

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
    let _ = docs;
    todo!("sorted vocabulary, document frequencies, smooth idf")
}

/// n_docs x vocabulary.len(): count x idf, then each row divided by its l2 norm (rows of
/// zeros stay zeros).
pub fn transform(model: &Tfidf, docs: &[Vec<String>]) -> Array2<f64> {
    let _ = (model, docs);
    todo!("count_matrix, scale columns by idf, l2-normalize rows")
}

/// Fit on `train` only; return the model and the TF-IDF matrices of `train` and `test`.
pub fn train_test_features(
    train: &[Vec<String>],
    test: &[Vec<String>],
) -> (Tfidf, Array2<f64>, Array2<f64>) {
    let _ = (train, test);
    todo!("fit on the training documents, transform both")
}
