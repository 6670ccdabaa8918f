//! alternative: each share as the sample variance of the projected coordinate (`pca.predict`), the count with `scan` and `take_while`

// unsupervised/pca_variance: how much variance do k principal components keep?

use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::{Array2, Axis};

/// The sum of the sample variances (divided by n - 1, about each column's mean) of the columns.
pub fn total_variance(x: &Array2<f64>) -> f64 {
    x.var_axis(Axis(0), 1.0).sum()
}

/// The share of `total_variance(x)` kept by each of the first `n_components` principal
/// components, largest first (fitted with linfa's `Pca`).
pub fn variance_shares(x: &Array2<f64>, n_components: usize) -> Vec<f64> {
    let pca = Pca::params(n_components)
        .fit(&DatasetBase::from(x.clone()))
        .expect("PCA fits");
    // The variance of each projected coordinate, over the total.
    let projected: Array2<f64> = pca.predict(x);
    let total = total_variance(x);
    projected
        .var_axis(Axis(0), 1.0)
        .iter()
        .map(|v| v / total)
        .collect()
}

/// The smallest number of components whose shares add up to at least `fraction`.
pub fn components_for(x: &Array2<f64>, fraction: f64) -> usize {
    let shares = variance_shares(x, x.ncols());
    let short = shares
        .iter()
        .scan(0.0, |kept, share| {
            *kept += share;
            Some(*kept)
        })
        .take_while(|&kept| kept < fraction)
        .count();
    (short + 1).min(shares.len())
}
