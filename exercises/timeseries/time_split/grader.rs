// Grader of timeseries/time_split.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, shuffled};
use rand::Rng as _;

use super::exercise::{lag_features, past_rolling_mean, time_series_split};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("folds", folds),
    ("gap", gap),
    ("lag_features", lags),
    ("rolling_mean", rolling_mean),
    ("honest_estimate", honest_estimate),
];

type Folds = Vec<(Vec<usize>, Vec<usize>)>;

/// The grader's own TimeSeriesSplit, written with loops: test folds of n / (n_splits + 1)
/// samples, the last ending at n; training = 0 .. test start - gap.
fn expected_folds(n: usize, n_splits: usize, gap: usize) -> Folds {
    let size = n / (n_splits + 1);
    let mut folds = Vec::new();
    for k in 0..n_splits {
        let start = n - (n_splits - k) * size;
        let mut train = Vec::new();
        for i in 0..start - gap {
            train.push(i);
        }
        let mut test = Vec::new();
        for i in start..start + size {
            test.push(i);
        }
        folds.push((train, test));
    }
    folds
}

/// Test folds of n / n_splits samples (the K-fold size), otherwise as expected.
fn folds_k_size(n: usize, n_splits: usize, gap: usize) -> Folds {
    let size = n / n_splits;
    (0..n_splits)
        .filter_map(|k| {
            let start = n.checked_sub((n_splits - k) * size)?;
            Some((
                (0..start.saturating_sub(gap)).collect(),
                (start..start + size).collect(),
            ))
        })
        .collect()
}

/// Test fold k at (k + 1) * size .. (k + 2) * size: the remainder of the division left
/// unused after the last test fold instead of going to the first training window.
fn folds_remainder_at_end(n: usize, n_splits: usize, gap: usize) -> Folds {
    let size = n / (n_splits + 1);
    (0..n_splits)
        .map(|k| {
            let start = (k + 1) * size;
            (
                (0..start.saturating_sub(gap)).collect(),
                (start..start + size).collect(),
            )
        })
        .collect()
}

/// A sliding training window as long as the test fold, otherwise as expected.
fn folds_sliding(n: usize, n_splits: usize, gap: usize) -> Folds {
    expected_folds(n, n_splits, gap)
        .into_iter()
        .map(|(train, test)| {
            let end = train.len();
            let size = test.len();
            ((end.saturating_sub(size)..end).collect(), test)
        })
        .collect()
}

/// `a..b` for a run of consecutive integers, else the first values.
fn describe(v: &[usize]) -> String {
    if v.is_empty() {
        return "[]".into();
    }
    if v.windows(2).all(|w| w[1] == w[0] + 1) {
        return format!("{}..{}", v[0], v[v.len() - 1] + 1);
    }
    let head: Vec<String> = v.iter().take(8).map(|i| i.to_string()).collect();
    let more = if v.len() > 8 { ", ..." } else { "" };
    format!("[{}{more}] ({} indices)", head.join(", "), v.len())
}

