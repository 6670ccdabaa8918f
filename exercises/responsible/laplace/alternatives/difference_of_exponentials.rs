//! alternative: Laplace noise as the difference of two exponential draws of mean b (another exact sampler, drawing other numbers from the same seed)

// responsible/laplace: the Laplace mechanism for a count and a mean (differential privacy).

use learnml_kit::split::Rng;
use rand::Rng as _;

/// One draw from the Laplace distribution with location 0 and scale `scale` (density
/// exp(-|x| / scale) / (2 scale)), using only `rng` for randomness (`rng.r#gen::<f64>()` is
/// uniform in [0, 1) with `use rand::Rng;`).
pub fn laplace(scale: f64, rng: &mut Rng) -> f64 {
    // If E1 and E2 are independent exponentials of mean b, E1 - E2 is Laplace(0, b).
    let mut exponential = || -> f64 {
        let u: f64 = rng.r#gen();
        -scale * (1.0 - u).ln()
    };
    exponential() - exponential()
}

/// An epsilon-differentially private count of the `true` entries of `data`: the count plus
/// Laplace noise of scale sensitivity / epsilon (one person changes the count by at most 1).
pub fn private_count(data: &[bool], epsilon: f64, rng: &mut Rng) -> f64 {
    let count = data.iter().filter(|&&v| v).count();
    count as f64 + laplace(1.0 / epsilon, rng)
}

/// An epsilon-differentially private mean of `values` clamped to [lower, upper] (the number
/// of values n is public): the clamped mean plus Laplace noise of scale (upper - lower) / (n epsilon).
pub fn private_mean(values: &[f64], lower: f64, upper: f64, epsilon: f64, rng: &mut Rng) -> f64 {
    let n = values.len() as f64;
    let mut sum = 0.0;
    for &v in values {
        sum += v.max(lower).min(upper);
    }
    // Noise on the clamped sum (sensitivity upper - lower), then divide: the same mechanism.
    (sum + laplace((upper - lower) / epsilon, rng)) / n
}
