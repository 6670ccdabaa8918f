//! mistake: follows the first row only (its ICE curve) instead of averaging over every row
//! fails: pd_nonlinear
//! message: "first row"

// responsible/partial_dependence: the partial dependence of a model's prediction on one feature.

use ndarray::{Array1, Array2};

/// `n_points` (at least 2) evenly spaced values from the minimum to the maximum of column
/// `feature` of `x`, both included.
pub fn feature_grid(x: &Array2<f64>, feature: usize, n_points: usize) -> Vec<f64> {
    let column = x.column(feature);
    let min = column.fold(f64::INFINITY, |m, &v| m.min(v));
    let max = column.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let step = (max - min) / (n_points - 1) as f64;
    (0..n_points)
        .map(|k| {
            if k + 1 == n_points {
                max
            } else {
                min + k as f64 * step
            }
        })
        .collect()
}

/// Partial dependence of `model` on column `feature`: for each grid value v, the mean over
/// every row of `x` of the prediction for that row with its `feature` column set to v.
pub fn partial_dependence(
    model: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    feature: usize,
    grid: &[f64],
) -> Vec<f64> {
    let mut modified = x.clone();
    grid.iter()
        .map(|&v| {
            modified.column_mut(feature).fill(v);
            model(&modified)[0]
        })
        .collect()
}
