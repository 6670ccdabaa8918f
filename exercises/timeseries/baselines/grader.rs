// Grader of timeseries/baselines.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use rand::Rng as _;

use super::exercise::{drift, fill_missing, holdout_mae, naive, seasonal_naive};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("fill_missing", check_fill),
    ("naive_drift", naive_drift),
    ("seasonal_naive", check_seasonal),
    ("holdout", holdout),
];

/// A few decimals, so that printed cases are readable.
fn value(r: &mut Rng) -> f64 {
    (r.gen_range(0.0..100.0_f64) * 10.0).round() / 10.0
}

fn series(r: &mut Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| value(r)).collect()
}

fn show_list(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().take(12).map(|x| fmt(*x)).collect();
    let more = if v.len() > 12 { ", ..." } else { "" };
    format!("[{}{more}]", items.join(", "))
}

fn show_options(v: &[Option<f64>]) -> String {
    let items: Vec<String> = v
        .iter()
        .take(12)
        .map(|x| x.map_or("None".into(), fmt))
        .collect();
    let more = if v.len() > 12 { ", ..." } else { "" };
    format!("[{}{more}]", items.join(", "))
}

fn same(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// Linear interpolation written with loops: for each missing position, the nearest observed
/// values on each side; ends carried from the nearest observed value.
fn expected_fill(s: &[Option<f64>]) -> Vec<f64> {
    let n = s.len();
    let mut out = vec![0.0; n];
    for i in 0..n {
        if let Some(v) = s[i] {
            out[i] = v;
            continue;
        }
        let mut before = None;
        for j in (0..i).rev() {
            if let Some(v) = s[j] {
                before = Some((j, v));
                break;
            }
        }
        let mut after = None;
        for (j, v) in s.iter().enumerate().skip(i + 1) {
            if let Some(v) = v {
                after = Some((j, *v));
                break;
            }
        }
        out[i] = match (before, after) {
            (Some((j0, a)), Some((j1, b))) => a + (b - a) * (i - j0) as f64 / (j1 - j0) as f64,
            (Some((_, a)), None) => a,
            (None, Some((_, b))) => b,
            (None, None) => f64::NAN,
        };
    }
    out
}

fn mean_fill(s: &[Option<f64>]) -> Vec<f64> {
    let known: Vec<f64> = s.iter().flatten().copied().collect();
    let mean = known.iter().sum::<f64>() / known.len() as f64;
    s.iter().map(|v| v.unwrap_or(mean)).collect()
}

fn forward_fill(s: &[Option<f64>]) -> Vec<f64> {
    let first = s.iter().flatten().next().copied().unwrap_or(0.0);
    let mut last = first;
    s.iter()
        .map(|v| {
            if let Some(v) = v {
                last = *v;
            }
            last
        })
        .collect()
}

/// Linear interpolation with the fraction i / k for the i-th of k missing values (so the last
/// missing value equals the next observed one); ends as expected.
fn fill_over_k(s: &[Option<f64>]) -> Vec<f64> {
    let mut out = expected_fill(s);
    let known: Vec<usize> = (0..s.len()).filter(|&i| s[i].is_some()).collect();
    for pair in known.windows(2) {
        let (i0, i1) = (pair[0], pair[1]);
        if let (Some(a), Some(b)) = (s[i0], s[i1]) {
            let k = i1 - i0 - 1;
            for i in 1..=k {
                out[i0 + i] = a + (b - a) * i as f64 / k as f64;
            }
        }
    }
    out
}

fn compare_fill(case: &str, s: &[Option<f64>]) -> Result<(), Failed> {
    let got = fill_missing(s);
    let expected = expected_fill(s);
    equal(&format!("{case}: length"), &got.len(), &s.len())?;
    let tol = 1e-9;
    if same(&got, &expected, tol) {
        return Ok(());
    }
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!(
            "{case}: some values are still NaN or infinite: every gap must be filled, the ends too"
        )
    })
    .hint("a gap at the start takes the first observed value, one at the end the last")?;
    if same(&got, &mean_fill(s), tol) {
        return Err(fail(format!(
            "{case}: every gap holds the mean of the series (mean fill): it ignores the \
             neighbours, and on a trending series like CO2 puts 1964's gap at the level of 1980"
        )))
        .hint("interpolate between the observed values just before and just after the gap");
    }
    if same(&got, &forward_fill(s), tol) {
        return Err(fail(format!(
            "{case}: every gap repeats the value before it (forward fill), a step instead of \
             linear interpolation"
        )))
        .hint("a + (b - a) * i / (k + 1) for the i-th of k missing values between a and b");
    }
    if same(&got, &fill_over_k(s), tol) {
        return Err(fail(format!(
            "{case}: the i-th of k missing values got a + (b - a) * i / k, so the last one \
             equals the next observed value b; there are k + 1 steps from a to b, so the \
             fraction is i / (k + 1)"
        )))
        .hint("fraction (i - i0) / (i1 - i0) for a missing index i between observed i0 and i1");
    }
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        close(&format!("{case}: value {i}"), *g, *e, tol).hint(if s[i].is_some() {
            "observed values stay as they are"
        } else {
            "a + (b - a) * i / (k + 1) for the i-th of k missing values between a and b; the ends take the nearest observed value"
        })?;
    }
    Ok(())
}

