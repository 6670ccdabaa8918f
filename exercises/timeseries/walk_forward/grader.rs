// Grader of timeseries/walk_forward.

use std::cell::RefCell;

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use rand::Rng as _;

use super::exercise::{OriginScore, mase, origins, smape, walk_forward};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("origins", check_origins),
    ("mase", check_mase),
    ("smape", check_smape),
    ("walk_forward", check_walk_forward),
    ("births", births),
];

fn expected_origins(n: usize, initial: usize, horizon: usize, step: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut t = initial;
    while t + horizon <= n {
        out.push(t);
        t += step;
    }
    out
}

fn compare_origins(n: usize, initial: usize, horizon: usize, step: usize) -> Result<(), Failed> {
    let case = format!("origins(n = {n}, initial = {initial}, horizon = {horizon}, step = {step})");
    let got = origins(n, initial, horizon, step);
    let expected = expected_origins(n, initial, horizon, step);
    if got == expected {
        return Ok(());
    }
    let short = format!("{case}: expected {expected:?}, got {got:?}");
    let last_dropped = {
        let mut v = expected.clone();
        v.pop();
        v
    };
    if !expected.is_empty() && got == last_dropped {
        return Err(fail(format!(
            "{short}: off by one at the end: the last origin {} has its horizon end exactly at \
             n (t + horizon <= n), and it counts",
            expected[expected.len() - 1]
        )));
    }
    let shifted_by = |d: isize| -> Vec<usize> {
        let start = initial as isize + d;
        if start < 0 {
            return Vec::new();
        }
        expected_origins(n, start as usize, horizon, step)
    };
    if got == shifted_by(1) || got == shifted_by(-1) {
        return Err(fail(format!(
            "{short}: origins off by one: the first origin is `initial` itself (the model \
             trains on the first `initial` values, y[..initial])"
        )));
    }
    let extra: Vec<usize> = {
        let mut t = initial;
        let mut v = Vec::new();
        while t < n {
            v.push(t);
            t += step;
        }
        v
    };
    if got == extra {
        return Err(fail(format!(
            "{short}: the last origins have a horizon that runs past the end of the series: \
             keep t + horizon <= n"
        )));
    }
    Err(fail(short)).hint("initial, initial + step, initial + 2 step, ... while t + horizon <= n")
}

fn check_origins() -> Graded {
    // Public cases: the last origin ends exactly at n; then a remainder; then seeded cases.
    compare_origins(20, 8, 4, 4)?;
    compare_origins(23, 10, 3, 5)?;
    compare_origins(10, 7, 3, 1)?;
    let mut r = rng(31);
    for _ in 0..6 {
        let n = r.gen_range(20..80);
        compare_origins(n, r.gen_range(5..15), r.gen_range(1..8), r.gen_range(1..6))?;
    }
    pass("origins initial, initial + step, ... with the whole horizon inside the series (9 cases)")
}

fn value(r: &mut Rng) -> f64 {
    (r.gen_range(1.0..100.0_f64) * 10.0).round() / 10.0
}

/// A seasonal series with trend and noise: positive, so that sMAPE is defined.
fn seasonal_series(r: &mut Rng, n: usize, m: usize) -> Vec<f64> {
    (0..n)
        .map(|t| 50.0 + 0.3 * t as f64 + 8.0 * (t % m) as f64 + value(r) / 10.0)
        .collect()
}

fn mean_abs(a: &[f64], b: &[f64]) -> f64 {
    let mut sum = 0.0;
    for i in 0..a.len() {
        sum += (a[i] - b[i]).abs();
    }
    sum / a.len() as f64
}

/// In-sample MAE of the lag-m seasonal naive on `x`: mean of |x[t] - x[t-m]|, t = m..len.
fn naive_scale(x: &[f64], m: usize) -> f64 {
    let mut sum = 0.0;
    for t in m..x.len() {
        sum += (x[t] - x[t - m]).abs();
    }
    sum / (x.len() - m) as f64
}

fn expected_mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> f64 {
    mean_abs(actual, forecast) / naive_scale(train, m)
}

fn expected_smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let mut sum = 0.0;
    for i in 0..actual.len() {
        let d = actual[i].abs() + forecast[i].abs();
        if d > 0.0 {
            sum += 2.0 * (forecast[i] - actual[i]).abs() / d;
        }
    }
    100.0 * sum / actual.len() as f64
}

fn rel(x: f64) -> f64 {
    1e-9 * x.abs().max(1.0)
}

