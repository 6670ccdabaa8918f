// Grader of supervised/logistic.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use crate::exercise::train;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("one_prediction_per_row", one_prediction_per_row),
    ("held_out_accuracy", held_out_accuracy),
    ("held_out_recall", held_out_recall),
];

/// Train on 75 % of breast cancer (stratified, seeded); predict the 25 % the code never saw.
fn held_out() -> Result<(Vec<bool>, Vec<bool>), Failed> {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, y_test): (Array2<f64>, Vec<bool>, Array2<f64>, Vec<bool>) =
        common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let predicted = train(&x_train, &y_train).predict(&x_test);
    common::one_per_row(&predicted, x_test.nrows())?;
    Ok((y_test, predicted))
}

/// Name the classic wrong answers from the held-out predictions alone.
fn diagnose(truth: &[bool], predicted: &[bool]) -> Result<(), Failed> {
    let accuracy = common::accuracy(truth, predicted);
    if predicted.iter().all(|&p| p == predicted[0]) {
        let which = if predicted[0] { "malignant" } else { "benign" };
        return Err(fail(format!(
            "every held-out prediction is {which}: a constant predictor (accuracy {}). Predicting the majority class (benign) scores 0.63 here",
            fmt(accuracy)
        )))
        .hint("an unscaled L-BFGS fit can stop before it learns anything: standardize the features with the training means and deviations");
    }
    if accuracy < 0.2 {
        return Err(fail(format!("held-out accuracy {}: your predictions are almost all inverted, the positive class is swapped", fmt(accuracy))))
            .hint("`true` must mean malignant, as in the `y` you are given");
    }
    Ok(())
}

fn one_prediction_per_row() -> Graded {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, _) = common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let model = train(&x_train, &y_train);
    let predicted = model.predict(&x_test);
    common::one_per_row(&predicted, x_test.nrows())?;
    let single = model.predict(&x_test.slice(ndarray::s![0..1, ..]).to_owned());
    common::one_per_row(&single, 1).hint("predict must work for any number of rows, even one")?;
    pass(format!(
        "{} predictions for {} held-out rows, and 1 for a single row",
        predicted.len(),
        x_test.nrows()
    ))
}

fn held_out_accuracy() -> Graded {
    let (truth, predicted) = held_out()?;
    diagnose(&truth, &predicted)?;
    // Majority class (benign) scores 0.63; a scaled logistic regression reaches 0.96-0.99.
    bar("accuracy on a held-out 25 % of breast cancer", common::accuracy(&truth, &predicted), 0.94, Goal::AtLeast)
        .hint("standardize with statistics of the training rows, then fit LogisticRegression (raise max_iterations if it stops early)")
}

fn held_out_recall() -> Graded {
    let (truth, predicted) = held_out()?;
    diagnose(&truth, &predicted)?;
    let tp = truth
        .iter()
        .zip(&predicted)
        .filter(|&(&t, &p)| t && p)
        .count() as f64;
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    // Recall (sensitivity) on malignant: the share of cancers found. The constant "benign"
    // predictor scores 0 here despite its 0.63 accuracy.
    bar("recall of malignant on the held-out split", tp / positives, 0.90, Goal::AtLeast)
        .hint("a model can be accurate and still miss cancers: check that the positive class is learned, not drowned by the majority")
}
