// Grader of supervised/normal_equation.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2, array};

use super::exercise::{linfa_fit, normal_equation};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("small_exact", small_exact),
    ("diabetes_coefficients", diabetes_coefficients),
    ("linfa_agrees", linfa_agrees),
    ("held_out_r2", held_out_r2),
];

/// Relative tolerance on coefficients. The normal equation squares the condition number of
/// [1 | x] (the raw diabetes columns range from about 1 to 300), so it loses digits that a QR
/// solve keeps; a relative 1e-6 leaves room for that and still rejects any other model.
const RELATIVE: f64 = 1e-6;

fn diabetes_split() -> (Array2<f64>, Array1<f64>, Array2<f64>, Array1<f64>) {
    let (x, y) = common::regression("diabetes.csv", "disease_progression");
    common::split_regression(&x, &y, 0.2, 42)
}

/// Compare a fit with the grader's QR least squares, naming the classic mistakes.
fn compare(
    what: &str,
    got: &(f64, Array1<f64>),
    expected: &(f64, Array1<f64>),
    y_mean: f64,
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of coefficients"),
        &got.1.len(),
        &expected.1.len(),
    )
    .hint("return one coefficient per feature column, the intercept separately")?;
    let scale = |v: f64| RELATIVE * v.abs().max(1.0);
    if got.0 == 0.0 && expected.0.abs() > scale(expected.0) {
        return Err(fail(format!(
            "{what}: the intercept is 0, expected {}: the fit has no intercept",
            fmt(expected.0)
        )))
        .hint("prepend a column of ones to x: its coefficient is the intercept");
    }
    misordered(what, got, expected, RELATIVE)?;
    close_naming(
        &format!("{what}: intercept"),
        got.0,
        expected.0,
        scale(expected.0),
        &[(y_mean, MEAN_OF_Y)],
    )
    .hint("with centred columns the intercept of the raw features is ȳ - x̄·w")?;
    for (j, (g, e)) in got.1.iter().zip(&expected.1).enumerate() {
        close(&format!("{what}: coefficient {j}"), *g, *e, scale(*e))?;
    }
    Ok(())
}

const MEAN_OF_Y: &str =
    "the mean of y, the intercept of centred data, not of the raw features (that is ȳ - x̄·w)";

/// The right parameters in another order (the column of ones placed last, the intercept read
/// from the wrong end): say so rather than report a wrong intercept.
fn misordered(
    what: &str,
    got: &(f64, Array1<f64>),
    expected: &(f64, Array1<f64>),
    relative: f64,
) -> Result<(), Failed> {
    let sorted = |p: &(f64, Array1<f64>)| {
        let mut v: Vec<f64> = std::iter::once(p.0).chain(p.1.iter().copied()).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (g, e) = (sorted(got), sorted(expected));
    let same_values = g.len() == e.len()
        && g.iter()
            .zip(&e)
            .all(|(a, b)| (a - b).abs() <= relative * b.abs().max(1.0));
    let intercept_ok = (got.0 - expected.0).abs() <= relative * expected.0.abs().max(1.0);
    let in_order = intercept_ok
        && got
            .1
            .iter()
            .zip(&expected.1)
            .all(|(a, b)| (a - b).abs() <= relative * b.abs().max(1.0));
    if same_values && !in_order {
        return Err(fail(format!(
            "{what}: you returned intercept {} and coefficients {:?}, the right values in the wrong order: expected intercept {} and coefficients {:?}",
            fmt(got.0),
            got.1.iter().map(|&v| fmt(v)).collect::<Vec<_>>(),
            fmt(expected.0),
            expected.1.iter().map(|&v| fmt(v)).collect::<Vec<_>>(),
        )))
        .hint("A = [1 | x]: the column of ones comes first, so w[0] is the intercept and w[1..] the coefficients");
    }
    Ok(())
}

fn small_exact() -> Graded {
    // y = 3 + 2 x0 - x1 exactly, so least squares must return (3, [2, -1]).
    let x = array![[0.0, 1.0], [1.0, 0.0], [2.0, 3.0], [3.0, 1.0], [4.0, 5.0]];
    let y = x.map_axis(ndarray::Axis(1), |r| 3.0 + 2.0 * r[0] - r[1]);
    let got = normal_equation(&x, &y);
    equal("number of coefficients", &got.1.len(), &2)
        .hint("one coefficient per column of x; the intercept is returned apart")?;
    if got.0.abs() < 1e-9 {
        return Err(fail(format!("on y = 3 + 2·x0 - x1 you returned intercept {} and coefficients {:?}: the fit has no intercept", fmt(got.0), got.1.to_vec())))
            .hint("prepend a column of ones to x: its coefficient is the intercept");
    }
    misordered(
        "on y = 3 + 2·x0 - x1",
        &got,
        &(3.0, Array1::from(vec![2.0, -1.0])),
        1e-9,
    )?;
    close_naming(
        "intercept of y = 3 + 2·x0 - x1",
        got.0,
        3.0,
        1e-9,
        &[(y.mean().expect("rows"), MEAN_OF_Y)],
    )
    .hint("with centred columns the intercept of the raw features is ȳ - x̄·w")?;
    all_close(
        "coefficients of y = 3 + 2·x0 - x1",
        &got.1.to_vec(),
        &[2.0, -1.0],
        1e-9,
    )
    .hint("solve (AᵀA) w = Aᵀy; w[0] is the intercept, w[1..] the coefficients")?;
    pass("(3, [2, -1]) recovered within 1e-9")
}

fn diabetes_coefficients() -> Graded {
    let (x, y, _, _) = diabetes_split();
    let got = normal_equation(&x, &y);
    let y_mean = y.mean().expect("rows");
    compare(
        "normal equation on diabetes (raw features)",
        &got,
        &common::least_squares(&x, &y),
        y_mean,
    )
    .hint("solve (AᵀA) w = Aᵀy with A = [1 | x]; w[0] is the intercept")?;
    pass("11 parameters equal a QR least-squares solve within a relative 1e-6")
}

fn linfa_agrees() -> Graded {
    let (x, y, _, _) = diabetes_split();
    let got = linfa_fit(&x, &y);
    let y_mean = y.mean().expect("rows");
    compare(
        "linfa-linear on diabetes",
        &got,
        &common::least_squares(&x, &y),
        y_mean,
    )
        .hint("`LinearRegression::default().fit(&Dataset::new(x.clone(), y.clone()))?`, then `.intercept()` and `.params()`")?;
    pass("linfa-linear's intercept and coefficients equal the normal equation's")
}

fn held_out_r2() -> Graded {
    let (x, y, x_test, y_test) = diabetes_split();
    let (intercept, coefficients) = normal_equation(&x, &y);
    equal("number of coefficients", &coefficients.len(), &x.ncols())?;
    let r2 = common::r2(
        &y_test,
        &common::predict_linear(&x_test, intercept, &coefficients),
    );
    // Predicting the training mean scores R² ≈ 0 (slightly below) on the held-out split.
    bar("R² on a held-out 20 % of diabetes", r2, 0.45, Goal::AtLeast)
        .hint("fit on the training rows you are given; R² near 0 means the model is no better than predicting the mean")
}
