//! mistake: the mean's noise uses a count's sensitivity, 1
//! fails: mean_noise
//! message: "sensitivity 1"

// responsible/laplace: the Laplace mechanism for a count and a mean (differential privacy).

use learnml_kit::split::Rng;
use rand::Rng as _;

/// One draw from the Laplace distribution with location 0 and scale `scale` (density
/// exp(-|x| / scale) / (2 scale)), using only `rng` for randomness (`rng.r#gen::<f64>()` is
/// uniform in [0, 1) with `use rand::Rng;`).
pub fn laplace(scale: f64, rng: &mut Rng) -> f64 {
    // Inverse CDF: u uniform in [-1/2, 1/2), x = -scale · sign(u) · ln(1 - 2|u|).
    let u: f64 = rng.r#gen::<f64>() - 0.5;
    -scale * u.signum() * (1.0 - 2.0 * u.abs()).ln()
}

/// An epsilon-differentially private count of the `true` entries of `data`: the count plus
/// Laplace noise of scale sensitivity / epsilon (one person changes the count by at most 1).
pub fn private_count(data: &[bool], epsilon: f64, rng: &mut Rng) -> f64 {
    let count = data.iter().filter(|&&v| v).count() as f64;
    let sensitivity = 1.0;
    count + laplace(sensitivity / epsilon, rng)
}

/// An epsilon-differentially private mean of `values` clamped to [lower, upper] (the number
/// of values n is public): the clamped mean plus Laplace noise of scale (upper - lower) / (n epsilon).
pub fn private_mean(values: &[f64], lower: f64, upper: f64, epsilon: f64, rng: &mut Rng) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().map(|v| v.clamp(lower, upper)).sum::<f64>() / n;
    let sensitivity = 1.0;
    mean + laplace(sensitivity / epsilon, rng)
}
