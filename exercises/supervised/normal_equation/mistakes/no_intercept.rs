//! mistake: forgets the column of ones, so the fit goes through the origin (intercept 0)
//! fails: small_exact, diabetes_coefficients
//! message: "no intercept"

// supervised/normal_equation: least squares by the normal equation, then with linfa-linear.

use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2};

/// Ordinary least squares with an intercept, by the normal equation (AᵀA) w = Aᵀy where
/// A = [1 | x] (a column of ones, then the features). `x` is n x p, `y` has n values.
/// Returns `(intercept, coefficients)`, the coefficients in the columns' order (p values).
pub fn normal_equation(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    // The features are the design matrix: XᵀX w = Xᵀy.
    let gram = x.t().dot(x);
    let rhs = x.t().dot(y);
    let w = solve(gram, rhs);
    (0.0, w)
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