fn check_fill() -> Graded {
    let hand = [None, Some(2.0), None, None, Some(8.0), Some(1.0), None];
    compare_fill(&format!("fill_missing({})", show_options(&hand)), &hand)?;
    let mut r = rng(21);
    for _ in 0..6 {
        let n = r.gen_range(10..30);
        let mut s: Vec<Option<f64>> = (0..n)
            .map(|_| {
                let v = value(&mut r);
                (r.gen_range(0.0..1.0) > 0.35).then_some(v)
            })
            .collect();
        // A run of missing values at each end, and a long gap inside.
        let (a, b) = (r.gen_range(0..3), r.gen_range(0..3));
        s[..a].fill(None);
        s[n - b..].fill(None);
        let mid = n / 2;
        s[mid..mid + 3].fill(None);
        s[a] = Some(value(&mut r));
        compare_fill(&format!("fill_missing({})", show_options(&s)), &s)?;
    }
    let table = Table::dataset("co2_mauna_loa_weekly.csv").map_err(|e| {
        fail(format!(
            "the grader could not load co2_mauna_loa_weekly.csv: {e}"
        ))
    })?;
    let co2 = table
        .numeric_column("co2_ppm")
        .map_err(|e| fail(format!("co2_mauna_loa_weekly.csv: {e}")))?;
    let got = fill_missing(&co2);
    let expected = expected_fill(&co2);
    let window = 285..335;
    if got.len() == co2.len() {
        let observed: Vec<[f64; 2]> = window
            .clone()
            .filter_map(|i| co2[i].map(|v| [i as f64, v]))
            .collect();
        let filled: Vec<[f64; 2]> = window.map(|i| [i as f64, got[i]]).collect();
        show(Figure::Lines {
            title: "CO2 around the 1964 gap (weeks since 1958-03-29)".into(),
            x_label: "week".into(),
            y_label: "ppm".into(),
            series: vec![
                Series {
                    name: "your filled series".into(),
                    points: filled,
                },
                Series {
                    name: "observed".into(),
                    points: observed,
                },
            ],
            target: None,
        });
    }
    compare_fill("co2_mauna_loa_weekly (2284 weeks, 59 missing)", &co2)?;
    close(
        "largest difference from the grader's interpolation on CO2",
        got.iter()
            .zip(&expected)
            .map(|(g, e)| (g - e).abs())
            .fold(0.0, f64::max),
        0.0,
        1e-9,
    )?;
    pass(
        "gaps filled by linear interpolation, ends by the nearest value (7 small cases and the 59 gaps of CO2)",
    )
}

