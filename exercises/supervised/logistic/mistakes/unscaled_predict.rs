//! mistake: standardizes the training rows but predicts on the raw new rows
//! fails: held_out_accuracy, held_out_recall
//! message: "predict does not apply the scaling"

// supervised/logistic: logistic regression with linfa-logistic on breast cancer.

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2, Axis};

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
        self.fitted.predict(x).to_vec()
    }
}
