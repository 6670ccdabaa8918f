// Grader of supervised/multiclass.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::train;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("valid_predictions", valid_predictions),
    ("held_out_macro_f1", held_out_macro_f1),
    ("worst_class_f1", worst_class_f1),
];

/// digits, stratified 75/25 (seeded): the 25 % (451 images) is never passed to the code.
fn held_out() -> Result<(Vec<usize>, Vec<usize>), Failed> {
    let (x_train, y_train, x_test, y_test) = digits_split();
    let predicted = train(&x_train, &y_train).predict(&x_test);
    valid(&predicted, x_test.nrows())?;
    Ok((y_test, predicted))
}

fn digits_split() -> (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>) {
    let (x, y, _) = common::classification("digits.csv", "digit");
    common::split_classes(&x, &y, |&c| c, 0.25, 13)
}

/// One digit 0-9 per row, and not the same digit for every row.
fn valid(predicted: &[usize], rows: usize) -> Result<(), Failed> {
    common::one_per_row(predicted, rows)?;
    if let Some(bad) = predicted.iter().find(|&&p| p > 9) {
        return Err(fail(format!("a prediction is {bad}: digits are 0 to 9")));
    }
    let mut distinct = predicted.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() == 1 {
        return Err(fail(format!(
            "every held-out prediction is {}: a constant predictor (macro-F1 about 0.018, accuracy 0.10)",
            distinct[0]
        )))
        .hint("check that the model is fitted on the training rows and that predict applies the same scaling");
    }
    Ok(())
}

/// Images predicted one at a time, before any batch.
const ALONE: usize = 30;

fn valid_predictions() -> Graded {
    let (x_train, y_train, x_test, y_test) = digits_split();
    let model = train(&x_train, &y_train);
    // A row's prediction may not depend on the other rows of the batch: 30 held-out images
    // predicted one at a time must get their batch predictions. They are predicted alone
    // first, and judged against the truth: predict could keep the first digit it gave for a
    // row and repeat it in the batch, so that the two calls agree whatever it does.
    let mut alone = Vec::with_capacity(ALONE);
    for i in 0..ALONE {
        let one = model.predict(&x_test.slice(ndarray::s![i..i + 1, ..]).to_owned());
        common::one_per_row(&one, 1).hint("predict must work for any number of rows, even one")?;
        alone.push(one[0]);
    }
    let predicted = model.predict(&x_test);
    valid(&predicted, x_test.nrows())?;
    let changed = (0..ALONE).filter(|&i| alone[i] != predicted[i]).count();
    ensure(changed == 0, || format!(
        "predicted one at a time, {changed} of {ALONE} held-out images get another digit than in the full batch: predict used the batch's own statistics (a scaling fitted on the rows it is given) instead of a fixed rule or the training statistics"
    ))
    .hint("divide by 16 (a fixed rule), or compute statistics in train and store them in Model")?;
    // The images alone are as easy as the others: their accuracy may not fall far below that
    // of the rest of the batch (a correct model loses a few points at most on 30 images).
    let right = (0..ALONE).filter(|&i| alone[i] == y_test[i]).count();
    let alone_accuracy = right as f64 / ALONE as f64;
    let rest_accuracy = common::accuracy(&y_test[ALONE..], &predicted[ALONE..]);
    ensure(alone_accuracy >= rest_accuracy - 0.25, || format!(
        "predicted one at a time (before any batch), {right} of {ALONE} held-out images get the right digit (accuracy {}), against {} for the other held-out images predicted in the batch, and the batch repeats the digits given alone: predict used the batch's own statistics (a single image scaled by its own statistics loses its pixels), and answers kept from the first calls hid it",
        fmt(alone_accuracy),
        fmt(rest_accuracy)
    ))
    .hint("divide by 16 (a fixed rule), or compute statistics in train and store them in Model")?;
    pass(format!(
        "{} predictions, all digits 0-9; a row alone gets the same digit as in the batch",
        predicted.len()
    ))
}

fn held_out_macro_f1() -> Graded {
    let (truth, predicted) = held_out()?;
    let mut counts = vec![vec![0.0; 10]; 10];
    for (&t, &p) in truth.iter().zip(&predicted) {
        counts[t][p] += 1.0;
    }
    let digits: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    show(Figure::Table {
        title: "held-out confusion matrix (rows: true digit, columns: predicted)".into(),
        row_labels: digits.clone(),
        column_labels: digits,
        cells: counts,
    });
    let macro_f1 = common::macro_f1(&truth, &predicted, 10);
    let accuracy = common::accuracy(&truth, &predicted);
    // Macro-F1 weighs the ten digits equally. A constant predictor scores 0.018 (F1 0.18 on one
    // class, 0 on nine); multinomial logistic regression on scaled pixels reaches 0.95 here.
    bar(
        "macro-F1 on a held-out 25 % of digits",
        macro_f1,
        0.92,
        Goal::AtLeast,
    )
    .map(|mut passed| {
        passed
            .message
            .push_str(&format!(" (accuracy, = micro-F1 here: {})", fmt(accuracy)));
        passed
    })
}

fn worst_class_f1() -> Graded {
    let (truth, predicted) = held_out()?;
    let f1 = common::per_class_f1(&truth, &predicted, 10);
    let (worst, value) =
        f1.iter().enumerate().fold(
            (0, f64::MAX),
            |best, (c, &v)| if v < best.1 { (c, v) } else { best },
        );
    // A good average can hide one neglected class: the worst digit must still be recognized.
    bar(&format!("F1 of the worst digit ({worst})"), value, 0.85, Goal::AtLeast)
        .hint("look at the confusion matrix of your validation predictions: which digits does the model mix up?")
}
