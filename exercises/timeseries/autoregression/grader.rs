// Grader of timeseries/autoregression.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2};
use rand::Rng;

use super::exercise::{ArModel, acf, backtest, fit_ar, forecast_ar, lag_matrix};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("acf", check_acf),
    ("lag_matrix", check_lag_matrix),
    ("fit_ar", check_fit_ar),
    ("forecast_ar", check_forecast_ar),
    ("backtest", check_backtest),
    ("births", check_births),
];

/// Relative tolerance: least squares on a few hundred values near 50 by normal equations, QR
/// or centring agree far closer than 1e-6.
fn tol(scale: f64) -> f64 {
    1e-6 * scale.abs().max(1.0)
}

fn near(got: &[f64], expected: &[f64]) -> bool {
    got.len() == expected.len()
        && got
            .iter()
            .zip(expected)
            .all(|(g, e)| (g - e).abs() <= tol(*e))
}

/// `got` against `expected`; when it matches one of the classic wrong answers instead, the
/// message names that mistake. Lengths are checked before any indexing.
fn values_naming(
    what: &str,
    got: &[f64],
    expected: &[f64],
    wrong: &[(Vec<f64>, &str)],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of values"),
        &got.len(),
        &expected.len(),
    )?;
    if near(got, expected) {
        return Ok(());
    }
    // A NaN is a difference too (`>` alone is false for it).
    let first = (0..got.len())
        .find(|&i| {
            let gap = (got[i] - expected[i]).abs();
            gap.is_nan() || gap > tol(expected[i])
        })
        .unwrap_or(0);
    for (values, why) in wrong {
        if near(got, values) && !near(values, expected) {
            return Err(fail(format!(
                "{what}[{first}]: expected {}, got {}: {why}",
                fmt(expected[first]),
                fmt(got[first])
            )));
        }
    }
    close(
        &format!("{what}[{first}]"),
        got[first],
        expected[first],
        tol(expected[first]),
    )
}

/// A stationary AR(2) series of `n` values around `mean`, drawn from `rng`.
fn ar_series(rng: &mut split::Rng, n: usize, mean: f64) -> Vec<f64> {
    let phi1 = rng.gen_range(0.2..0.6);
    let phi2 = rng.gen_range(-0.3..0.3);
    let c = mean * (1.0 - phi1 - phi2);
    let mut y = vec![mean, mean];
    for _ in 0..n + 48 {
        let t = y.len();
        let noise = rng.gen_range(-3.0..3.0);
        y.push(c + phi1 * y[t - 1] + phi2 * y[t - 2] + noise);
    }
    y[50..].to_vec()
}

// --------------------------------------------------------------------------------------- ACF

/// The grader's ACF; `per_pair` divides each lag's sum by its n - k pairs (and lag 0's by n).
fn my_acf(y: &[f64], max_lag: usize, per_pair: bool) -> Vec<f64> {
    let n = y.len();
    let mut mean = 0.0;
    for v in y {
        mean += v;
    }
    mean /= n as f64;
    let mut c0 = 0.0;
    for v in y {
        c0 += (v - mean) * (v - mean);
    }
    let mut out = Vec::new();
    for k in 0..=max_lag {
        let mut ck = 0.0;
        for t in k..n {
            ck += (y[t] - mean) * (y[t - k] - mean);
        }
        out.push(if per_pair {
            (ck / (n - k) as f64) / (c0 / n as f64)
        } else {
            ck / c0
        });
    }
    out
}

/// The Pearson correlation of y[k..] with y[..n - k], each part centred on its own mean
/// (pandas' `Series.autocorr`, `np.corrcoef`): another quantity than statsmodels' acf.
fn pearson_per_lag(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mut out = Vec::new();
    for k in 0..=max_lag {
        let a = &y[k..];
        let b = &y[..n - k];
        let m = (n - k) as f64;
        let (mut mean_a, mut mean_b) = (0.0, 0.0);
        for t in 0..n - k {
            mean_a += a[t] / m;
            mean_b += b[t] / m;
        }
        let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
        for t in 0..n - k {
            sab += (a[t] - mean_a) * (b[t] - mean_b);
            saa += (a[t] - mean_a) * (a[t] - mean_a);
            sbb += (b[t] - mean_b) * (b[t] - mean_b);
        }
        out.push(sab / (saa * sbb).sqrt());
    }
    out
}

