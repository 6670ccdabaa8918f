//! mistake: sums rectangles under the curve (left heights) instead of trapezoids, losing half of each diagonal step
//! fails: auc_public
//! message: "rectangle"

// supervised/roc_auc: the ROC curve and the area under it, with tied scores handled.

/// The ROC curve as (false positive rate, true positive rate) points: (0, 0) first, then one
/// point per distinct score, from the highest score down (samples with equal scores cross the
/// threshold together: one step), ending at (1, 1). `true` is the positive class and a higher
/// score means "more positive". Both classes are present.
pub fn roc_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let negatives = truth.len() as f64 - positives;
    let mut order: Vec<usize> = (0..truth.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut curve = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_group = k + 1 == order.len() || scores[order[k + 1]] != scores[i];
        if last_of_group {
            curve.push((fp / negatives, tp / positives));
        }
    }
    curve
}

/// The area under the ROC curve by the trapezoid rule, in [0, 1]. `f64::NAN` when `truth`
/// holds a single class (the curve is undefined).
pub fn auc(truth: &[bool], scores: &[f64]) -> f64 {
    let positives = truth.iter().filter(|&&t| t).count();
    if positives == 0 || positives == truth.len() {
        return f64::NAN;
    }
    roc_curve(truth, scores)
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * w[0].1)
        .sum()
}
