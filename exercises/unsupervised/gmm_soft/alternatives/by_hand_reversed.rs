//! alternative: standardizes by hand with the training mean and standard deviation, and returns the components in reverse order

// unsupervised/gmm_soft: soft cluster assignments with a Gaussian mixture.

use linfa::prelude::*;
use linfa_clustering::GaussianMixtureModel;
use ndarray::{Array2, Axis, s};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Fit a `k`-component Gaussian mixture (seeded with `seed`) on the standardized `train` rows
/// and return P(component | row) for each `test` row: shape (n_test, k), rows summing to 1.
pub fn soft_clusters(train: &Array2<f64>, test: &Array2<f64>, k: usize, seed: u64) -> Array2<f64> {
    let mean = train.mean_axis(Axis(0)).expect("training rows");
    let std = train.std_axis(Axis(0), 0.0);
    let train_std = (train - &mean) / &std;
    let test_std = (test - &mean) / &std;
    let model = GaussianMixtureModel::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(5)
        .fit(&DatasetBase::from(train_std))
        .expect("the mixture fits");
    // Components in the reverse order: their numbering is arbitrary.
    let p = model.predict_proba(&test_std);
    p.slice(s![.., ..;-1]).to_owned()
}
