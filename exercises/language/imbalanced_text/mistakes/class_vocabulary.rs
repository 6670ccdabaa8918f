//! mistake: |V| in the denominator counts only the words seen in the class, not every training word
//! fails: naive_bayes
//! message: "only the words of class"

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
    let mut m = Array2::zeros((n_classes, n_classes));
    for (&t, &p) in truth.iter().zip(predicted) {
        m[[t, p]] += 1;
    }
    m
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Per-class precision, recall, F1 and support, accuracy, and the macro, weighted and micro
/// averages, with zero division giving 0 (scikit-learn's `zero_division=0`).
pub fn classification_report(truth: &[usize], predicted: &[usize], n_classes: usize) -> Report {
    let m = confusion_matrix(truth, predicted, n_classes);
    let (mut precision, mut recall, mut f1s, mut support) = (vec![], vec![], vec![], vec![]);
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    for c in 0..n_classes {
        let tp = m[[c, c]];
        let predicted_c: usize = m.column(c).sum();
        let actual_c: usize = m.row(c).sum();
        let (p, r) = (ratio(tp, predicted_c), ratio(tp, actual_c));
        precision.push(p);
        recall.push(r);
        f1s.push(f1(p, r));
        support.push(actual_c);
        tp_all += tp;
        fp_all += predicted_c - tp;
        fn_all += actual_c - tp;
    }
    let n = truth.len();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n_classes as f64;
    let weighted = |v: &[f64]| {
        let total: f64 = v.iter().zip(&support).map(|(x, &s)| x * s as f64).sum();
        total / n as f64
    };
    let (micro_p, micro_r) = (
        ratio(tp_all, tp_all + fp_all),
        ratio(tp_all, tp_all + fn_all),
    );
    Report {
        accuracy: ratio(tp_all, n),
        macro_avg: Averages {
            precision: mean(&precision),
            recall: mean(&recall),
            f1: mean(&f1s),
        },
        weighted_avg: Averages {
            precision: weighted(&precision),
            recall: weighted(&recall),
            f1: weighted(&f1s),
        },
        micro_avg: Averages {
            precision: micro_p,
            recall: micro_r,
            f1: f1(micro_p, micro_r),
        },
        precision,
        recall,
        f1: f1s,
        support,
    }
}

/// Multinomial naive Bayes over word counts, with a uniform class prior.
pub struct NaiveBayes {
    /// Per class: ln P(w | c) for each vocabulary word.
    pub log_likelihood: Vec<HashMap<String, f64>>,
}

/// Fit on `texts` with classes `labels` in 0..n_classes: the vocabulary is every training
/// word; P(w | c) = (count(w, c) + alpha) / (total(c) + alpha |V|) (Laplace for alpha = 1).
pub fn fit(texts: &[String], labels: &[usize], n_classes: usize, alpha: f64) -> NaiveBayes {
    let mut counts: Vec<HashMap<String, f64>> = vec![HashMap::new(); n_classes];
    let mut vocab: Vec<String> = Vec::new();
    for (text, &c) in texts.iter().zip(labels) {
        for word in tokenize(text) {
            *counts[c].entry(word.clone()).or_insert(0.0) += 1.0;
            vocab.push(word);
        }
    }
    vocab.sort();
    vocab.dedup();
    let log_likelihood = counts
        .iter()
        .map(|class_counts| {
            let total: f64 = class_counts.values().sum();
            let v = class_counts.len() as f64;
            vocab
                .iter()
                .map(|w| {
                    let count = class_counts.get(w).copied().unwrap_or(0.0);
                    (w.clone(), ((count + alpha) / (total + alpha * v)).ln())
                })
                .collect()
        })
        .collect();
    NaiveBayes { log_likelihood }
}

impl NaiveBayes {
    /// The class with the largest sum of ln P(w | c) over the words of `text` (words outside
    /// the vocabulary are skipped; the uniform prior adds the same to every class); ties go
    /// to the smallest class index.
    pub fn predict(&self, text: &str) -> usize {
        let words = tokenize(text);
        let mut best = (f64::NEG_INFINITY, 0);
        for (c, table) in self.log_likelihood.iter().enumerate() {
            let score: f64 = words.iter().filter_map(|w| table.get(w)).sum();
            if score > best.0 {
                best = (score, c);
            }
        }
        best.1
    }
}
