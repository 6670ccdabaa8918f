// responsible/partial_dependence: the partial dependence of a model's prediction on one feature.

use ndarray::{Array1, Array2};

/// `n_points` (at least 2) evenly spaced values from the minimum to the maximum of column
/// `feature` of `x`, both included.
pub fn feature_grid(x: &Array2<f64>, feature: usize, n_points: usize) -> Vec<f64> {
    let _ = (x, feature, n_points);
    todo!("min, max, then evenly spaced values")
}

/// Partial dependence of `model` on column `feature`: for each grid value v, the mean over
/// every row of `x` of the prediction for that row with its `feature` column set to v.
pub fn partial_dependence(
    model: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    feature: usize,
    grid: &[f64],
) -> Vec<f64> {
    let _ = (model, x, feature, grid);
    todo!("set the column to each grid value, predict, average")
}
