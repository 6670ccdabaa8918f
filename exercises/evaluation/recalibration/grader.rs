// Grader of evaluation/recalibration.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2};
use rand::Rng;

use super::exercise::{Isotonic, Platt, fit_isotonic, fit_platt, predict_isotonic, recalibrate};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("platt", check_platt),
    ("isotonic_fit", check_isotonic_fit),
    ("isotonic_predict", check_isotonic_predict),
    ("fits_on_calibration", check_fits_on_calibration),
    ("test_calibration", check_test_calibration),
];

const LEAK: &str = "fitted on the training predictions: the model's scores on its own \
                    training rows are overconfident, so a calibrator fitted on them learns \
                    nothing about new data; fit on the calibration split";

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Mean log loss of σ(a s + b) against targets t in [0, 1], written stably.
fn log_loss(s: &[f64], t: &[f64], a: f64, b: f64) -> f64 {
    let mut total = 0.0;
    for i in 0..s.len() {
        let z = a * s[i] + b;
        total += z.max(0.0) + (-z.abs()).exp().ln_1p() - t[i] * z;
    }
    total / s.len() as f64
}

/// The grader's Platt fit: Newton's method with step halving, on targets `t`; without the
/// intercept when `intercept` is false. None when it does not converge.
fn grader_platt(s: &[f64], t: &[f64], intercept: bool) -> Option<(f64, f64)> {
    let (mut a, mut b) = (0.0, 0.0);
    for _ in 0..200 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..s.len() {
            let p = sigmoid(a * s[i] + b);
            let w = p * (1.0 - p);
            ga += (p - t[i]) * s[i];
            gb += p - t[i];
            haa += w * s[i] * s[i];
            hab += w * s[i];
            hbb += w;
        }
        let (da, db) = if intercept {
            let det = haa * hbb - hab * hab;
            ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det)
        } else {
            (ga / haa, 0.0)
        };
        if !(da.is_finite() && db.is_finite()) {
            return None;
        }
        let before = log_loss(s, t, a, b);
        let mut step = 1.0;
        while log_loss(s, t, a - step * da, b - step * db) > before + 1e-15 && step > 1e-6 {
            step /= 2.0;
        }
        a -= step * da;
        b -= step * db;
        if step * (da.abs() + db.abs()) < 1e-13 {
            return Some((a, b));
        }
    }
    None
}

fn targets(y: &[bool]) -> Vec<f64> {
    y.iter().map(|&v| if v { 1.0 } else { 0.0 }).collect()
}

/// Platt's (1999) smoothed targets: (N+ + 1)/(N+ + 2) for positives, 1/(N- + 2) for negatives.
fn smoothed_targets(y: &[bool]) -> Vec<f64> {
    let pos = y.iter().filter(|&&v| v).count() as f64;
    let neg = y.len() as f64 - pos;
    y.iter()
        .map(|&v| {
            if v {
                (pos + 1.0) / (pos + 2.0)
            } else {
                1.0 / (neg + 2.0)
            }
        })
        .collect()
}

