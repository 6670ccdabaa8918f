//! mistake: tests the validation error before the training error, so a too-simple model reads as over-fitting
//! fails: diagnose_public
//! message: "validation error was tested before the training error"

// supervised/learning_curve: bias and variance read from a learning curve.

use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, s};

fn rmse(truth: &Array1<f64>, predicted: &Array1<f64>) -> f64 {
    let squared: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    (squared / truth.len() as f64).sqrt()
}

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
    sizes
        .iter()
        .map(|&size| {
            let x = x_train.slice(s![..size, ..]).to_owned();
            let y = y_train.slice(s![..size]).to_owned();
            let model = LinearRegression::default()
                .fit(&Dataset::new(x.clone(), y.clone()))
                .expect("least squares fits");
            let on_train: Array1<f64> = model.predict(&x);
            let on_val: Array1<f64> = model.predict(x_val);
            (rmse(&y, &on_train), rmse(y_val, &on_val))
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
    if validation > target {
        Diagnosis::HighVariance
    } else if train > target {
        Diagnosis::HighBias
    } else {
        Diagnosis::Good
    }
}
