//! alternative: fits on the raw columns and multiplies each coefficient by its column's population standard deviation; permutes with `select` and a column assign

// responsible/interpret: standardized linear coefficients and permutation importance.

use learnml_kit::split::shuffled;
use linfa::prelude::*;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, Axis};

/// Standardize every column of `x` (mean 0, population standard deviation 1, statistics of
/// `x` itself), fit an ordinary least squares regression with intercept (linfa-linear's
/// `LinearRegression`) on them and `y`, and return its coefficients, one per column: the change
/// of the prediction for one standard deviation of that feature. `y` is not scaled.
pub fn standardized_coefficients(x: &Array2<f64>, y: &Array1<f64>) -> Vec<f64> {
    // β_z = β_raw · σ: a standard deviation of the feature is σ of its units.
    let model: FittedLinearRegression<f64> = LinearRegression::new()
        .fit(&Dataset::new(x.clone(), y.clone()))
        .expect("OLS fits on diabetes");
    let std = x.std_axis(Axis(0), 0.0);
    (model.params() * &std).to_vec()
}

/// Permutation importance of every column of `x` for `model` (which maps a matrix to one
/// prediction per row): the mean, over `n_repeats` repeats, of MSE(permuted) - MSE(original),
/// where MSE is the mean squared error against `y`. Repeat r of column j permutes that column
/// with `order = learnml_kit::split::shuffled(n_rows, seed + (j * n_repeats + r) as u64)`:
/// row i of the permuted column takes the value of row `order[i]`.
pub fn permutation_importance(
    model: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    y: &Array1<f64>,
    n_repeats: usize,
    seed: u64,
) -> Vec<f64> {
    let mse = |m: &Array2<f64>| {
        let residuals = model(m) - y;
        residuals.dot(&residuals) / y.len() as f64
    };
    let baseline = mse(x);
    let mut importances = Vec::with_capacity(x.ncols());
    for j in 0..x.ncols() {
        let mut increases = Vec::with_capacity(n_repeats);
        for r in 0..n_repeats {
            let order = shuffled(x.nrows(), seed + (j * n_repeats + r) as u64);
            let mut permuted = x.clone();
            let column = x.column(j).select(Axis(0), &order);
            permuted.column_mut(j).assign(&column);
            increases.push(mse(&permuted) - baseline);
        }
        importances.push(increases.iter().sum::<f64>() / n_repeats as f64);
    }
    importances
}