/// Compares a learner's Platt with the fit on (s, y), naming the classic mistakes; `leak` is
/// the fit on another split that a leaky learner would return.
fn compare_platt(
    what: &str,
    got: Platt,
    s: &[f64],
    y: &[bool],
    leak: Option<(f64, f64)>,
) -> Result<(), Failed> {
    let tol = 1e-5;
    let Some((a, b)) = grader_platt(s, &targets(y), true) else {
        return Err(fail(format!(
            "{what}: the grader's own fit did not converge (a learnml bug)"
        )));
    };
    ensure(got.a.is_finite() && got.b.is_finite(), || {
        format!(
            "{what}: expected finite a and b, got a = {}, b = {}",
            got.a, got.b
        )
    })?;
    let near = |p: (f64, f64)| (got.a - p.0).abs() <= tol && (got.b - p.1).abs() <= tol;
    if near((a, b)) {
        return Ok(());
    }
    let mut wrongs: Vec<((f64, f64), &str)> = Vec::new();
    if let Some(p) = leak {
        wrongs.push((p, LEAK));
    }
    if let Some(p) = grader_platt(s, &targets(y), false) {
        wrongs.push((
            p,
            "Platt without the intercept (b fixed at 0): fit a and b together",
        ));
    }
    if let Some(p) = grader_platt(s, &smoothed_targets(y), true) {
        wrongs.push((
            p,
            "Platt's smoothed targets (N+ + 1)/(N+ + 2) and 1/(N- + 2): this exercise fits the \
             plain 0/1 labels",
        ));
    }
    wrongs.push((
        (-a, -b),
        "the signs of Platt's form 1/(1 + exp(A·s + B)): here p = σ(a·s + b)",
    ));
    let mut message = format!(
        "{what}: expected a = {}, b = {} (± 1e-5), got a = {}, b = {}",
        fmt(a),
        fmt(b),
        fmt(got.a),
        fmt(got.b)
    );
    if let Some((_, why)) = wrongs.iter().find(|(p, _)| near(*p)) {
        message.push_str(": ");
        message.push_str(why);
    } else {
        let loss = log_loss(s, &targets(y), got.a, got.b);
        let best = log_loss(s, &targets(y), a, b);
        message.push_str(&format!(
            " (mean log loss {} against the minimum {})",
            fmt(loss),
            fmt(best)
        ));
    }
    Err(fail(message)).hint("iterate Newton steps until the step is below 1e-10")
}

/// Seeded scores and labels drawn from σ(α s + β) (never separable at these sizes).
fn platt_cases() -> Vec<(Vec<f64>, Vec<bool>)> {
    let mut rng = split::rng(4242);
    [
        (40, 0.6, -0.8),
        (200, 1.7, 0.4),
        (800, 0.3, 1.2),
        (120, -0.9, 0.0),
    ]
    .iter()
    .map(|&(n, alpha, beta)| {
        let mut s = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let v: f64 = rng.gen_range(-4.0..4.0);
            s.push(v);
            y.push(rng.r#gen::<f64>() < sigmoid(alpha * v + beta));
        }
        (s, y)
    })
    .collect()
}

fn check_platt() -> Graded {
    for (i, (s, y)) in platt_cases().iter().enumerate() {
        let got = fit_platt(s, y);
        compare_platt(
            &format!("fit_platt on seeded case {} ({} scores)", i + 1, s.len()),
            got,
            s,
            y,
            None,
        )?;
    }
    pass("4 seeded cases (40 to 800 scores, one with a negative slope): a and b within 1e-5")
}

/// The grader's isotonic fit: ties pooled (weighted), then pool adjacent violators. Returns
/// the distinct scores and their fitted values.
fn grader_isotonic(s: &[f64], y: &[bool]) -> (Vec<f64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..s.len()).collect();
    order.sort_by(|&i, &j| s[i].total_cmp(&s[j]));
    let mut xs: Vec<f64> = Vec::new();
    let mut w: Vec<f64> = Vec::new();
    let mut m: Vec<f64> = Vec::new();
    for &i in &order {
        let v = if y[i] { 1.0 } else { 0.0 };
        let k = xs.len();
        if k > 0 && xs[k - 1] == s[i] {
            m[k - 1] = (m[k - 1] * w[k - 1] + v) / (w[k - 1] + 1.0);
            w[k - 1] += 1.0;
        } else {
            xs.push(s[i]);
            w.push(1.0);
            m.push(v);
        }
    }
    // Repeat passes merging the first violating pair of blocks until none is left.
    let mut blocks: Vec<(usize, usize, f64, f64)> =
        (0..xs.len()).map(|k| (k, k, w[k], m[k])).collect();
    loop {
        let mut merged = false;
        for k in 0..blocks.len().saturating_sub(1) {
            if blocks[k].3 > blocks[k + 1].3 {
                let (s1, _, w1, m1) = blocks[k];
                let (_, e2, w2, m2) = blocks[k + 1];
                blocks[k] = (s1, e2, w1 + w2, (m1 * w1 + m2 * w2) / (w1 + w2));
                blocks.remove(k + 1);
                merged = true;
                break;
            }
        }
        if !merged {
            break;
        }
    }
    let mut fitted = vec![0.0; xs.len()];
    for (start, end, _, mean) in blocks {
        for f in fitted.iter_mut().take(end + 1).skip(start) {
            *f = mean;
        }
    }
    (xs, fitted)
}

