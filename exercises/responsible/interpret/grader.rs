// Grader of responsible/interpret.

#[path = "../common.rs"]
mod common;

use common::solve;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::shuffled;
use ndarray::{Array1, Array2, Axis};

use super::exercise::{permutation_importance, standardized_coefficients};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("coefficients_diabetes", coefficients_diabetes),
    ("coefficients_unit_free", coefficients_unit_free),
    ("importance_values", importance_values),
    ("importance_invariants", importance_invariants),
];

const FEATURES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu",
];
const COEF_TOL: f64 = 1e-4;
const N_REPEATS: usize = 5;
const SEED: u64 = 42;

fn diabetes() -> (Array2<f64>, Array1<f64>) {
    let table = Table::dataset("diabetes.csv").expect("the grader reads diabetes.csv");
    let x = table.numeric(&FEATURES).expect("numeric features");
    let y = table
        .numeric(&["disease_progression"])
        .expect("target")
        .column(0)
        .to_owned();
    (x, y)
}

/// The grader's OLS on standardized columns (standard deviation with `ddof` 0 or 1): the
/// columns of z are centred, so the intercept is mean(y) and the normal equations
/// ZᵀZ β = Zᵀ(y - ȳ) give the coefficients.
fn ols_standardized(x: &Array2<f64>, y: &Array1<f64>, ddof: f64) -> Vec<f64> {
    let mean = x.mean_axis(Axis(0)).expect("rows");
    let std = x.std_axis(Axis(0), ddof);
    let z = (x - &mean) / &std;
    let yc = y - y.mean().unwrap_or(0.0);
    let ztz = z.t().dot(&z);
    let zty = z.t().dot(&yc);
    solve(ztz.outer_iter().map(|r| r.to_vec()).collect(), zty.to_vec())
}

fn compare_coefficients(what: &str, x: &Array2<f64>, y: &Array1<f64>) -> Result<Vec<f64>, Failed> {
    let expected = ols_standardized(x, y, 0.0);
    let got = standardized_coefficients(x, y);
    equal(
        &format!("{what}: number of coefficients"),
        &got.len(),
        &expected.len(),
    )?;
    let near = |w: &[f64]| got.iter().zip(w).all(|(a, b)| (a - b).abs() <= COEF_TOL);
    if !near(&expected) {
        let sample = ols_standardized(x, y, 1.0);
        let std = x.std_axis(Axis(0), 0.0);
        let raw: Vec<f64> = expected.iter().zip(&std).map(|(c, s)| c / s).collect();
        let why = if near(&raw) {
            "these are the coefficients on the raw columns: standardize the columns first, so that every coefficient is per standard deviation"
        } else if near(&sample) {
            "the columns were scaled with the sample standard deviation (n - 1); the statement asks for the population one (ddof 0)"
        } else {
            "compare with the hint: standardize each column with its own mean and population standard deviation, then fit with intercept"
        };
        all_close(what, &got, &expected, COEF_TOL).map_err(|mut failed| {
            failed.message = format!("{}: {why}", failed.message);
            failed
        })?;
    }
    Ok(expected)
}

fn coefficients_diabetes() -> Graded {
    let (x, y) = diabetes();
    let coefs = compare_coefficients("standardized coefficients on diabetes", &x, &y)?;
    let mut order: Vec<usize> = (0..coefs.len()).collect();
    order.sort_by(|&a, &b| coefs[b].abs().total_cmp(&coefs[a].abs()));
    let top = order
        .iter()
        .take(4)
        .map(|&j| format!("{} {}", FEATURES[j], fmt(coefs[j])))
        .collect::<Vec<_>>()
        .join(", ");
    pass(format!(
        "coefficients match (± {}); largest in magnitude: {top}. s1_tc and s2_ldl are strongly correlated, so their large opposite coefficients largely cancel: a coefficient is an effect holding the others fixed, not an importance",
        fmt(COEF_TOL)
    ))
}

fn coefficients_unit_free() -> Graded {
    // Changing units (bmi x 1000, s6_glu / 18 as mmol/L) must leave standardized coefficients as they are.
    let (x, y) = diabetes();
    let before = standardized_coefficients(&x, &y);
    let mut rescaled = x.clone();
    rescaled.column_mut(2).mapv_inplace(|v| v * 1000.0);
    rescaled.column_mut(9).mapv_inplace(|v| v / 18.0);
    compare_coefficients(
        "standardized coefficients after a change of units of bmi and s6_glu",
        &rescaled,
        &y,
    )?;
    let after = standardized_coefficients(&rescaled, &y);
    all_close(
        "coefficients before vs after the change of units",
        &after,
        &before,
        COEF_TOL,
    )?;
    pass(
        "a change of units leaves the standardized coefficients unchanged, which is what makes them comparable across features",
    )
}

