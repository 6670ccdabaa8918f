//! alternative: sorted (score, label) pairs walked group by group; AP as a mean over positives

// evaluation/average_precision: the precision-recall curve and average precision.
// `learnml show evaluation/average_precision` shows the full statement; `learnml check evaluation/average_precision` grades this file.

/// The precision-recall curve as (recall, precision) points, one per distinct score, from the
/// highest score down: at threshold t every sample with score >= t is predicted positive (samples
/// with equal scores cross together), recall = TP / P, precision = TP / (TP + FP). `true` is the
/// positive class, a higher score means "more positive"; at least one positive.
pub fn pr_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(truth.iter().copied()).collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = truth.iter().filter(|&&t| t).count();
    let mut curve = Vec::new();
    let (mut tp, mut seen) = (0usize, 0usize);
    let mut start = 0;
    while start < pairs.len() {
        let mut end = start;
        while end < pairs.len() && pairs[end].0 == pairs[start].0 {
            if pairs[end].1 {
                tp += 1;
            }
            end += 1;
        }
        seen += end - start;
        curve.push((tp as f64 / positives as f64, tp as f64 / seen as f64));
        start = end;
    }
    curve
}

/// scikit-learn's average precision, without interpolation: the sum over the points of the
/// curve of (R_n - R_{n-1}) * P_n, with R_0 = 0. At least one positive.
pub fn average_precision(truth: &[bool], scores: &[f64]) -> f64 {
    // Each positive contributes 1/P of recall at the precision of its own group.
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let curve = pr_curve(truth, scores);
    let recalls = std::iter::once(0.0).chain(curve.iter().map(|p| p.0));
    let hits: Vec<f64> = recalls
        .clone()
        .zip(curve.iter().map(|p| p.0))
        .map(|(before, after)| (after - before) * positives)
        .collect();
    hits.iter().zip(&curve).map(|(h, p)| h * p.1).sum::<f64>() / positives
}
