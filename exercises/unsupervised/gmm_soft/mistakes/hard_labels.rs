//! mistake: returns the one-hot of the most probable component (`predict`) instead of the probabilities
//! fails: uncertain_midpoint
//! message: "hard assignments"

// unsupervised/gmm_soft: soft cluster assignments with a Gaussian mixture.

use linfa::prelude::*;
use linfa_clustering::GaussianMixtureModel;
use linfa_preprocessing::linear_scaling::LinearScaler;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Fit a `k`-component Gaussian mixture (seeded with `seed`) on the standardized `train` rows
/// and return P(component | row) for each `test` row: shape (n_test, k), rows summing to 1.
pub fn soft_clusters(train: &Array2<f64>, test: &Array2<f64>, k: usize, seed: u64) -> Array2<f64> {
    let scaler = LinearScaler::standard()
        .fit(&DatasetBase::from(train.clone()))
        .expect("the scaler fits");
    let train_std = scaler.transform(train.clone());
    let test_std = scaler.transform(test.clone());
    let model = GaussianMixtureModel::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(5)
        .fit(&DatasetBase::from(train_std))
        .expect("the mixture fits");
    let labels: Array1<usize> = model.predict(&test_std);
    let mut one_hot = Array2::zeros((labels.len(), k));
    for (i, &c) in labels.iter().enumerate() {
        one_hot[[i, c]] = 1.0;
    }
    one_hot
}
