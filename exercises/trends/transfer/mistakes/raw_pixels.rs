//! mistake: fits the classifier on the raw pixels, leaving the PCA unused
//! fails: transfer_to_5_9, transfer_to_0_4
//! message: "64 raw pixels"

// trends/transfer: reuse a PCA representation fitted on other digits for a few-shot task.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use linfa_reduction::Pca;
use ndarray::{Array1, Array2};

/// Fit a `k`-component PCA (linfa-reduction, not whitened) on the rows of `source`
/// (`n x 64` digit images). No labels are needed: the representation is unsupervised.
pub fn fit_representation(source: &Array2<f64>, k: usize) -> Pca<f64> {
    Pca::params(k)
        .fit(&DatasetBase::from(source.clone()))
        .expect("PCA fits on the source images")
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
    let _ = pca;
    let train_z = train_x.clone();
    let test_z = test_x.clone();
    let train = Dataset::new(train_z, Array1::from(train_y.to_vec()));
    let model = MultiLogisticRegression::default()
        .fit(&train)
        .expect("logistic regression fits");
    let predicted: Array1<usize> = model.predict(&test_z);
    predicted.to_vec()
}
