// preprocessing/leakage: a leak-free pipeline (median imputation, standardization, linear
// regression) whose every statistic comes from the training rows.
// `learnml show preprocessing/leakage` shows the full statement; `learnml check preprocessing/leakage` grades this file.

use linfa_linear::FittedLinearRegression;
use ndarray::{Array1, Array2};

/// Everything learned from the training rows. These fields are a suggestion: change them as
/// you like, the grader only calls `fit` and `predict`.
pub struct Pipeline {
    /// Per column, the median of the non-missing training values.
    pub medians: Array1<f64>,
    /// Per column, the mean of the imputed training values.
    pub means: Array1<f64>,
    /// Per column, the population standard deviation of the imputed training values (1 if 0).
    pub scales: Array1<f64>,
    /// linfa-linear's least squares, fitted on the standardized training rows.
    pub model: FittedLinearRegression<f64>,
}

/// Learn the whole pipeline from the training rows: `train_x` is n x d (`NAN` = missing),
/// `train_y` has n targets.
pub fn fit(train_x: &Array2<f64>, train_y: &Array1<f64>) -> Pipeline {
    let _ = (train_x, train_y);
    todo!("medians, then means and scales of the imputed rows, then LinearRegression")
}

/// One prediction per row of `x`, each computed from its own row and `pipeline` only.
pub fn predict(pipeline: &Pipeline, x: &Array2<f64>) -> Array1<f64> {
    let _ = (pipeline, x);
    todo!("impute, standardize and predict with the fitted statistics")
}
