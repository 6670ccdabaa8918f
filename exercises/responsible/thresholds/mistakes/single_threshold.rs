//! mistake: one threshold of 0.5 for everybody, the model's default decision, ignoring the bar
//! fails: meets_bar
//! message: "more than the bar"

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
    // The logistic regression is calibrated: 0.5 is the most accurate cut for everybody.
    let _ = (scores, y_true, groups, max_difference);
    vec![0.5; n_groups]
}