/// r_k without subtracting the mean: Σ y_t y_(t-k) / Σ y_t².
fn uncentred_acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mut c0 = 0.0;
    for v in y {
        c0 += v * v;
    }
    (0..=max_lag)
        .map(|k| {
            let mut ck = 0.0;
            for t in k..n {
                ck += y[t] * y[t - k];
            }
            ck / c0
        })
        .collect()
}

fn check_acf() -> Graded {
    let mut rng = split::rng(101);
    for (case, &(n, max_lag)) in [(30, 10), (200, 20), (8, 7), (50, 0)].iter().enumerate() {
        let mean = rng.gen_range(-20.0..60.0);
        let y = ar_series(&mut rng, n, mean);
        let got = acf(&y, max_lag);
        values_naming(
            &format!("case {case}: acf({n} values, max_lag = {max_lag})"),
            &got,
            &my_acf(&y, max_lag, false),
            &[
                (
                    my_acf(&y, max_lag, true),
                    "divided by n - k (the pairs at lag k): statsmodels' acf divides every \
                     autocovariance by n, which keeps the ACF positive semi-definite",
                ),
                (
                    pearson_per_lag(&y, max_lag),
                    "the Pearson correlation of y[k..] with y[..n - k] (pandas' autocorr), each \
                     part centred on its own mean: the ACF uses the mean and the sum of \
                     squares of the whole series",
                ),
                (
                    uncentred_acf(&y, max_lag),
                    "the mean was not subtracted: r_k uses the deviations y_t - ȳ",
                ),
            ],
        )
        .hint("subtract the mean of the whole series, then r_k = Σ_{t≥k} d_t d_{t-k} / Σ d_t²")?;
    }
    pass("autocorrelations match statsmodels' acf on 4 series (lags 0 to 20, up to n - 1)")
}

// -------------------------------------------------------------------------------- lag matrix

fn check_lag_matrix() -> Graded {
    let mut rng = split::rng(202);
    for (case, &(n, p)) in [(12, 3), (40, 7), (5, 1), (9, 8)].iter().enumerate() {
        let y = ar_series(&mut rng, n, 10.0);
        let (x, target) = lag_matrix(&y, p);
        let what = format!("case {case}: lag_matrix({n} values, p = {p})");
        let leaks_target = |col: usize| {
            x.ncols() > col
                && x.nrows() == n - p
                && (0..n - p).all(|i| (x[[i, col]] - y[i + p]).abs() <= tol(y[i + p]))
        };
        ensure(!leaks_target(0), || {
            format!(
                "{what}: column 0 is y_t itself, the value to predict: the target leaks into \
                 the features (a perfect in-sample fit that cannot forecast); the row for y_t \
                 holds y_(t-1), ..., y_(t-p)"
            )
        })?;
        equal(&format!("{what}: shape of x"), &x.dim(), &(n - p, p))?;
        equal(
            &format!("{what}: length of the targets"),
            &target.len(),
            &(n - p),
        )?;
        let mut expected = Array2::zeros((n - p, p));
        let mut reversed = Array2::zeros((n - p, p));
        for i in 0..n - p {
            for j in 0..p {
                expected[[i, j]] = y[i + p - 1 - j];
                reversed[[i, j]] = y[i + j];
            }
        }
        let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
        values_naming(
            &format!("{what}: x (row by row)"),
            &flat(&x),
            &flat(&expected),
            &[(
                flat(&reversed),
                "the columns are in reverse order: column 0 must be lag 1 (y_(t-1)), column \
                 p - 1 lag p",
            )],
        )?;
        let expected_target: Vec<f64> = y[p..].to_vec();
        values_naming(
            &format!("{what}: targets"),
            &target.to_vec(),
            &expected_target,
            &[],
        )
        .hint("the target of row i is y[i + p]")?;
    }
    pass("lag matrices and targets match on 4 series (p = 1 to 8, down to one row)")
}

// ------------------------------------------------------------------------------ least squares

