//! mistake: gives every group the threshold whose selection rate is closest to the overall rate at 0.5, which meets the bar but ignores accuracy
//! fails: least_accuracy_lost, heldout
//! message: "must lose the least accuracy"

// responsible/thresholds: per-group decision thresholds after training that meet a
// demographic parity bar while losing the least accuracy.

/// One threshold per group id in `0..n_groups`: sample i is selected when
/// `scores[i] >= thresholds[groups[i]]` (`f64::INFINITY` selects nobody). Among all such
/// thresholds whose selection rates differ by at most `max_difference` (fairlearn's
/// demographic parity difference, max - min), return ones with the highest accuracy against
/// `y_true` on these samples. Every group id has at least one sample.
pub fn group_thresholds(
    scores: &[f64],
    y_true: &[bool],
    groups: &[usize],
    n_groups: usize,
    max_difference: f64,
) -> Vec<f64> {
    let _ = (y_true, max_difference);
    // Parity means equal rates: aim every group at the overall rate of the default decision.
    let target = scores.iter().filter(|&&s| s >= 0.5).count() as f64 / scores.len() as f64;
    (0..n_groups)
        .map(|g| {
            let mut own: Vec<f64> = scores
                .iter()
                .zip(groups)
                .filter(|&(_, &h)| h == g)
                .map(|(&s, _)| s)
                .collect();
            own.sort_by(|a, b| b.total_cmp(a));
            let n = own.len() as f64;
            let mut best = (f64::INFINITY, target);
            for &t in &own {
                let rate = own.iter().filter(|&&s| s >= t).count() as f64 / n;
                if (rate - target).abs() < best.1 {
                    best = (t, (rate - target).abs());
                }
            }
            best.0
        })
        .collect()
}
