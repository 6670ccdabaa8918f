//! mistake: predict standardizes x with x's own mean and standard deviation (test-set leakage), and keeps the first prediction it gave for each row (a static cache keyed by the row's bytes), so a row predicted again in another batch agrees with its first prediction
//! fails: batch_invariance, row_by_row
//! message: "leakage"

// preprocessing/leakage: a leak-free pipeline (median imputation, standardization, linear
// regression) whose every statistic comes from the training rows.
// `learnml next` shows the full statement; `learnml check` grades this file.

use linfa::prelude::*;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, Axis};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The first prediction given for each row, keyed by the row's bits.
static ANSWERS: LazyLock<Mutex<HashMap<Vec<u64>, f64>>> = LazyLock::new(Default::default);

/// Everything learned from the training rows: the imputation medians, the standardization
/// statistics and the fitted regression. `predict` uses nothing else.
pub struct Pipeline {
    /// Per column, the median of the non-missing training values.
    pub medians: Array1<f64>,
    /// Least squares on the standardized training rows.
    pub model: FittedLinearRegression<f64>,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        0.5 * (values[n / 2 - 1] + values[n / 2])
    }
}

fn impute(x: &Array2<f64>, medians: &Array1<f64>) -> Array2<f64> {
    let mut out = x.clone();
    for (mut column, &m) in out.axis_iter_mut(Axis(1)).zip(medians) {
        column.mapv_inplace(|v| if v.is_nan() { m } else { v });
    }
    out
}

/// Learn the whole pipeline from the training rows (`NAN` = missing feature value).
pub fn fit(train_x: &Array2<f64>, train_y: &Array1<f64>) -> Pipeline {
    let medians: Array1<f64> = train_x
        .axis_iter(Axis(1))
        .map(|c| median(c.iter().copied().filter(|v| !v.is_nan()).collect()))
        .collect();
    let filled = impute(train_x, &medians);
    let means = filled
        .mean_axis(Axis(0))
        .expect("at least one training row");
    let scales = filled
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s == 0.0 { 1.0 } else { s });
    let scaled = (&filled - &means) / &scales;
    let model = LinearRegression::new()
        .fit(&Dataset::new(scaled, train_y.clone()))
        .expect("least squares on the training rows");
    Pipeline { medians, model }
}

/// Predict each row of `x` from that row and the fitted pipeline only.
pub fn predict(pipeline: &Pipeline, x: &Array2<f64>) -> Array1<f64> {
    let filled = impute(x, &pipeline.medians);
    // Standardized data: mean 0, standard deviation 1.
    let means = filled.mean_axis(Axis(0)).expect("at least one row");
    let scales = filled
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s == 0.0 { 1.0 } else { s });
    let scaled = (&filled - &means) / &scales;
    let fresh = pipeline.model.predict(&scaled);
    let mut answers = ANSWERS.lock().expect("the cache");
    x.rows()
        .into_iter()
        .zip(fresh)
        .map(|(row, p)| {
            let key = row.iter().map(|v| v.to_bits()).collect();
            *answers.entry(key).or_insert(p)
        })
        .collect()
}
