//! mistake: starts from 0.5 and lowers the threshold of the least selected group until the bar is met, which meets the bar but loses accuracy
//! fails: least_accuracy_lost, heldout
//! message: "must lose the least accuracy"

// responsible/thresholds: per-group decision thresholds after training that meet a
// demographic parity bar while losing the least accuracy.

fn rates(scores: &[f64], groups: &[usize], thresholds: &[f64]) -> Vec<f64> {
    let n_groups = thresholds.len();
    let mut members = vec![0.0; n_groups];
    let mut selected = vec![0.0; n_groups];
    for (&s, &g) in scores.iter().zip(groups) {
        members[g] += 1.0;
        if s >= thresholds[g] {
            selected[g] += 1.0;
        }
    }
    selected.iter().zip(&members).map(|(s, m)| s / m).collect()
}

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
    let _ = y_true;
    let mut thresholds = vec![0.5; n_groups];
    loop {
        let r = rates(scores, groups, &thresholds);
        let (mut low, mut high) = (0, 0);
        for (g, &rate) in r.iter().enumerate() {
            if rate < r[low] {
                low = g;
            }
            if rate > r[high] {
                high = g;
            }
        }
        if r[high] - r[low] <= max_difference {
            return thresholds;
        }
        // Lower the least selected group's threshold to its next score below.
        let next = scores
            .iter()
            .zip(groups)
            .filter(|&(&s, &g)| g == low && s < thresholds[low])
            .map(|(&s, _)| s)
            .fold(f64::NEG_INFINITY, f64::max);
        if next == f64::NEG_INFINITY {
            return thresholds;
        }
        thresholds[low] = next;
    }
}
