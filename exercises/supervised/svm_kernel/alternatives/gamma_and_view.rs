//! alternative: the width written as scikit-learn's gamma (eps = 1 / gamma = 1 / 1.5), C = 5, a shared constructor taking a params value, predictions from an ArrayView

// supervised/svm_kernel: a support vector machine with a Gaussian kernel (linfa-svm).

use linfa::Dataset;
use linfa::traits::{Fit, Predict};
use linfa_svm::{Svm, SvmParams};
use ndarray::{Array1, Array2};

/// A fitted support vector classifier.
pub struct Model {
    svm: Svm<f64, bool>,
}

fn fit(params: SvmParams<f64, bool>, x: &Array2<f64>, y: &[bool]) -> Model {
    let targets: Array1<bool> = y.iter().copied().collect();
    let svm = params.fit(&Dataset::new(x.to_owned(), targets)).unwrap();
    Model { svm }
}

/// Fit an SVM with a Gaussian (RBF) kernel on 2-D points `x` and classes `y`.
pub fn train_kernel(x: &Array2<f64>, y: &[bool]) -> Model {
    let gamma = 1.5;
    let params = Svm::<f64, bool>::params()
        .pos_neg_weights(5.0, 5.0)
        .gaussian_kernel(1.0 / gamma);
    fit(params, x, y)
}

/// Fit an SVM with a linear kernel on the same data, for comparison.
pub fn train_linear(x: &Array2<f64>, y: &[bool]) -> Model {
    fit(Svm::<f64, bool>::params().linear_kernel(), x, y)
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        let predicted: Array1<bool> = self.svm.predict(&x.view());
        predicted.into_iter().collect()
    }
}
