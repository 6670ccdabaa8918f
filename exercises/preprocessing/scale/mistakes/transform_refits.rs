//! mistake: transform_standard standardizes x with x's own mean and standard deviation (a leak)
//! fails: standard_test
//! message: "a leak"

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
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s == 0.0 { 1.0 } else { s });
    Standardizer { mean, scale }
}

/// `(x - mean) / scale`, column by column, with the fitted statistics only.
pub fn transform_standard(scaler: &Standardizer, x: &Array2<f64>) -> Array2<f64> {
    // Standardized data has mean 0 and standard deviation 1: compute them on x.
    let own = fit_standard(x);
    assert_eq!(own.mean.len(), scaler.mean.len());
    (x - &own.mean) / &own.scale
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
