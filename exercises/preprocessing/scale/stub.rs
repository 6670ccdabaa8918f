// preprocessing/scale: standardization and min-max scaling fitted on training rows only,
// then standardization with linfa-preprocessing.
// `learnml show preprocessing/scale` shows the full statement; `learnml check preprocessing/scale` grades this file.

use ndarray::{Array1, Array2};

/// What a standard scaler learns: per column, the mean and the scale (the population standard
/// deviation, ddof = 0; 1.0 for a constant column).
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    pub mean: Array1<f64>,
    pub scale: Array1<f64>,
}

/// What a min-max scaler learns: per column, the minimum and maximum of the training rows.
#[derive(Debug, Clone, PartialEq)]
pub struct MinMax {
    pub min: Array1<f64>,
    pub max: Array1<f64>,
}

/// Learn the mean and population standard deviation of each column of `train` (n x d).
pub fn fit_standard(train: &Array2<f64>) -> Standardizer {
    let _ = train;
    todo!("column means and population standard deviations (1.0 where it is 0)")
}

/// `(x - mean) / scale`, column by column, with the fitted statistics only.
pub fn transform_standard(scaler: &Standardizer, x: &Array2<f64>) -> Array2<f64> {
    let _ = (scaler, x);
    todo!("subtract the fitted mean, divide by the fitted scale")
}

/// Learn the minimum and maximum of each column of `train`.
pub fn fit_min_max(train: &Array2<f64>) -> MinMax {
    let _ = train;
    todo!("column minima and maxima")
}

/// `(x - min) / (max - min)`, column by column, with a range of 1.0 for a constant column.
pub fn transform_min_max(scaler: &MinMax, x: &Array2<f64>) -> Array2<f64> {
    let _ = (scaler, x);
    todo!("subtract the fitted minimum, divide by the fitted range")
}

/// Standardize `x` with linfa-preprocessing's `LinearScaler::standard()` fitted on `train`.
pub fn standardize_with_linfa(train: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let _ = (train, x);
    todo!("fit LinearScaler::standard() on a Dataset of `train`, transform `x`")
}
