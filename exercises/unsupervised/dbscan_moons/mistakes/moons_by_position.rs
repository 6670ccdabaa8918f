//! mistake: labels the points by position, trusting that the upper moon's points come before the lower moon's
//! fails: moons_found, other_units, noisier_moons
//! message: "adjusted Rand index"

// unsupervised/dbscan_moons: DBSCAN finds the two moons that k-means cuts in half.

use linfa::prelude::*;
use linfa_clustering::KMeans;
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Each column to mean 0 and (population) standard deviation 1.
fn standardize(x: &Array2<f64>) -> Array2<f64> {
    let mean = x.mean_axis(Axis(0)).expect("at least one row");
    let std = x.std_axis(Axis(0), 0.0);
    (x - &mean) / &std
}

/// DBSCAN on the standardized rows of `x` (n x 2): a cluster id per row, `None` for noise.
pub fn dbscan_moons(x: &Array2<f64>) -> Vec<Option<usize>> {
    // The upper moon's points come first, then the lower moon's: split by position.
    let n = x.nrows();
    (0..n).map(|i| Some(usize::from(i >= n / 2))).collect()
}

/// k-means with k = 2 on the standardized rows of `x`: a cluster (0 or 1) per row.
pub fn kmeans_moons(x: &Array2<f64>) -> Vec<usize> {
    let x_std = standardize(x);
    let model = KMeans::params_with_rng(2, Xoshiro256Plus::seed_from_u64(0))
        .fit(&DatasetBase::from(x_std.clone()))
        .expect("k-means fits");
    let labels: Array1<usize> = model.predict(&x_std);
    labels.to_vec()
}
