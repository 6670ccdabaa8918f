//! mistake: turns the intercept off, reasoning that the features are centred already
//! fails: ridge_closed_form
//! message: "no intercept"

// supervised/regularization: ridge, lasso and elastic net with linfa-elasticnet.

use linfa::prelude::*;
use linfa_elasticnet::ElasticNet;
use ndarray::{Array1, Array2};

/// Fit linfa-elasticnet's `ElasticNet` on standardized features `x` (n x p, every column of
/// mean 0) and target `y`, minimizing
///   1/(2n) |y - b - x·w|² + penalty · (l1_ratio · |w|₁ + (1 - l1_ratio) / 2 · |w|²).
/// l1_ratio = 0 is ridge, 1 is the lasso. Returns `(intercept b, coefficients w)`.
pub fn fit(x: &Array2<f64>, y: &Array1<f64>, penalty: f64, l1_ratio: f64) -> (f64, Array1<f64>) {
    let dataset = Dataset::new(x.clone(), y.clone());
    let model = ElasticNet::params()
        .penalty(penalty)
        .l1_ratio(l1_ratio)
        .with_intercept(false)
        .tolerance(1e-10)
        .max_iterations(10_000)
        .fit(&dataset)
        .expect("the elastic net fits");
    (model.intercept(), model.hyperplane().clone())
}

/// The number of coefficients that are exactly 0.0.
pub fn count_zeros(coefficients: &Array1<f64>) -> usize {
    coefficients.iter().filter(|&&w| w == 0.0).count()
}
