//! mistake: returns the log of the probabilities (as scikit-learn's score_samples style)
//! fails: probabilities, penguin_species
//! message: "log-probabilities"

// unsupervised/gmm_soft: soft cluster assignments with a Gaussian mixture.

use linfa::prelude::*;
use linfa_clustering::GaussianMixtureModel;
use linfa_preprocessing::linear_scaling::LinearScaler;
use ndarray::Array2;
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
    model.predict_proba(&test_std).mapv(f64::ln)
}
