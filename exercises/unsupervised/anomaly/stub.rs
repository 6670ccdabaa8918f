// unsupervised/anomaly: flag the lowest-likelihood points under a Gaussian fitted on normal data.
// `learnml show unsupervised/anomaly` shows the full statement; `learnml check unsupervised/anomaly` grades this file.

use ndarray::{Array1, Array2};

/// A multivariate Gaussian N(mean, cov).
#[derive(Debug, Clone)]
pub struct Gaussian {
    /// Shape (d,).
    pub mean: Array1<f64>,
    /// Shape (d, d), symmetric positive definite.
    pub cov: Array2<f64>,
}

/// Given: the lower-triangular L with L L^T = `a` (Cholesky), or `None` if `a` is not
/// positive definite.
pub fn cholesky(a: &Array2<f64>) -> Option<Array2<f64>> {
    let d = a.nrows();
    let mut l = Array2::<f64>::zeros((d, d));
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum();
            if i == j {
                let v = a[[i, i]] - s;
                if v <= 0.0 {
                    return None;
                }
                l[[i, j]] = v.sqrt();
            } else {
                l[[i, j]] = (a[[i, j]] - s) / l[[j, j]];
            }
        }
    }
    Some(l)
}

/// Maximum-likelihood Gaussian of the rows of `train`: their mean and covariance divided by n.
pub fn fit_gaussian(train: &Array2<f64>) -> Gaussian {
    let _ = train;
    todo!("mean and covariance (divided by n)")
}

/// log N(row; mean, cov) for each row of `x`.
pub fn log_density(model: &Gaussian, x: &Array2<f64>) -> Vec<f64> {
    let _ = (model, x);
    todo!("-1/2 [d log 2pi + log det + squared Mahalanobis distance]")
}

/// Fit on `train`; flag each `test` row whose log-density is below the floor(fraction * n)-th
/// smallest training log-density (from 0).
pub fn flag(train: &Array2<f64>, test: &Array2<f64>, fraction: f64) -> Vec<bool> {
    let _ = (train, test, fraction);
    todo!("threshold from the training log-densities")
}
