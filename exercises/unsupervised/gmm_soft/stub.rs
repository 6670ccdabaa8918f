// unsupervised/gmm_soft: a Gaussian mixture model (linfa-clustering) and its soft assignments.
// `learnml show unsupervised/gmm_soft` shows the full statement; `learnml check unsupervised/gmm_soft` grades this file.

use ndarray::Array2;

/// Fit a `k`-component Gaussian mixture (seeded with `seed`) on the standardized `train` rows
/// and return P(component | row) for each `test` row: shape (n_test, k), rows summing to 1.
pub fn soft_clusters(train: &Array2<f64>, test: &Array2<f64>, k: usize, seed: u64) -> Array2<f64> {
    let _ = (train, test, k, seed);
    todo!("standardize with train's statistics, fit GaussianMixtureModel, predict_proba")
}
