// supervised/multiclass: a 10-class classifier on digits, judged by macro-F1 on a held-out split.
// `learnml show supervised/multiclass` shows the full statement; `learnml check supervised/multiclass` grades this file.

use ndarray::Array2;

/// A trained 10-class classifier.
pub struct Model {
    // Your fields here.
}

/// Train on `x` (n x 64 pixel intensities 0..16 of digits.csv) and `y` (the digit, 0..9).
pub fn train(x: &Array2<f64>, y: &[usize]) -> Model {
    let _ = (x, y);
    todo!("scale the pixels, fit linfa_logistic::MultiLogisticRegression")
}

impl Model {
    /// One digit (0..9) per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let _ = x;
        todo!("predict with the fitted model")
    }
}
