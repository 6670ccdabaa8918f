//! mistake: numbers the test rows' clusters by position, trusting that held-out wines come cultivar by cultivar
//! fails: wine_ari
//! message: "adjusted Rand index"

// unsupervised/kmeans_elbow: k-means with linfa, the inertia curve, the elbow, scaling first.

use linfa::prelude::*;
use linfa_clustering::KMeans;
use ndarray::Array2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Total inertia (sum over points of the squared distance to their centroid) of a linfa
/// `KMeans` fit with 10 runs and the rng `Xoshiro256Plus::seed_from_u64(seed)`, one per k of `ks`.
pub fn inertia_curve(x: &Array2<f64>, ks: &[usize], seed: u64) -> Vec<f64> {
    let data = DatasetBase::from(x.clone());
    ks.iter()
        .map(|&k| {
            let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
                .n_runs(10)
                .fit(&data)
                .expect("k-means fits");
            // linfa's inertia() is a per-sample mean; the sum is n times it.
            model.inertia() * x.nrows() as f64
        })
        .collect()
}

/// The first `ks[i]` whose next step lowers inertia by a fraction less than `drop`
/// (`(inertias[i] - inertias[i + 1]) / inertias[i] < drop`), else the last k.
pub fn elbow(ks: &[usize], inertias: &[f64], drop: f64) -> usize {
    for i in 0..ks.len() - 1 {
        if (inertias[i] - inertias[i + 1]) / inertias[i] < drop {
            return ks[i];
        }
    }
    ks[ks.len() - 1]
}

/// Standardize with `train`'s statistics, fit k-means (k = 3) on `train`, and return the
/// cluster (0..3) of each row of `test`.
pub fn wine_clusters(train: &Array2<f64>, test: &Array2<f64>) -> Vec<usize> {
    let _ = train;
    // Wine's rows come cultivar by cultivar (59, 71 and 48 of 178): cluster by position.
    let n = test.nrows() as f64;
    let first = (n * 59.0 / 178.0).round() as usize;
    let second = first + (n * 71.0 / 178.0).round() as usize;
    (0..test.nrows())
        .map(|i| usize::from(i >= first) + usize::from(i >= second))
        .collect()
}
