// language/text_logistic: reference solution.

use std::collections::{HashMap, HashSet};

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};

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
    let train: Vec<Vec<String>> = train_texts.iter().map(|t| tokenize(t)).collect();
    let test: Vec<Vec<String>> = test_texts.iter().map(|t| tokenize(t)).collect();
    let model = fit_tfidf(&train);
    let x_train = transform_tfidf(&model, &train);
    let x_test = transform_tfidf(&model, &test);
    (model, x_train, x_test)
}

/// Fit linfa-logistic's `LogisticRegression` on the rows of `x` and their classes `y` (0 or 1).
pub fn train(x: &Array2<f64>, y: &[usize]) -> FittedLogisticRegression<f64, usize> {
    let dataset = Dataset::new(x.clone(), Array1::from(y.to_vec()));
    LogisticRegression::default()
        .fit(&dataset)
        .expect("two classes, finite features")
}

/// The `k` terms with the largest positive coefficients (largest first) and the `k` with the
/// most negative ones (most negative first); equal coefficients in alphabetical order.
/// `coefficients[j]` belongs to `vocabulary[j]`.
pub fn top_terms(
    vocabulary: &[String],
    coefficients: &[f64],
    k: usize,
) -> (Vec<String>, Vec<String>) {
    let mut order: Vec<usize> = (0..vocabulary.len()).collect();
    order.sort_by(|&a, &b| {
        coefficients[b]
            .total_cmp(&coefficients[a])
            .then_with(|| vocabulary[a].cmp(&vocabulary[b]))
    });
    let positive = order
        .iter()
        .take(k)
        .map(|&j| vocabulary[j].clone())
        .collect();
    order.sort_by(|&a, &b| {
        coefficients[a]
            .total_cmp(&coefficients[b])
            .then_with(|| vocabulary[a].cmp(&vocabulary[b]))
    });
    let negative = order
        .iter()
        .take(k)
        .map(|&j| vocabulary[j].clone())
        .collect();
    (positive, negative)
}

/// The `k` most telling terms of class 0 (Democratic) and of class 1 (Republican), read from
/// the coefficients of `model` (`model.params()`, one per term of `vocabulary`). Which class
/// do positive coefficients point to? Ask `model.labels()`.
pub fn party_terms(
    model: &FittedLogisticRegression<f64, usize>,
    vocabulary: &[String],
    k: usize,
) -> (Vec<String>, Vec<String>) {
    let coefficients = model.params().to_vec();
    let (positive, negative) = top_terms(vocabulary, &coefficients, k);
    // linfa's positive class is the larger class of the training targets, not always 1.
    if model.labels().pos.class == 0 {
        (positive, negative)
    } else {
        (negative, positive)
    }
}
