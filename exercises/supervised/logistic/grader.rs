// Grader of supervised/logistic.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, Axis};

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

/// The grader's own model, as the statement asks: standardize with the training means and
/// population deviations, fit linfa-logistic (alpha 1, 200 iterations), predict. A
/// standardized model's predictions do not depend on the units, nor on the other rows.
/// Returns the predictions of `x_test` and the class of an all-zero (standardized) row.
fn grader_model(
    x_train: &Array2<f64>,
    y_train: &[bool],
    x_test: &Array2<f64>,
) -> (Vec<bool>, bool) {
    let mean = x_train.mean_axis(Axis(0)).expect("training rows");
    let std = x_train
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let dataset = Dataset::new((x_train - &mean) / &std, Array1::from(y_train.to_vec()));
    let fitted = LogisticRegression::default()
        .alpha(1.0)
        .max_iterations(200)
        .fit(&dataset)
        .expect("the grader's logistic regression fits");
    let zero: Array1<bool> = fitted.predict(&Array2::zeros((1, x_train.ncols())));
    (fitted.predict(&((x_test - &mean) / &std)).to_vec(), zero[0])
}

/// Rows on which two predictions differ, and how many of them are malignant.
fn disagreements(a: &[bool], b: &[bool], truth: &[bool]) -> (usize, usize) {
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    let malignant = differ.iter().filter(|&&i| truth[i]).count();
    (differ.len(), malignant)
}

/// A correct model may disagree with the grader's own fit on a borderline row or two (another
/// solver tolerance, the sample deviation); a scaling mistake changes dozens.
const TOLERATED: usize = 3;

/// Each held-out row predicted alone, and the malignant rows as a batch of their own, must get
/// the prediction it gets in the whole batch: predict may use only what train stored. Scaling
/// with the new rows' own mean and deviation fails here (one row has deviation 0). The rows
/// alone come first, and are compared with the grader's own model: predict could keep the
/// first answer it gave for a row and repeat it in later batches, so that the calls agree
/// with each other whatever it does.
fn training_statistics() -> Graded {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, y_test) =
        common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let model = train(&x_train, &y_train);
    let n = x_test.nrows();
    let mut alone = Vec::with_capacity(n);
    for i in 0..n {
        let one = model.predict(&x_test.slice(ndarray::s![i..i + 1, ..]).to_owned());
        common::one_per_row(&one, 1).hint("predict must work for any number of rows, even one")?;
        alone.push(one[0]);
    }
    let malignant: Vec<usize> = (0..n).filter(|&i| y_test[i]).collect();
    let subset = model.predict(&x_test.select(Axis(0), &malignant));
    common::one_per_row(&subset, malignant.len())?;
    let batch = model.predict(&x_test);
    common::one_per_row(&batch, n)?;
    let alone_differs = (0..n).filter(|&i| alone[i] != batch[i]).count();
    let subset_differs = malignant
        .iter()
        .zip(&subset)
        .filter(|&(&i, &p)| p != batch[i])
        .count();
    if alone_differs > 0 || subset_differs > 0 {
        return Err(fail(format!(
            "a row's prediction depends on the other rows of the batch: predicted one at a time, {alone_differs} of {n} held-out rows changed; predicted in a batch of the {} malignant rows only, {subset_differs} changed. predict standardized with the batch's own statistics instead of the training means and deviations stored by train",
            malignant.len()
        )))
        .hint("compute the means and deviations in train, store them in Model, and use those in predict");
    }
    // The grader's own model for each row, and the classic leak computed by the grader: a row
    // standardized with its own mean and deviation becomes all zeros, so every row alone gets
    // the class the model gives the zero row.
    let (expected, zero_class) = grader_model(&x_train, &y_train, &x_test);
    let (differ, differ_malignant) = disagreements(&alone, &expected, &y_test);
    if differ > TOLERATED && alone.iter().all(|&p| p == zero_class) {
        return Err(fail(format!(
            "predicted one row at a time, before any batch, every held-out row got the same class, the one a row of zeros gets: {differ} of {n} rows ({differ_malignant} of them malignant) disagree with the grader's own model (standardized with the training statistics). predict standardized with the batch's own statistics (a row alone becomes all zeros); the later batches only repeated those answers, as if predict kept them from the first call"
        )))
        .hint("compute the means and deviations in train, store them in Model, and use those in predict: then a row gets the same prediction whatever else is in the batch");
    }
    ensure(differ <= TOLERATED, || format!(
        "predicted one row at a time, before any batch, {differ} of {n} held-out rows ({differ_malignant} of them malignant) get another class than the grader's own model gives them (standardized with the training means and deviations, then linfa-logistic); at most {TOLERATED} borderline rows may differ"
    ))
    .hint("predict must scale each row with the means and deviations train stored, then apply the fitted model")?;
    pass(format!(
        "each of the {n} held-out rows gets the same prediction alone, in the full batch, and in a batch of the malignant rows only"
    ))
}

/// Multiplying columns by powers of two (a change of units, exact in floating point) leaves a
/// standardized model unchanged bit for bit; a model of the raw features changes, and with
/// columns × 2^20 and ÷ 2^20 a raw fit learns next to nothing. The rescaled model comes first
/// and is compared with the grader's own model: predict could otherwise repeat, for a rescaled
/// row, an answer it kept from the original row (its mantissas are the same).
fn standardized() -> Graded {
    let (x, y) = common::breast_cancer();
    let (x_train, y_train, x_test, y_test) =
        common::split_classes(&x, &y, |&m| usize::from(m), 0.25, 7);
    let scale = 2f64.powi(20);
    let units =
        Array1::from_iter((0..x.ncols()).map(|j| if j % 2 == 0 { scale } else { 1.0 / scale }));
    let n = x_test.nrows();
    let rescaled = train(&(&x_train * &units), &y_train).predict(&(&x_test * &units));
    common::one_per_row(&rescaled, n)?;
    let (expected, _) = grader_model(&x_train, &y_train, &x_test);
    let (differ, differ_malignant) = disagreements(&rescaled, &expected, &y_test);
    ensure(differ <= TOLERATED, || format!(
        "with the features in other units (even columns × 2^20, odd columns ÷ 2^20, train and test alike), {differ} of {n} held-out rows ({differ_malignant} of them malignant) get another class than the grader's own standardized model gives them: the features are not standardized (a standardized model is unit-free), in train or in predict"
    ))
    .hint("standardize in train with the training means and deviations, store them, and apply the same scaling in predict")?;
    let base = train(&x_train, &y_train).predict(&x_test);
    common::one_per_row(&base, n)?;
    let changed = base.iter().zip(&rescaled).filter(|(a, b)| a != b).count();
    ensure(changed == 0, || format!(
        "changing the features' units (even columns × 2^20, odd columns ÷ 2^20, train and test alike) changed {changed} of {n} held-out predictions: the features are not standardized (a standardized model is unit-free), in train or in predict"
    ))
    .hint("standardize in train with the training means and deviations, store them, and apply the same scaling in predict")?;
    pass(format!(
        "the {n} held-out predictions are unchanged when the features change units"
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
