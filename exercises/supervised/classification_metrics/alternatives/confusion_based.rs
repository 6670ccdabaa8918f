//! alternative: every score read from the confusion matrix (diagonal, row and column sums), F1 as 2PR / (P + R) guarded against 0/0

// supervised/classification_metrics: confusion matrix, precision, recall, F1 (binary and macro).

use ndarray::{Array2, Axis};

/// The n_classes x n_classes confusion matrix: entry [t, p] counts the samples of true class
/// `t` predicted as class `p` (rows = truth, columns = prediction, scikit-learn's convention).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let mut matrix = Array2::<usize>::zeros((n_classes, n_classes));
    truth
        .iter()
        .zip(predicted)
        .for_each(|(&t, &p)| matrix[[t, p]] += 1);
    matrix
}

fn scores_of(matrix: &Array2<usize>, c: usize) -> (f64, f64, f64) {
    let tp = matrix[[c, c]] as f64;
    let predicted = matrix.sum_axis(Axis(0))[c] as f64;
    let actual = matrix.sum_axis(Axis(1))[c] as f64;
    let precision = if predicted > 0.0 { tp / predicted } else { 0.0 };
    let recall = if actual > 0.0 { tp / actual } else { 0.0 };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

/// `(precision, recall, f1)` of the positive class `true`. A ratio whose denominator is 0
/// (nothing predicted positive, or no positive in the truth) is 0.0, never NaN.
pub fn binary_scores(truth: &[bool], predicted: &[bool]) -> (f64, f64, f64) {
    let t: Vec<usize> = truth.iter().map(|&b| usize::from(b)).collect();
    let p: Vec<usize> = predicted.iter().map(|&b| usize::from(b)).collect();
    scores_of(&confusion_matrix(&t, &p, 2), 1)
}

/// Macro-averaged F1 over the classes 0..n_classes: the unweighted mean of each class's F1,
/// that class taken as positive and all others as negative (one-vs-rest). A class's F1 is 0.0
/// when its denominator is 0.
pub fn macro_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> f64 {
    let matrix = confusion_matrix(truth, predicted, n_classes);
    (0..n_classes).map(|c| scores_of(&matrix, c).2).sum::<f64>() / n_classes as f64
}
