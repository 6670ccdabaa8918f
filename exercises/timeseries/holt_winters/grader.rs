// Grader of timeseries/holt_winters.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;

use super::exercise::{HwState, holt_forecast, hw_fit, hw_forecast, hw_init, ses_levels};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("ses", check_ses),
    ("holt", check_holt),
    ("init", check_init),
    ("hw_fit", check_hw_fit),
    ("hw_forecast", check_hw_forecast),
    ("co2", check_co2),
];

/// Relative tolerance: a few hundred multiply-adds on values near 100 round far below 1e-9.
fn tol(scale: f64) -> f64 {
    1e-9 * scale.abs().max(1.0)
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
    for (values, why) in wrong {
        if near(got, values) && !near(values, expected) {
            let i = (0..got.len())
                .find(|&i| (got[i] - expected[i]).abs() > tol(expected[i]))
                .unwrap_or(0);
            return Err(fail(format!(
                "{what}[{i}]: expected {}, got {}: {why}",
                fmt(expected[i]),
                fmt(got[i])
            )));
        }
    }
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        close(&format!("{what}[{i}]"), *g, *e, tol(*e))?;
    }
    Ok(())
}

/// A series with a trend, a season of period `m` and noise, drawn from `rng`.
fn series(rng: &mut split::Rng, m: usize, n: usize) -> Vec<f64> {
    let base = rng.gen_range(20.0..80.0);
    let slope = rng.gen_range(-0.5..0.8);
    let pattern: Vec<f64> = (0..m).map(|_| rng.gen_range(-6.0..6.0)).collect();
    (0..n)
        .map(|t| base + slope * t as f64 + pattern[t % m] + rng.gen_range(-1.0..1.0))
        .collect()
}

// ---------------------------------------------------------------- simple exponential smoothing

fn my_ses(y: &[f64], alpha: f64, swapped: bool) -> Vec<f64> {
    let (a, keep) = if swapped {
        (1.0 - alpha, alpha)
    } else {
        (alpha, 1.0 - alpha)
    };
    let mut out = vec![y[0]];
    for t in 1..y.len() {
        let previous = out[t - 1];
        out.push(a * y[t] + keep * previous);
    }
    out
}

fn check_ses() -> Graded {
    let mut rng = split::rng(11);
    for case in 0..4 {
        let n = [1, 2, 15, 40][case];
        let y = series(&mut rng, 5, n);
        let alpha = rng.gen_range(0.1..0.45);
        let got = ses_levels(&y, alpha);
        values_naming(
            &format!(
                "case {case}: ses_levels(y of {n} values, alpha = {})",
                fmt(alpha)
            ),
            &got,
            &my_ses(&y, alpha, false),
            &[(
                my_ses(&y, alpha, true),
                "alpha weighs the old level: the new observation gets α, the level 1 - α",
            )],
        )
        .hint("ℓ_0 = y_0, then ℓ_t = α y_t + (1 - α) ℓ_{t-1}, one level per observation")?;
    }
    pass("SES levels match ℓ_t = α y_t + (1 - α) ℓ_{t-1} on 4 series (1 to 40 values)")
}

// ------------------------------------------------------------------------------ Holt's trend

/// Holt's method; `steps(h)` is the multiple of the trend the forecast h adds.
fn my_holt(y: &[f64], alpha: f64, beta: f64, horizon: usize, steps: fn(usize) -> f64) -> Vec<f64> {
    let mut level = y[1];
    let mut trend = y[1] - y[0];
    for &v in &y[2..] {
        let previous = level;
        level = alpha * v + (1.0 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1.0 - beta) * trend;
    }
    (1..=horizon).map(|h| level + steps(h) * trend).collect()
}

fn check_holt() -> Graded {
    let mut rng = split::rng(22);
    for case in 0..4 {
        let n = [2, 3, 20, 48][case];
        let horizon = [3, 1, 6, 12][case];
        let y = series(&mut rng, 1, n);
        let alpha = rng.gen_range(0.2..0.8);
        let beta = rng.gen_range(0.05..0.4);
        let got = holt_forecast(&y, alpha, beta, horizon);
        values_naming(
            &format!(
                "case {case}: holt_forecast({n} values, alpha = {}, beta = {}, horizon = {horizon})",
                fmt(alpha),
                fmt(beta)
            ),
            &got,
            &my_holt(&y, alpha, beta, horizon, |h| h as f64),
            &[
                (
                    my_holt(&y, alpha, beta, horizon, |_| 0.0),
                    "a flat forecast: the trend is left out (the forecast h steps ahead is ℓ_T + h·b_T)",
                ),
                (
                    my_holt(&y, alpha, beta, horizon, |_| 1.0),
                    "the trend is added once, not h times (the forecast h steps ahead is ℓ_T + h·b_T)",
                ),
                (
                    my_holt(&y, alpha, beta, horizon, |h| (h - 1) as f64),
                    "the horizon is off by one: the forecast 1 step ahead is ℓ_T + b_T",
                ),
            ],
        )
        .hint("start from ℓ = y_1, b = y_1 - y_0; after the loop, forecast ℓ + h·b for h = 1..=horizon")?;
    }
    pass("Holt's forecasts ℓ_T + h·b_T match on 4 series (2 to 48 values, horizons 1 to 12)")
}

