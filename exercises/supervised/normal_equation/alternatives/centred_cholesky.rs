//! alternative: centres the columns, solves XᵀX w = Xᵀy by Cholesky (no pivoting), then b = ȳ - x̄·w; linfa through Fit with an explicit params builder

// supervised/normal_equation: least squares by the normal equation, then with linfa-linear.

use linfa::Dataset;
use linfa::traits::Fit;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, Axis};

/// Ordinary least squares with an intercept, by the normal equation (AᵀA) w = Aᵀy where
/// A = [1 | x] (a column of ones, then the features). `x` is n x p, `y` has n values.
/// Returns `(intercept, coefficients)`, the coefficients in the columns' order (p values).
pub fn normal_equation(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let x_mean = x.mean_axis(Axis(0)).expect("at least one row");
    let y_mean = y.mean().expect("at least one row");
    let xc = x - &x_mean;
    let yc = y - y_mean;
    let w = cholesky_solve(&xc.t().dot(&xc), &xc.t().dot(&yc));
    let intercept = y_mean - x_mean.dot(&w);
    (intercept, w)
}

/// Solve `m w = b` for a symmetric positive definite `m`: m = L Lᵀ, then two triangular solves.
fn cholesky_solve(m: &Array2<f64>, b: &Array1<f64>) -> Array1<f64> {
    let n = b.len();
    let mut l = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum();
            l[[i, j]] = if i == j {
                (m[[i, i]] - s).sqrt()
            } else {
                (m[[i, j]] - s) / l[[j, j]]
            };
        }
    }
    let mut z = Array1::<f64>::zeros(n);
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[[i, k]] * z[k]).sum();
        z[i] = (b[i] - s) / l[[i, i]];
    }
    let mut w = Array1::<f64>::zeros(n);
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[[k, i]] * w[k]).sum();
        w[i] = (z[i] - s) / l[[i, i]];
    }
    w
}

/// The same fit with linfa-linear's `LinearRegression` (it fits an intercept by default).
/// Returns `(intercept, coefficients)`.
pub fn linfa_fit(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let dataset = Dataset::new(x.clone(), y.clone());
    let model: FittedLinearRegression<f64> = LinearRegression::new()
        .with_intercept(true)
        .fit(&dataset)
        .expect("least squares fits");
    (model.intercept(), model.params().to_owned())
}
