// supervised/naive_bayes: Gaussian naive Bayes by hand, then with linfa-bayes, on wine.
// `learnml show supervised/naive_bayes` shows the full statement; `learnml check supervised/naive_bayes` grades this file.

use ndarray::Array2;

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
    let _ = (x, y, n_classes);
    todo!("per-class means, variances and priors")
}

/// For each row of `x`, the class maximizing
/// log prior_c + Σ_j log N(x_j; mean_cj, variance_cj), with N the normal density.
pub fn predict_by_hand(params: &Params, x: &Array2<f64>) -> Vec<usize> {
    let _ = (params, x);
    todo!("sum log densities, never multiply densities")
}

/// A Gaussian naive Bayes model fitted by linfa-bayes.
pub struct Model {
    // Your fields here.
}

/// Fit linfa-bayes' `GaussianNb` on `x` and class indices `y`.
pub fn train_linfa(x: &Array2<f64>, y: &[usize]) -> Model {
    let _ = (x, y);
    todo!("GaussianNb::params().fit(&dataset)")
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let _ = x;
        todo!("predict with the fitted model")
    }
}
