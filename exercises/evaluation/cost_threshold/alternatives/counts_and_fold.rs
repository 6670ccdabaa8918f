//! alternative: counts of errors first, the threshold as 1 / (1 + c_FN / c_FP), the best candidate by a fold that keeps the first minimum

// evaluation/cost_threshold: a decision threshold from a cost matrix, chosen on validation data.

/// The costs of the two errors (a correct decision costs 0). Positive class: a bad credit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Predicting positive (bad) for an actual negative (good).
    pub false_positive: f64,
    /// Predicting negative (good) for an actual positive (bad).
    pub false_negative: f64,
}

/// A threshold chosen on validation data and its cost on the test data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub threshold: f64,
    pub test_cost: f64,
}

/// The candidate thresholds: 0.00, 0.01, ..., 1.00 (given code).
pub fn candidates() -> Vec<f64> {
    (0..=100).map(|k| k as f64 / 100.0).collect()
}

/// The mean cost per case of predicting positive when `p >= threshold`: (c_FP·FP + c_FN·FN) / N.
/// `labels[i]` is `true` for a positive; `probs` and `labels` have the same length.
pub fn expected_cost(probs: &[f64], labels: &[bool], threshold: f64, costs: &Costs) -> f64 {
    let mut false_positives = 0usize;
    let mut false_negatives = 0usize;
    for i in 0..probs.len() {
        let predicted = probs[i] >= threshold;
        if predicted && !labels[i] {
            false_positives += 1;
        }
        if !predicted && labels[i] {
            false_negatives += 1;
        }
    }
    (costs.false_positive * false_positives as f64 + costs.false_negative * false_negatives as f64)
        / probs.len() as f64
}

/// The threshold that minimizes the expected cost for calibrated probabilities.
pub fn bayes_threshold(costs: &Costs) -> f64 {
    1.0 / (1.0 + costs.false_negative / costs.false_positive)
}

/// The candidate with the lowest expected cost on these (validation) cases; among equal costs,
/// the smallest threshold.
pub fn best_threshold(probs: &[f64], labels: &[bool], costs: &Costs) -> f64 {
    candidates()
        .into_iter()
        .map(|t| (expected_cost(probs, labels, t, costs), t))
        .fold(None, |best: Option<(f64, f64)>, (cost, t)| match best {
            Some((best_cost, _)) if best_cost <= cost => best,
            _ => Some((cost, t)),
        })
        .map_or(0.0, |(_, t)| t)
}

/// Chooses the threshold on the validation cases and reports its cost on the test cases.
pub fn evaluate_policy(
    val_probs: &[f64],
    val_labels: &[bool],
    test_probs: &[f64],
    test_labels: &[bool],
    costs: &Costs,
) -> Policy {
    let threshold = best_threshold(val_probs, val_labels, costs);
    let test_cost = expected_cost(test_probs, test_labels, threshold, costs);
    Policy {
        threshold,
        test_cost,
    }
}
