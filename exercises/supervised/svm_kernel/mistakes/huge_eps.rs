//! mistake: a kernel width far above the squared distances (eps = 500): the kernel is almost flat
//! fails: circles_kernel
//! message: "almost flat"

// supervised/svm_kernel: a support vector machine with a Gaussian kernel (linfa-svm).

use linfa::prelude::*;
use linfa_svm::Svm;
use ndarray::{Array1, Array2, Ix1};

/// A fitted support vector classifier.
pub struct Model {
    fitted: Svm<f64, bool>,
}

fn dataset(x: &Array2<f64>, y: &[bool]) -> Dataset<f64, bool, Ix1> {
    Dataset::new(x.clone(), Array1::from(y.to_vec()))
}

/// Fit an SVM with a Gaussian (RBF) kernel on 2-D points `x` and classes `y`.
pub fn train_kernel(x: &Array2<f64>, y: &[bool]) -> Model {
    // A wide kernel for a smooth boundary.
    let fitted = Svm::<f64, bool>::params()
        .gaussian_kernel(500.0)
        .pos_neg_weights(10.0, 10.0)
        .fit(&dataset(x, y))
        .expect("the SVM fits");
    Model { fitted }
}

/// Fit an SVM with a linear kernel on the same data, for comparison.
pub fn train_linear(x: &Array2<f64>, y: &[bool]) -> Model {
    let fitted = Svm::<f64, bool>::params()
        .linear_kernel()
        .pos_neg_weights(1.0, 1.0)
        .fit(&dataset(x, y))
        .expect("the SVM fits");
    Model { fitted }
}

impl Model {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        let predicted: Array1<bool> = self.fitted.predict(x);
        predicted.to_vec()
    }
}