/// The grader's interpolation, clipped outside the fitted range.
fn interp(x: &[f64], y: &[f64], q: f64) -> f64 {
    let last = x.len() - 1;
    if q <= x[0] {
        return y[0];
    }
    if q >= x[last] {
        return y[last];
    }
    let mut i = 1;
    while x[i] <= q {
        i += 1;
    }
    y[i - 1] + (q - x[i - 1]) / (x[i] - x[i - 1]) * (y[i] - y[i - 1])
}

/// Checks the shape of a learner's isotonic map before it is used.
fn validate(what: &str, model: &Isotonic) -> Result<(), Failed> {
    ensure(
        !model.x.is_empty() && model.x.len() == model.y.len(),
        || {
            format!(
                "{what}: expected as many x as y, at least one, got {} x and {} y",
                model.x.len(),
                model.y.len()
            )
        },
    )?;
    ensure(
        model.x.iter().chain(&model.y).all(|v| v.is_finite()),
        || format!("{what}: the fitted points must be finite numbers"),
    )?;
    for k in 1..model.x.len() {
        let (x0, x1) = (model.x[k - 1], model.x[k]);
        if x1 == x0 {
            return Err(fail(format!(
                "{what}: the score {} appears twice among the fitted x: ties not pooled (one \
                 point per distinct score, its labels averaged, before pooling violators)",
                fmt(x0)
            )))
            .hint("merge equal scores into one point weighted by its count first");
        }
        ensure(x1 > x0, || {
            format!(
                "{what}: x must be strictly increasing, got {} then {}",
                fmt(x0),
                fmt(x1)
            )
        })?;
    }
    for k in 1..model.y.len() {
        if model.y[k] < model.y[k - 1] - 1e-12 {
            return Err(fail(format!(
                "{what}: the fitted value falls from {} at x = {} to {} at x = {}: {DECREASING}",
                fmt(model.y[k - 1]),
                fmt(model.x[k - 1]),
                fmt(model.y[k]),
                fmt(model.x[k])
            )));
        }
    }
    ensure(
        model.y.iter().all(|v| (-1e-12..=1.0 + 1e-12).contains(v)),
        || format!("{what}: fitted values must be probabilities in [0, 1]"),
    )?;
    Ok(())
}

/// The learner's map and the grader's fit agree at every distinct score, between them and
/// outside their range.
/// Scores at which two maps are compared: each distinct score, a point between each pair, and
/// one beyond each end.
fn queries(s: &[f64]) -> Vec<f64> {
    let (xs, _) = grader_isotonic(s, &vec![false; s.len()]);
    let mut out = vec![xs[0] - 1.0, xs[xs.len() - 1] + 1.0];
    for k in 0..xs.len() {
        out.push(xs[k]);
        if k + 1 < xs.len() {
            out.push(0.3 * xs[k] + 0.7 * xs[k + 1]);
        }
    }
    out
}

/// The learner's map equals the fitted points (x, y) at every query.
fn same_map(got: &Isotonic, x: &[f64], y: &[f64], queries: &[f64]) -> bool {
    queries
        .iter()
        .all(|&q| (interp(&got.x, &got.y, q) - interp(x, y, q)).abs() <= 1e-9)
}

/// The decreasing (antitonic) fit of y: 1 − the increasing fit of 1 − y.
fn decreasing_variant(s: &[f64], y: &[bool]) -> (Vec<f64>, Vec<f64>) {
    let flipped: Vec<bool> = y.iter().map(|v| !v).collect();
    let (x, f) = grader_isotonic(s, &flipped);
    (x, f.iter().map(|v| 1.0 - v).collect())
}

const DECREASING: &str = "a decreasing fit (pool a block when its mean is above the next \
                          one's, so the map is non-decreasing)";

