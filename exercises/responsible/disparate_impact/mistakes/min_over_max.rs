//! mistake: disparate impact as fairlearn's min / max of the two rates, which never exceeds 1
//! fails: di_directional
//! message: "fairlearn's min / max ratio"

// responsible/disparate_impact: AIF360's disparate impact and statistical parity difference,
// and the four-fifths rule.

/// The selection rate of one group, `None` if it has no members.
fn rate(y_pred: &[bool], groups: &[usize], group: usize) -> Option<f64> {
    let (mut members, mut selected) = (0usize, 0usize);
    for (&p, &g) in y_pred.iter().zip(groups) {
        if g == group {
            members += 1;
            selected += usize::from(p);
        }
    }
    (members > 0).then(|| selected as f64 / members as f64)
}

/// AIF360's disparate impact SR_u / SR_p (selection rate P(ŷ = 1 | group)), directional: above 1
/// when the unprivileged group is selected more. `None` if either group has no members or
/// SR_p = 0.
pub fn disparate_impact(
    y_pred: &[bool],
    groups: &[usize],
    unprivileged: usize,
    privileged: usize,
) -> Option<f64> {
    let u = rate(y_pred, groups, unprivileged)?;
    let p = rate(y_pred, groups, privileged)?;
    (p > 0.0).then(|| u.min(p) / u.max(p))
}

/// AIF360's statistical parity difference SR_u - SR_p, signed. `None` if either group has no
/// members.
pub fn statistical_parity_difference(
    y_pred: &[bool],
    groups: &[usize],
    unprivileged: usize,
    privileged: usize,
) -> Option<f64> {
    Some(rate(y_pred, groups, unprivileged)? - rate(y_pred, groups, privileged)?)
}

/// The ids (ascending) of the groups in `0..n_groups` whose selection rate is strictly below
/// 0.8 times the highest group's rate. Groups without members are ignored.
pub fn four_fifths_flags(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<usize> {
    let rates: Vec<Option<f64>> = (0..n_groups).map(|g| rate(y_pred, groups, g)).collect();
    let highest = rates
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (0..n_groups)
        .filter(|&g| rates[g].is_some_and(|r| r < 0.8 * highest))
        .collect()
}
