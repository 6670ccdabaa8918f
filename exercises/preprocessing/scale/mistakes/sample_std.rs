//! mistake: scales by the sample standard deviation (ddof = 1) instead of the population one
//! fails: standard_fit
//! message: "sample standard deviations"

// preprocessing/scale: standardization and min-max scaling fitted on training rows only,
// then standardization with linfa-preprocessing.
// `learnml next` shows the full statement; `learnml check` grades this file.

use linfa::DatasetBase;
use linfa::prelude::*;
use linfa_preprocessing::linear_scaling::LinearScaler;
use ndarray::{Array1, Array2, Axis};

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
    let mean = train.mean_axis(Axis(0)).expect("at least one training row");
    let scale = train
        .std_axis(Axis(0), 1.0)
        .mapv(|s| if s == 0.0 { 1.0 } else { s });
    Standardizer { mean, scale }
}

/// `(x - mean) / scale`, column by column, with the fitted statistics only.
pub fn transform_standard(scaler: &Standardizer, x: &Array2<f64>) -> Array2<f64> {
    (x - &scaler.mean) / &scaler.scale
}

/// Learn the minimum and maximum of each column of `train`.
pub fn fit_min_max(train: &Array2<f64>) -> MinMax {
    let min = train.fold_axis(Axis(0), f64::INFINITY, |&a, &b| a.min(b));
    let max = train.fold_axis(Axis(0), f64::NEG_INFINITY, |&a, &b| a.max(b));
    MinMax { min, max }
}

/// `(x - min) / (max - min)`, column by column, with a range of 1.0 for a constant column.
pub fn transform_min_max(scaler: &MinMax, x: &Array2<f64>) -> Array2<f64> {
    let range = (&scaler.max - &scaler.min).mapv(|r| if r == 0.0 { 1.0 } else { r });
    (x - &scaler.min) / &range
}

/// Standardize `x` with linfa-preprocessing's `LinearScaler::standard()` fitted on `train`.
pub fn standardize_with_linfa(train: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let data = DatasetBase::from(train.clone());
    let scaler = LinearScaler::standard()
        .fit(&data)
        .expect("the training rows are not empty");
    scaler.transform(x.clone())
}
