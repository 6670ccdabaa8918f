//! mistake: counts TP and FP as integers and divides them before converting to f64 (0 or 1)
//! fails: curve_public, ap_public, ap_hidden, constant_and_random, rare_positives
//! message: "integer division"

// evaluation/average_precision: the precision-recall curve and average precision.
// `learnml show evaluation/average_precision` shows the full statement; `learnml check evaluation/average_precision` grades this file.

/// The precision-recall curve as (recall, precision) points, one per distinct score, from the
/// highest score down: at threshold t every sample with score >= t is predicted positive (samples
/// with equal scores cross together), recall = TP / P, precision = TP / (TP + FP). `true` is the
/// positive class, a higher score means "more positive"; at least one positive.
pub fn pr_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let positives = truth.iter().filter(|&&t| t).count();
    let mut order: Vec<usize> = (0..truth.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut curve = Vec::new();
    let (mut tp, mut fp) = (0usize, 0usize);
    for (k, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_group = k + 1 == order.len() || scores[order[k + 1]] != scores[i];
        if last_of_group {
            // BUG: integer division, converted to f64 too late.
            curve.push(((tp / positives) as f64, (tp / (tp + fp)) as f64));
        }
    }
    curve
}

/// scikit-learn's average precision, without interpolation: the sum over the points of the
/// curve of (R_n - R_{n-1}) * P_n, with R_0 = 0. At least one positive.
pub fn average_precision(truth: &[bool], scores: &[f64]) -> f64 {
    let mut previous_recall = 0.0;
    let mut ap = 0.0;
    for (recall, precision) in pr_curve(truth, scores) {
        ap += (recall - previous_recall) * precision;
        previous_recall = recall;
    }
    ap
}
