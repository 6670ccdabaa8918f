//! alternative: a table of (members, selected) per group built once, and the flags compared as 5 · rate < 4 · highest

// responsible/disparate_impact: AIF360's disparate impact and statistical parity difference,
// and the four-fifths rule.

/// (members, selected) per group id below `n`.
fn table(y_pred: &[bool], groups: &[usize], n: usize) -> Vec<(u32, u32)> {
    let mut t = vec![(0, 0); n];
    for (&p, &g) in y_pred.iter().zip(groups) {
        if g < n {
            t[g].0 += 1;
            if p {
                t[g].1 += 1;
            }
        }
    }
    t
}

fn rates(y_pred: &[bool], groups: &[usize], a: usize, b: usize) -> Option<(f64, f64)> {
    let n = a.max(b) + 1;
    let t = table(y_pred, groups, n);
    let rate = |(m, s): (u32, u32)| (m > 0).then(|| f64::from(s) / f64::from(m));
    Some((rate(t[a])?, rate(t[b])?))
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
    let (u, p) = rates(y_pred, groups, unprivileged, privileged)?;
    if p == 0.0 { None } else { Some(u / p) }
}

/// AIF360's statistical parity difference SR_u - SR_p, signed. `None` if either group has no
/// members.
pub fn statistical_parity_difference(
    y_pred: &[bool],
    groups: &[usize],
    unprivileged: usize,
    privileged: usize,
) -> Option<f64> {
    rates(y_pred, groups, unprivileged, privileged).map(|(u, p)| u - p)
}

/// The ids (ascending) of the groups in `0..n_groups` whose selection rate is strictly below
/// 0.8 times the highest group's rate. Groups without members are ignored.
pub fn four_fifths_flags(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<usize> {
    let t = table(y_pred, groups, n_groups);
    let rates: Vec<Option<f64>> = t
        .iter()
        .map(|&(m, s)| (m > 0).then(|| f64::from(s) / f64::from(m)))
        .collect();
    let highest = rates.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
    rates
        .iter()
        .enumerate()
        .filter_map(|(g, r)| r.filter(|&r| 5.0 * r < 4.0 * highest).map(|_| g))
        .collect()
}
