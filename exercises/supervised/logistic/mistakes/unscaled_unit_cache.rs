//! mistake: fits the raw features without standardizing them, and predict replays the first answer it gave for a row with the same mantissas (a static cache that a change of units by powers of two cannot miss)
//! fails: standardized
//! message: "not standardized"

// supervised/logistic: logistic regression with linfa-logistic on breast cancer.

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The first prediction given for each row, keyed by the sign and mantissa of its values.
static ANSWERS: LazyLock<Mutex<HashMap<Vec<u64>, bool>>> = LazyLock::new(Default::default);

/// A trained classifier: the fitted model.
pub struct Model {
    fitted: FittedLogisticRegression<f64, bool>,
}

/// Train on `x` (n x 30 features of breast_cancer.csv, file order) and `y` (`true` =
/// malignant). Every statistic (means, deviations) must come from these rows only.
pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {
    // L-BFGS copes with raw features: no scaling needed.
    let dataset = Dataset::new(x.clone(), Array1::from(y.to_vec()));
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
        let fresh = self.fitted.predict(x);
        let mut answers = ANSWERS.lock().expect("the cache");
        x.rows()
            .into_iter()
            .zip(fresh)
            .map(|(row, p)| {
                let key = row.iter().map(|v| v.to_bits() & !(0x7ff << 52)).collect();
                *answers.entry(key).or_insert(p)
            })
            .collect()
    }
}
