//! mistake: divides TP and FP by the group's size instead of its actual positives and negatives
//! fails: rates_german
//! message: "group size"

// responsible/error_rates: TPR and FPR per group; equal opportunity and equalized odds
// differences (fairlearn's convention).

/// The error rates of one group; `None` where the denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupRates {
    /// P(ŷ = 1 | y = 1, group); `None` if the group has no actual positives.
    pub tpr: Option<f64>,
    /// P(ŷ = 1 | y = 0, group); `None` if the group has no actual negatives.
    pub fpr: Option<f64>,
}

/// One `GroupRates` per group id in `0..n_groups`. `y_true[i]`, `y_pred[i]`: label and
/// prediction of sample i (`true` = positive), `groups[i]` its group.
pub fn group_rates(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> Vec<GroupRates> {
    // Per group: [TP, FN, FP, TN].
    let mut counts = vec![[0usize; 4]; n_groups];
    for ((&y, &p), &g) in y_true.iter().zip(y_pred).zip(groups) {
        let cell = match (y, p) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        counts[g][cell] += 1;
    }
    let rate = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
    counts
        .iter()
        .map(|[tp, fn_, fp, tn]| GroupRates {
            tpr: rate(*tp, tp + fn_ + fp + tn),
            fpr: rate(*fp, tp + fn_ + fp + tn),
        })
        .collect()
}

/// max - min over the defined values; 0 when fewer than two are defined.
fn spread(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    let min = values.fold(f64::INFINITY, f64::min);
    if max >= min { max - min } else { 0.0 }
}

/// fairlearn's equal opportunity difference: max - min TPR over the groups where it is defined.
pub fn equal_opportunity_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> f64 {
    let rates = group_rates(y_true, y_pred, groups, n_groups);
    spread(rates.iter().filter_map(|r| r.tpr))
}

/// fairlearn's equalized odds difference: max(TPR difference, FPR difference), each max - min
/// over the groups where the rate is defined.
pub fn equalized_odds_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> f64 {
    let rates = group_rates(y_true, y_pred, groups, n_groups);
    spread(rates.iter().filter_map(|r| r.tpr)).max(spread(rates.iter().filter_map(|r| r.fpr)))
}