/// The grader's model: the OLS fitted on standardized diabetes, with the coefficient of `age`
/// set to 0 (so the model ignores it).
fn model() -> impl Fn(&Array2<f64>) -> Array1<f64> {
    let (x, y) = diabetes();
    let mut coefs = ols_standardized(&x, &y, 0.0);
    coefs[0] = 0.0;
    let mean = x.mean_axis(Axis(0)).expect("rows");
    let std = x.std_axis(Axis(0), 0.0);
    let intercept = y.mean().unwrap_or(0.0);
    let coefs = Array1::from(coefs);
    move |m: &Array2<f64>| ((m - &mean) / &std).dot(&coefs) + intercept
}

fn mse(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    (a - b).mapv(|d| d * d).mean().unwrap_or(0.0)
}

/// The grader's own permutation importance, with the protocol of the statement.
fn expected_importance(
    f: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    y: &Array1<f64>,
    n_repeats: usize,
    seed: u64,
) -> Vec<f64> {
    let base = mse(&f(x), y);
    (0..x.ncols())
        .map(|j| {
            (0..n_repeats)
                .map(|r| {
                    let order = shuffled(x.nrows(), seed + (j * n_repeats + r) as u64);
                    let mut p = x.clone();
                    let column: Vec<f64> = order.iter().map(|&k| x[[k, j]]).collect();
                    p.column_mut(j).assign(&Array1::from(column));
                    mse(&f(&p), y) - base
                })
                .sum::<f64>()
                / n_repeats as f64
        })
        .collect()
}

fn importance_values() -> Graded {
    let (x, y) = diabetes();
    let f = model();
    let expected = expected_importance(&f, &x, &y, N_REPEATS, SEED);
    let got = permutation_importance(&f, &x, &y, N_REPEATS, SEED);
    equal("number of importances", &got.len(), &expected.len())?;
    let tol = 1e-9 * expected.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let near = |w: &[f64]| got.iter().zip(w).all(|(a, b)| (a - b).abs() <= tol);
    if !near(&expected) {
        let variance = y.var(0.0);
        let negated: Vec<f64> = expected.iter().map(|v| -v).collect();
        let summed: Vec<f64> = expected.iter().map(|v| v * N_REPEATS as f64).collect();
        let r2: Vec<f64> = expected.iter().map(|v| v / variance).collect();
        let why = if near(&negated) {
            "a negated importance (MSE(original) - MSE(permuted)): permuting an important feature makes the error larger, so the importance is positive"
        } else if near(&summed) {
            "the increases were summed over the repeats: take their mean"
        } else if near(&r2) {
            "that is the drop in R²; the statement asks for the increase in MSE"
        } else {
            "follow the permutation protocol exactly: order = shuffled(n_rows, seed + (j * n_repeats + r) as u64), row i takes the value of row order[i]"
        };
        all_close(
            "permutation importances (MSE increase, 5 repeats, seed 42)",
            &got,
            &expected,
            tol,
        )
        .map_err(|mut failed| {
            failed.message = format!("{}: {why}", failed.message);
            failed
        })?;
    }
    let mut order: Vec<usize> = (0..expected.len()).collect();
    order.sort_by(|&a, &b| expected[b].total_cmp(&expected[a]));
    let top = order
        .iter()
        .take(3)
        .map(|&j| format!("{} {}", FEATURES[j], fmt(expected[j])))
        .collect::<Vec<_>>()
        .join(", ");
    pass(format!(
        "importances match; most important (MSE increase): {top}"
    ))
}

fn importance_invariants() -> Graded {
    let (x, y) = diabetes();
    let f = model();
    let got = permutation_importance(&f, &x, &y, 3, 7);
    equal("number of importances", &got.len(), &FEATURES.len())?;
    ensure(got[0] == 0.0, || format!("importance of `age`, which the model ignores: expected exactly 0, got {}", fmt(got[0])))
        .hint("permuting a column the model does not use cannot change its predictions: compare against the MSE of the unpermuted data")?;
    let again = permutation_importance(&f, &x, &y, 3, 7);
    ensure(got == again, || {
        "two calls with the same seed gave different importances: every permutation must come from the seed".to_string()
    })?;
    let other = permutation_importance(&f, &x, &y, 3, 8);
    ensure(other != got, || {
        "a different seed gave the same importances: the permutations must depend on the seed"
            .to_string()
    })?;
    // Equal answers for equal seeds could come from results remembered per seed: both seeds
    // are also compared with the grader's replay of the protocol.
    equal(
        "number of importances for seed 8",
        &other.len(),
        &FEATURES.len(),
    )?;
    for (seed, values) in [(7, &got), (8, &other)] {
        let expected = expected_importance(&f, &x, &y, 3, seed);
        let tol = 1e-9 * expected.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        ensure(
            values.iter().zip(&expected).all(|(a, b)| (a - b).abs() <= tol),
            || {
                format!(
                    "permutation importances (3 repeats, seed {seed}) are not those of the seeded protocol, which the grader replays: equal answers for equal seeds must come from the permutations the seed defines (the check of the importance values names the classic formula mistakes)"
                )
            },
        )
        .hint("order = shuffled(n_rows, seed + (j * n_repeats + r) as u64) for every column j and repeat r: never an unseeded generator")?;
    }
    pass(
        "0 for a feature the model ignores; same seed, same importances; another seed, other permutations",
    )
}