fn check_mase() -> Graded {
    let mut r = rng(32);
    let mut cases = Vec::new();
    for _ in 0..6 {
        let m = r.gen_range(1..6);
        let n = r.gen_range(2 * m + 4..40);
        let h = r.gen_range(2..8);
        let train = seasonal_series(&mut r, n, m);
        let actual: Vec<f64> = seasonal_series(&mut r, n + h, m)[n..].to_vec();
        let forecast: Vec<f64> = actual
            .iter()
            .map(|a| a + value(&mut r) / 5.0 - 10.0)
            .collect();
        cases.push((train, actual, forecast, m));
    }
    for (train, actual, forecast, m) in cases {
        let (n, h) = (train.len(), actual.len());
        let case = format!("mase(train of {n}, {h} actual and forecast values, m = {m})");
        let got = mase(&train, &actual, &forecast, m);
        let expected = expected_mase(&train, &actual, &forecast, m);
        // Out-of-sample scale: the seasonal naive's errors on the actual values themselves
        // (each actual against the value m steps before it, from the training window or the
        // actuals).
        let joined: Vec<f64> = train.iter().chain(&actual).copied().collect();
        let mut out_errors = 0.0;
        for t in n..n + h {
            out_errors += (joined[t] - joined[t - m]).abs();
        }
        let out_of_sample = mean_abs(&actual, &forecast) / (out_errors / h as f64);
        let lag_one = mean_abs(&actual, &forecast) / naive_scale(&train, 1);
        let over_n =
            mean_abs(&actual, &forecast) / (naive_scale(&train, m) * (n - m) as f64 / n as f64);
        let mut wrong = vec![
            (
                out_of_sample,
                "scaled by the naive forecast's errors out of sample (on the actual values); Hyndman and Koehler scale by its in-sample MAE on the training window, which is known when the forecast is made",
            ),
            (
                over_n,
                "the in-sample errors are averaged over T, but there are only T - m of them",
            ),
        ];
        if m > 1 {
            wrong.push((
                lag_one,
                "scaled by the lag-1 naive: the seasonal MASE uses the lag-m seasonal naive",
            ));
        }
        close_naming(&case, got, expected, rel(expected), &wrong)
            .hint("MAE(actual, forecast) / mean over t = m..T of |train[t] - train[t - m]|")?;
    }
    pass(
        "MASE = forecast MAE / in-sample MAE of the lag-m seasonal naive on the training window (6 cases)",
    )
}

fn check_smape() -> Graded {
    let mut r = rng(33);
    let mut cases: Vec<(Vec<f64>, Vec<f64>)> =
        vec![(vec![100.0, 50.0, 10.0], vec![110.0, 40.0, 20.0])];
    for _ in 0..5 {
        let h = r.gen_range(3..10);
        let a: Vec<f64> = (0..h).map(|_| value(&mut r)).collect();
        let f: Vec<f64> = a.iter().map(|x| x * r.gen_range(0.5..1.6)).collect();
        cases.push((a, f));
    }
    // Zeros: a 0 / 0 term counts 0; 0 against a nonzero forecast counts the maximum, 200 %.
    cases.push((vec![0.0, 4.0, 0.0, 10.0], vec![0.0, 5.0, 3.0, 10.0]));
    for (a, f) in cases {
        let case = format!("smape(actual = {a:?}, forecast = {f:?})");
        let got = smape(&a, &f);
        let expected = expected_smape(&a, &f);
        let zero_terms = a
            .iter()
            .zip(&f)
            .filter(|(x, y)| x.abs() + y.abs() == 0.0)
            .count();
        ensure(got.is_finite(), || {
            if zero_terms > 0 {
                format!(
                    "{case}: got {} instead of {}: a term with A = F = 0 (0 / 0) counts 0",
                    fmt(got),
                    fmt(expected)
                )
            } else {
                format!(
                    "{case}: got {} instead of {} (no term here is 0 / 0)",
                    fmt(got),
                    fmt(expected)
                )
            }
        })
        .hint("skip (count 0) the terms whose |A| + |F| is 0")?;
        let mut mape = 0.0;
        let mut mape_ok = true;
        for i in 0..a.len() {
            if a[i] == 0.0 {
                mape_ok = false;
            } else {
                mape += (f[i] - a[i]).abs() / a[i].abs();
            }
        }
        let mut wrong = vec![(
            expected / 2.0,
            "the factor 2 is missing: without it sMAPE runs from 0 to 100 %, but the convention here (Makridakis, M3/M4 competitions) divides by the mean (|A| + |F|) / 2",
        )];
        if zero_terms > 0 && zero_terms < a.len() {
            wrong.push((
                expected * a.len() as f64 / (a.len() - zero_terms) as f64,
                "the 0 / 0 terms were left out of the mean: they count 0 but still count in n (divide by all n terms)",
            ));
        }
        if mape_ok {
            wrong.push((
                100.0 * mape / a.len() as f64,
                "this is the MAPE, |F - A| / |A|; sMAPE divides by (|A| + |F|) / 2",
            ));
        }
        close_naming(&case, got, expected, rel(expected), &wrong)
            .hint("100 / n * sum of 2 |F - A| / (|A| + |F|)")?;
    }
    pass("sMAPE = 100 / n * sum 2 |F - A| / (|A| + |F|), 0 / 0 counting 0 (7 cases)")
}