/// Compare the learner's folds with the expected ones, naming the classic mistakes.
fn compare_folds(n: usize, n_splits: usize, gap: usize, got: &Folds) -> Result<(), Failed> {
    let case = format!("time_series_split(n = {n}, n_splits = {n_splits}, gap = {gap})");
    let expected = expected_folds(n, n_splits, gap);
    if *got == expected {
        return Ok(());
    }
    equal(&format!("{case}: number of folds"), &got.len(), &n_splits)?;
    for (k, (train, test)) in got.iter().enumerate() {
        ensure(!test.is_empty(), || {
            format!("{case}: fold {k} has an empty test fold")
        })?;
        ensure(train.iter().chain(test).all(|&i| i < n), || {
            format!("{case}: fold {k} has an index outside 0..{n}")
        })?;
        let first_test = test.iter().min().copied().unwrap_or(0);
        let last_test = test.iter().max().copied().unwrap_or(0);
        if !train.is_empty() && train.iter().all(|&i| i > last_test) {
            return Err(fail(format!(
                "{case}: fold {k} trains on {} and tests on {}: the test fold comes before its \
                 training window, so the model trains on the future",
                describe(train),
                describe(test)
            )))
            .hint("each test fold comes after its training window: train = 0 .. start - gap");
        }
        if train.iter().any(|&i| i >= first_test) {
            return Err(fail(format!(
                "{case}: fold {k} trains on {} and tests on {}: training indices at or after the \
                 start of the test fold (as a shuffled K-fold split gives) train on the future",
                describe(train),
                describe(test)
            )))
            .hint("no shuffling: the test fold is a block of consecutive indices, and training uses only the indices before it");
        }
    }
    let sorted = |f: &Folds| -> Folds {
        f.iter()
            .map(|(a, b)| {
                let (mut a, mut b) = (a.clone(), b.clone());
                a.sort_unstable();
                b.sort_unstable();
                (a, b)
            })
            .collect()
    };
    if sorted(got) == expected {
        return Err(fail(format!(
            "{case}: the right indices, but not in increasing order (of time)"
        )));
    }
    if gap > 0 && *got == expected_folds(n, n_splits, 0) {
        return Err(fail(format!(
            "{case}: the gap was ignored: fold 0 trains on {} but the last {gap} samples before \
             the test fold must be dropped ({} expected)",
            describe(&got[0].0),
            describe(&expected[0].0)
        )))
        .hint("train = 0 .. start - gap, where start is the first index of the test fold");
    }
    if *got == folds_k_size(n, n_splits, gap) {
        return Err(fail(format!(
            "{case}: test folds of n / n_splits = {} samples; TimeSeriesSplit's test folds have \
             n / (n_splits + 1) = {} samples (the first training window takes the rest)",
            n / n_splits,
            n / (n_splits + 1)
        )));
    }
    if !n.is_multiple_of(n_splits + 1) && *got == folds_remainder_at_end(n, n_splits, gap) {
        return Err(fail(format!(
            "{case}: the last test fold ends at {}, not at n = {n}: the remainder of \
             n / (n_splits + 1) ({} left over) goes to the first training window, so the first \
             test fold starts at n - n_splits * size = {}",
            got[n_splits - 1].1.last().map_or(0, |i| i + 1),
            n % (n_splits + 1),
            expected[0].1.first().copied().unwrap_or(0)
        )))
        .hint("start of fold k = n - (n_splits - k) * size");
    }
    if *got == folds_sliding(n, n_splits, gap) {
        return Err(fail(format!(
            "{case}: a sliding training window as long as the test fold; TimeSeriesSplit's \
             training window expands: it starts at index 0 in every fold"
        )));
    }
    for (k, ((gt, gs), (et, es))) in got.iter().zip(&expected).enumerate() {
        if gt != et || gs != es {
            return Err(fail(format!(
                "{case}: fold {k}: expected train {} and test {}, got train {} and test {}",
                describe(et),
                describe(es),
                describe(gt),
                describe(gs)
            )))
            .hint("test size = n / (n_splits + 1); fold k tests on start..start + size with start = n - (n_splits - k) * size");
        }
    }
    Ok(())
}

fn folds() -> Graded {
    // Public cases, then seeded ones (n not a multiple of n_splits + 1: the remainder goes to
    // the first training window), and n_splits = 1.
    let mut cases = vec![(10, 3), (12, 3), (5, 1)];
    let mut r = rng(11);
    for _ in 0..6 {
        cases.push((r.gen_range(8..60), r.gen_range(2..6)));
    }
    for (n, n_splits) in cases {
        compare_folds(n, n_splits, 0, &time_series_split(n, n_splits, 0))?;
    }
    pass(
        "expanding training windows, each followed by a test fold of n / (n_splits + 1) samples, the last ending at n (9 cases)",
    )
}

fn gap() -> Graded {
    let mut cases = vec![(20, 3, 2), (10, 2, 1)];
    let mut r = rng(12);
    for _ in 0..6 {
        let n = r.gen_range(15..60);
        let n_splits = r.gen_range(2..5);
        cases.push((n, n_splits, r.gen_range(1..4)));
    }
    for (n, n_splits, g) in cases {
        compare_folds(n, n_splits, g, &time_series_split(n, n_splits, g))?;
    }
    pass("each training window stops `gap` samples before its test fold (8 cases)")
}

fn random_series(r: &mut learnml_kit::split::Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| r.gen_range(-10.0..10.0_f64).round() / 2.0 + 20.0)
        .collect()
}

