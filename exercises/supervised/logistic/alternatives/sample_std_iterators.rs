//! alternative: sample standard deviation (ddof = 1) computed column by column with iterators, a Vec of (mean, std) pairs, and a gradient tolerance instead of the default

// supervised/logistic: logistic regression with linfa-logistic on breast cancer.

use linfa::Dataset;
use linfa::traits::{Fit, Predict};
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};

/// A trained classifier: whatever `predict` needs (scaling statistics, the fitted model...).
pub struct Model {
    columns: Vec<(f64, f64)>,
    fitted: FittedLogisticRegression<f64, bool>,
}

fn scale(x: &Array2<f64>, columns: &[(f64, f64)]) -> Array2<f64> {
    let mut scaled = x.clone();
    for (mut column, &(mean, std)) in scaled.columns_mut().into_iter().zip(columns) {
        column.mapv_inplace(|v| (v - mean) / std);
    }
    scaled
}

/// Train on `x` (n x 30 features of breast_cancer.csv, file order) and `y` (`true` =
/// malignant). Every statistic (means, deviations) must come from these rows only.
pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {
    let n = x.nrows() as f64;
    let columns: Vec<(f64, f64)> = x
        .columns()
        .into_iter()
        .map(|c| {
            let mean = c.sum() / n;
            let var = c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, if var > 0.0 { var.sqrt() } else { 1.0 })
        })
        .collect();
    let targets: Array1<bool> = y.iter().copied().collect();
    let fitted = LogisticRegression::default()
        .gradient_tolerance(1e-6)
        .max_iterations(500)
        .fit(&Dataset::new(scale(x, &columns), targets))
        .expect("logistic regression fits");
    Model { columns, fitted }
}

impl Model {
    /// One prediction per row of `x` (`true` = malignant).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        self.fitted
            .predict(&scale(x, &self.columns))
            .into_iter()
            .collect()
    }
}
