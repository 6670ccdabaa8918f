//! mistake: imputes the training rows in fit but forgets to impute in predict, so a NaN reaches the model
//! fails: imputes_train_median
//! message: "not finite"

// preprocessing/leakage: a leak-free pipeline (median imputation, standardization, linear
// regression) whose every statistic comes from the training rows.
// `learnml next` shows the full statement; `learnml check` grades this file.

use linfa::prelude::*;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, Axis};

/// Everything learned from the training rows: the imputation medians, the standardization
/// statistics and the fitted regression. `predict` uses nothing else.
pub struct Pipeline {
    /// Per column, the mean of the imputed training values.
    pub means: Array1<f64>,
    /// Per column, the population standard deviation of the imputed training values (1 if 0).
    pub scales: Array1<f64>,
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
    Pipeline {
        means,
        scales,
        model,
    }
}

/// Predict each row of `x` from that row and the fitted pipeline only.
pub fn predict(pipeline: &Pipeline, x: &Array2<f64>) -> Array1<f64> {
    let scaled = (x - &pipeline.means) / &pipeline.scales;
    pipeline.model.predict(&scaled)
}
