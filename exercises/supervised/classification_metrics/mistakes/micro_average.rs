//! mistake: pools the counts of all classes before computing F1 (the micro average, equal to accuracy here)
//! fails: macro_public
//! message: "the micro-average"

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

/// A ratio that is 0.0 when its denominator is 0 (scikit-learn's `zero_division=0`).
fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    }
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
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    // F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN): the second form has no 0/0 when TP = 0.
    let f1 = ratio(2.0 * tp, 2.0 * tp + fp + fn_);
    (precision, recall, f1)
}

/// Macro-averaged F1 over the classes 0..n_classes: the unweighted mean of each class's F1,
/// that class taken as positive and all others as negative (one-vs-rest). A class's F1 is 0.0
/// when its denominator is 0.
pub fn macro_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for c in 0..n_classes {
        for (&t, &p) in truth.iter().zip(predicted) {
            match (t == c, p == c) {
                (true, true) => tp += 1.0,
                (false, true) => fp += 1.0,
                (true, false) => fn_ += 1.0,
                (false, false) => {}
            }
        }
    }
    ratio(2.0 * tp, 2.0 * tp + fp + fn_)
}
