// responsible/interpret: standardized linear coefficients and permutation importance.

use ndarray::{Array1, Array2};

/// Standardize every column of `x` (mean 0, population standard deviation 1, statistics of
/// `x` itself), fit an ordinary least squares regression with intercept (linfa-linear's
/// `LinearRegression`) on them and `y`, and return its coefficients, one per column: the change
/// of the prediction for one standard deviation of that feature. `y` is not scaled.
pub fn standardized_coefficients(x: &Array2<f64>, y: &Array1<f64>) -> Vec<f64> {
    let _ = (x, y);
    todo!("standardize, fit, read `params()`")
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
    let _ = (model, x, y, n_repeats, seed);
    todo!("baseline MSE, then permute each column and measure the increase")
}
