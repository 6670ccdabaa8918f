//! mistake: encodes malignant as 0 and benign as 1, then reads label 1 as malignant (the positive class swapped)
//! fails: held_out_accuracy, held_out_recall
//! message: "positive class is swapped"

// supervised/logistic: logistic regression with linfa-logistic on breast cancer.

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2, Axis};

/// A trained classifier: the training means and deviations, and the fitted model.
pub struct Model {
    mean: Array1<f64>,
    std: Array1<f64>,
    fitted: FittedLogisticRegression<f64, usize>,
}

/// Train on `x` (n x 30 features of breast_cancer.csv, file order) and `y` (`true` =
/// malignant). Every statistic (means, deviations) must come from these rows only.
pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {
    let mean = x.mean_axis(Axis(0)).expect("at least one row");
    let std = x
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let scaled = (x - &mean) / &std;
    // Label 1 for the first class, 0 for the other.
    let labels: Array1<usize> = y.iter().map(|&m| usize::from(!m)).collect();
    let dataset = Dataset::new(scaled, labels);
    let fitted = LogisticRegression::default()
        .alpha(1.0)
        .max_iterations(200)
        .fit(&dataset)
        .expect("logistic regression fits");
    Model { mean, std, fitted }
}

impl Model {
    /// One prediction per row of `x` (`true` = malignant).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        let scaled = (x - &self.mean) / &self.std;
        self.fitted
            .predict(&scaled)
            .iter()
            .map(|&c| c == 1)
            .collect()
    }
}
