// foundations/probability: P(sick | positive) by Bayes' rule and by a seeded simulation.
// `learnml show foundations/probability` shows the full statement; `learnml check foundations/probability` grades this file.

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
    let _ = test;
    todo!("P(positive | sick) P(sick) / P(positive)")
}

/// A Monte Carlo estimate of P(sick | positive): simulate `n` people with the random number
/// generator `learnml_kit::split::rng(seed)`. Each person is sick with probability
/// `prevalence`; a sick person tests positive with probability `sensitivity`, a healthy one
/// with probability `1 - specificity`. Returns (sick and positive) / (positive), or `None`
/// when nobody tests positive.
pub fn simulate(test: &Test, n: usize, seed: u64) -> Option<f64> {
    let _ = (test, n, seed);
    todo!("simulate n people and count")
}
