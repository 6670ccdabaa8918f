// supervised/normal_equation: least squares by the normal equation, then with linfa-linear.
// `learnml show supervised/normal_equation` shows the full statement; `learnml check supervised/normal_equation` grades this file.

use ndarray::{Array1, Array2};

/// Ordinary least squares with an intercept, by the normal equation (AᵀA) w = Aᵀy where
/// A = [1 | x] (a column of ones, then the features). `x` is n x p, `y` has n values.
/// Returns `(intercept, coefficients)`, the coefficients in the columns' order (p values).
pub fn normal_equation(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let _ = (x, y);
    todo!("build A = [1 | x], then solve (AᵀA) w = Aᵀy by Gaussian elimination")
}

/// The same fit with linfa-linear's `LinearRegression` (it fits an intercept by default).
/// Returns `(intercept, coefficients)`.
pub fn linfa_fit(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let _ = (x, y);
    todo!("fit linfa_linear::LinearRegression on a linfa Dataset")
}
