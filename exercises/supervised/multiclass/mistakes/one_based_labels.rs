//! mistake: numbers the classes from 1 (digit d is class d + 1) and returns the class numbers
//! fails: valid_predictions, held_out_macro_f1
//! message: "digits are 0 to 9"

// supervised/multiclass: a 10-class classifier on digits, judged by macro-F1 on a held-out split.

use linfa::prelude::*;
use linfa_logistic::{MultiFittedLogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};

/// A trained 10-class classifier.
pub struct Model {
    fitted: MultiFittedLogisticRegression<f64, usize>,
}

/// Pixel intensities run from 0 to 16: dividing by 16 puts every feature in [0, 1] with a
/// fixed rule that needs no statistic of the data.
fn scale(x: &Array2<f64>) -> Array2<f64> {
    x / 16.0
}

/// Train on `x` (n x 64 pixel intensities 0..16 of digits.csv) and `y` (the digit, 0..9).
pub fn train(x: &Array2<f64>, y: &[usize]) -> Model {
    // Classes 1 to 10, one per digit.
    let classes: Array1<usize> = y.iter().map(|&d| d + 1).collect();
    let dataset = Dataset::new(scale(x), classes);
    let fitted = MultiLogisticRegression::default()
        .alpha(0.01)
        .max_iterations(100)
        .fit(&dataset)
        .expect("multinomial logistic regression fits");
    Model { fitted }
}

impl Model {
    /// One digit (0..9) per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.fitted.predict(&scale(x)).to_vec()
    }
}
