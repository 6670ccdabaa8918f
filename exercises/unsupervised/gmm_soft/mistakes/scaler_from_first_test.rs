//! mistake: standardizes the test rows with the statistics of the first test batch it saw, kept in a static
//! fails: uncertain_midpoint
//! message: "standardized with their own statistics"

// unsupervised/gmm_soft: soft cluster assignments with a Gaussian mixture.

use linfa::prelude::*;
use linfa_clustering::GaussianMixtureModel;
use linfa_preprocessing::linear_scaling::LinearScaler;
use ndarray::Array2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use std::sync::Mutex;

/// The scaler of the test rows, fitted once on the first test batch and reused.
static TEST_SCALER: Mutex<Option<LinearScaler<f64>>> = Mutex::new(None);

/// Fit a `k`-component Gaussian mixture (seeded with `seed`) on the standardized `train` rows
/// and return P(component | row) for each `test` row: shape (n_test, k), rows summing to 1.
pub fn soft_clusters(train: &Array2<f64>, test: &Array2<f64>, k: usize, seed: u64) -> Array2<f64> {
    let scaler = LinearScaler::standard()
        .fit(&DatasetBase::from(train.clone()))
        .expect("the scaler fits");
    let train_std = scaler.transform(train.clone());
    let mut cached = TEST_SCALER.lock().expect("not poisoned");
    let test_scaler = cached.get_or_insert_with(|| {
        LinearScaler::standard()
            .fit(&DatasetBase::from(test.clone()))
            .expect("the scaler fits")
    });
    let test_std = test_scaler.transform(test.clone());
    let model = GaussianMixtureModel::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(5)
        .fit(&DatasetBase::from(train_std))
        .expect("the mixture fits");
    model.predict_proba(&test_std)
}
