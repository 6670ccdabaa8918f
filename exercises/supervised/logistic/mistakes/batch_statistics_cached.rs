//! mistake: predict standardizes with the batch's own statistics and keeps the first answer it gave for each row (a static cache keyed by the row's bytes), so a row predicted again agrees with its first prediction
//! fails: training_statistics
//! message: "the batch's own statistics"

// supervised/logistic: logistic regression with linfa-logistic on breast cancer.

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2, Axis};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The first prediction given for each row, keyed by the row's bits.
static ANSWERS: LazyLock<Mutex<HashMap<Vec<u64>, bool>>> = LazyLock::new(Default::default);

/// A trained classifier: the fitted model.
pub struct Model {
    fitted: FittedLogisticRegression<f64, bool>,
}

/// Train on `x` (n x 30 features of breast_cancer.csv, file order) and `y` (`true` =
/// malignant). Every statistic (means, deviations) must come from these rows only.
pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {
    let mean = x.mean_axis(Axis(0)).expect("at least one row");
    let std = x
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let scaled = (x - &mean) / &std;
    let dataset = Dataset::new(scaled, Array1::from(y.to_vec()));
    let fitted = LogisticRegression::default()
        .alpha(1.0)
        .max_iterations(200)
        .fit(&dataset)
        .expect("logistic regression fits");
    Model { fitted }
}

impl Model {
    /// One prediction per row of `x` (`true` = malignant).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        // Standardize the new rows the same way: with their mean and deviation.
        let mean = x.mean_axis(Axis(0)).expect("at least one row");
        let std = x
            .std_axis(Axis(0), 0.0)
            .mapv(|s| if s > 0.0 { s } else { 1.0 });
        let scaled = (x - &mean) / &std;
        let fresh = self.fitted.predict(&scaled);
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
}