// ----------------------------------------------------------------------------- initialization

fn my_init(y: &[f64], m: usize) -> (f64, f64, Vec<f64>) {
    let mut first = 0.0;
    let mut second = 0.0;
    for j in 0..m {
        first += y[j];
        second += y[m + j];
    }
    first /= m as f64;
    second /= m as f64;
    let seasonals = (0..m).map(|j| y[j] - first).collect();
    (first, (second - first) / m as f64, seasonals)
}

fn check_init() -> Graded {
    let mut rng = split::rng(33);
    for (case, &(m, n)) in [(4, 8), (12, 40), (7, 23), (3, 30)].iter().enumerate() {
        let y = series(&mut rng, m, n);
        let (level, trend, seasonals) = my_init(&y, m);
        let got = hw_init(&y, m);
        let what = format!("case {case}: hw_init({n} values, m = {m})");
        close_naming(
            &format!("{what}.level"),
            got.level,
            level,
            tol(level),
            &[(
                y[0],
                "the level is the first observation, not the mean of the first season",
            )],
        )?;
        close_naming(
            &format!("{what}.trend"),
            got.trend,
            trend,
            tol(trend),
            &[
                (
                    trend * m as f64,
                    "the difference of the two season means is not divided by m (it is the \
                     change over a whole season, not per step)",
                ),
                (
                    y[1] - y[0],
                    "the trend is y_1 - y_0, not the seasons' means' slope",
                ),
            ],
        )?;
        let wrong_first: Vec<f64> = (0..m).map(|j| y[j] - y[0]).collect();
        let wrong_trend: Vec<f64> = (0..m).map(|j| y[j] - level - j as f64 * trend).collect();
        values_naming(
            &format!("{what}.seasonals"),
            &got.seasonals,
            &seasonals,
            &[
                (
                    wrong_first,
                    "the seasonals are taken from y_0, not from the first season's mean",
                ),
                (
                    wrong_trend,
                    "the trend was removed from the seasonals (statsmodels' simple init does not)",
                ),
            ],
        )?;
    }
    pass("the simple initialization matches on 4 series (m = 3 to 12, from exactly 2m values)")
}

// ------------------------------------------------------------------------------ Holt-Winters

#[derive(Clone, Copy, PartialEq)]
enum Fit {
    Correct,
    /// s_t = γ(y_t - ℓ_t) + (1 - γ) s_{t-m}
    NewLevel,
    /// the level and season updates of the multiplicative model
    Multiplicative,
    /// uses s_{t-m+1} where s_{t-m} belongs
    OffByOne,
    /// s_t = γ(y_t - ℓ_t - b_t): the season computed after overwriting the level and trend
    Overwritten,
    /// the right components, left in the slots of a ring buffer (slot t mod m)
    Unrotated,
}

/// Additive Holt-Winters written with the whole history of seasonal components: `s[t + m]`
/// is s_t, `s[0..m]` the initial ones (times -m..-1).
fn my_fit(y: &[f64], init: &HwState, a: f64, b: f64, g: f64, variant: Fit) -> HwState {
    let m = init.seasonals.len();
    let mut s = init.seasonals.clone();
    let (mut level, mut trend) = (init.level, init.trend);
    for (t, &v) in y.iter().enumerate() {
        let past = if variant == Fit::OffByOne {
            s[t + 1]
        } else {
            s[t]
        };
        let new_level = if variant == Fit::Multiplicative {
            a * (v / past) + (1.0 - a) * (level + trend)
        } else {
            a * (v - past) + (1.0 - a) * (level + trend)
        };
        let new_trend = b * (new_level - level) + (1.0 - b) * trend;
        let season = match variant {
            Fit::NewLevel => g * (v - new_level) + (1.0 - g) * past,
            Fit::Overwritten => g * (v - new_level - new_trend) + (1.0 - g) * past,
            Fit::Multiplicative => g * (v / (level + trend)) + (1.0 - g) * past,
            _ => g * (v - level - trend) + (1.0 - g) * past,
        };
        s.push(season);
        level = new_level;
        trend = new_trend;
    }
    let mut seasonals = s[s.len() - m..].to_vec();
    if variant == Fit::Unrotated {
        // Slot j of a ring buffer holds the latest component of the times t ≡ j (mod m).
        let mut ring = vec![0.0; m];
        for (i, v) in seasonals.iter().enumerate() {
            ring[(y.len() + i) % m] = *v;
        }
        seasonals = ring;
    }
    HwState {
        level,
        trend,
        seasonals,
    }
}

