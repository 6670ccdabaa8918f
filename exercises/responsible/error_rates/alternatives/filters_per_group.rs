//! alternative: filters per group and rate, with min and max from a sorted Vec of the defined rates

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

/// The share of predicted positives among the samples of group `g` whose label is `label`.
fn accepted_share(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    g: usize,
    label: bool,
) -> Option<f64> {
    let predictions: Vec<bool> = (0..y_true.len())
        .filter(|&i| groups[i] == g && y_true[i] == label)
        .map(|i| y_pred[i])
        .collect();
    if predictions.is_empty() {
        None
    } else {
        let accepted = predictions.iter().filter(|&&p| p).count();
        Some(accepted as f64 / predictions.len() as f64)
    }
}

/// One `GroupRates` per group id in `0..n_groups`. `y_true[i]`, `y_pred[i]`: label and
/// prediction of sample i (`true` = positive), `groups[i]` its group.
pub fn group_rates(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> Vec<GroupRates> {
    (0..n_groups)
        .map(|g| GroupRates {
            tpr: accepted_share(y_true, y_pred, groups, g, true),
            fpr: accepted_share(y_true, y_pred, groups, g, false),
        })
        .collect()
}

fn gap(mut values: Vec<f64>) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() - 1] - values[0]
}

/// fairlearn's equal opportunity difference: max - min TPR over the groups where it is defined.
pub fn equal_opportunity_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> f64 {
    let rates = group_rates(y_true, y_pred, groups, n_groups);
    gap(rates.iter().filter_map(|r| r.tpr).collect())
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
    let tpr = gap(rates.iter().filter_map(|r| r.tpr).collect());
    let fpr = gap(rates.iter().filter_map(|r| r.fpr).collect());
    if tpr > fpr { tpr } else { fpr }
}
