// Grader of supervised/logistic.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::train;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("one_prediction_per_row", one_prediction_per_row),
    ("training_statistics", training_statistics),
    ("standardized", standardized),
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
            "every held-out prediction is {which}: a constant predictor (accuracy {}; predicting the majority class, benign, scores 0.63 here). Either the fit learned nothing (unscaled features, too few iterations) or predict does not apply the scaling train used",
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

/// Each held-out row predicted alone, and the malignant rows as a batch of their own, must get
/// the prediction it gets in the whole batch: predict may use only what train stored. Scaling
/// with the new rows' own mean and deviation fails here (one row has deviation 0).
fn training_statistics() -> Graded {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, y_test) =
        common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let model = train(&x_train, &y_train);
    let batch = model.predict(&x_test);
    common::one_per_row(&batch, x_test.nrows())?;
    let mut alone_differs = 0;
    for (i, &in_batch) in batch.iter().enumerate() {
        let one = model.predict(&x_test.slice(ndarray::s![i..i + 1, ..]).to_owned());
        common::one_per_row(&one, 1).hint("predict must work for any number of rows, even one")?;
        if one[0] != in_batch {
            alone_differs += 1;
        }
    }
    let malignant: Vec<usize> = (0..x_test.nrows()).filter(|&i| y_test[i]).collect();
    let subset = model.predict(&x_test.select(ndarray::Axis(0), &malignant));
    common::one_per_row(&subset, malignant.len())?;
    let subset_differs = malignant
        .iter()
        .zip(&subset)
        .filter(|&(&i, &p)| p != batch[i])
        .count();
    let n = x_test.nrows();
    if alone_differs > 0 || subset_differs > 0 {
        return Err(fail(format!(
            "a row's prediction depends on the other rows of the batch: predicted one at a time, {alone_differs} of {n} held-out rows changed; predicted in a batch of the {} malignant rows only, {subset_differs} changed. predict standardized with the batch's own statistics instead of the training means and deviations stored by train",
            malignant.len()
        )))
        .hint("compute the means and deviations in train, store them in Model, and use those in predict");
    }
    pass(format!(
        "each of the {n} held-out rows gets the same prediction alone, in the full batch, and in a batch of the malignant rows only"
    ))
}

/// Multiplying columns by powers of two (a change of units, exact in floating point) leaves a
/// standardized model unchanged bit for bit; a model of the raw features changes.
fn standardized() -> Graded {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, _) = common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let units = ndarray::Array1::from_iter(
        (0..x.ncols()).map(|j| if j % 2 == 0 { 1024.0 } else { 1.0 / 64.0 }),
    );
    let base = train(&x_train, &y_train).predict(&x_test);
    common::one_per_row(&base, x_test.nrows())?;
    let rescaled = train(&(&x_train * &units), &y_train).predict(&(&x_test * &units));
    common::one_per_row(&rescaled, x_test.nrows())?;
    let changed = base.iter().zip(&rescaled).filter(|(a, b)| a != b).count();
    ensure(changed == 0, || format!(
        "changing the features' units (even columns × 1024, odd columns ÷ 64, train and test alike) changed {changed} of {} held-out predictions: the features are not standardized (a standardized model is unit-free), in train or in predict",
        x_test.nrows()
    ))
    .hint("standardize in train with the training means and deviations, store them, and apply the same scaling in predict")?;
    pass(format!(
        "the {} held-out predictions are unchanged when the features change units",
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
