// language/imbalanced_text: per-class precision, recall and F1, their averages, and a naive Bayes authorship model.
// `learnml show language/imbalanced_text` shows the full statement; `learnml check language/imbalanced_text` grades this file.

use std::collections::HashMap;

use ndarray::Array2;

/// Given: lowercase the text (`to_lowercase`), drop apostrophes (`'` and `’`, so "nation's"
/// becomes "nations"), and keep the maximal runs of `char::is_alphanumeric` characters.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if c == '\'' || c == '’' {
            continue;
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Precision, recall and F1 averaged one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Averages {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// scikit-learn's `classification_report` as numbers, for classes 0..n_classes.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Per class: TP / (TP + FP), 0 when the class is never predicted.
    pub precision: Vec<f64>,
    /// Per class: TP / (TP + FN), 0 when the class never occurs.
    pub recall: Vec<f64>,
    /// Per class: 2 P R / (P + R), 0 when P + R = 0.
    pub f1: Vec<f64>,
    /// Per class: how many examples truly belong to it.
    pub support: Vec<usize>,
    /// The share of correct predictions.
    pub accuracy: f64,
    /// The unweighted means of the per-class values (every class counts the same).
    pub macro_avg: Averages,
    /// The means of the per-class values weighted by support.
    pub weighted_avg: Averages,
    /// From the summed TP, FP, FN over classes (single-label: all three equal accuracy).
    pub micro_avg: Averages,
}

/// The confusion matrix: `m[[t, p]]` counts the examples of true class t predicted as p
/// (rows true, columns predicted, as scikit-learn).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let _ = (truth, predicted, n_classes);
    todo!("add 1 at [true, predicted] for each example")
}

/// Per-class precision, recall, F1 and support, accuracy, and the macro, weighted and micro
/// averages, with zero division giving 0 (scikit-learn's `zero_division=0`).
pub fn classification_report(truth: &[usize], predicted: &[usize], n_classes: usize) -> Report {
    let _ = (truth, predicted, n_classes);
    todo!("per class TP, FP, FN from the confusion matrix, then the three averages")
}

/// Multinomial naive Bayes over word counts, with a uniform class prior.
pub struct NaiveBayes {
    /// Per class: ln P(w | c) for each vocabulary word.
    pub log_likelihood: Vec<HashMap<String, f64>>,
}

/// Fit on `texts` with classes `labels` in 0..n_classes: the vocabulary is every training
/// word; P(w | c) = (count(w, c) + alpha) / (total(c) + alpha |V|) (Laplace for alpha = 1).
pub fn fit(texts: &[String], labels: &[usize], n_classes: usize, alpha: f64) -> NaiveBayes {
    let _ = (texts, labels, n_classes, alpha);
    todo!("count words per class, then ln((count + alpha) / (total + alpha |V|))")
}

impl NaiveBayes {
    /// The class with the largest sum of ln P(w | c) over the words of `text` (words outside
    /// the vocabulary are skipped; the uniform prior adds the same to every class); ties go
    /// to the smallest class index.
    pub fn predict(&self, text: &str) -> usize {
        let _ = (self, text);
        todo!("sum ln P(w | c) over the known words, keep the best class")
    }
}
