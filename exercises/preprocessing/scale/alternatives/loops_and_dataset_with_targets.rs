//! alternative: statistics by explicit loops, element-wise from_shape_fn instead of broadcasting, and linfa fitted on a Dataset with dummy targets

// preprocessing/scale: standardization and min-max scaling fitted on training rows only,
// then standardization with linfa-preprocessing.
// `learnml next` shows the full statement; `learnml check` grades this file.

use linfa::Dataset;
use linfa::prelude::*;
use linfa_preprocessing::linear_scaling::LinearScaler;
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
    let n = train.nrows() as f64;
    let mut mean = Vec::new();
    let mut scale = Vec::new();
    for column in train.columns() {
        let m = column.sum() / n;
        let variance = column.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n;
        mean.push(m);
        scale.push(if variance > 0.0 { variance.sqrt() } else { 1.0 });
    }
    Standardizer {
        mean: Array1::from(mean),
        scale: Array1::from(scale),
    }
}

/// `(x - mean) / scale`, column by column, with the fitted statistics only.
pub fn transform_standard(scaler: &Standardizer, x: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn(x.dim(), |(i, j)| {
        (x[[i, j]] - scaler.mean[j]) / scaler.scale[j]
    })
}

/// Learn the minimum and maximum of each column of `train`.
pub fn fit_min_max(train: &Array2<f64>) -> MinMax {
    let mut min = Array1::from_elem(train.ncols(), f64::INFINITY);
    let mut max = Array1::from_elem(train.ncols(), f64::NEG_INFINITY);
    for row in train.rows() {
        for (j, &v) in row.iter().enumerate() {
            min[j] = min[j].min(v);
            max[j] = max[j].max(v);
        }
    }
    MinMax { min, max }
}

/// `(x - min) / (max - min)`, column by column, with a range of 1.0 for a constant column.
pub fn transform_min_max(scaler: &MinMax, x: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn(x.dim(), |(i, j)| {
        let range = scaler.max[j] - scaler.min[j];
        let range = if range > 0.0 { range } else { 1.0 };
        (x[[i, j]] - scaler.min[j]) / range
    })
}

/// Standardize `x` with linfa-preprocessing's `LinearScaler::standard()` fitted on `train`.
pub fn standardize_with_linfa(train: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    // The targets play no part in scaling: zeros will do.
    let data = Dataset::new(train.clone(), Array1::<f64>::zeros(train.nrows()));
    let scaler = LinearScaler::standard().fit(&data).expect("rows to fit");
    scaler.transform(x.clone())
}
