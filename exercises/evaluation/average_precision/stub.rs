// evaluation/average_precision: the precision-recall curve and average precision.
// `learnml show evaluation/average_precision` shows the full statement; `learnml check evaluation/average_precision` grades this file.

/// The precision-recall curve as (recall, precision) points, one per distinct score, from the
/// highest score down: at threshold t every sample with score >= t is predicted positive (samples
/// with equal scores cross together), recall = TP / P, precision = TP / (TP + FP). `true` is the
/// positive class, a higher score means "more positive"; at least one positive.
pub fn pr_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let _ = (truth, scores);
    todo!("sort by descending score; push a point at the end of each group of equal scores")
}

/// scikit-learn's average precision, without interpolation: the sum over the points of the
/// curve of (R_n - R_{n-1}) * P_n, with R_0 = 0. At least one positive.
pub fn average_precision(truth: &[bool], scores: &[f64]) -> f64 {
    let _ = (truth, scores);
    todo!("walk the curve: add (recall - previous recall) * precision")
}
