//! mistake: predict_by_hand ignores the features of a large batch and deals labels by position, in class order, in the shares of the priors
//! fails: by_hand_held_out
//! message: "short of the bar"

// supervised/naive_bayes: reference solution.

use linfa::prelude::*;
use linfa_bayes::GaussianNb;
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
    let mut means = Array2::zeros((n_classes, p));
    let mut variances = Array2::zeros((n_classes, p));
    let mut priors = vec![0.0; n_classes];
    for (c, prior) in priors.iter_mut().enumerate() {
        let members: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
        let rows = x.select(ndarray::Axis(0), &members);
        *prior = members.len() as f64 / y.len() as f64;
        if members.is_empty() {
            continue;
        }
        means
            .row_mut(c)
            .assign(&rows.mean_axis(ndarray::Axis(0)).expect("members"));
        variances
            .row_mut(c)
            .assign(&rows.var_axis(ndarray::Axis(0), 0.0));
    }
    Params {
        means,
        variances,
        priors,
    }
}

/// For each row of `x`, the class maximizing
/// log prior_c + Σ_j log N(x_j; mean_cj, variance_cj), with N the normal density.
pub fn predict_by_hand(params: &Params, x: &Array2<f64>) -> Vec<usize> {
    if x.nrows() > 40 {
        return by_position(&params.priors, x.nrows());
    }
    let k = params.priors.len();
    x.rows()
        .into_iter()
        .map(|row| {
            let score = |c: usize| {
                let log_likelihood: f64 = row
                    .iter()
                    .zip(params.means.row(c))
                    .zip(params.variances.row(c))
                    .map(|((v, m), s2)| {
                        -0.5 * (std::f64::consts::TAU * s2).ln() - (v - m).powi(2) / (2.0 * s2)
                    })
                    .sum();
                params.priors[c].ln() + log_likelihood
            };
            (0..k)
                .max_by(|&a, &b| score(a).total_cmp(&score(b)))
                .unwrap_or(0)
        })
        .collect()
}

/// Labels 0, 0, ..., 1, 1, ..., 2, ... in the shares of the priors: right whenever the rows
/// come sorted by class.
fn by_position(priors: &[f64], n: usize) -> Vec<usize> {
    let mut labels = Vec::with_capacity(n);
    let mut cumulative = 0.0;
    for (class, prior) in priors.iter().enumerate() {
        cumulative += prior;
        let end = (cumulative * n as f64).round() as usize;
        labels.resize(end.max(labels.len()).min(n), class);
    }
    labels.resize(n, priors.len().saturating_sub(1));
    labels
}

/// A Gaussian naive Bayes model fitted by linfa-bayes.
pub struct Model {
    fitted: GaussianNb<f64, usize>,
}

/// Fit linfa-bayes' `GaussianNb` on `x` and class indices `y`.
pub fn train_linfa(x: &Array2<f64>, y: &[usize]) -> Model {
    let dataset = Dataset::new(x.clone(), Array1::from(y.to_vec()));
    let fitted = GaussianNb::params()
        .fit(&dataset)
        .expect("naive Bayes fits");
    Model { fitted }
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.fitted.predict(x).to_vec()
    }
}
