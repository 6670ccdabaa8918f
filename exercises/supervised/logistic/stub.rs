// supervised/logistic: logistic regression with linfa-logistic on breast cancer.
// `learnml show supervised/logistic` shows the full statement; `learnml check supervised/logistic` grades this file.

use ndarray::Array2;

/// A trained classifier: whatever `predict` needs (scaling statistics, the fitted model...).
pub struct Model {
    // Your fields here.
}

/// Train on `x` (n x 30 features of breast_cancer.csv, file order) and `y` (`true` =
/// malignant). Every statistic (means, deviations) must come from these rows only.
pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {
    let _ = (x, y);
    todo!("standardize, then fit linfa_logistic::LogisticRegression")
}

impl Model {
    /// One prediction per row of `x` (`true` = malignant).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {
        let _ = x;
        todo!("apply the training scaling, then the fitted model")
    }
}
