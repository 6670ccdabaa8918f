//! alternative: one filter pass per group, and min / max over a sorted Vec of the defined rates

// responsible/selection_rates: selection rate per group, demographic parity difference and ratio.
// `learnml next` shows the full statement; `learnml check` grades this file.

/// P(ŷ = 1 | group = g) for each g in `0..n_groups`; `None` for a group with no members.
/// `y_pred[i]` is the prediction of sample i (`true` = selected), `groups[i] < n_groups` its group.
pub fn selection_rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    (0..n_groups)
        .map(|g| {
            let members: Vec<bool> = y_pred
                .iter()
                .zip(groups)
                .filter(|&(_, &h)| h == g)
                .map(|(&p, _)| p)
                .collect();
            if members.is_empty() {
                return None;
            }
            let selected = members.iter().filter(|&&p| p).count();
            Some(selected as f64 / members.len() as f64)
        })
        .collect()
}

fn sorted_rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<f64> {
    let mut rates: Vec<f64> = selection_rates(y_pred, groups, n_groups)
        .into_iter()
        .flatten()
        .collect();
    rates.sort_by(f64::total_cmp);
    rates
}

/// fairlearn's demographic parity difference: max - min selection rate over the groups that
/// have members (unsigned, 0 = parity).
pub fn demographic_parity_difference(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let rates = sorted_rates(y_pred, groups, n_groups);
    rates[rates.len() - 1] - rates[0]
}

/// fairlearn's demographic parity ratio: min / max selection rate over the groups that have
/// members (in [0, 1], 1 = parity); `f64::NAN` when the largest rate is 0.
pub fn demographic_parity_ratio(y_pred: &[bool], groups: &[usize], n_groups: usize) -> f64 {
    let rates = sorted_rates(y_pred, groups, n_groups);
    let largest = rates[rates.len() - 1];
    if largest == 0.0 {
        f64::NAN
    } else {
        rates[0] / largest
    }
}
