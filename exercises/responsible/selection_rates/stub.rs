// responsible/selection_rates: selection rate per group, demographic parity difference and ratio.
// `learnml show responsible/selection_rates` shows the full statement; `learnml check responsible/selection_rates` grades this file.

/// P(ŷ = 1 | group = g) for each g in `0..n_groups`; `None` for a group with no members.
/// `y_pred[i]` is the prediction of sample i (`true` = selected), `groups[i] < n_groups` its group.
pub fn selection_rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    let _ = (y_pred, groups, n_groups);
    todo!("count members and selected members per group")
}

/// fairlearn's demographic parity difference: max - min selection rate over the groups that
/// have members (unsigned, 0 = parity).
pub fn demographic_parity_difference(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let _ = (y_pred, groups, n_groups);
    todo!("max - min of the defined selection rates")
}

/// fairlearn's demographic parity ratio: min / max selection rate over the groups that have
/// members (in [0, 1], 1 = parity); `f64::NAN` when the largest rate is 0.
pub fn demographic_parity_ratio(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let _ = (y_pred, groups, n_groups);
    todo!("min / max of the defined selection rates")
}
