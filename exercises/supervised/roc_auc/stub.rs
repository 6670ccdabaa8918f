// supervised/roc_auc: the ROC curve and the area under it, with tied scores handled.
// `learnml show supervised/roc_auc` shows the full statement; `learnml check supervised/roc_auc` grades this file.

/// The ROC curve as (false positive rate, true positive rate) points: (0, 0) first, then one
/// point per distinct score, from the highest score down (samples with equal scores cross the
/// threshold together: one step), ending at (1, 1). `true` is the positive class and a higher
/// score means "more positive". Both classes are present.
pub fn roc_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let _ = (truth, scores);
    todo!("sort by score, descending; emit a point after each group of equal scores")
}

/// The area under the ROC curve by the trapezoid rule, in [0, 1]. `f64::NAN` when `truth`
/// holds a single class (the curve is undefined).
pub fn auc(truth: &[bool], scores: &[f64]) -> f64 {
    let _ = (truth, scores);
    todo!("sum the trapezoids between consecutive points of roc_curve")
}