/// The grader's seasonal naive forecast of `h` steps, with lag m (NaN when it cannot).
fn seasonal_naive(history: &[f64], m: usize, h: usize) -> Vec<f64> {
    let t = history.len();
    if t < m || m == 0 {
        return vec![f64::NAN; h];
    }
    (0..h).map(|j| history[t - m + j % m]).collect()
}

/// Runs the learner's walk_forward with a recording forecaster (seasonal naive with lag
/// `model_m`), then checks each call and each score against the grader's own numbers.
#[allow(clippy::too_many_arguments)]
fn run_walk(
    case: &str,
    series: &[f64],
    initial: usize,
    horizon: usize,
    step: usize,
    m: usize,
    model_m: usize,
) -> Result<Vec<OriginScore>, Failed> {
    // (length, prefix of the series?, horizon, the history itself when it is not a prefix)
    type Call = (usize, bool, usize, Option<Vec<f64>>);
    let calls: RefCell<Vec<Call>> = RefCell::new(Vec::new());
    let mut forecaster = |history: &[f64], h: usize| -> Vec<f64> {
        // Is the history a prefix of the series (the values before an origin)?
        let prefix = history.len() <= series.len() && history == &series[..history.len()];
        let copy = (!prefix).then(|| history.to_vec());
        calls.borrow_mut().push((history.len(), prefix, h, copy));
        if h > 100_000 {
            return Vec::new();
        }
        seasonal_naive(history, model_m, h)
    };
    let got = walk_forward(series, initial, horizon, step, m, &mut forecaster);
    let calls = calls.into_inner();
    let expected = expected_origins(series.len(), initial, horizon, step);
    let got_origins: Vec<usize> = got.iter().map(|s| s.origin).collect();
    equal(
        &format!("{case}: origins of the scores"),
        &got_origins,
        &expected,
    )
    .hint("one score per origin of `origins(series.len(), initial, horizon, step)`, in order")?;
    equal(
        &format!("{case}: number of calls to the forecaster"),
        &calls.len(),
        &expected.len(),
    )
    .hint("call `forecast` once per origin")?;
    for (k, (&t, (len, prefix, h, copy))) in expected.iter().zip(&calls).enumerate() {
        let (len, prefix, h) = (*len, *prefix, *h);
        if let Some(history) = copy
            && len > 0
            && len < t
            && history.as_slice() == &series[t - len..t]
        {
            return Err(fail(format!(
                "{case}: at origin {t} the forecaster was given series[{}..{t}], a sliding \
                 window of the last {len} values: walk-forward here uses an expanding \
                 window, all of series[..t]",
                t - len
            )))
            .hint("pass &series[..t]: the window grows by `step` at each origin");
        }
        ensure(prefix, || {
            format!(
                "{case}: call {k} gave the forecaster values that are not the start of the series: at origin t, pass series[..t]"
            )
        })?;
        if len > t {
            return Err(fail(format!(
                "{case}: at origin {t} the forecaster was given {len} values: the training \
                 window reaches past the origin into the values it must forecast"
            )))
            .hint(
                "at origin t the model sees series[..t] only: y[t] is the first value to forecast",
            );
        }
        equal(
            &format!("{case}: training window given at origin {t} (its length)"),
            &len,
            &t,
        )
        .hint("an expanding window: all of series[..t]")?;
        equal(
            &format!("{case}: horizon asked at origin {t}"),
            &h,
            &horizon,
        )?;
    }
    for (s, &t) in got.iter().zip(&expected) {
        let train = &series[..t];
        let actual = &series[t..t + horizon];
        let forecast = seasonal_naive(train, model_m, horizon);
        let e_mase = expected_mase(train, actual, &forecast, m);
        let e_smape = expected_smape(actual, &forecast);
        // Leaky scales: the naive's errors on the whole series, or on the training window
        // and the values to forecast.
        let mae = mean_abs(actual, &forecast);
        if model_m != m {
            let own = seasonal_naive(train, m, horizon);
            let own_mase = expected_mase(train, actual, &own, m);
            if (s.mase - own_mase).abs() <= rel(own_mase) && (own_mase - e_mase).abs() > rel(e_mase)
            {
                return Err(fail(format!(
                    "{case}: MASE at origin {t} is that of a lag-{m} seasonal naive forecast, \
                     not of the values `forecast` returned: score the forecaster's output"
                )))
                .hint("let predicted = forecast(&series[..t], horizon); then score `predicted`");
            }
        }
        let whole = mae / naive_scale(series, m);
        let through_horizon = mae / naive_scale(&series[..t + horizon], m);
        close_naming(
            &format!("{case}: MASE at origin {t}"),
            s.mase,
            e_mase,
            rel(e_mase),
            &[
                (
                    whole,
                    "scaled by the naive's errors on the whole series: the scale must come from series[..t], what is known at the origin (the future leaks into the score)",
                ),
                (
                    through_horizon,
                    "scaled by the naive's errors on series[..t + horizon]: the scale must come from series[..t] only, the values to forecast are not known at the origin",
                ),
            ],
        )
        .hint("MASE at origin t: scale by the lag-m naive's in-sample MAE on series[..t]")?;
        close(
            &format!("{case}: sMAPE at origin {t}"),
            s.smape,
            e_smape,
            rel(e_smape),
        )?;
    }
    Ok(got)
}

