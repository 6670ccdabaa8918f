//! alternative: Bayes' rule in odds form (prior odds times likelihood ratio); the simulation compares uniform draws `rng.r#gen::<f64>()` with the probabilities

// foundations/probability: P(sick | positive) by Bayes' rule and by a seeded simulation.
// `learnml next` shows the full statement; `learnml check` grades this file.

use rand::Rng;

/// A diagnostic test for a disease, and how common the disease is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Test {
    /// P(sick): the share of people who have the disease.
    pub prevalence: f64,
    /// P(positive | sick): the share of sick people the test detects.
    pub sensitivity: f64,
    /// P(negative | healthy): the share of healthy people the test clears.
    pub specificity: f64,
}

/// P(sick | positive), exactly, by Bayes' rule.
pub fn posterior(test: &Test) -> f64 {
    // Posterior odds = prior odds x likelihood ratio of a positive test.
    let prior_odds = test.prevalence / (1.0 - test.prevalence);
    let likelihood_ratio = test.sensitivity / (1.0 - test.specificity);
    let odds = prior_odds * likelihood_ratio;
    odds / (1.0 + odds)
}

/// A Monte Carlo estimate of P(sick | positive): simulate `n` people with the random number
/// generator `learnml_kit::split::rng(seed)`. Each person is sick with probability
/// `prevalence`; a sick person tests positive with probability `sensitivity`, a healthy one
/// with probability `1 - specificity`. Returns (sick and positive) / (positive), or `None`
/// when nobody tests positive.
pub fn simulate(test: &Test, n: usize, seed: u64) -> Option<f64> {
    let mut rng = learnml_kit::split::rng(seed);
    let people: Vec<(bool, bool)> = (0..n)
        .map(|_| {
            let sick = rng.r#gen::<f64>() < test.prevalence;
            let p_positive = if sick {
                test.sensitivity
            } else {
                1.0 - test.specificity
            };
            (sick, rng.r#gen::<f64>() < p_positive)
        })
        .collect();
    let positive = people.iter().filter(|(_, positive)| *positive).count();
    let sick_and_positive = people
        .iter()
        .filter(|(sick, positive)| *sick && *positive)
        .count();
    if positive == 0 {
        None
    } else {
        Some(sick_and_positive as f64 / positive as f64)
    }
}
