// responsible/laplace: the Laplace mechanism for a count and a mean (differential privacy).

use learnml_kit::split::Rng;

/// One draw from the Laplace distribution with location 0 and scale `scale` (density
/// exp(-|x| / scale) / (2 scale)), using only `rng` for randomness (`rng.r#gen::<f64>()` is
/// uniform in [0, 1) with `use rand::Rng;`).
pub fn laplace(scale: f64, rng: &mut Rng) -> f64 {
    let _ = (scale, rng);
    todo!("inverse transform of one uniform draw")
}

/// An epsilon-differentially private count of the `true` entries of `data`: the count plus
/// Laplace noise of scale sensitivity / epsilon (one person changes the count by at most 1).
pub fn private_count(data: &[bool], epsilon: f64, rng: &mut Rng) -> f64 {
    let _ = (data, epsilon, rng);
    todo!("count + laplace(1 / epsilon)")
}

/// An epsilon-differentially private mean of `values` clamped to [lower, upper] (the number
/// of values n is public): the clamped mean plus Laplace noise of scale (upper - lower) / (n epsilon).
pub fn private_mean(values: &[f64], lower: f64, upper: f64, epsilon: f64, rng: &mut Rng) -> f64 {
    let _ = (values, lower, upper, epsilon, rng);
    todo!("clamp, mean, add noise calibrated to the sensitivity of the mean")
}
