//! mistake: centres x and y, then returns the mean of y as the intercept of the raw features
//! fails: small_exact, diabetes_coefficients
//! message: "mean of y"

// supervised/normal_equation: least squares by the normal equation, then with linfa-linear.

use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, Axis};

/// Ordinary least squares with an intercept, by the normal equation (AᵀA) w = Aᵀy where
/// A = [1 | x] (a column of ones, then the features). `x` is n x p, `y` has n values.
/// Returns `(intercept, coefficients)`, the coefficients in the columns' order (p values).
pub fn normal_equation(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    // Centre the columns: the slopes no longer need a column of ones, and the intercept of
    // centred data is the mean of y.
    let x_mean = x.mean_axis(Axis(0)).expect("rows");
    let y_mean = y.mean().expect("rows");
    let xc = x - &x_mean;
    let yc = y - y_mean;
    let w = solve(xc.t().dot(&xc), xc.t().dot(&yc));
    (y_mean, w)
}

/// Solve `m w = b` by Gaussian elimination with partial pivoting.
fn solve(mut m: Array2<f64>, mut b: Array1<f64>) -> Array1<f64> {
    let n = b.len();
    for k in 0..n {
        let pivot = (k..n)
            .max_by(|&i, &j| m[[i, k]].abs().total_cmp(&m[[j, k]].abs()))
            .unwrap_or(k);
        if pivot != k {
            for j in 0..n {
                m.swap([k, j], [pivot, j]);
            }
            b.swap(k, pivot);
        }
        for i in k + 1..n {
            let factor = m[[i, k]] / m[[k, k]];
            for j in k..n {
                m[[i, j]] -= factor * m[[k, j]];
            }
            b[i] -= factor * b[k];
        }
    }
    let mut w = Array1::zeros(n);
    for k in (0..n).rev() {
        let known: f64 = (k + 1..n).map(|j| m[[k, j]] * w[j]).sum();
        w[k] = (b[k] - known) / m[[k, k]];
    }
    w
}

/// The same fit with linfa-linear's `LinearRegression` (it fits an intercept by default).
/// Returns `(intercept, coefficients)`.
pub fn linfa_fit(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let dataset = Dataset::new(x.clone(), y.clone());
    let model = LinearRegression::default()
        .fit(&dataset)
        .expect("least squares fits");
    (model.intercept(), model.params().clone())
}
