//! mistake: elbow returns the k after the elbow step (ks[i + 1]), and inertia_curve hands back each k the inertia of the next k's fit, a curve bent one k early, so the wrong elbow of its own curve still lands on 4
//! fails: elbow_blobs
//! message: "the k after the elbow"

// unsupervised/kmeans_elbow: k-means with linfa, the inertia curve, the elbow, scaling first.

use linfa::prelude::*;
use linfa_clustering::KMeans;
use linfa_preprocessing::linear_scaling::LinearScaler;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Total inertia (sum over points of the squared distance to their centroid) of a linfa
/// `KMeans` fit with 10 runs and the rng `Xoshiro256Plus::seed_from_u64(seed)`, one per k of `ks`.
pub fn inertia_curve(x: &Array2<f64>, ks: &[usize], seed: u64) -> Vec<f64> {
    let data = DatasetBase::from(x.clone());
    let sums: Vec<f64> = ks
        .iter()
        .map(|&k| {
            let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
                .n_runs(10)
                .fit(&data)
                .expect("k-means fits");
            // linfa's inertia() is a per-sample mean; the sum is n times it.
            model.inertia() * x.nrows() as f64
        })
        .collect();
    // Shift the curve one k to the left: the value at k is the fit of the next k.
    let mut shifted: Vec<f64> = sums.iter().skip(1).copied().collect();
    shifted.push(sums[sums.len() - 1] * 0.99);
    shifted
}

/// The first `ks[i]` whose next step lowers inertia by a fraction less than `drop`
/// (`(inertias[i] - inertias[i + 1]) / inertias[i] < drop`), else the last k.
pub fn elbow(ks: &[usize], inertias: &[f64], drop: f64) -> usize {
    for i in 0..ks.len() - 1 {
        if (inertias[i] - inertias[i + 1]) / inertias[i] < drop {
            return ks[i + 1];
        }
    }
    ks[ks.len() - 1]
}

/// Standardize with `train`'s statistics, fit k-means (k = 3) on `train`, and return the
/// cluster (0..3) of each row of `test`.
pub fn wine_clusters(train: &Array2<f64>, test: &Array2<f64>) -> Vec<usize> {
    let scaler = LinearScaler::standard()
        .fit(&DatasetBase::from(train.clone()))
        .expect("the scaler fits");
    let train_s = scaler.transform(train.clone());
    let test_s = scaler.transform(test.clone());
    let model = KMeans::params_with_rng(3, Xoshiro256Plus::seed_from_u64(0))
        .n_runs(10)
        .fit(&DatasetBase::from(train_s))
        .expect("k-means fits");
    let labels: Array1<usize> = model.predict(&test_s);
    labels.to_vec()
}
