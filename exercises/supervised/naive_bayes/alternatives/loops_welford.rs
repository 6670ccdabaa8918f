//! alternative: one pass over the rows accumulating counts, sums and sums of squares per class; the log density written as -(ln 2π + ln σ² + z²) / 2; linfa through GaussianNbParams with an explicit var_smoothing

// supervised/naive_bayes: Gaussian naive Bayes by hand, then with linfa-bayes, on wine.

use linfa::Dataset;
use linfa::traits::{Fit, Predict};
use linfa_bayes::{GaussianNb, GaussianNbParams};
use ndarray::{Array1, Array2};

/// The parameters of Gaussian naive Bayes for k classes and p features.
pub struct Params {
    /// k x p: the mean of each feature within each class.
    pub means: Array2<f64>,
    /// k x p: the variance of each feature within each class (population: divide by n_c).
    pub variances: Array2<f64>,
    /// k values: the share of the training rows in each class, n_c / n.
    pub priors: Vec<f64>,
}

/// Estimate the parameters from `x` (n x p) and class indices `y` in 0..n_classes.
pub fn fit_params(x: &Array2<f64>, y: &[usize], n_classes: usize) -> Params {
    let p = x.ncols();
    let mut counts = vec![0.0; n_classes];
    let mut sums = Array2::<f64>::zeros((n_classes, p));
    let mut squares = Array2::<f64>::zeros((n_classes, p));
    for (row, &c) in x.outer_iter().zip(y) {
        counts[c] += 1.0;
        for j in 0..p {
            sums[[c, j]] += row[j];
            squares[[c, j]] += row[j] * row[j];
        }
    }
    let mut means = Array2::<f64>::zeros((n_classes, p));
    let mut variances = Array2::<f64>::zeros((n_classes, p));
    for c in 0..n_classes {
        if counts[c] == 0.0 {
            continue;
        }
        for j in 0..p {
            let mean = sums[[c, j]] / counts[c];
            means[[c, j]] = mean;
            variances[[c, j]] = (squares[[c, j]] / counts[c] - mean * mean).max(0.0);
        }
    }
    let n = y.len() as f64;
    Params {
        means,
        variances,
        priors: counts.iter().map(|&k| k / n).collect(),
    }
}

/// For each row of `x`, the class maximizing
/// log prior_c + Σ_j log N(x_j; mean_cj, variance_cj), with N the normal density.
pub fn predict_by_hand(params: &Params, x: &Array2<f64>) -> Vec<usize> {
    let ln_2pi = (2.0 * std::f64::consts::PI).ln();
    let mut out = Vec::new();
    for row in x.outer_iter() {
        let mut best = (0, f64::NEG_INFINITY);
        for c in 0..params.priors.len() {
            let mut total = params.priors[c].ln();
            for j in 0..row.len() {
                let var = params.variances[[c, j]];
                let z2 = (row[j] - params.means[[c, j]]).powi(2) / var;
                total -= (ln_2pi + var.ln() + z2) / 2.0;
            }
            if total > best.1 {
                best = (c, total);
            }
        }
        out.push(best.0);
    }
    out
}

/// A Gaussian naive Bayes model fitted by linfa-bayes.
pub struct Model {
    nb: GaussianNb<f64, usize>,
}

/// Fit linfa-bayes' `GaussianNb` on `x` and class indices `y`.
pub fn train_linfa(x: &Array2<f64>, y: &[usize]) -> Model {
    let params: GaussianNbParams<f64, usize> = GaussianNb::params().var_smoothing(1e-9);
    let targets: Array1<usize> = Array1::from_iter(y.iter().copied());
    let nb = params.fit(&Dataset::new(x.clone(), targets)).unwrap();
    Model { nb }
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.nb.predict(x).iter().copied().collect()
    }
}
