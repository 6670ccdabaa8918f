// responsible/selection_rates: reference solution.

/// P(ŷ = 1 | group = g) for each g in `0..n_groups`; `None` for a group with no members.
/// `y_pred[i]` is the prediction of sample i (`true` = selected), `groups[i] < n_groups` its group.
pub fn selection_rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    let mut members = vec![0usize; n_groups];
    let mut selected = vec![0usize; n_groups];
    for (&pred, &g) in y_pred.iter().zip(groups) {
        members[g] += 1;
        selected[g] += usize::from(pred);
    }
    members
        .iter()
        .zip(&selected)
        .map(|(&m, &s)| (m > 0).then(|| s as f64 / m as f64))
        .collect()
}

fn min_max(rates: &[Option<f64>]) -> (f64, f64) {
    let defined = rates.iter().flatten().copied();
    let max = defined.clone().fold(f64::NEG_INFINITY, f64::max);
    let min = defined.fold(f64::INFINITY, f64::min);
    (min, max)
}

/// fairlearn's demographic parity difference: max - min selection rate over the groups that
/// have members (unsigned, 0 = parity).
pub fn demographic_parity_difference(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let (min, max) = min_max(&selection_rates(y_pred, groups, n_groups));
    max - min
}

/// fairlearn's demographic parity ratio: min / max selection rate over the groups that have
/// members (in [0, 1], 1 = parity); `f64::NAN` when the largest rate is 0.
pub fn demographic_parity_ratio(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let (min, max) = min_max(&selection_rates(y_pred, groups, n_groups));
    if max > 0.0 { min / max } else { f64::NAN }
}
