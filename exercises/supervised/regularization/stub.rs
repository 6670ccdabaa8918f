// supervised/regularization: ridge, lasso and elastic net with linfa-elasticnet.
// `learnml show supervised/regularization` shows the full statement; `learnml check supervised/regularization` grades this file.

use ndarray::{Array1, Array2};

/// Fit linfa-elasticnet's `ElasticNet` on standardized features `x` (n x p, every column of
/// mean 0) and target `y`, minimizing
///   1/(2n) |y - b - x·w|² + penalty · (l1_ratio · |w|₁ + (1 - l1_ratio) / 2 · |w|²).
/// l1_ratio = 0 is ridge, 1 is the lasso. Returns `(intercept b, coefficients w)`.
pub fn fit(x: &Array2<f64>, y: &Array1<f64>, penalty: f64, l1_ratio: f64) -> (f64, Array1<f64>) {
    let _ = (x, y, penalty, l1_ratio);
    todo!("ElasticNet::params().penalty(..).l1_ratio(..).fit(&dataset)")
}

/// The number of coefficients that are exactly 0.0.
pub fn count_zeros(coefficients: &Array1<f64>) -> usize {
    let _ = coefficients;
    todo!("count the exact zeros")
}
