//! alternative: TP/FP/FN counted straight from the pairs, words as indices in a BTreeMap with Vec rows, ln(count + alpha) - ln(total + alpha |V|), classes scanned from the last with >= (the smallest index wins ties)

// language/imbalanced_text: per-class precision, recall and F1, their averages, and a naive Bayes authorship model.
// `learnml show language/imbalanced_text` shows the full statement; `learnml check language/imbalanced_text` grades this file.

use std::collections::BTreeMap;

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

/// The confusion matrix: `m[[t, p]]` counts the examples of true class t predicted as p.
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let mut rows = vec![vec![0usize; n_classes]; n_classes];
    for (&t, &p) in truth.iter().zip(predicted) {
        rows[t][p] += 1;
    }
    Array2::from_shape_fn((n_classes, n_classes), |(t, p)| rows[t][p])
}

fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

fn harmonic(p: f64, r: f64) -> f64 {
    ratio(2.0 * p * r, p + r)
}

/// Per-class precision, recall, F1 and support, accuracy, and the averages.
pub fn classification_report(truth: &[usize], predicted: &[usize], n_classes: usize) -> Report {
    let mut tp = vec![0.0; n_classes];
    let mut fp = vec![0.0; n_classes];
    let mut fn_ = vec![0.0; n_classes];
    for (&t, &p) in truth.iter().zip(predicted) {
        if t == p {
            tp[t] += 1.0;
        } else {
            fp[p] += 1.0;
            fn_[t] += 1.0;
        }
    }
    let precision: Vec<f64> = (0..n_classes)
        .map(|c| ratio(tp[c], tp[c] + fp[c]))
        .collect();
    let recall: Vec<f64> = (0..n_classes)
        .map(|c| ratio(tp[c], tp[c] + fn_[c]))
        .collect();
    let f1: Vec<f64> = (0..n_classes)
        .map(|c| harmonic(precision[c], recall[c]))
        .collect();
    let support: Vec<usize> = (0..n_classes).map(|c| (tp[c] + fn_[c]) as usize).collect();
    let n = truth.len() as f64;
    let correct: f64 = tp.iter().sum();
    let accuracy = ratio(correct, n);
    let mean = |v: &[f64]| ratio(v.iter().sum(), n_classes as f64);
    let weighted = |v: &[f64]| {
        let s: f64 = v.iter().zip(&support).map(|(x, &s)| x * s as f64).sum();
        ratio(s, support.iter().sum::<usize>() as f64)
    };
    let (stp, sfp, sfn) = (correct, fp.iter().sum::<f64>(), fn_.iter().sum::<f64>());
    let mp = ratio(stp, stp + sfp);
    let mr = ratio(stp, stp + sfn);
    Report {
        macro_avg: Averages {
            precision: mean(&precision),
            recall: mean(&recall),
            f1: mean(&f1),
        },
        weighted_avg: Averages {
            precision: weighted(&precision),
            recall: weighted(&recall),
            f1: weighted(&f1),
        },
        micro_avg: Averages {
            precision: mp,
            recall: mr,
            f1: harmonic(mp, mr),
        },
        precision,
        recall,
        f1,
        support,
        accuracy,
    }
}

/// Multinomial naive Bayes with words as indices.
pub struct NaiveBayes {
    /// Each training word's index.
    pub index: BTreeMap<String, usize>,
    /// ln P(w | c), one row per class, one column per word index.
    pub log_likelihood: Vec<Vec<f64>>,
}

/// Fit on `texts` with classes `labels` in 0..n_classes.
pub fn fit(texts: &[String], labels: &[usize], n_classes: usize, alpha: f64) -> NaiveBayes {
    let docs: Vec<Vec<String>> = texts.iter().map(|t| tokenize(t)).collect();
    let mut index = BTreeMap::new();
    for w in docs.iter().flatten() {
        let next = index.len();
        index.entry(w.clone()).or_insert(next);
    }
    let v = index.len();
    let mut counts = vec![vec![0.0f64; v]; n_classes];
    for (doc, &c) in docs.iter().zip(labels) {
        for w in doc {
            counts[c][index[w]] += 1.0;
        }
    }
    let log_likelihood = counts
        .iter()
        .map(|row| {
            let denominator = (row.iter().sum::<f64>() + alpha * v as f64).ln();
            row.iter().map(|x| (x + alpha).ln() - denominator).collect()
        })
        .collect();
    NaiveBayes {
        index,
        log_likelihood,
    }
}

impl NaiveBayes {
    /// The class with the largest log-likelihood; classes scanned from the last with `>=`,
    /// so that the smallest index wins a tie.
    pub fn predict(&self, text: &str) -> usize {
        let ids: Vec<usize> = tokenize(text)
            .iter()
            .filter_map(|w| self.index.get(w).copied())
            .collect();
        let mut best = (f64::NEG_INFINITY, 0);
        for c in (0..self.log_likelihood.len()).rev() {
            let score: f64 = ids.iter().rev().map(|&i| self.log_likelihood[c][i]).sum();
            if score >= best.0 {
                best = (score, c);
            }
        }
        best.1
    }
}
