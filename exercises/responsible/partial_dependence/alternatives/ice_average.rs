//! alternative: the grid as min + (max - min) k / (n - 1), and the partial dependence as the average of the per-row (ICE) curves

// responsible/partial_dependence: the partial dependence of a model's prediction on one feature.

use ndarray::{Array1, Array2};

/// `n_points` (at least 2) evenly spaced values from the minimum to the maximum of column
/// `feature` of `x`, both included.
pub fn feature_grid(x: &Array2<f64>, feature: usize, n_points: usize) -> Vec<f64> {
    let mut values = x.column(feature).to_vec();
    values.sort_by(f64::total_cmp);
    let (min, max) = (values[0], values[values.len() - 1]);
    let last = (n_points - 1) as f64;
    (0..n_points)
        .map(|k| min + (max - min) * k as f64 / last)
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
    // ICE curves: row i of `ice` is the curve of example i along the grid.
    let mut ice = Array2::<f64>::zeros((x.nrows(), grid.len()));
    for (k, &v) in grid.iter().enumerate() {
        let mut modified = x.clone();
        modified.column_mut(feature).fill(v);
        ice.column_mut(k).assign(&model(&modified));
    }
    (0..grid.len())
        .map(|k| ice.column(k).sum() / x.nrows() as f64)
        .collect()
}
