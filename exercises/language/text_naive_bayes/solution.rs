// language/text_naive_bayes: reference solution.

use std::collections::{HashMap, HashSet};

use linfa::prelude::*;
use linfa_bayes::MultinomialNb;
use ndarray::{Array1, Array2, Axis};

/// Given: the tokens of `text` (language/tokenize's rule).
pub fn tokenize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// Given: the sorted terms that occur in at least `min_df` of `docs` (language/bag_of_words).
pub fn fit_vocabulary(docs: &[Vec<String>], min_df: usize) -> Vec<String> {
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let distinct: HashSet<&str> = doc.iter().map(String::as_str).collect();
        for term in distinct {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
    }
    let mut kept: Vec<String> = document_frequency
        .into_iter()
        .filter(|&(_, df)| df >= min_df)
        .map(|(term, _)| term.to_string())
        .collect();
    kept.sort_unstable();
    kept
}

/// Given: n_docs x vocabulary.len() raw counts (language/bag_of_words).
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

/// A fitted multinomial naive Bayes model for k classes and a vocabulary of v terms.
pub struct NbModel {
    /// k values: ln P(c) = ln(documents of class c / documents).
    pub log_priors: Vec<f64>,
    /// k x v: ln P(term j | class c) = ln((N_cj + alpha) / (N_c + alpha * v)), where N_cj is
    /// the count of term j in the documents of class c and N_c = Σ_j N_cj.
    pub log_likelihoods: Array2<f64>,
}

/// Fit from a count matrix `x` (n x v) and classes `y` in 0..n_classes, add-alpha smoothing.
pub fn fit_nb(x: &Array2<f64>, y: &[usize], n_classes: usize, alpha: f64) -> NbModel {
    let v = x.ncols();
    let mut documents = vec![0.0; n_classes];
    let mut term_counts = Array2::<f64>::zeros((n_classes, v));
    for (row, &c) in x.rows().into_iter().zip(y) {
        documents[c] += 1.0;
        let mut counts = term_counts.row_mut(c);
        counts += &row;
    }
    let n = y.len() as f64;
    let log_priors = documents.iter().map(|d| (d / n).ln()).collect();
    let mut log_likelihoods = term_counts.mapv(|count| count + alpha);
    for mut row in log_likelihoods.rows_mut() {
        let total = row.sum();
        row.mapv_inplace(|smoothed| (smoothed / total).ln());
    }
    NbModel {
        log_priors,
        log_likelihoods,
    }
}

/// n x k: ln P(c) + Σ_j x_ij · ln P(term j | c) for each row i of `x` and class c (the log
/// posterior up to a constant: not normalized). Sum logs: never multiply probabilities.
pub fn log_posteriors(model: &NbModel, x: &Array2<f64>) -> Array2<f64> {
    let mut scores = x.dot(&model.log_likelihoods.t());
    for mut row in scores.rows_mut() {
        for (score, log_prior) in row.iter_mut().zip(&model.log_priors) {
            *score += log_prior;
        }
    }
    scores
}

/// The class with the largest log posterior for each row; ties go to the lowest class index.
pub fn predict(model: &NbModel, x: &Array2<f64>) -> Vec<usize> {
    log_posteriors(model, x)
        .axis_iter(Axis(0))
        .map(|row| {
            let mut best = 0;
            for (c, &score) in row.iter().enumerate() {
                if score > row[best] {
                    best = c;
                }
            }
            best
        })
        .collect()
}

/// The whole pipeline on raw sentences: tokenize, fit a vocabulary on the training sentences,
/// count, fit naive Bayes (alpha = 1), predict a class for each test sentence.
pub fn classify(
    train_texts: &[String],
    train_labels: &[usize],
    test_texts: &[String],
) -> Vec<usize> {
    let train: Vec<Vec<String>> = train_texts.iter().map(|t| tokenize(t)).collect();
    let test: Vec<Vec<String>> = test_texts.iter().map(|t| tokenize(t)).collect();
    let vocabulary = fit_vocabulary(&train, 2);
    let n_classes = train_labels.iter().max().map_or(0, |m| m + 1);
    let model = fit_nb(
        &count_matrix(&train, &vocabulary),
        train_labels,
        n_classes,
        1.0,
    );
    predict(&model, &count_matrix(&test, &vocabulary))
}

/// linfa-bayes' `MultinomialNb` (alpha = 1) fitted on the count matrix `x_train`, predicting
/// a class for each row of `x_test`.
pub fn linfa_predict(x_train: &Array2<f64>, y_train: &[usize], x_test: &Array2<f64>) -> Vec<usize> {
    let dataset = Dataset::new(x_train.clone(), Array1::from(y_train.to_vec()));
    let model = MultinomialNb::params()
        .alpha(1.0)
        .fit(&dataset)
        .expect("counts are finite and non-negative");
    let predicted: Array1<usize> = model.predict(x_test);
    predicted.to_vec()
}
