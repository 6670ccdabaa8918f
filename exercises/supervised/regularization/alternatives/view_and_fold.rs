//! alternative: ElasticNetParams built apart, the dataset from views, the fitted ElasticNet<f64> named, count_zeros with fold

// supervised/regularization: ridge, lasso and elastic net with linfa-elasticnet.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_elasticnet::{ElasticNet, ElasticNetParams};
use ndarray::{Array1, Array2};

/// Fit linfa-elasticnet's `ElasticNet` on standardized features `x` (n x p, every column of
/// mean 0) and target `y`, minimizing
///   1/(2n) |y - b - x·w|² + penalty · (l1_ratio · |w|₁ + (1 - l1_ratio) / 2 · |w|²).
/// l1_ratio = 0 is ridge, 1 is the lasso. Returns `(intercept b, coefficients w)`.
pub fn fit(x: &Array2<f64>, y: &Array1<f64>, penalty: f64, l1_ratio: f64) -> (f64, Array1<f64>) {
    let params: ElasticNetParams<f64> = ElasticNet::params()
        .l1_ratio(l1_ratio)
        .penalty(penalty)
        .max_iterations(20_000)
        .tolerance(1e-12);
    let data = DatasetBase::from((x.view(), y.view()));
    let model: ElasticNet<f64> = params.fit(&data).unwrap();
    (model.intercept(), model.hyperplane().to_owned())
}

/// The number of coefficients that are exactly 0.0.
pub fn count_zeros(coefficients: &Array1<f64>) -> usize {
    coefficients
        .iter()
        .fold(0, |n, &w| if w == 0.0 { n + 1 } else { n })
}
