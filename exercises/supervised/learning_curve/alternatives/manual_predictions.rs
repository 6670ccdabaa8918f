//! alternative: a plain loop over sizes, fits on row views, predictions computed from intercept() and params() by hand, RMSE via ndarray, diagnose with a match on the comparisons

// supervised/learning_curve: bias and variance read from a learning curve.

use linfa::Dataset;
use linfa::traits::Fit;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, s};

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
    let mut curve = Vec::new();
    for &size in sizes {
        let x = x_train.slice(s![0..size, ..]);
        let y = y_train.slice(s![0..size]);
        let model: FittedLinearRegression<f64> = LinearRegression::new()
            .fit(&Dataset::new(x.to_owned(), y.to_owned()))
            .unwrap();
        let error = |xs: &Array2<f64>, ys: &Array1<f64>| {
            let residual = ys - &(xs.dot(model.params()) + model.intercept());
            residual.mapv(|r| r * r).mean().unwrap().sqrt()
        };
        curve.push((error(&x.to_owned(), &y.to_owned()), error(x_val, y_val)));
    }
    curve
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
    let &(train, validation) = curve.last().expect("a non-empty curve");
    match (train > target, validation > target) {
        (true, _) => Diagnosis::HighBias,
        (false, true) => Diagnosis::HighVariance,
        (false, false) => Diagnosis::Good,
    }
}