fn naive_drift() -> Graded {
    let mut r = rng(22);
    let mut cases = vec![(vec![3.0, 5.0, 4.0, 9.0], 3)];
    for _ in 0..5 {
        let n = r.gen_range(5..25);
        let h = r.gen_range(1..10);
        cases.push((series(&mut r, n), h));
    }
    for (history, h) in cases {
        let t = history.len();
        let last = history[t - 1];
        let case = |f: &str| format!("{f}({}, h = {h})", show_list(&history));
        let got = naive(&history, h);
        equal(
            &format!("{}: number of forecasts", case("naive")),
            &got.len(),
            &h,
        )?;
        let mean = history.iter().sum::<f64>() / t as f64;
        if h > 0 && !same(&got, &vec![last; h], 1e-9) && same(&got, &vec![mean; h], 1e-9) {
            return Err(fail(format!(
                "{}: every forecast is the mean of the history (the mean method); the naive \
                 forecast repeats the last value y_T = {}",
                case("naive"),
                fmt(last)
            )));
        }
        all_close(&case("naive"), &got, &vec![last; h], 1e-9)
            .hint("every forecast is the last value of the history")?;

        let got = drift(&history, h);
        equal(
            &format!("{}: number of forecasts", case("drift")),
            &got.len(),
            &h,
        )?;
        let slope = (last - history[0]) / (t - 1) as f64;
        let expected: Vec<f64> = (1..=h).map(|j| last + j as f64 * slope).collect();
        let over_t: Vec<f64> = (1..=h)
            .map(|j| last + j as f64 * (last - history[0]) / t as f64)
            .collect();
        let from_zero: Vec<f64> = (0..h).map(|j| last + j as f64 * slope).collect();
        let wrong: &[(Vec<f64>, &str)] = &[
            (
                over_t,
                "the slope is divided by T; from y_1 to y_T there are T - 1 steps, so the slope is (y_T - y_1) / (T - 1)",
            ),
            (
                from_zero,
                "the first forecast is y_T itself: step j = 1 is y_T + slope",
            ),
        ];
        if !same(&got, &expected, 1e-9) {
            for (values, why) in wrong {
                if same(&got, values, 1e-9) {
                    return Err(fail(format!("{}: {why}", case("drift"))));
                }
            }
        }
        all_close(&case("drift"), &got, &expected, 1e-9)
            .hint("y_T + j (y_T - y_1) / (T - 1) for j = 1..=h")?;
    }
    pass("naive repeats y_T; drift extends the line through y_1 and y_T (6 cases)")
}