/// A flat run of the learner's map whose value is not the mean label of the cases it covers
/// (every block of an isotonic fit, and so every flat run, has the mean of its cases as its
/// value), described for the message; None when every run has its mean.
fn unweighted_block(got: &Isotonic, s: &[f64], y: &[bool]) -> Option<String> {
    let (xs, _) = grader_isotonic(s, y);
    let values: Vec<f64> = xs.iter().map(|&q| interp(&got.x, &got.y, q)).collect();
    let mut start = 0;
    while start < xs.len() {
        let mut end = start;
        while end + 1 < xs.len() && (values[end + 1] - values[start]).abs() <= 1e-12 {
            end += 1;
        }
        let (lo, hi) = (xs[start], xs[end]);
        let mut count = 0.0;
        let mut positives = 0.0;
        for (v, &label) in s.iter().zip(y) {
            if (lo..=hi).contains(v) {
                count += 1.0;
                positives += if label { 1.0 } else { 0.0 };
            }
        }
        let mean = positives / count;
        if end > start && (mean - values[start]).abs() > 1e-9 {
            return Some(format!(
                "the flat run over scores {} to {} has the value {}, but the {} cases there \
                 have the mean label {}: a pooled block's value is the mean of its cases, each \
                 block weighted by its number of cases (not the plain average of the two means)",
                fmt(lo),
                fmt(hi),
                fmt(values[start]),
                count,
                fmt(mean)
            ));
        }
        start = end + 1;
    }
    None
}

/// The learner's map and the grader's fit agree at every distinct score, between them and
/// outside their range; `leak` names the training-split fit when the map matches it.
fn compare_isotonic(
    what: &str,
    got: &Isotonic,
    s: &[f64],
    y: &[bool],
    leak: bool,
) -> Result<(), Failed> {
    validate(what, got)?;
    let (xs, fitted) = grader_isotonic(s, y);
    let qs = queries(s);
    for &q in &qs {
        let e = interp(&xs, &fitted, q);
        let g = interp(&got.x, &got.y, q);
        if (g - e).abs() > 1e-9 {
            let mut message = format!(
                "{what}: at score {} the map gives {}, expected {} (± 1e-9)",
                fmt(q),
                fmt(g),
                fmt(e)
            );
            let (dx, dy) = decreasing_variant(s, y);
            if leak {
                message.push_str(&format!(": {LEAK}"));
            } else if same_map(got, &dx, &dy, &qs) {
                message.push_str(&format!(": {DECREASING}"));
            } else if let Some(why) = unweighted_block(got, s, y) {
                message.push_str(&format!(": {why}"));
            }
            return Err(fail(message))
                .hint("sort by score, pool ties, then pool adjacent violators");
        }
    }
    Ok(())
}

fn check_isotonic_fit() -> Graded {
    // Ties pooled: 0.1 → 0 (1 case), 0.2 → 1/2 (2), 0.4 → 0 (1), 0.5 → 2/3 (3), 0.9 → 1 (1).
    // 1/2 then 0 violate: pooled to 1/3 over 3 cases. Fitted: [0, 1/3, 1/3, 2/3, 1].
    // Without pooling ties first, the score 0.2 keeps two points (labels 0 and 1).
    let s = [0.1, 0.2, 0.2, 0.4, 0.5, 0.5, 0.5, 0.9];
    let y = [false, false, true, false, false, true, true, true];
    let got = fit_isotonic(&s, &y);
    compare_isotonic(
        "fit_isotonic of scores [0.1, 0.2, 0.2, 0.4, 0.5, 0.5, 0.5, 0.9], labels [0, 0, 1, 0, 0, 1, 1, 1]",
        &got,
        &s,
        &y,
        false,
    )?;
    let mut rng = split::rng(515);
    for (i, &n) in [30, 100, 300].iter().enumerate() {
        let mut s = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let v = rng.gen_range(0..=20) as f64 / 20.0;
            s.push(v);
            y.push(rng.r#gen::<f64>() < v * v);
        }
        let got = fit_isotonic(&s, &y);
        compare_isotonic(
            &format!(
                "fit_isotonic of seeded case {} ({n} scores on 21 values, many ties)",
                i + 1
            ),
            &got,
            &s,
            &y,
            false,
        )?;
    }
    // Edge cases: all labels equal; a single distinct score.
    let s = [0.3, 0.7, 0.1, 0.9];
    let got = fit_isotonic(&s, &[true; 4]);
    compare_isotonic(
        "fit_isotonic with every label true",
        &got,
        &s,
        &[true; 4],
        false,
    )?;
    let s = [0.5; 5];
    let y = [true, false, false, true, false];
    let got = fit_isotonic(&s, &y);
    compare_isotonic(
        "fit_isotonic with one distinct score (0.5 five times)",
        &got,
        &s,
        &y,
        false,
    )?;
    pass("hand case with ties and a violation, 3 seeded cases with ties, 2 edge cases")
}

