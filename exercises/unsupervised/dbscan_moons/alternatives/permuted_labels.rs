//! alternative: min_points 4 and eps 0.25, column-by-column standardization, and both labellings renumbered (the last cluster first)

// unsupervised/dbscan_moons: DBSCAN finds the two moons that k-means cuts in half.

use linfa::prelude::*;
use linfa_clustering::{Dbscan, KMeans};
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Each column to mean 0 and (population) standard deviation 1.
fn standardize(x: &Array2<f64>) -> Array2<f64> {
    let mut out = x.clone();
    for mut column in out.axis_iter_mut(Axis(1)) {
        let mean = column.mean().expect("at least one row");
        let std = column.std(0.0);
        column.mapv_inplace(|v| (v - mean) / std);
    }
    out
}

/// DBSCAN on the standardized rows of `x` (n x 2): a cluster id per row, `None` for noise.
pub fn dbscan_moons(x: &Array2<f64>) -> Vec<Option<usize>> {
    let x_std = standardize(x);
    let labels = Dbscan::params(4)
        .tolerance(0.25)
        .transform(&x_std)
        .expect("valid parameters");
    // Cluster numbers are arbitrary: number them from the last.
    let k = labels.iter().flatten().max().map_or(0, |m| m + 1);
    labels.iter().map(|l| l.map(|c| k - 1 - c)).collect()
}

/// k-means with k = 2 on the standardized rows of `x`: a cluster (0 or 1) per row.
pub fn kmeans_moons(x: &Array2<f64>) -> Vec<usize> {
    let x_std = standardize(x);
    let model = KMeans::params_with_rng(2, Xoshiro256Plus::seed_from_u64(0))
        .fit(&DatasetBase::from(x_std.clone()))
        .expect("k-means fits");
    let labels: Array1<usize> = model.predict(&x_std);
    labels.iter().map(|&c| 1 - c).collect()
}
