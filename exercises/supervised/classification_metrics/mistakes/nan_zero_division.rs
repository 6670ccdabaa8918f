//! mistake: divides without testing the denominator, so 0/0 gives NaN
//! fails: zero_division
//! message: "0/0 must be 0.0"

// supervised/classification_metrics: confusion matrix, precision, recall, F1 (binary and macro).

use ndarray::Array2;

/// The n_classes x n_classes confusion matrix: entry [t, p] counts the samples of true class
/// `t` predicted as class `p` (rows = truth, columns = prediction, scikit-learn's convention).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let mut matrix = Array2::zeros((n_classes, n_classes));
    for (&t, &p) in truth.iter().zip(predicted) {
        matrix[[t, p]] += 1;
    }
    matrix
}

/// `(precision, recall, f1)` of the positive class `true`. A ratio whose denominator is 0
/// (nothing predicted positive, or no positive in the truth) is 0.0, never NaN.
pub fn binary_scores(truth: &[bool], predicted: &[bool]) -> (f64, f64, f64) {
    let count = |want_t: bool, want_p: bool| {
        truth
            .iter()
            .zip(predicted)
            .filter(|&(&t, &p)| t == want_t && p == want_p)
            .count() as f64
    };
    let (tp, fp, fn_) = (count(true, true), count(false, true), count(true, false));
    let precision = tp / (tp + fp);
    let recall = tp / (tp + fn_);
    let f1 = 2.0 * precision * recall / (precision + recall);
    (precision, recall, f1)
}

/// Macro-averaged F1 over the classes 0..n_classes: the unweighted mean of each class's F1,
/// that class taken as positive and all others as negative (one-vs-rest). A class's F1 is 0.0
/// when its denominator is 0.
pub fn macro_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> f64 {
    let total: f64 = (0..n_classes)
        .map(|c| {
            let t: Vec<bool> = truth.iter().map(|&v| v == c).collect();
            let p: Vec<bool> = predicted.iter().map(|&v| v == c).collect();
            binary_scores(&t, &p).2
        })
        .sum();
    total / n_classes as f64
}