fn check_isotonic_predict() -> Graded {
    // Points (0, 0.1), (1, 0.5), (3, 0.9): queries -1, 0, 0.5, 1, 2, 3, 10 give
    // 0.1, 0.1, 0.3, 0.5, 0.7, 0.9, 0.9 (clipped outside [0, 3]).
    let model = Isotonic {
        x: vec![0.0, 1.0, 3.0],
        y: vec![0.1, 0.5, 0.9],
    };
    let queries = [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 10.0];
    let expected = [0.1, 0.1, 0.3, 0.5, 0.7, 0.9, 0.9];
    let step = [0.1, 0.1, 0.1, 0.5, 0.5, 0.9, 0.9];
    let got = predict_isotonic(&model, &queries);
    equal("number of predictions", &got.len(), &queries.len())?;
    for k in 0..queries.len() {
        let why = if k == 0 || k == 6 {
            "extrapolated past the fitted range instead of clipped to the end values"
        } else {
            "a step function (the value of the fitted point below): interpolate linearly"
        };
        let mut wrong = vec![(
            step[k],
            "a step function (the value of the fitted point below): interpolate linearly",
        )];
        if k == 0 {
            wrong.push((-0.3, why));
        }
        if k == 6 {
            wrong.push((2.3, why));
        }
        close_naming(
            &format!(
                "prediction at {} of the map (0, 0.1), (1, 0.5), (3, 0.9)",
                fmt(queries[k])
            ),
            got[k],
            expected[k],
            1e-12,
            &wrong,
        )?;
    }
    // A single fitted point predicts its value everywhere.
    let single = Isotonic {
        x: vec![2.0],
        y: vec![0.4],
    };
    let got = predict_isotonic(&single, &[-5.0, 2.0, 7.0]);
    all_close(
        "predictions of the one-point map (2, 0.4) at -5, 2, 7",
        &got,
        &[0.4; 3],
        1e-12,
    )?;
    // Seeded maps and queries.
    let mut rng = split::rng(99);
    for case in 0..3 {
        let n = 2 + case * 4;
        let mut x = Vec::new();
        let mut y = Vec::new();
        let (mut xv, mut yv) = (rng.gen_range(-2.0..0.0), 0.0f64);
        for _ in 0..n {
            x.push(xv);
            y.push(yv);
            xv += rng.gen_range(0.1..1.0);
            yv = (yv + rng.gen_range(0.0..0.3)).min(1.0);
        }
        let queries: Vec<f64> = (0..25).map(|_| rng.gen_range(-3.0..6.0)).collect();
        let expected: Vec<f64> = queries.iter().map(|&q| interp(&x, &y, q)).collect();
        let got = predict_isotonic(
            &Isotonic {
                x: x.clone(),
                y: y.clone(),
            },
            &queries,
        );
        all_close(
            &format!("predictions of seeded map {} ({n} points)", case + 1),
            &got,
            &expected,
            1e-12,
        )?;
    }
    pass("hand map (inside, on points, outside), a one-point map and 3 seeded maps")
}

/// The overfit model: a logistic regression without penalty on the 110 decile indicators of
/// winequality_red (quality >= 6), trained on 300 rows only. Returns its logit scores and the
/// labels on the training, calibration and test rows.
struct Scores {
    train: (Vec<f64>, Vec<bool>),
    cal: (Vec<f64>, Vec<bool>),
    test: (Vec<f64>, Vec<bool>),
}

/// One-hot decile indicators: each feature cut at the training deciles (10 bins), so the
/// model gets 110 binary features.
fn deciles(train: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let (n, p) = (train.nrows(), train.ncols());
    let mut out = Array2::zeros((x.nrows(), 10 * p));
    for j in 0..p {
        let mut sorted = train.column(j).to_vec();
        sorted.sort_by(f64::total_cmp);
        let cuts: Vec<f64> = (1..10).map(|k| sorted[k * n / 10]).collect();
        for (i, &v) in x.column(j).iter().enumerate() {
            let bin = cuts.iter().filter(|&&c| c <= v).count();
            out[[i, 10 * j + bin]] = 1.0;
        }
    }
    out
}

