//! mistake: returns linfa's explained_variance_ratio(), a share of the kept components' variance
//! fails: shares_iris, shares_digits
//! message: "sum to 1, but"

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
    pca.explained_variance_ratio().to_vec()
}

/// The smallest number of components whose shares add up to at least `fraction`.
pub fn components_for(x: &Array2<f64>, fraction: f64) -> usize {
    let shares = variance_shares(x, x.ncols());
    let mut kept = 0.0;
    for (i, share) in shares.iter().enumerate() {
        kept += share;
        if kept >= fraction {
            return i + 1;
        }
    }
    shares.len()
}
