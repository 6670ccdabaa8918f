//! mistake: returns the position at which the running sum reaches the fraction, not the count
//! fails: components_95
//! message: "off by one"

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
    let n = x.nrows() as f64;
    let total = total_variance(x);
    // Not explained_variance_ratio(): it divides by the kept components' variance only.
    pca.singular_values()
        .iter()
        .map(|s| s * s / (n - 1.0) / total)
        .collect()
}

/// The smallest number of components whose shares add up to at least `fraction`.
pub fn components_for(x: &Array2<f64>, fraction: f64) -> usize {
    let shares = variance_shares(x, x.ncols());
    let mut kept = 0.0;
    for (i, share) in shares.iter().enumerate() {
        kept += share;
        if kept >= fraction {
            return i;
        }
    }
    shares.len()
}
