// supervised/classification_metrics: confusion matrix, precision, recall, F1 (binary and macro).
// `learnml show supervised/classification_metrics` shows the full statement; `learnml check supervised/classification_metrics` grades this file.

use ndarray::Array2;

/// The n_classes x n_classes confusion matrix: entry [t, p] counts the samples of true class
/// `t` predicted as class `p` (rows = truth, columns = prediction, scikit-learn's convention).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let _ = (truth, predicted, n_classes);
    todo!("count (truth, predicted) pairs")
}

/// `(precision, recall, f1)` of the positive class `true`. A ratio whose denominator is 0
/// (nothing predicted positive, or no positive in the truth) is 0.0, never NaN.
pub fn binary_scores(truth: &[bool], predicted: &[bool]) -> (f64, f64, f64) {
    let _ = (truth, predicted);
    todo!("count TP, FP, FN, then the three ratios")
}

/// Macro-averaged F1 over the classes 0..n_classes: the unweighted mean of each class's F1,
/// that class taken as positive and all others as negative (one-vs-rest). A class's F1 is 0.0
/// when its denominator is 0.
pub fn macro_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> f64 {
    let _ = (truth, predicted, n_classes);
    todo!("mean over classes of the one-vs-rest F1")
}
