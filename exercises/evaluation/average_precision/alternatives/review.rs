//! alternative: pairs sorted then grouped with chunk_by; AP as the mean over the positives of the precision at their score

// evaluation/average_precision: the precision-recall curve and average precision.
// `learnml show evaluation/average_precision` shows the full statement; `learnml check evaluation/average_precision` grades this file.

/// The precision-recall curve as (recall, precision) points, one per distinct score, from the
/// highest score down: at threshold t every sample with score >= t is predicted positive (samples
/// with equal scores cross together), recall = TP / P, precision = TP / (TP + FP). `true` is the
/// positive class, a higher score means "more positive"; at least one positive.
pub fn pr_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(truth.iter().copied()).collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let mut predicted = 0usize;
    let mut tp = 0usize;
    pairs
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| {
            predicted += group.len();
            tp += group.iter().filter(|p| p.1).count();
            (tp as f64 / positives, tp as f64 / predicted as f64)
        })
        .collect()
}

/// scikit-learn's average precision, without interpolation: the sum over the points of the
/// curve of (R_n - R_{n-1}) * P_n, with R_0 = 0. At least one positive.
pub fn average_precision(truth: &[bool], scores: &[f64]) -> f64 {
    // Each positive contributes the precision at its own threshold (its group of ties).
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let mut positive_scores: Vec<f64> = truth
        .iter()
        .zip(scores)
        .filter(|(t, _)| **t)
        .map(|(_, &s)| s)
        .collect();
    positive_scores.sort_by(|a, b| b.total_cmp(a));
    let p = positive_scores.len();
    let total: f64 = positive_scores
        .iter()
        .map(|&s| {
            // how many samples (and positives) score >= s
            let at_least = sorted.partition_point(|&v| v >= s);
            let positives_at_least = positive_scores.partition_point(|&v| v >= s);
            positives_at_least as f64 / at_least as f64
        })
        .sum();
    total / p as f64
}
