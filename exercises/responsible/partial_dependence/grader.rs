// Grader of responsible/partial_dependence.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2, Axis};

use super::exercise::{feature_grid, partial_dependence};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("grid", grid),
    ("pd_linear", pd_linear),
    ("pd_nonlinear", pd_nonlinear),
];

const FEATURES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu",
];
const BMI: usize = 2;
const BP: usize = 3;
const S5: usize = 8;
const TOL: f64 = 1e-9;

fn diabetes() -> Array2<f64> {
    Table::dataset("diabetes.csv")
        .expect("the grader reads diabetes.csv")
        .numeric(&FEATURES)
        .expect("numeric features")
}

/// The grader's own grid (the checks of partial dependence must not depend on the learner's).
fn own_grid(x: &Array2<f64>, feature: usize, n: usize) -> Vec<f64> {
    let column = x.column(feature);
    let (min, max) = (
        column.fold(f64::INFINITY, |m, &v| m.min(v)),
        column.fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
    );
    (0..n)
        .map(|k| min + (max - min) * k as f64 / (n - 1) as f64)
        .collect()
}

fn grid() -> Graded {
    let x = diabetes();
    let column = x.column(BMI);
    let (min, max) = (
        column.fold(f64::INFINITY, |m, &v| m.min(v)),
        column.fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
    );
    let expected: Vec<f64> = (0..5).map(|k| min + (max - min) * k as f64 / 4.0).collect();
    let got = feature_grid(&x, BMI, 5);
    equal("number of grid points", &got.len(), &5)?;
    let without_end: Vec<f64> = (0..5).map(|k| min + (max - min) * k as f64 / 5.0).collect();
    if got
        .iter()
        .zip(&without_end)
        .all(|(a, b)| (a - b).abs() <= TOL)
    {
        return Err(fail(
            "grid of bmi with 5 points: the maximum is missing (step (max - min) / n_points); with both ends included the step is (max - min) / (n_points - 1)",
        ));
    }
    all_close(
        "grid of bmi with 5 points, min and max included",
        &got,
        &expected,
        TOL,
    )?;
    let two = feature_grid(&x, BP, 2);
    let bp = x.column(BP);
    all_close(
        "grid of bp with 2 points",
        &two,
        &[
            bp.fold(f64::INFINITY, |m, &v| m.min(v)),
            bp.fold(f64::NEG_INFINITY, |m, &v| m.max(v)),
        ],
        TOL,
    )?;
    pass(format!("grid of bmi from {} to {}", fmt(min), fmt(max)))
}

/// A linear model with known coefficients on the raw features.
fn linear(m: &Array2<f64>) -> Array1<f64> {
    let beta = Array1::from(vec![0.1, -10.0, 5.5, 1.0, -0.5, 0.4, -0.8, 3.0, 40.0, 0.2]);
    m.dot(&beta) - 250.0
}

fn pd_linear() -> Graded {
    let x = diabetes();
    let g = own_grid(&x, BMI, 6);
    let got = partial_dependence(&linear, &x, BMI, &g);
    equal(
        "number of partial dependence values (one per grid value)",
        &got.len(),
        &g.len(),
    )?;
    // For a linear model, PD(v) = mean prediction with bmi := v = mean(f(x)) + 5.5 (v - mean(bmi)).
    let mean_pred = linear(&x).mean().unwrap_or(0.0);
    let mean_bmi = x.column(BMI).mean().unwrap_or(0.0);
    let expected: Vec<f64> = g.iter().map(|v| mean_pred + 5.5 * (v - mean_bmi)).collect();
    all_close("partial dependence of a linear model on bmi (coefficient 5.5)", &got, &expected, 1e-6)
        .hint("set the whole bmi column to the grid value, predict every row, and average the predictions")?;
    let slope = (got[got.len() - 1] - got[0]) / (g[g.len() - 1] - g[0]);
    pass(format!(
        "a straight line of slope {} (the coefficient of bmi), as it must be for a linear model",
        fmt(slope)
    ))
}

/// A nonlinear model with an interaction, on standardized features:
/// f = 150 + 10 z_bmi + 8 z_bmi z_s5 + 20 tanh(z_bp).
fn nonlinear() -> impl Fn(&Array2<f64>) -> Array1<f64> {
    let x = diabetes();
    let mean = x.mean_axis(Axis(0)).expect("rows");
    let std = x.std_axis(Axis(0), 0.0);
    move |m: &Array2<f64>| {
        let z = (m - &mean) / &std;
        z.outer_iter()
            .map(|r| 150.0 + 10.0 * r[BMI] + 8.0 * r[BMI] * r[S5] + 20.0 * r[BP].tanh())
            .collect()
    }
}

fn expected_pd(
    f: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    feature: usize,
    grid: &[f64],
) -> Vec<f64> {
    grid.iter()
        .map(|&v| {
            let mut m = x.clone();
            m.column_mut(feature).fill(v);
            f(&m).sum() / x.nrows() as f64
        })
        .collect()
}

fn pd_nonlinear() -> Graded {
    let x = diabetes();
    let f = nonlinear();
    for (name, feature) in [("bp", BP), ("bmi", BMI)] {
        let g = own_grid(&x, feature, 7);
        let expected = expected_pd(&f, &x, feature, &g);
        let got = partial_dependence(&f, &x, feature, &g);
        equal(
            &format!("number of partial dependence values for {name}"),
            &got.len(),
            &g.len(),
        )?;
        // Classic wrong answers: the prediction at the average row, and the first row's curve (ICE).
        let mean_row = x.mean_axis(Axis(0)).expect("rows").insert_axis(Axis(0));
        let at_mean = expected_pd(&f, &mean_row, feature, &g);
        let first_row = expected_pd(&f, &x.select(Axis(0), &[0]), feature, &g);
        let near = |w: &[f64]| got.iter().zip(w).all(|(a, b)| (a - b).abs() <= 1e-6);
        if !near(&expected) {
            let why = if near(&at_mean) {
                "that is the prediction for the average row, not the average prediction: with a nonlinear model they differ (the mean of tanh is not tanh of the mean)"
            } else if near(&first_row) {
                "that is the curve of the first row only (an ICE curve); partial dependence averages over every row"
            } else {
                "for each grid value, set the column of every row to it and average the model's predictions"
            };
            all_close(
                &format!("partial dependence of a nonlinear model on {name}"),
                &got,
                &expected,
                1e-6,
            )
            .map_err(|mut failed| {
                failed.message = format!("{}: {why}", failed.message);
                failed
            })?;
        }
    }
    pass(
        "exact on a nonlinear model with an interaction. Note the bmi curve is a straight line although the model has a bmi x s5 interaction: averaging hides it (the mean of z_s5 is 0); ICE curves, one per row, would show it",
    )
}
