// Grader of supervised/multiclass.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::{Model, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("valid_predictions", valid_predictions),
    ("held_out_macro_f1", held_out_macro_f1),
    ("worst_class_f1", worst_class_f1),
];

/// digits, stratified 75/25 (seeded): the 25 % (450 images) is never passed to the code.
fn held_out() -> Result<(Vec<usize>, Vec<usize>), Failed> {
    held_out_model().map(|(truth, predicted, _, _)| (truth, predicted))
}

/// The held-out truth and predictions, the model and the test rows.
type HeldOut = (Vec<usize>, Vec<usize>, Model, Array2<f64>);

/// The held-out truth and predictions, with the model and the test rows.
fn held_out_model() -> Result<HeldOut, Failed> {
    let (x, y, _) = common::classification("digits.csv", "digit");
    let (x_train, y_train, x_test, y_test): (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>) =
        common::split_classes(&x, &y, |&c| c, 0.25, 13);
    let model = train(&x_train, &y_train);
    let predicted = model.predict(&x_test);
    common::one_per_row(&predicted, x_test.nrows())?;
    if let Some(bad) = predicted.iter().find(|&&p| p > 9) {
        return Err(fail(format!("a prediction is {bad}: digits are 0 to 9")));
    }
    let mut distinct = predicted.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() == 1 {
        return Err(fail(format!(
            "every held-out prediction is {}: a constant predictor (macro-F1 about 0.018, accuracy 0.10)",
            distinct[0]
        )))
        .hint("check that the model is fitted on the training rows and that predict applies the same scaling");
    }
    Ok((y_test, predicted, model, x_test))
}

fn valid_predictions() -> Graded {
    let (_, predicted, model, x_test) = held_out_model()?;
    // A row's prediction may not depend on the other rows of the batch: 30 held-out images
    // predicted one at a time must get their batch predictions.
    let changed: Vec<usize> = (0..30)
        .filter(|&i| {
            let one = model.predict(&x_test.slice(ndarray::s![i..i + 1, ..]).to_owned());
            one.len() != 1 || one[0] != predicted[i]
        })
        .collect();
    ensure(changed.is_empty(), || format!(
        "predicted one at a time, {} of 30 held-out images get another digit than in the full batch: predict used the batch's own statistics (a scaling fitted on the rows it is given) instead of a fixed rule or the training statistics",
        changed.len()
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