fn lags() -> Graded {
    let mut r = rng(13);
    let mut cases = vec![((1..=8).map(f64::from).collect::<Vec<_>>(), 3)];
    for _ in 0..5 {
        let n = r.gen_range(10..30);
        let l = r.gen_range(1..6);
        cases.push((random_series(&mut r, n), l));
    }
    for (series, l) in cases {
        let n = series.len();
        let case = format!("lag_features(series of {n} values, lags = {l})");
        let (x, y) = lag_features(&series, l);
        equal(
            &format!("{case}: shape of the matrix"),
            &x.dim(),
            &(n - l, l),
        )
        .hint("one row per time t = lags .. n (the first `lags` values have no full past)")?;
        equal(&format!("{case}: number of targets"), &y.len(), &(n - l))?;
        let at = |f: &dyn Fn(usize, usize) -> f64| -> bool {
            (0..n - l).all(|i| (0..l).all(|j| x[[i, j]] == f(i + l, j)))
        };
        if at(&|t, j| series[t - j]) && l > 0 {
            return Err(fail(format!(
                "{case}: column 0 is y_t, the target itself: the features include y_t \
                 (leakage through time); a forecast of y_t may only use y_(t-1) and before"
            )))
            .hint("column j of row i (time t = lags + i) is series[t - 1 - j]");
        }
        if l > 1 && at(&|t, j| series[t - l + j]) {
            return Err(fail(format!(
                "{case}: the columns are in reverse order: column 0 must be y_(t-1), the last \
                 one y_(t-lags)"
            )));
        }
        for i in 0..n - l {
            let t = i + l;
            close(
                &format!("{case}: target of row {i} (y_{t})"),
                y[i],
                series[t],
                0.0,
            )
            .hint("the target of row i is series[lags + i]")?;
            for j in 0..l {
                close(
                    &format!("{case}: row {i}, column {j} (y_(t-{}) with t = {t})", j + 1),
                    x[[i, j]],
                    series[t - 1 - j],
                    0.0,
                )
                .hint("column j of row i (time t = lags + i) is series[t - 1 - j]")?;
            }
        }
    }
    pass("row t holds y_(t-1) .. y_(t-lags) and its target y_t (6 cases)")
}

/// The mean of series[start..start + w], or NaN when it does not fit.
fn window_mean(series: &[f64], start: isize, w: usize) -> f64 {
    if start < 0 || start as usize + w > series.len() {
        return f64::NAN;
    }
    let mut sum = 0.0;
    for v in &series[start as usize..start as usize + w] {
        sum += v;
    }
    sum / w as f64
}

fn rolling_mean() -> Graded {
    let mut r = rng(14);
    let mut cases = vec![((1..=10).map(|i| f64::from(i * i)).collect::<Vec<_>>(), 3)];
    for _ in 0..5 {
        let n = r.gen_range(12..30);
        let w = r.gen_range(2..6);
        cases.push((random_series(&mut r, n), w));
    }
    for (series, w) in cases {
        let n = series.len();
        let case = format!("past_rolling_mean(series of {n} values, window = {w})");
        let got = past_rolling_mean(&series, w);
        equal(&format!("{case}: length"), &got.len(), &n)
            .hint("one entry per time t, NaN where there is not enough past")?;
        let expected: Vec<f64> = (0..n)
            .map(|t| window_mean(&series, t as isize - w as isize, w))
            .collect();
        let centred: Vec<f64> = (0..n)
            .map(|t| window_mean(&series, t as isize - (w / 2) as isize, w))
            .collect();
        let with_current: Vec<f64> = (0..n)
            .map(|t| window_mean(&series, t as isize + 1 - w as isize, w))
            .collect();
        let matches = |wrong: &[f64]| {
            (w..n).all(|t| wrong[t].is_nan() || (got[t] - wrong[t]).abs() <= 1e-9)
                && (w..n).any(|t| (wrong[t] - expected[t]).abs() > 1e-9)
        };
        if matches(&centred) {
            return Err(fail(format!(
                "{case}: a centred window (y_(t-{}) .. y_(t+{})): it averages future values, \
                 which a forecast at time t cannot know",
                w / 2,
                w - w / 2 - 1
            )))
            .hint("entry t averages series[t - window..t], the window values just before t");
        }
        if matches(&with_current) {
            return Err(fail(format!(
                "{case}: the window ends at y_t and so includes y_t, the value to forecast \
                 (pandas' rolling(w).mean() without shift(1))"
            )))
            .hint("entry t averages series[t - window..t]: t itself is excluded");
        }
        for t in 0..n {
            if t < w {
                ensure(got[t].is_nan(), || {
                    format!(
                        "{case}: entry {t} is {}: it must be NaN, as fewer than {w} values come \
                         before it",
                        fmt(got[t])
                    )
                })
                .hint("return f64::NAN for t < window")?;
            } else {
                close(
                    &format!("{case}: entry {t} (mean of y_{} .. y_{})", t - w, t - 1),
                    got[t],
                    expected[t],
                    1e-9,
                )
                .hint("entry t averages series[t - window..t]")?;
            }
        }
    }
    pass(
        "entry t is the mean of the window values before t, NaN before the first full window (6 cases)",
    )
}

