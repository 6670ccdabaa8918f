//! mistake: the ratio is max / min (larger over smaller), not fairlearn's min / max
//! fails: dp_ratio
//! message: "inverted ratio"

// responsible/selection_rates: selection rate per group, demographic parity difference and ratio.
// `learnml next` shows the full statement; `learnml check` grades this file.

/// P(ŷ = 1 | group = g) for each g in `0..n_groups`; `None` for a group with no members.
/// `y_pred[i]` is the prediction of sample i (`true` = selected), `groups[i] < n_groups` its group.
pub fn selection_rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    let mut members = vec![0usize; n_groups];
    let mut selected = vec![0usize; n_groups];
    for (&pred, &g) in y_pred.iter().zip(groups) {
        members[g] += 1;
        if pred {
            selected[g] += 1;
        }
    }
    (0..n_groups)
        .map(|g| {
            if members[g] == 0 {
                None
            } else {
                Some(selected[g] as f64 / members[g] as f64)
            }
        })
        .collect()
}

fn extremes(y_pred: &[bool], groups: &[usize], n_groups: usize) -> (f64, f64) {
    let rates: Vec<f64> = selection_rates(y_pred, groups, n_groups)
        .into_iter()
        .flatten()
        .collect();
    let max = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
    (min, max)
}

/// fairlearn's demographic parity difference: max - min selection rate over the groups that
/// have members (unsigned, 0 = parity).
pub fn demographic_parity_difference(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let (min, max) = extremes(y_pred, groups, n_groups);
    max - min
}

/// fairlearn's demographic parity ratio: min / max selection rate over the groups that have
/// members (in [0, 1], 1 = parity); `f64::NAN` when the largest rate is 0.
pub fn demographic_parity_ratio(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let (min, max) = extremes(y_pred, groups, n_groups);
    if min > 0.0 { max / min } else { f64::NAN }
}