fn check_walk_forward() -> Graded {
    let mut r = rng(34);
    for k in 0..5 {
        let m = r.gen_range(2..6);
        let n = r.gen_range(30..70);
        let initial = r.gen_range(2 * m + 2..15);
        let (horizon, step) = (r.gen_range(1..8), r.gen_range(1..6));
        let series = seasonal_series(&mut r, n, m);
        // The model is the seasonal naive with lag m, or in odd cases the naive (lag 1): the
        // scores must be those of what `forecast` returned.
        let (model_m, model) = if k % 2 == 1 {
            (1, "naive")
        } else {
            (m, "seasonal naive")
        };
        run_walk(
            &format!(
                "walk_forward(series of {n}, initial = {initial}, horizon = {horizon}, step = {step}, m = {m}; forecaster: {model})"
            ),
            &series,
            initial,
            horizon,
            step,
            m,
            model_m,
        )?;
    }
    pass(
        "one forecast per origin from series[..t] only, scored with MASE and sMAPE (5 seeded cases, two forecasters)",
    )
}

fn births() -> Graded {
    let table = Table::dataset("us_births_1969_1988.csv").map_err(|e| {
        fail(format!(
            "the grader could not load us_births_1969_1988.csv: {e}"
        ))
    })?;
    let all: Vec<f64> = table
        .numeric(&["births"])
        .map_err(|e| fail(format!("us_births_1969_1988.csv: {e}")))?
        .column(0)
        .to_vec();
    ensure(all.len() == 7305, || {
        "us_births_1969_1988.csv: expected 7305 days".into()
    })?;
    // 1985-1988 (1,461 days): the first three years to start, then 28-day forecasts every
    // 28 days through 1988.
    let series = &all[7305 - 1461..];
    let (initial, horizon, step, m) = (1095, 28, 28, 7);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let expected = expected_origins(series.len(), initial, horizon, step);
    let mut own = [Vec::new(), Vec::new()];
    for (k, model_m) in [7, 1].into_iter().enumerate() {
        for &t in &expected {
            let train = &series[..t];
            let actual = &series[t..t + horizon];
            let f = seasonal_naive(train, model_m, horizon);
            own[k].push(expected_mase(train, actual, &f, m));
        }
    }
    let points = |v: &[f64]| -> Vec<[f64; 2]> {
        v.iter()
            .enumerate()
            .map(|(i, y)| [(i + 1) as f64, *y])
            .collect()
    };
    show(Figure::Lines {
        title: "MASE of 28-day forecasts of births, origin by origin (1988)".into(),
        x_label: "origin (every 28 days from 1 Jan 1988)".into(),
        y_label: "MASE".into(),
        series: vec![
            Series {
                name: "seasonal naive (m = 7)".into(),
                points: points(&own[0]),
            },
            Series {
                name: "naive".into(),
                points: points(&own[1]),
            },
        ],
        target: Some(1.0),
    });
    let seasonal = run_walk(
        "walk_forward(births 1985-1988, 1095, 28, 28, m = 7), seasonal naive",
        series,
        initial,
        horizon,
        step,
        m,
        7,
    )?;
    let naive = run_walk(
        "walk_forward(births 1985-1988, 1095, 28, 28, m = 7), naive",
        series,
        initial,
        horizon,
        step,
        m,
        1,
    )?;
    let s_mase = mean(&seasonal.iter().map(|s| s.mase).collect::<Vec<_>>());
    let n_mase = mean(&naive.iter().map(|s| s.mase).collect::<Vec<_>>());
    let s_smape = mean(&seasonal.iter().map(|s| s.smape).collect::<Vec<_>>());
    let n_smape = mean(&naive.iter().map(|s| s.smape).collect::<Vec<_>>());
    bar(
        "mean MASE of the seasonal naive forecast over the origins",
        s_mase,
        n_mase,
        Goal::AtMost,
    )
    .note(&format!(
        " (the naive forecast's); sMAPE {} % against {} % for naive, over {} origins",
        fmt((s_smape * 100.0).round() / 100.0),
        fmt((n_smape * 100.0).round() / 100.0),
        seasonal.len()
    ))
}
