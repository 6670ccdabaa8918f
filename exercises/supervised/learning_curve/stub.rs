// supervised/learning_curve: bias and variance read from a learning curve.
// `learnml show supervised/learning_curve` shows the full statement; `learnml check supervised/learning_curve` grades this file.

use ndarray::{Array1, Array2};

/// For each `size` of `sizes`: fit ordinary least squares with an intercept (linfa-linear's
/// `LinearRegression`) on the FIRST `size` rows of (x_train, y_train), and return
/// (RMSE on those `size` rows, RMSE on all of (x_val, y_val)), in the order of `sizes`.
pub fn learning_curve(
    x_train: &Array2<f64>,
    y_train: &Array1<f64>,
    x_val: &Array2<f64>,
    y_val: &Array1<f64>,
    sizes: &[usize],
) -> Vec<(f64, f64)> {
    let _ = (x_train, y_train, x_val, y_val, sizes);
    todo!("one (training RMSE, validation RMSE) pair per size")
}

/// What a learning curve says about a model, against the error we need (`target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diagnosis {
    /// Even the training error is above the target: the model is too simple.
    HighBias,
    /// The training error meets the target, the validation error does not.
    HighVariance,
    /// Both meet the target.
    Good,
}

/// Diagnose from the LAST point (training error t, validation error v) of `curve`:
/// t > target is `HighBias`; otherwise v > target is `HighVariance`; otherwise `Good`.
pub fn diagnose(curve: &[(f64, f64)], target: f64) -> Diagnosis {
    let _ = (curve, target);
    todo!("compare the last training and validation errors with the target")
}
