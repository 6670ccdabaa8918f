//! mistake: flag ignores the fraction and thresholds at the smallest training log-density
//! fails: penguin_species
//! message: "not the flags of the stated rule"

// unsupervised/anomaly: flag the lowest-likelihood points under a Gaussian fitted on normal data.

use ndarray::{Array1, Array2, Axis};

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
    let mean = train.mean_axis(Axis(0)).expect("at least one row");
    let centred = train - &mean;
    let cov = centred.t().dot(&centred) / train.nrows() as f64;
    Gaussian { mean, cov }
}

/// log N(row; mean, cov) for each row of `x`.
pub fn log_density(model: &Gaussian, x: &Array2<f64>) -> Vec<f64> {
    let d = model.mean.len();
    let l = cholesky(&model.cov).expect("the covariance is positive definite");
    let log_det: f64 = 2.0 * (0..d).map(|i| l[[i, i]].ln()).sum::<f64>();
    x.outer_iter()
        .map(|row| {
            let diff = &row - &model.mean;
            let mut z = vec![0.0; d];
            for i in 0..d {
                let s: f64 = (0..i).map(|j| l[[i, j]] * z[j]).sum();
                z[i] = (diff[i] - s) / l[[i, i]];
            }
            let mahalanobis: f64 = z.iter().map(|v| v * v).sum();
            -0.5 * (d as f64 * (2.0 * std::f64::consts::PI).ln() + log_det + mahalanobis)
        })
        .collect()
}

/// Fit on `train`; flag each `test` row whose log-density is below the floor(fraction * n)-th
/// smallest training log-density (from 0).
pub fn flag(train: &Array2<f64>, test: &Array2<f64>, fraction: f64) -> Vec<bool> {
    let model = fit_gaussian(train);
    let mut scores = log_density(&model, train);
    scores.sort_by(f64::total_cmp);
    // Anything less likely than every training point is an anomaly.
    let _ = fraction;
    let threshold = scores[0];
    log_density(&model, test)
        .into_iter()
        .map(|s| s < threshold)
        .collect()
}
