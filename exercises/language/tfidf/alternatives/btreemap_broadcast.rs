//! alternative: a BTreeMap for sorted document frequencies, ndarray broadcasting for idf and norms

// language/tfidf: smooth idf fitted on training documents, l2-normalized TF-IDF rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ndarray::{Array1, Array2, Axis};

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
    // A BTreeMap keeps the terms sorted.
    let mut document_frequency: BTreeMap<String, f64> = BTreeMap::new();
    for doc in docs {
        for term in doc.iter().collect::<BTreeSet<_>>() {
            *document_frequency.entry(term.clone()).or_default() += 1.0;
        }
    }
    let n = docs.len() as f64;
    let (vocabulary, idf) = document_frequency
        .into_iter()
        .map(|(term, df)| (term, (1.0 + n).ln() - (1.0 + df).ln() + 1.0))
        .unzip();
    Tfidf { vocabulary, idf }
}

/// n_docs x vocabulary.len(): count x idf, then each row divided by its l2 norm (rows of
/// zeros stay zeros).
pub fn transform(model: &Tfidf, docs: &[Vec<String>]) -> Array2<f64> {
    let idf = Array1::from(model.idf.clone());
    let weighted = count_matrix(docs, &model.vocabulary) * &idf;
    let norms = weighted
        .map_axis(Axis(1), |row| row.dot(&row).sqrt())
        .mapv(|norm| if norm > 0.0 { norm } else { 1.0 });
    weighted / &norms.insert_axis(Axis(1))
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
