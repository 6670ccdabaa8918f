//! mistake: seeds the generator with a constant instead of the seed argument
//! fails: reproducible
//! message: "the seed is ignored"

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
    let sick_and_positive = test.sensitivity * test.prevalence;
    let healthy_and_positive = (1.0 - test.specificity) * (1.0 - test.prevalence);
    // P(positive) by the law of total probability: sick or healthy.
    sick_and_positive / (sick_and_positive + healthy_and_positive)
}

/// A Monte Carlo estimate of P(sick | positive): simulate `n` people with the random number
/// generator `learnml_kit::split::rng(seed)`. Each person is sick with probability
/// `prevalence`; a sick person tests positive with probability `sensitivity`, a healthy one
/// with probability `1 - specificity`. Returns (sick and positive) / (positive), or `None`
/// when nobody tests positive.
pub fn simulate(test: &Test, n: usize, _seed: u64) -> Option<f64> {
    // A fixed seed: the same numbers on every run.
    let mut rng = learnml_kit::split::rng(42);
    let mut positive = 0usize;
    let mut sick_and_positive = 0usize;
    for _ in 0..n {
        let sick = rng.gen_bool(test.prevalence);
        let detected = if sick {
            rng.gen_bool(test.sensitivity)
        } else {
            rng.gen_bool(1.0 - test.specificity)
        };
        if detected {
            positive += 1;
            if sick {
                sick_and_positive += 1;
            }
        }
    }
    (positive > 0).then(|| sick_and_positive as f64 / positive as f64)
}
