//! mistake: uses the binary LogisticRegression on ten classes (it refuses them at fit)
//! errors: valid_predictions, held_out_macro_f1, worst_class_f1
//! message: "TooManyClasses"

// supervised/multiclass: a 10-class classifier on digits, judged by macro-F1 on a held-out split.

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};

/// A trained 10-class classifier.
pub struct Model {
    fitted: FittedLogisticRegression<f64, usize>,
}

/// Pixel intensities run from 0 to 16: dividing by 16 puts every feature in [0, 1] with a
/// fixed rule that needs no statistic of the data.
fn scale(x: &Array2<f64>) -> Array2<f64> {
    x / 16.0
}

/// Train on `x` (n x 64 pixel intensities 0..16 of digits.csv) and `y` (the digit, 0..9).
pub fn train(x: &Array2<f64>, y: &[usize]) -> Model {
    let dataset = Dataset::new(scale(x), Array1::from(y.to_vec()));
    let fitted = LogisticRegression::default()
        .alpha(0.01)
        .max_iterations(100)
        .fit(&dataset)
        .expect("logistic regression fits");
    Model { fitted }
}

impl Model {
    /// One digit (0..9) per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.fitted.predict(&scale(x)).to_vec()
    }
}