fn model_scores() -> Result<Scores, Failed> {
    let table = Table::dataset("winequality_red.csv").map_err(|e| fail(e.to_string()))?;
    let columns = table.columns_except(&["quality"]);
    let x = table.numeric(&columns).map_err(|e| fail(e.to_string()))?;
    let q = table
        .numeric(&["quality"])
        .map_err(|e| fail(e.to_string()))?;
    let y: Vec<bool> = q.column(0).iter().map(|&v| v >= 6.0).collect();
    let order = split::shuffled(x.nrows(), 2024);
    let (train, rest) = order.split_at(N_TRAIN);
    let (cal, test) = rest.split_at(N_CAL);
    let x_train = split::rows(&x, train);
    let f = |rows: &[usize]| deciles(&x_train, &split::rows(&x, rows));
    let (ft, fc, fs) = (f(train), f(cal), f(test));
    let yt = split::pick(&y, train);
    let t: Array1<f64> = yt.iter().map(|&v| if v { 1.0 } else { 0.0 }).collect();
    let n = ft.nrows() as f64;
    let mut w = Array1::<f64>::zeros(ft.ncols());
    let mut b = 0.0;
    for _ in 0..ITERATIONS {
        let r = (ft.dot(&w) + b).mapv(sigmoid) - &t;
        w = w - 0.5 * (ft.t().dot(&r) / n);
        b -= 0.5 * r.sum() / n;
    }
    let score = |m: &Array2<f64>| (m.dot(&w) + b).to_vec();
    Ok(Scores {
        train: (score(&ft), yt),
        cal: (score(&fc), split::pick(&y, cal)),
        test: (score(&fs), split::pick(&y, test)),
    })
}

const N_TRAIN: usize = 300;
const N_CAL: usize = 650;
const ITERATIONS: usize = 2000;

fn check_fits_on_calibration() -> Graded {
    let sc = model_scores()?;
    let got = recalibrate(&sc.train.0, &sc.train.1, &sc.cal.0, &sc.cal.1);
    let leak = grader_platt(&sc.train.0, &targets(&sc.train.1), true);
    compare_platt(
        "Platt fitted by recalibrate",
        got.platt,
        &sc.cal.0,
        &sc.cal.1,
        leak,
    )?;
    validate("isotonic map fitted by recalibrate", &got.isotonic)?;
    // Fitted on the training split, the map differs from the calibration fit: name it.
    let (tx, ty) = grader_isotonic(&sc.train.0, &sc.train.1);
    let matches_train = sc.cal.0.iter().all(|&q| {
        (interp(&got.isotonic.x, &got.isotonic.y, q) - interp(&tx, &ty, q)).abs() <= 1e-9
    });
    compare_isotonic(
        "isotonic map fitted by recalibrate",
        &got.isotonic,
        &sc.cal.0,
        &sc.cal.1,
        matches_train,
    )?;
    pass(format!(
        "Platt a = {}, b = {} and the isotonic map match the fits on the 650 calibration rows",
        fmt(got.platt.a),
        fmt(got.platt.b)
    ))
}

fn ece(p: &[f64], y: &[bool]) -> f64 {
    let mut count = [0.0; 10];
    let mut gap = [0.0; 10];
    for i in 0..p.len() {
        let b = ((p[i] * 10.0).floor() as usize).min(9);
        count[b] += 1.0;
        gap[b] += if y[i] { 1.0 } else { 0.0 } - p[i];
    }
    gap.iter().map(|g| g.abs()).sum::<f64>() / p.len() as f64
}

fn brier(p: &[f64], y: &[bool]) -> f64 {
    let mut total = 0.0;
    for i in 0..p.len() {
        let t = if y[i] { 1.0 } else { 0.0 };
        total += (p[i] - t) * (p[i] - t);
    }
    total / p.len() as f64
}