fn flat(state: &HwState) -> Vec<f64> {
    let mut v = vec![state.level, state.trend];
    v.extend(&state.seasonals);
    v
}

fn check_hw_fit() -> Graded {
    let mut rng = split::rng(44);
    for (case, &(m, n)) in [(4, 17), (12, 60), (3, 1), (7, 30), (2, 9)]
        .iter()
        .enumerate()
    {
        let y = series(&mut rng, m, n);
        // A start that is not the simple initialization, so that this check tests the
        // updates alone.
        let init = HwState {
            level: y[0] + rng.gen_range(-3.0..3.0),
            trend: rng.gen_range(-0.5..0.5),
            seasonals: (0..m).map(|_| rng.gen_range(-5.0..5.0)).collect(),
        };
        let (a, b, g) = (
            rng.gen_range(0.2..0.8),
            rng.gen_range(0.05..0.3),
            rng.gen_range(0.1..0.6),
        );
        let got = hw_fit(&y, &init, a, b, g);
        let what = format!(
            "case {case}: hw_fit({n} values, m = {m}, alpha = {}, beta = {}, gamma = {})",
            fmt(a),
            fmt(b),
            fmt(g)
        );
        equal(
            &format!("{what}: length of the returned seasonals"),
            &got.seasonals.len(),
            &m,
        )?;
        let wrong = |variant, why| (flat(&my_fit(&y, &init, a, b, g, variant)), why);
        values_naming(
            &format!("{what}: [level, trend, seasonals...] after the last value"),
            &flat(&got),
            &flat(&my_fit(&y, &init, a, b, g, Fit::Correct)),
            &[
                wrong(
                    Fit::NewLevel,
                    "the season was updated with the new level ℓ_t (Winters' original form); \
                     FPP's form, as in statsmodels, uses y_t - ℓ_{t-1} - b_{t-1}",
                ),
                wrong(
                    Fit::Overwritten,
                    "the season was updated after the level and trend were overwritten \
                     (y_t - ℓ_t - b_t): it uses the previous ones, y_t - ℓ_{t-1} - b_{t-1}",
                ),
                wrong(
                    Fit::Unrotated,
                    "the seasonals are not in time order (a ring buffer returned as it \
                     stands): seasonals[0] must be the oldest kept, s_{T-m+1}, the one the \
                     next value uses",
                ),
                wrong(
                    Fit::Multiplicative,
                    "multiplicative seasonality mixed in (y_t / s); the additive model subtracts",
                ),
                wrong(
                    Fit::OffByOne,
                    "seasonal index off by one: y_t uses s_{t-m}, the component of the same \
                     season one period earlier",
                ),
            ],
        )
        .hint("for each y_t: take s_{t-m} (the oldest of the m kept), compute ℓ_t, b_t, s_t from ℓ_{t-1}, b_{t-1}, then drop s_{t-m} and keep s_t")?;
    }
    pass("Holt-Winters states match after 1 to 60 updates (m = 2 to 12)")
}

#[derive(Clone, Copy, PartialEq)]
enum Forecast {
    Correct,
    Flat,
    OffByOne,
    Multiplicative,
}

fn my_forecast(state: &HwState, horizon: usize, variant: Forecast) -> Vec<f64> {
    let m = state.seasonals.len();
    let mut out = Vec::new();
    for h in 1..=horizon {
        // k = ⌊(h - 1)/m⌋ and s_{T+h-m(k+1)} is seasonals[h - 1 - m k], with seasonals[m - 1]
        // = s_T.
        let k = (h - 1) / m;
        let index = if variant == Forecast::OffByOne {
            h % m
        } else {
            h - 1 - m * k
        };
        let trend = if variant == Forecast::Flat {
            0.0
        } else {
            h as f64 * state.trend
        };
        out.push(if variant == Forecast::Multiplicative {
            (state.level + trend) * state.seasonals[index]
        } else {
            state.level + trend + state.seasonals[index]
        });
    }
    out
}

