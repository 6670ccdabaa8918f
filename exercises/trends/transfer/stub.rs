// trends/transfer: reuse a PCA representation fitted on other digits for a few-shot task.
// `learnml show trends/transfer` shows the full statement; `learnml check trends/transfer` grades this file.

#[allow(unused_imports)]
use linfa::prelude::*;
#[allow(unused_imports)]
use linfa_logistic::MultiLogisticRegression;
use linfa_reduction::Pca;
#[allow(unused_imports)]
use ndarray::{Array1, Array2};

/// Fit a `k`-component PCA (linfa-reduction, not whitened) on the rows of `source`
/// (`n x 64` digit images). No labels are needed: the representation is unsupervised.
pub fn fit_representation(source: &Array2<f64>, k: usize) -> Pca<f64> {
    let _ = (source, k);
    todo!("fit Pca::params(k) on the source images")
}

/// Embed `train_x` and `test_x` with `pca` (which was fitted elsewhere: do not refit it),
/// fit `MultiLogisticRegression::default()` on the embedded training rows and `train_y`,
/// and return its predicted class for each row of `test_x`.
pub fn fit_and_predict(
    pca: &Pca<f64>,
    train_x: &Array2<f64>,
    train_y: &[usize],
    test_x: &Array2<f64>,
) -> Vec<usize> {
    let _ = (pca, train_x, train_y, test_x);
    todo!("embed with the PCA, fit a logistic regression, predict the test images")
}