fn reliability_points(p: &[f64], y: &[bool]) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for b in 0..10 {
        let members: Vec<usize> = (0..p.len())
            .filter(|&i| ((p[i] * 10.0).floor() as usize).min(9) == b)
            .collect();
        if !members.is_empty() {
            let n = members.len() as f64;
            let conf = members.iter().map(|&i| p[i]).sum::<f64>() / n;
            let freq = members.iter().filter(|&&i| y[i]).count() as f64 / n;
            out.push([conf, freq]);
        }
    }
    out
}

const ECE_BAR: f64 = 0.08;
const BRIER_BAR: f64 = 0.21;

fn check_test_calibration() -> Graded {
    let sc = model_scores()?;
    let got = recalibrate(&sc.train.0, &sc.train.1, &sc.cal.0, &sc.cal.1);
    ensure(got.platt.a.is_finite() && got.platt.b.is_finite(), || {
        "Platt's a and b must be finite".into()
    })?;
    validate("isotonic map fitted by recalibrate", &got.isotonic)?;
    let (s, y) = &sc.test;
    // The grader applies the returned parameters itself: σ(a s + b) and its own interpolation.
    let raw: Vec<f64> = s.iter().map(|&v| sigmoid(v)).collect();
    let platt: Vec<f64> = s
        .iter()
        .map(|&v| sigmoid(got.platt.a * v + got.platt.b))
        .collect();
    let iso: Vec<f64> = s
        .iter()
        .map(|&v| interp(&got.isotonic.x, &got.isotonic.y, v))
        .collect();
    show(Figure::Lines {
        title: "reliability on the 649 test rows (10 bins)".into(),
        x_label: "mean predicted P(quality >= 6)".into(),
        y_label: "observed fraction".into(),
        series: vec![
            Series {
                name: "perfectly calibrated".into(),
                points: (0..=10)
                    .map(|k| [k as f64 / 10.0, k as f64 / 10.0])
                    .collect(),
            },
            Series {
                name: "raw model".into(),
                points: reliability_points(&raw, y),
            },
            Series {
                name: "your Platt".into(),
                points: reliability_points(&platt, y),
            },
            Series {
                name: "your isotonic".into(),
                points: reliability_points(&iso, y),
            },
        ],
        target: None,
    });
    let leak = grader_platt(&sc.train.0, &targets(&sc.train.1), true);
    let leaked = leak
        .is_some_and(|(a, b)| (got.platt.a - a).abs() <= 1e-5 && (got.platt.b - b).abs() <= 1e-5);
    let (dx, dy) = decreasing_variant(&sc.cal.0, &sc.cal.1);
    let flipped = grader_platt(&sc.cal.0, &targets(&sc.cal.1), true)
        .is_some_and(|(a, b)| (got.platt.a + a).abs() <= 1e-5 && (got.platt.b + b).abs() <= 1e-5);
    let note = if leaked {
        format!(": {LEAK}")
    } else if flipped {
        ": Platt's a and b have the signs of Platt's form 1/(1 + exp(A·s + B)): here \
         p = σ(a·s + b), so a = −A and b = −B"
            .to_string()
    } else if same_map(&got.isotonic, &dx, &dy, &queries(&sc.cal.0)) {
        format!(": isotonic map {DECREASING}")
    } else {
        String::new()
    };
    let baseline = format!(
        "; raw model: ECE {}, Brier {}",
        fmt(ece(&raw, y)),
        fmt(brier(&raw, y))
    );
    let metrics = [
        ("test ECE after Platt", ece(&platt, y), ECE_BAR),
        ("test ECE after isotonic", ece(&iso, y), ECE_BAR),
        ("test Brier after Platt", brier(&platt, y), BRIER_BAR),
        ("test Brier after isotonic", brier(&iso, y), BRIER_BAR),
    ];
    for (name, value, limit) in metrics {
        bar(name, value, limit, Goal::AtMost)
            .note(&note)
            .note(&baseline)?;
    }
    pass(format!(
        "test ECE: Platt {}, isotonic {} (bar ≤ {ECE_BAR}); test Brier: Platt {}, isotonic {} \
         (bar ≤ {BRIER_BAR}){baseline}",
        fmt(ece(&platt, y)),
        fmt(ece(&iso, y)),
        fmt(brier(&platt, y)),
        fmt(brier(&iso, y))
    ))
}