const LAGS: usize = 14;
const WINDOW: usize = 28;
const SPLITS: usize = 5;
const GAP: usize = 7;
/// The centred window of the leaky feature: y_(t-3) .. y_(t+3), y_t included.
const LEAK_WINDOW: usize = 7;

/// Least squares (normal equations, Gaussian elimination with partial pivoting) of y on x;
/// None when singular.
fn least_squares(x: &[Vec<f64>], y: &[f64], rows: &[usize]) -> Option<Vec<f64>> {
    let d = x.first()?.len();
    let mut a = vec![vec![0.0; d + 1]; d];
    for &i in rows {
        for p in 0..d {
            for q in 0..d {
                a[p][q] += x[i][p] * x[i][q];
            }
            a[p][d] += x[i][p] * y[i];
        }
    }
    for c in 0..d {
        let pivot = (c..d).max_by(|&p, &q| a[p][c].abs().total_cmp(&a[q][c].abs()))?;
        if a[pivot][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, pivot);
        let pivot_row = a[c].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot_row[c];
                for (v, p) in row.iter_mut().zip(&pivot_row).skip(c) {
                    *v -= f * p;
                }
            }
        }
    }
    Some((0..d).map(|c| a[c][d] / a[c][c]).collect())
}

/// The mean over folds of the test MAE of least squares fitted on each training window.
fn cv_mae(x: &[Vec<f64>], y: &[f64], folds: &Folds) -> Option<f64> {
    let mut total = 0.0;
    for (train, test) in folds {
        let w = least_squares(x, y, train)?;
        let mut err = 0.0;
        for &i in test {
            let pred: f64 = x[i].iter().zip(&w).map(|(a, b)| a * b).sum();
            err += (pred - y[i]).abs();
        }
        total += err / test.len() as f64;
    }
    Some(total / folds.len() as f64)
}

/// Rows t = WINDOW .. n: [1, y_(t-1) .. y_(t-LAGS), rolling feature at t] in thousands.
fn design(series: &[f64], lag_x: &[Vec<f64>], rolling: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for t in WINDOW..series.len() {
        let mut row = vec![1.0];
        row.extend(lag_x[t - LAGS].iter().map(|v| v / 1000.0));
        row.push(rolling[t] / 1000.0);
        x.push(row);
        y.push(series[t] / 1000.0);
    }
    (x, y)
}