fn check_seasonal() -> Graded {
    let mut r = rng(23);
    let mut cases = vec![((1..=10).map(f64::from).collect::<Vec<_>>(), 4, 9)];
    for _ in 0..5 {
        let m = r.gen_range(2..8);
        let n = m + r.gen_range(1..15);
        let h = r.gen_range(m + 1..3 * m + 3);
        cases.push((series(&mut r, n), m, h));
    }
    cases.push((series(&mut r, 12), 5, 3)); // h < m
    for (history, m, h) in cases {
        let t = history.len();
        let case = format!("seasonal_naive({}, m = {m}, h = {h})", show_list(&history));
        let got = seasonal_naive(&history, m, h);
        equal(&format!("{case}: number of forecasts"), &got.len(), &h)?;
        // Hyndman's formula with j = 1..=h and T = t: index (1-based) T + j - m (k + 1).
        let expected: Vec<f64> = (1..=h)
            .map(|j| history[t + j - m * ((j - 1) / m + 1) - 1])
            .collect();
        if same(&got, &expected, 1e-9) {
            continue;
        }
        let shifted = |d: isize| -> Vec<f64> {
            (0..h)
                .map(|j| {
                    let i = (t - m) as isize + (j % m) as isize + d;
                    if (0..t as isize).contains(&i) {
                        history[i as usize]
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        };
        let clamped: Vec<f64> = (0..h).map(|j| history[(t - m + j).min(t - 1)]).collect();
        if same(&got, &shifted(-1), 1e-9) || same(&got, &shifted(1), 1e-9) {
            return Err(fail(format!(
                "{case}: the season is off by one: step j must take y_(T+j-m), the same position \
                 in the last cycle, and you took its neighbour"
            )))
            .hint("with 0-based j, the forecast is history[T - m + j % m]");
        }
        if h > m && same(&got, &clamped, 1e-9) {
            return Err(fail(format!(
                "{case}: horizons beyond m are not wrapped: step m + 1 must start the last cycle \
                 again (y_(T+1-m)), not repeat y_T"
            )))
            .hint("j % m wraps the horizon around the season");
        }
        all_close(&case, &got, &expected, 1e-9)
            .hint("the forecast repeats the last m values of the history, in order")?;
    }
    pass("seasonal naive repeats the last cycle, wrapping around beyond m (7 cases)")
}

/// The grader's MAE of a forecast against the holdout, with a loop.
fn mae(forecast: &[f64], actual: &[f64]) -> f64 {
    let mut sum = 0.0;
    for i in 0..actual.len() {
        sum += (forecast[i] - actual[i]).abs();
    }
    sum / actual.len() as f64
}

struct Expected {
    naive: f64,
    seasonal: f64,
    drift: f64,
    one_step: [f64; 3],
    whole: [f64; 3],
}

/// The three holdout MAEs by the grader's own formulas, and their one-step variants (each
/// forecast made from the actual values up to the step before).
fn expected_scores(s: &[f64], h: usize, m: usize) -> Expected {
    let n = s.len();
    let t = n - h;
    let actual = &s[t..];
    let slope = (s[t - 1] - s[0]) / (t - 1) as f64;
    let naive_f = vec![s[t - 1]; h];
    let seasonal_f: Vec<f64> = (1..=h)
        .map(|j| s[t + j - m * ((j - 1) / m + 1) - 1])
        .collect();
    let drift_f: Vec<f64> = (1..=h).map(|j| s[t - 1] + j as f64 * slope).collect();
    let naive1: Vec<f64> = (t..n).map(|i| s[i - 1]).collect();
    let seasonal1: Vec<f64> = (t..n).map(|i| s[i - m]).collect();
    let drift1: Vec<f64> = (t..n)
        .map(|i| s[i - 1] + (s[i - 1] - s[0]) / (i - 1) as f64)
        .collect();
    // Forecasts from the whole series, the holdout included (the origin at n, not n - h).
    let slope_n = (s[n - 1] - s[0]) / (n - 1) as f64;
    let naive_w = vec![s[n - 1]; h];
    let seasonal_w: Vec<f64> = (0..h).map(|j| s[n - m + j % m]).collect();
    let drift_w: Vec<f64> = (1..=h).map(|j| s[n - 1] + j as f64 * slope_n).collect();
    Expected {
        whole: [
            mae(&naive_w, actual),
            mae(&seasonal_w, actual),
            mae(&drift_w, actual),
        ],
        naive: mae(&naive_f, actual),
        seasonal: mae(&seasonal_f, actual),
        drift: mae(&drift_f, actual),
        one_step: [
            mae(&naive1, actual),
            mae(&seasonal1, actual),
            mae(&drift1, actual),
        ],
    }
}

fn compare_scores(case: &str, s: &[f64], h: usize, m: usize) -> Result<[f64; 3], Failed> {
    let got = holdout_mae(s, h, m);
    let e = expected_scores(s, h, m);
    let one_step = "one-step forecasts: each step used the actual value before it, inside the \
                    horizon; a forecast made at T knows nothing after y_T";
    let whole = "forecast from the whole series, the holdout included: the forecasts must be \
                 made from series[..n - h], the values before the holdout";
    let rows = [
        ("naive", got.naive, e.naive, e.one_step[0], e.whole[0]),
        (
            "seasonal naive",
            got.seasonal_naive,
            e.seasonal,
            e.one_step[1],
            e.whole[1],
        ),
        ("drift", got.drift, e.drift, e.one_step[2], e.whole[2]),
    ];
    for (name, g, expected, wrong, leaky) in rows {
        let tol = 1e-9 * expected.abs().max(1.0);
        close_naming(
            &format!("{case}: MAE of the {name} forecast"),
            g,
            expected,
            tol,
            &[(wrong, one_step), (leaky, whole)],
        )
        .hint("forecast the last h values from series[..n - h] only, then average |forecast - actual|")?;
    }
    Ok([got.naive, got.seasonal_naive, got.drift])
}

fn holdout() -> Graded {
    let mut r = rng(24);
    for _ in 0..4 {
        let m = r.gen_range(2..6);
        let n = r.gen_range(20..40);
        let h = r.gen_range(m + 1..3 * m);
        let s: Vec<f64> = (0..n)
            .map(|i| 0.5 * i as f64 + 10.0 * ((i % m) as f64) + value(&mut r) / 10.0)
            .collect();
        compare_scores(
            &format!("holdout_mae(seeded series of {n}, h = {h}, m = {m})"),
            &s,
            h,
            m,
        )?;
    }
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
    // Up to 1988-11-30 (the last 31 days are December): the holdout is 3 to 30 November
    // 1988, four whole weeks without Christmas, and T (2 November) is a Wednesday.
    ensure(all.len() == 7305, || {
        "us_births_1969_1988.csv: expected 7305 days".into()
    })?;
    let births = &all[..7305 - 31];
    let (h, m) = (28, 7);
    let t = births.len() - h;
    let e = expected_scores(births, h, m);
    let seasonal_f: Vec<f64> = (1..=h)
        .map(|j| births[t + j - m * ((j - 1) / m + 1) - 1])
        .collect();
    let day = |i: usize| i as f64 + 1.0;
    show(Figure::Lines {
        title: "US births, 3 to 30 November 1988, and the forecasts made on 2 November".into(),
        x_label: "day of the holdout".into(),
        y_label: "births".into(),
        series: vec![
            Series {
                name: "actual".into(),
                points: (0..h).map(|i| [day(i), births[t + i]]).collect(),
            },
            Series {
                name: "seasonal naive (m = 7)".into(),
                points: (0..h).map(|i| [day(i), seasonal_f[i]]).collect(),
            },
            Series {
                name: "naive".into(),
                points: (0..h).map(|i| [day(i), births[t - 1]]).collect(),
            },
        ],
        target: None,
    });
    let got = compare_scores(
        "holdout_mae(births to 1988-11-30, h = 28, m = 7)",
        births,
        h,
        m,
    )?;
    let co2_table = Table::dataset("co2_mauna_loa_weekly.csv").map_err(|e| {
        fail(format!(
            "the grader could not load co2_mauna_loa_weekly.csv: {e}"
        ))
    })?;
    let co2 = expected_fill(
        &co2_table
            .numeric_column("co2_ppm")
            .map_err(|e| fail(format!("co2_mauna_loa_weekly.csv: {e}")))?,
    );
    let co2_scores = compare_scores("holdout_mae(CO2 filled, h = 52, m = 52)", &co2, 52, 52)?;
    bar(
        "MAE of the seasonal naive forecast of 28 days of births",
        got[1],
        e.naive,
        Goal::AtMost,
    )
    .note(&format!(
        " (the naive forecast's MAE); drift: {}. On the last 52 weeks of CO2 (ppm): naive {}, \
         seasonal naive {}, drift {}",
        fmt(e.drift.round()),
        fmt((co2_scores[0] * 100.0).round() / 100.0),
        fmt((co2_scores[1] * 100.0).round() / 100.0),
        fmt((co2_scores[2] * 100.0).round() / 100.0)
    ))
}
