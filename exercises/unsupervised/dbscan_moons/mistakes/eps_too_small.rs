//! mistake: eps = 0.05 with min_points = 10, too small a neighbourhood for the moons' density
//! fails: moons_found, little_noise
//! message: "eps is too small"

// unsupervised/dbscan_moons: DBSCAN finds the two moons that k-means cuts in half.

use linfa::prelude::*;
use linfa_clustering::{Dbscan, KMeans};
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
    let x_std = standardize(x);
    let labels = Dbscan::params(10)
        .tolerance(0.05)
        .transform(&x_std)
        .expect("valid parameters");
    labels.to_vec()
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