/// The grader's least squares, by normal equations over sums written out, Gauss-Jordan.
fn my_fit(y: &[f64], p: usize, intercept: bool) -> Vec<f64> {
    let k = p + usize::from(intercept);
    let mut a = vec![vec![0.0; k + 1]; k];
    for t in p..y.len() {
        let mut row = Vec::with_capacity(k);
        if intercept {
            row.push(1.0);
        }
        for j in 1..=p {
            row.push(y[t - j]);
        }
        for r in 0..k {
            for c in 0..k {
                a[r][c] += row[r] * row[c];
            }
            a[r][k] += row[r] * y[t];
        }
    }
    for col in 0..k {
        let mut pivot = col;
        for r in col..k {
            if a[r][col].abs() > a[pivot][col].abs() {
                pivot = r;
            }
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (v, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut beta: Vec<f64> = (0..k).map(|r| a[r][k] / a[r][r]).collect();
    if !intercept {
        beta.insert(0, 0.0);
    }
    beta
}

fn model_values(model: &ArModel) -> Vec<f64> {
    let mut v = vec![model.intercept];
    v.extend(model.coefs.iter());
    v
}

fn check_fit_ar() -> Graded {
    let mut rng = split::rng(303);
    for (case, &(n, p)) in [(150, 2), (300, 5), (60, 1), (400, 12)].iter().enumerate() {
        let mean = rng.gen_range(30.0..80.0);
        let y = ar_series(&mut rng, n, mean);
        let got = fit_ar(&y, p);
        values_naming(
            &format!("case {case}: fit_ar({n} values, p = {p}): [intercept, φ_1, ..., φ_p]"),
            &model_values(&got),
            &my_fit(&y, p, true),
            &[
                (
                    my_fit(&y, p, false),
                    "no intercept: the series has a mean far from 0, so the regression needs a \
                     column of ones",
                ),
                (
                    {
                        let mut v = my_fit(&y, p, true);
                        v[1..].reverse();
                        v
                    },
                    "the coefficients are in reverse order: coefs[0] is φ_1, the weight of y_(t-1)",
                ),
            ],
        )
        .hint("add a column of ones to the lag matrix and solve (XᵀX) β = Xᵀy with `solve`")?;
    }
    pass("intercept and coefficients equal the least-squares fit on 4 series (p = 1 to 12)")
}

// ------------------------------------------------------------------------------ forecasting

/// Recursive forecasts computed by the grader from a model's parameters.
fn my_forecast(intercept: f64, coefs: &[f64], history: &[f64], horizon: usize) -> Vec<f64> {
    let mut values = history.to_vec();
    for _ in 0..horizon {
        let t = values.len();
        let mut next = intercept;
        for (j, phi) in coefs.iter().enumerate() {
            next += phi * values[t - 1 - j];
        }
        values.push(next);
    }
    values[history.len()..].to_vec()
}

fn check_forecast_ar() -> Graded {
    let mut rng = split::rng(404);
    for (case, &(p, len, horizon)) in [(3, 10, 8), (1, 1, 5), (6, 30, 20), (4, 4, 0)]
        .iter()
        .enumerate()
    {
        let history = ar_series(&mut rng, len, 40.0);
        let coefs: Vec<f64> = (0..p)
            .map(|_| rng.gen_range(-0.4..0.5) / p as f64)
            .collect();
        let model = ArModel {
            intercept: rng.gen_range(5.0..30.0),
            coefs: Array1::from(coefs.clone()),
        };
        let got = forecast_ar(&model, &history, horizon);
        let reversed: Vec<f64> = coefs.iter().rev().copied().collect();
        // Every step from the last p observed values only, never from a forecast.
        let no_feedback = vec![my_forecast(model.intercept, &coefs, &history, 1)[0]; horizon];
        values_naming(
            &format!("case {case}: forecast_ar(p = {p}, {len} values of history, horizon = {horizon})"),
            &got,
            &my_forecast(model.intercept, &coefs, &history, horizon),
            &[
                (
                    my_forecast(model.intercept, &reversed, &history, horizon),
                    "φ_1 multiplies the oldest value: coefs[0] is the weight of the most recent",
                ),
                (
                    no_feedback,
                    "the one-step forecast repeated: later steps must use the earlier forecasts",
                ),
            ],
        )
        .hint("append each forecast to a copy of the history, and predict the next from its last p values")?;
    }
    pass("recursive forecasts match for horizons 0 to 20 (p = 1 to 6, history of exactly p too)")
}

fn check_backtest() -> Graded {
    let mut rng = split::rng(505);
    for (case, &(n_train, n_test, p)) in [(120, 15, 2), (200, 30, 4), (80, 1, 3)].iter().enumerate()
    {
        let mut y = ar_series(&mut rng, n_train + n_test, 50.0);
        // The held-out part moves to another level, so that any use of it shows.
        let shift = rng.gen_range(15.0..25.0);
        for v in &mut y[n_train..] {
            *v += shift;
        }
        let got = backtest(&y, n_train, p);
        let fit_train = my_fit(&y[..n_train], p, true);
        let expected = my_forecast(fit_train[0], &fit_train[1..], &y[..n_train], n_test);
        let one_step: Vec<f64> = (n_train..y.len())
            .map(|t| my_forecast(fit_train[0], &fit_train[1..], &y[..t], 1)[0])
            .collect();
        let from_the_end = my_forecast(fit_train[0], &fit_train[1..], &y, n_test);
        let fit_all = my_fit(&y, p, true);
        let leaky_fit = my_forecast(fit_all[0], &fit_all[1..], &y[..n_train], n_test);
        values_naming(
            &format!(
                "case {case}: backtest({} values, n_train = {n_train}, p = {p})",
                y.len()
            ),
            &got,
            &expected,
            &[
                (
                    one_step,
                    "uses true future values: each forecast is made from the observed held-out \
                     values, which a real forecast h steps ahead does not know yet",
                ),
                (
                    leaky_fit,
                    "the model was fitted on the whole series, held-out values included",
                ),
                (
                    from_the_end,
                    "forecast from the end of the whole series (history = y): the forecasts \
                     start after the held-out values instead of at n_train, from values a \
                     forecaster does not know yet",
                ),
            ],
        )
        .hint(
            "fit on y[..n_train] only, then forecast y.len() - n_train steps from y[..n_train]",
        )?;
    }
    pass("backtests fit on the training part only and forecast recursively (3 series)")
}

// ----------------------------------------------------------------------------------- births

const P: usize = 28;
const HORIZON: usize = 28;

fn check_births() -> Graded {
    let table = Table::dataset("us_births_1969_1988.csv")
        .map_err(|e| fail(format!("the grader could not read the births: {e}")))?;
    let births: Vec<f64> = table
        .numeric(&["births"])
        .map_err(|e| fail(format!("{e}")))?
        .column(0)
        .to_vec();
    let dates = table
        .text_column("date")
        .map_err(|e| fail(format!("{e}")))?;
    let start = dates
        .iter()
        .position(|d| *d == Some("1988-01-01"))
        .ok_or_else(|| fail("the grader found no 1988-01-01 in the births"))?;
    let mut totals = [0.0; 3];
    let mut figure = Vec::new();
    for k in 0..6 {
        let origin = start + 56 * k;
        let history = &births[..origin];
        let actual = &births[origin..origin + HORIZON];
        let model = fit_ar(history, P);
        equal(
            "fit_ar(births, 28): number of coefficients",
            &model.coefs.len(),
            &P,
        )?;
        ensure(model_values(&model).iter().all(|v| v.is_finite()), || {
            "fit_ar returned a coefficient that is not finite".into()
        })?;
        // The forecasts are computed here from the returned parameters.
        let coefs = model.coefs.to_vec();
        let ar = my_forecast(model.intercept, &coefs, history, HORIZON);
        let seasonal: Vec<f64> = (0..HORIZON).map(|i| history[origin - 7 + i % 7]).collect();
        let naive = vec![history[origin - 1]; HORIZON];
        for (total, forecast) in totals.iter_mut().zip([&ar, &seasonal, &naive]) {
            *total += mae(forecast, actual) / 6.0;
        }
        if k == 4 {
            figure = vec![
                series("actual", actual),
                series("ar_28", &ar),
                series("seasonal_naive", &seasonal),
            ];
        }
    }
    show(Figure::Lines {
        title: "US births from 1988-08-12: 28 days against the forecasts".into(),
        x_label: "days ahead".into(),
        y_label: "births".into(),
        series: figure,
        target: None,
    });
    let baselines = format!(
        "; seasonal naive {}, naive {}",
        fmt(totals[1]),
        fmt(totals[2])
    );
    bar(
        "mean MAE of 28-day forecasts from 6 origins in 1988",
        totals[0],
        370.0,
        Goal::AtMost,
    )
    .note(&baselines)
    .hint("check fit_ar and forecast_ar first: coefs[0] is the weight of the most recent day")
}

fn mae(forecast: &[f64], actual: &[f64]) -> f64 {
    forecast
        .iter()
        .zip(actual)
        .map(|(f, a)| (f - a).abs())
        .sum::<f64>()
        / actual.len() as f64
}

fn series(name: &str, values: &[f64]) -> Series {
    Series {
        name: name.into(),
        points: values
            .iter()
            .enumerate()
            .map(|(i, v)| [(i + 1) as f64, *v])
            .collect(),
    }
}