fn check_hw_forecast() -> Graded {
    let mut rng = split::rng(55);
    for (case, &(m, horizon)) in [(4, 9), (12, 30), (3, 0), (5, 1), (7, 15)]
        .iter()
        .enumerate()
    {
        let state = HwState {
            level: rng.gen_range(20.0..80.0),
            trend: rng.gen_range(-1.0..1.0),
            seasonals: (0..m).map(|_| rng.gen_range(-5.0..5.0)).collect(),
        };
        let got = hw_forecast(&state, horizon);
        values_naming(
            &format!("case {case}: hw_forecast(m = {m}, horizon = {horizon})"),
            &got,
            &my_forecast(&state, horizon, Forecast::Correct),
            &[
                (
                    my_forecast(&state, horizon, Forecast::Flat),
                    "a flat forecast: the trend is left out (ℓ_T + h·b_T + s)",
                ),
                (
                    my_forecast(&state, horizon, Forecast::OffByOne),
                    "seasonal index off by one: h = 1 uses seasonals[0] = s_{T+1-m}",
                ),
                (
                    my_forecast(&state, horizon, Forecast::Multiplicative),
                    "multiplicative seasonality mixed in: the additive model adds s",
                ),
            ],
        )
        .hint("forecast h (1-based) is level + h·trend + seasonals[(h - 1) % m]")?;
    }
    pass("forecasts match for horizons 0 to 30, beyond two seasons (m = 3 to 12)")
}

// ------------------------------------------------------------------------------ CO2 forecast

/// Weekly CO2 to monthly means: weeks are grouped by the month of their `week_start`, weeks
/// without a value are left out of the mean. From 1965 on every month has at least one week
/// with a value (the 1964 gap is before), so the series starts in January 1965.
fn co2_monthly() -> Result<Vec<f64>, Failed> {
    let table = Table::dataset("co2_mauna_loa_weekly.csv")
        .map_err(|e| fail(format!("the grader could not read the CO2 data: {e}")))?;
    let dates = table
        .text_column("week_start")
        .map_err(|e| fail(format!("{e}")))?;
    let values = table
        .numeric_column("co2_ppm")
        .map_err(|e| fail(format!("{e}")))?;
    let mut months: Vec<(String, f64, usize)> = Vec::new();
    for (date, value) in dates.iter().zip(&values) {
        let month = date.unwrap_or("").get(..7).unwrap_or("").to_string();
        if month.as_str() < "1965-01" {
            continue;
        }
        if months.last().map(|m| &m.0) != Some(&month) {
            months.push((month, 0.0, 0));
        }
        if let (Some(v), Some(last)) = (value, months.last_mut()) {
            last.1 += v;
            last.2 += 1;
        }
    }
    ensure(months.iter().all(|m| m.2 > 0), || {
        "the grader found a month without data in the CO2 series".into()
    })?;
    Ok(months.iter().map(|m| m.1 / m.2 as f64).collect())
}

const HORIZON: usize = 36;
const M: usize = 12;

fn mae(forecast: &[f64], actual: &[f64]) -> f64 {
    forecast
        .iter()
        .zip(actual)
        .map(|(f, a)| (f - a).abs())
        .sum::<f64>()
        / actual.len() as f64
}

fn check_co2() -> Graded {
    let y = co2_monthly()?;
    let (train, test) = y.split_at(y.len() - HORIZON);
    let init = hw_init(train, M);
    equal(
        "hw_init(train, 12): number of seasonals",
        &init.seasonals.len(),
        &M,
    )?;
    let state = hw_fit(train, &init, 0.5, 0.01, 0.3);
    equal("hw_fit: number of seasonals", &state.seasonals.len(), &M)?;
    let forecast = hw_forecast(&state, HORIZON);
    equal(
        "hw_forecast(state, 36): number of forecasts",
        &forecast.len(),
        &HORIZON,
    )?;
    ensure(forecast.iter().all(|f| f.is_finite()), || {
        "hw_forecast returned a value that is not finite (NaN or infinite)".into()
    })?;
    let n = train.len();
    let seasonal_naive: Vec<f64> = (0..HORIZON).map(|i| train[n - M + i % M]).collect();
    let slope = (train[n - 1] - train[0]) / (n - 1) as f64;
    let drift: Vec<f64> = (1..=HORIZON)
        .map(|h| train[n - 1] + h as f64 * slope)
        .collect();
    let points = |v: &[f64]| -> Vec<[f64; 2]> {
        v.iter()
            .enumerate()
            .map(|(i, x)| [(i + 1) as f64, *x])
            .collect()
    };
    let series = |name: &str, v: &[f64]| Series {
        name: name.into(),
        points: points(v),
    };
    show(Figure::Lines {
        title: "CO2 at Mauna Loa, 1999-2001: the last 36 months against the forecasts".into(),
        x_label: "months ahead".into(),
        y_label: "ppm".into(),
        series: vec![
            series("actual", test),
            series("holt_winters", &forecast),
            series("seasonal_naive", &seasonal_naive),
            series("drift", &drift),
        ],
        target: None,
    });
    let baselines = format!(
        "; seasonal naive {}, drift {}",
        fmt(mae(&seasonal_naive, test)),
        fmt(mae(&drift, test))
    );
    bar(
        "test MAE (ppm) over 36 months",
        mae(&forecast, test),
        1.0,
        Goal::AtMost,
    )
    .note(&baselines)
    .hint("check each function above first: the forecast needs the trend and the right seasonal")
}
