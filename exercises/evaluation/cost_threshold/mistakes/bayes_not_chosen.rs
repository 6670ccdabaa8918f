//! mistake: evaluate_policy uses the Bayes threshold 1/6 as it is, without choosing a candidate on the validation cases
//! fails: test_cost
//! message: "not chosen on the validation cases"

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
    let total: f64 = probs
        .iter()
        .zip(labels)
        .map(|(&p, &positive)| match (p >= threshold, positive) {
            (true, false) => costs.false_positive,
            (false, true) => costs.false_negative,
            _ => 0.0,
        })
        .sum();
    total / probs.len() as f64
}

/// The threshold that minimizes the expected cost for calibrated probabilities.
pub fn bayes_threshold(costs: &Costs) -> f64 {
    costs.false_positive / (costs.false_positive + costs.false_negative)
}

/// The candidate with the lowest expected cost on these (validation) cases; among equal costs,
/// the smallest threshold.
pub fn best_threshold(probs: &[f64], labels: &[bool], costs: &Costs) -> f64 {
    let mut best = (f64::INFINITY, 0.0);
    for t in candidates() {
        let cost = expected_cost(probs, labels, t, costs);
        if cost < best.0 {
            best = (cost, t);
        }
    }
    best.1
}

/// Chooses the threshold on the validation cases and reports its cost on the test cases.
pub fn evaluate_policy(
    val_probs: &[f64],
    val_labels: &[bool],
    test_probs: &[f64],
    test_labels: &[bool],
    costs: &Costs,
) -> Policy {
    // The Bayes threshold needs no data: the validation cases are not used.
    let _ = (val_probs, val_labels);
    let threshold = bayes_threshold(costs);
    Policy {
        threshold,
        test_cost: expected_cost(test_probs, test_labels, threshold, costs),
    }
}
