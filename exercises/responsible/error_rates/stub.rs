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
    let _ = (y_true, y_pred, groups, n_groups);
    todo!("count TP, FN, FP, TN per group")
}

/// fairlearn's equal opportunity difference: max - min TPR over the groups where it is defined.
pub fn equal_opportunity_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> f64 {
    let _ = (y_true, y_pred, groups, n_groups);
    todo!("max - min of the defined TPRs")
}

/// fairlearn's equalized odds difference: max(TPR difference, FPR difference), each max - min
/// over the groups where the rate is defined.
pub fn equalized_odds_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &[usize],
    n_groups: usize,
) -> f64 {
    let _ = (y_true, y_pred, groups, n_groups);
    todo!("the larger of the TPR and FPR differences")
}
