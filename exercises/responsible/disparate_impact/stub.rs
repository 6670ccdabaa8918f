// responsible/disparate_impact: AIF360's disparate impact and statistical parity difference,
// and the four-fifths rule.

/// AIF360's disparate impact SR_u / SR_p (selection rate P(ŷ = 1 | group)), directional: above 1
/// when the unprivileged group is selected more. `None` if either group has no members or
/// SR_p = 0.
pub fn disparate_impact(
    y_pred: &[bool],
    groups: &[usize],
    unprivileged: usize,
    privileged: usize,
) -> Option<f64> {
    let _ = (y_pred, groups, unprivileged, privileged);
    todo!("SR_u / SR_p")
}

/// AIF360's statistical parity difference SR_u - SR_p, signed. `None` if either group has no
/// members.
pub fn statistical_parity_difference(
    y_pred: &[bool],
    groups: &[usize],
    unprivileged: usize,
    privileged: usize,
) -> Option<f64> {
    let _ = (y_pred, groups, unprivileged, privileged);
    todo!("SR_u - SR_p")
}

/// The ids (ascending) of the groups in `0..n_groups` whose selection rate is strictly below
/// 0.8 times the highest group's rate. Groups without members are ignored.
pub fn four_fifths_flags(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<usize> {
    let _ = (y_pred, groups, n_groups);
    todo!("flag rate < 0.8 * highest rate")
}
