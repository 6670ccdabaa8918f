// language/text_logistic: logistic regression on TF-IDF, held-out F1, the telling words per party.
// `learnml show language/text_logistic` shows the full statement; `learnml check language/text_logistic` grades this file.

use std::collections::{HashMap, HashSet};

use linfa_logistic::FittedLogisticRegression;
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

/// Given: a fitted TF-IDF model (language/tfidf).
pub struct Tfidf {
    /// Every term of the training documents, sorted alphabetically (column j = term j).
    pub vocabulary: Vec<String>,
    /// idf[j] = ln((1 + n) / (1 + df_j)) + 1: n training documents, df_j of them contain term j.
    pub idf: Vec<f64>,
}

/// Given: fit the vocabulary (every term, sorted) and the smooth idf on `docs`.
pub fn fit_tfidf(docs: &[Vec<String>]) -> Tfidf {
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let distinct: HashSet<&str> = doc.iter().map(String::as_str).collect();
        for term in distinct {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
    }
    let mut vocabulary: Vec<String> = document_frequency.keys().map(|t| t.to_string()).collect();
    vocabulary.sort_unstable();
    let n = docs.len() as f64;
    let idf = vocabulary
        .iter()
        .map(|term| {
            let df = document_frequency[term.as_str()] as f64;
            ((1.0 + n) / (1.0 + df)).ln() + 1.0
        })
        .collect();
    Tfidf { vocabulary, idf }
}

/// Given: n_docs x vocabulary.len(): count x idf, then each row divided by its l2 norm (rows of
/// zeros stay zeros).
pub fn transform_tfidf(model: &Tfidf, docs: &[Vec<String>]) -> Array2<f64> {
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

/// Tokenize `train_texts` and `test_texts`, fit TF-IDF on the training texts only, and return
/// the model with the TF-IDF matrices of both parts.
pub fn features(
    train_texts: &[String],
    test_texts: &[String],
) -> (Tfidf, Array2<f64>, Array2<f64>) {
    let _ = (train_texts, test_texts);
    todo!("fit_tfidf on the training tokens, transform_tfidf both parts")
}

/// Fit linfa-logistic's `LogisticRegression` on the rows of `x` and their classes `y` (0 or 1).
pub fn train(x: &Array2<f64>, y: &[usize]) -> FittedLogisticRegression<f64, usize> {
    let _ = (x, y);
    todo!("LogisticRegression::default().fit(&Dataset::new(..))")
}

/// The `k` terms with the largest positive coefficients (largest first) and the `k` with the
/// most negative ones (most negative first); equal coefficients in alphabetical order.
/// `coefficients[j]` belongs to `vocabulary[j]`.
pub fn top_terms(
    vocabulary: &[String],
    coefficients: &[f64],
    k: usize,
) -> (Vec<String>, Vec<String>) {
    let _ = (vocabulary, coefficients, k);
    todo!("sort the terms by coefficient, take k from each end")
}

/// The `k` most telling terms of class 0 (Democratic) and of class 1 (Republican), read from
/// the coefficients of `model` (`model.params()`, one per term of `vocabulary`). Which class
/// do positive coefficients point to? Ask `model.labels()`.
pub fn party_terms(
    model: &FittedLogisticRegression<f64, usize>,
    vocabulary: &[String],
    k: usize,
) -> (Vec<String>, Vec<String>) {
    let _ = (model, vocabulary, k);
    todo!("top_terms, then give each end to the class linfa treats as positive or negative")
}
