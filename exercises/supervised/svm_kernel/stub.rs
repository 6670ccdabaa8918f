// supervised/svm_kernel: a support vector machine with a Gaussian kernel (linfa-svm).
// `learnml show supervised/svm_kernel` shows the full statement; `learnml check supervised/svm_kernel` grades this file.

use ndarray::Array2;

/// A fitted support vector classifier.
pub struct Model {
    // Your fields here.
}

/// Fit an SVM with a Gaussian (RBF) kernel on 2-D points `x` and classes `y`.
pub fn train_kernel(x: &Array2<f64>, y: &[bool]) -> Model {
    let _ = (x, y);
    todo!("Svm::<f64, bool>::params().gaussian_kernel(..).pos_neg_weights(..)")
}

/// Fit an SVM with a linear kernel on the same data, for comparison.
pub fn train_linear(x: &Array2<f64>, y: &[bool]) -> Model {
    let _ = (x, y);
    todo!("Svm::<f64, bool>::params().linear_kernel()")
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        let _ = x;
        todo!("predict with the fitted SVM")
    }
}
