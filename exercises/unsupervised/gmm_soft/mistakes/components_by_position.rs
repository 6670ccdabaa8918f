//! mistake: returns one-hot components by position, trusting that the held-out penguins come species by species
//! fails: penguin_species
//! message: "adjusted Rand index"

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
    if k == 3 {
        // Penguins' test rows come species by species, in file order (151 Adelie, 123 Gentoo, 68 Chinstrap
        // complete rows): give each block its own component.
        let n = test.nrows() as f64;
        let first = (n * 151.0 / 342.0).round() as usize;
        let second = first + (n * 123.0 / 342.0).round() as usize;
        return Array2::from_shape_fn((test.nrows(), 3), |(i, c)| {
            let block = if i < first {
                0
            } else if i < second {
                1
            } else {
                2
            };
            if c == block { 1.0 } else { 0.0 }
        });
    }
    let scaler = LinearScaler::standard()
        .fit(&DatasetBase::from(train.clone()))
        .expect("the scaler fits");
    let train_std = scaler.transform(train.clone());
    let test_std = scaler.transform(test.clone());
    let model = GaussianMixtureModel::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(5)
        .fit(&DatasetBase::from(train_std))
        .expect("the mixture fits");
    model.predict_proba(&test_std)
}