fn honest_estimate() -> Graded {
    let table = Table::dataset("us_births_1969_1988.csv").map_err(|e| {
        fail(format!(
            "the grader could not load us_births_1969_1988.csv: {e}"
        ))
    })?;
    let series: Vec<f64> = table
        .numeric(&["births"])
        .map_err(|e| fail(format!("us_births_1969_1988.csv: {e}")))?
        .column(0)
        .to_vec();
    let n = series.len();
    let m = n - WINDOW;

    // The grader's own features: lags, the past window's mean, and a centred (leaky) mean.
    let own_lags: Vec<Vec<f64>> = (LAGS..n)
        .map(|t| (1..=LAGS).map(|j| series[t - j]).collect())
        .collect();
    let past: Vec<f64> = (0..n)
        .map(|t| window_mean(&series, t as isize - WINDOW as isize, WINDOW))
        .collect();
    let centred: Vec<f64> = (0..n)
        .map(|t| {
            let v = window_mean(
                &series,
                t as isize - (LEAK_WINDOW / 2) as isize,
                LEAK_WINDOW,
            );
            if v.is_nan() { past[t] } else { v }
        })
        .collect();
    let (x_past, y) = design(&series, &own_lags, &past);
    let (x_centred, _) = design(&series, &own_lags, &centred);
    let time_folds = expected_folds(m, SPLITS, GAP);
    let order = shuffled(m, 7);
    let size = m / SPLITS;
    let shuffled_folds: Folds = (0..SPLITS)
        .map(|k| {
            let end = if k + 1 == SPLITS { m } else { (k + 1) * size };
            let test = order[k * size..end].to_vec();
            let train = order[..k * size]
                .iter()
                .chain(&order[end..])
                .copied()
                .collect();
            (train, test)
        })
        .collect();
    let scores = [
        [
            cv_mae(&x_past, &y, &shuffled_folds),
            cv_mae(&x_past, &y, &time_folds),
        ],
        [
            cv_mae(&x_centred, &y, &shuffled_folds),
            cv_mae(&x_centred, &y, &time_folds),
        ],
    ];
    let mut raw = Vec::new();
    let mut cells = Vec::new();
    for row in scores {
        let mut raw_row = Vec::new();
        for s in row {
            let s =
                s.ok_or_else(|| fail("the grader's least squares was singular (a learnml bug)"))?;
            raw_row.push(s * 1000.0);
        }
        cells.push(raw_row.iter().map(|v| v.round()).collect::<Vec<f64>>());
        raw.push(raw_row);
    }
    show(Figure::Table {
        title: "MAE (births a day) of least squares on 14 lags + a rolling mean".into(),
        row_labels: vec![
            "past 28-day mean".into(),
            "centred 7-day mean (leaks)".into(),
        ],
        column_labels: vec!["shuffled 5-fold".into(), "time-ordered, gap 7".into()],
        cells: cells.clone(),
    });
    // The honest estimate, unrounded (the table shows it rounded).
    let honest = raw[0][1];
    let note = format!(
        "; shuffled 5-fold says {}, and with a centred 7-day mean instead {} (shuffled) and {} (time-ordered)",
        cells[0][0], cells[1][0], cells[1][1]
    );

    // The learner's pipeline: their folds and features, the grader's least squares.
    let folds = time_series_split(m, SPLITS, GAP);
    equal(
        "time_series_split(7277, 5, 7): number of folds",
        &folds.len(),
        &SPLITS,
    )?;
    for (k, (train, test)) in folds.iter().enumerate() {
        ensure(
            train.len() > 2 * (LAGS + 2)
                && !test.is_empty()
                && train.iter().chain(test).all(|&i| i < m),
            || {
                format!(
                    "time_series_split(7277, 5, 7): fold {k} has an empty or too short part, or an index outside 0..7277"
                )
            },
        )?;
    }
    let (lx, ly) = lag_features(&series, LAGS);
    equal(
        "lag_features(births, 14): shape",
        &lx.dim(),
        &(n - LAGS, LAGS),
    )?;
    equal("lag_features(births, 14): targets", &ly.len(), &(n - LAGS))?;
    let rolling = past_rolling_mean(&series, WINDOW);
    equal("past_rolling_mean(births, 28): length", &rolling.len(), &n)?;
    let lag_rows: Vec<Vec<f64>> = lx.rows().into_iter().map(|r| r.to_vec()).collect();
    let (x_learner, _) = design(&series, &lag_rows, &rolling);
    ensure(x_learner.iter().flatten().all(|v| v.is_finite()), || {
        "your features contain NaN or infinity for t >= 28 (every row there has a full past)".into()
    })?;
    ensure((0..ly.len()).all(|i| ly[i] == series[i + LAGS]), || {
        "lag_features(births, 14): the targets are not y_t for t = 14 .. n".into()
    })?;
    let got = cv_mae(&x_learner, &y, &folds).ok_or_else(|| {
        fail("least squares on your features is singular (a constant or repeated column?)")
    })? * 1000.0;
    if got < honest - 1.0 {
        return Err(fail(format!(
            "the MAE of your pipeline (your folds, your features, the grader's least squares) is \
             {}, below the honest {}: an optimistic estimate, the future leaks into \
             training or into the features{note}",
            got.round(),
            honest.round()
        )))
        .hint("the checks above name the part that looks ahead");
    }
    close(
        "MAE of your pipeline (births a day) against the honest time-ordered estimate",
        got,
        honest,
        1.0,
    )
    .hint("the checks above name the part that differs")?;
    pass(format!(
        "your pipeline's time-ordered MAE is {} births a day, the honest estimate{note}",
        got.round()
    ))
}
