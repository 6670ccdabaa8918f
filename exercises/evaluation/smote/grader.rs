// Grader of evaluation/smote.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{Split, balanced_class_weights, smote, split_then_smote};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("class_weights", check_class_weights),
    ("smote_draws", check_smote_draws),
    ("split_first", check_split_first),
    ("heldout_f1", check_heldout_f1),
];

// ---------------------------------------------------------------- class weights

fn counts(y: &[usize], k: usize) -> Vec<usize> {
    let mut c = vec![0; k];
    for &label in y {
        c[label] += 1;
    }
    c
}

fn check_class_weights() -> Graded {
    let mut r = rng(11);
    for case in 0..6 {
        let k = 2 + case % 3;
        let n = r.gen_range(15..60);
        // Every class present: the first k labels are 0..k, the rest skewed toward class 0.
        let y: Vec<usize> = (0..n)
            .map(|i| {
                if i < k {
                    i
                } else if r.gen_range(0.0..1.0) < 0.6 {
                    0
                } else {
                    r.gen_range(0..k)
                }
            })
            .collect();
        let c = counts(&y, k);
        let expected: Vec<f64> = c
            .iter()
            .map(|&nc| n as f64 / (k as f64 * nc as f64))
            .collect();
        let got = balanced_class_weights(&y);
        let what = format!("balanced_class_weights of {n} labels in {k} classes (counts {c:?})");
        equal(
            &format!("{what}: number of weights (one per class)"),
            &got.len(),
            &k,
        )?;
        for (class, (&g, &e)) in got.iter().zip(&expected).enumerate() {
            let nc = c[class] as f64;
            close_naming(
                &format!("{what}, class {class}"),
                g,
                e,
                1e-9 * e.max(1.0),
                &[
                    (
                        n as f64 / nc,
                        "n / n_c, without dividing by k (the number of classes)",
                    ),
                    (nc / n as f64, "n_c / n, the class frequency (inverted)"),
                    (1.0 / nc, "1 / n_c, without the factor n / k"),
                    (k as f64 * nc / n as f64, "k * n_c / n (inverted)"),
                ],
            )
            .hint(
                "weight of class c = n / (k * n_c): the rarer the class, the larger its weight",
            )?;
        }
    }
    pass("balanced weights n / (k * n_c) on 6 seeded label vectors with 2 to 4 classes")
}

// ---------------------------------------------------------------- SMOTE by hand

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Stated,
    SelfIncluded,
    AllClasses,
    /// `i` (a position among the minority rows) used as a row index of `x` for the base point.
    BaseFromX,
    /// The draws in the order i, gap, j.
    GapBeforeNeighbour,
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (p - q) * (p - q))
        .sum::<f64>()
        .sqrt()
}

fn row(x: &Array2<f64>, i: usize) -> Vec<f64> {
    x.row(i).to_vec()
}

/// The k nearest of `candidates` to `candidates[me]` (or to `query` among all), ties by index.
fn nearest(candidates: &[Vec<f64>], query: &[f64], skip: Option<usize>, k: usize) -> Vec<usize> {
    let mut order: Vec<(f64, usize)> = Vec::new();
    for (j, c) in candidates.iter().enumerate() {
        if Some(j) != skip {
            order.push((distance(query, c), j));
        }
    }
    // Insertion by (distance, index): plain and stable.
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    order.iter().take(k).map(|p| p.1).collect()
}

/// The grader's own SMOTE with the stated draws, or a classic wrong variant of it.
fn replay(
    x: &Array2<f64>,
    y: &[usize],
    minority: usize,
    k: usize,
    n_new: usize,
    seed: u64,
    variant: Variant,
) -> Vec<Vec<f64>> {
    let mut minority_rows = Vec::new();
    let mut all_rows = Vec::new();
    let mut position_in_all = Vec::new();
    for (i, &label) in y.iter().enumerate() {
        if label == minority {
            minority_rows.push(row(x, i));
            position_in_all.push(i);
        }
        all_rows.push(row(x, i));
    }
    let m = minority_rows.len();
    let mut r = rng(seed);
    let mut out = Vec::new();
    for _ in 0..n_new {
        let i = r.gen_range(0..m);
        let early_gap: Option<f64> = if variant == Variant::GapBeforeNeighbour {
            Some(r.r#gen())
        } else {
            None
        };
        let a = &minority_rows[i];
        let b = match variant {
            Variant::Stated | Variant::GapBeforeNeighbour => {
                &minority_rows[nearest(&minority_rows, a, Some(i), k)[r.gen_range(0..k)]]
            }
            Variant::SelfIncluded => {
                &minority_rows[nearest(&minority_rows, a, None, k)[r.gen_range(0..k)]]
            }
            Variant::AllClasses => {
                &all_rows[nearest(&all_rows, a, Some(position_in_all[i]), k)[r.gen_range(0..k)]]
            }
            Variant::BaseFromX => {
                &minority_rows[nearest(&minority_rows, a, Some(i), k)[r.gen_range(0..k)]]
            }
        };
        let a = if variant == Variant::BaseFromX {
            &all_rows[i]
        } else {
            a
        };
        let gap: f64 = match (early_gap, variant) {
            (Some(gap), _) => gap,
            _ => r.r#gen(),
        };
        out.push(a.iter().zip(b).map(|(p, q)| p + gap * (q - p)).collect());
    }
    out
}

/// `p` on the segment from `a` to `b` (within `tol` per coordinate).
fn on_segment(p: &[f64], a: &[f64], b: &[f64], tol: f64) -> bool {
    let (mut c, mut span) = (0, 0.0);
    for f in 0..a.len() {
        if (b[f] - a[f]).abs() > span {
            span = (b[f] - a[f]).abs();
            c = f;
        }
    }
    let g = if span > 0.0 {
        (p[c] - a[c]) / (b[c] - a[c])
    } else {
        0.0
    };
    (-1e-9..=1.0 + 1e-9).contains(&g)
        && (0..a.len()).all(|f| (a[f] + g * (b[f] - a[f]) - p[f]).abs() <= tol)
}

/// Some pair (a from `from`, b from `to`) whose segment holds `p`.
fn on_some_segment(p: &[f64], from: &[Vec<f64>], to: &[Vec<f64>], tol: f64) -> bool {
    from.iter()
        .any(|a| to.iter().any(|b| on_segment(p, a, b, tol)))
}

fn finite_shape(what: &str, got: &Array2<f64>, rows: usize, cols: usize) -> Result<(), Failed> {
    equal(
        &format!("{what}: shape (n_new, d)"),
        &got.dim(),
        &(rows, cols),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: holds a value that is not finite (NaN or infinite)")
    })
}

struct Case {
    x: Array2<f64>,
    y: Vec<usize>,
    minority: usize,
    k: usize,
    n_new: usize,
    seed: u64,
}

/// Small cases on an integer grid (so that distances tie), minority rows mixed among the others.
fn cases() -> Vec<Case> {
    let mut r = rng(2024);
    (0..5)
        .map(|case| {
            let n = r.gen_range(24..36);
            let d = 2 + case % 2;
            let minority = case % 2;
            let x = Array2::from_shape_fn((n, d), |_| r.gen_range(0..7) as f64);
            let mut y: Vec<usize> = (0..n)
                .map(|_| {
                    if r.gen_range(0.0..1.0) < 0.35 {
                        minority
                    } else {
                        1 - minority
                    }
                })
                .collect();
            for label in y.iter_mut().take(7) {
                *label = minority;
            }
            Case {
                x,
                y,
                minority,
                k: 3 + case % 3,
                n_new: 30,
                seed: 100 + case as u64,
            }
        })
        .collect()
}

/// The classic wrong variant that `got` matches, as a failure naming it.
fn named_variant(c: usize, case: &Case, got: &Array2<f64>) -> Result<(), Failed> {
    let same = |rows: &[Vec<f64>]| {
        rows.iter().enumerate().all(|(r, e)| {
            e.iter()
                .enumerate()
                .all(|(f, v)| (got[[r, f]] - v).abs() <= 1e-9)
        })
    };
    let replayed = |variant| {
        replay(
            &case.x,
            &case.y,
            case.minority,
            case.k,
            case.n_new,
            case.seed,
            variant,
        )
    };
    if same(&replayed(Variant::SelfIncluded)) {
        return Err(fail(format!(
            "case {c}: the rows match SMOTE with the point itself among its neighbours \
             (distance 0 makes it its own nearest neighbour, and the new row a copy)"
        )))
        .hint("skip j == i when you rank the neighbours of minority row i");
    }
    if same(&replayed(Variant::AllClasses)) {
        return Err(fail(format!(
            "case {c}: the rows match SMOTE with neighbours from all classes"
        )))
        .hint("look for neighbours among the minority rows only");
    }
    if same(&replayed(Variant::BaseFromX)) {
        return Err(fail(format!(
            "case {c}: the rows start from row i of x, not from the i-th minority row: \
             i = gen_range(0..m) is a position among the minority rows, not a row index of x"
        )))
        .hint("collect the minority rows first (x.select(Axis(0), &rows)) and index those");
    }
    if same(&replayed(Variant::GapBeforeNeighbour)) {
        return Err(fail(format!(
            "case {c}: the rows match the draws in the order i, gap, j; the stated order is i, \
             then j, then gap"
        )))
        .hint("per new row: i = gen_range(0..m), j = gen_range(0..k), gap = r#gen::<f64>()");
    }
    Ok(())
}

fn check_smote_draws() -> Graded {
    let cases = cases();
    let mut outputs = Vec::new();
    for (c, case) in cases.iter().enumerate() {
        let got = smote(
            &case.x,
            &case.y,
            case.minority,
            case.k,
            case.n_new,
            &mut rng(case.seed),
        );
        finite_shape(
            &format!(
                "case {c}: smote(x with {} rows, n_new = {})",
                case.y.len(),
                case.n_new
            ),
            &got,
            case.n_new,
            case.x.ncols(),
        )?;
        outputs.push(got);
    }
    // Invariant first, on every case: each new row lies on a segment between two minority rows.
    for (c, (case, got)) in cases.iter().zip(&outputs).enumerate() {
        let minority: Vec<Vec<f64>> = (0..case.y.len())
            .filter(|&i| case.y[i] == case.minority)
            .map(|i| row(&case.x, i))
            .collect();
        let others: Vec<Vec<f64>> = (0..case.y.len())
            .filter(|&i| case.y[i] != case.minority)
            .map(|i| row(&case.x, i))
            .collect();
        for r in 0..got.nrows() {
            let p = row(got, r);
            if on_some_segment(&p, &minority, &minority, 1e-9) {
                continue;
            }
            named_variant(c, case, got)?;
            if on_some_segment(&p, &minority, &others, 1e-9) {
                return Err(fail(format!(
                    "case {c}: new row {r} = {p:?} lies between a minority row and a row of \
                     another class: neighbours from all classes were used"
                )))
                .hint("look for neighbours among the minority rows only");
            }
            return Err(fail(format!(
                "case {c}: new row {r} = {p:?} is off the segment between any two minority rows \
                 (one gap per feature moves each coordinate independently; or the two ends \
                 are not both minority rows)"
            )))
            .hint("draw ONE gap per new row and move all coordinates by it: x + gap * (nb - x)");
        }
    }
    // Then the stated draws, replayed by the grader.
    for (c, (case, got)) in cases.iter().zip(&outputs).enumerate() {
        let replayed = |variant| {
            replay(
                &case.x,
                &case.y,
                case.minority,
                case.k,
                case.n_new,
                case.seed,
                variant,
            )
        };
        let same = |rows: &[Vec<f64>]| {
            rows.iter().enumerate().all(|(r, e)| {
                e.iter()
                    .enumerate()
                    .all(|(f, v)| (got[[r, f]] - v).abs() <= 1e-9)
            })
        };
        let expected = replayed(Variant::Stated);
        if same(&expected) {
            continue;
        }
        named_variant(c, case, got)?;
        let r = (0..case.n_new)
            .find(|&r| (0..case.x.ncols()).any(|f| (got[[r, f]] - expected[r][f]).abs() > 1e-9))
            .unwrap_or(0);
        return Err(fail(format!(
            "case {c} (k = {}, seed {}): new row {r} is {:?}, the stated draws give {:?}",
            case.k,
            case.seed,
            row(got, r),
            expected[r]
        )))
        .hint(
            "per new row, in this order: i = gen_range(0..m), j = gen_range(0..k), \
             gap = r#gen::<f64>(); neighbours sorted by (distance, index), i itself excluded",
        );
    }
    let empty = smote(
        &cases[0].x,
        &cases[0].y,
        cases[0].minority,
        3,
        0,
        &mut rng(1),
    );
    finite_shape("smote with n_new = 0", &empty, 0, cases[0].x.ncols())?;
    pass(
        "5 seeded cases on an integer grid (tied distances): every new row lies between two \
         minority rows and matches the stated draws; n_new = 0 gives an empty matrix",
    )
}

// ---------------------------------------------------------------- split, then oversample

const MINORITY: usize = 1;
const K: usize = 5;
const SEED: u64 = 7;

struct Sensor {
    x: Array2<f64>,
    y: Vec<usize>,
    test: Vec<bool>,
}

/// Humidity and temperature; label 1 = anomaly; the test part is mote 1 (an unseen sensor).
fn sensor() -> Result<Sensor, Failed> {
    let table = Table::dataset("sensor_anomaly.csv")
        .map_err(|e| fail(format!("the grader could not read sensor_anomaly.csv: {e}")))?;
    let x = table
        .numeric(&["humidity_pct", "temperature_c"])
        .map_err(|e| fail(format!("sensor_anomaly.csv: {e}")))?;
    let labels = table
        .text_column("label")
        .map_err(|e| fail(format!("sensor_anomaly.csv: {e}")))?;
    let motes = table
        .text_column("mote_id")
        .map_err(|e| fail(format!("sensor_anomaly.csv: {e}")))?;
    let y = labels
        .iter()
        .map(|l| usize::from(*l == Some("anomaly")))
        .collect();
    let test = motes.iter().map(|m| *m == Some("1")).collect();
    Ok(Sensor { x, y, test })
}

/// Everything a correct split-then-oversample returns; the number of synthetic rows.
fn validate(data: &Sensor, got: &Split) -> Result<usize, Failed> {
    let train: Vec<usize> = (0..data.y.len()).filter(|&i| !data.test[i]).collect();
    let test: Vec<usize> = (0..data.y.len()).filter(|&i| data.test[i]).collect();
    let n_min = train.iter().filter(|&&i| data.y[i] == MINORITY).count();
    let n_new = train.len() - 2 * n_min;
    equal(
        "x_test: shape (the test part is mote 1, untouched)",
        &got.x_test.dim(),
        &(test.len(), 2),
    )
    .hint("oversample the training part only: the test part keeps its rows as they were")?;
    equal("y_test: length", &got.y_test.len(), &test.len())?;
    for (r, &i) in test.iter().enumerate() {
        ensure(
            got.y_test[r] == data.y[i] && row(&got.x_test, r) == row(&data.x, i),
            || format!("the test set was changed: test row {r} differs from data row {i}"),
        )?;
    }
    equal("x_train: number of columns", &got.x_train.ncols(), &2)?;
    equal(
        "y_train: length (one label per row of x_train)",
        &got.y_train.len(),
        &got.x_train.nrows(),
    )?;
    let all_minority_count = data.y.iter().filter(|&&c| c == MINORITY).count();
    let n_new_whole = data.y.len() - 2 * all_minority_count;
    if got.x_train.nrows() == train.len() + n_new_whole {
        return Err(fail(format!(
            "x_train has {} rows: {} training rows plus {n_new_whole} synthetic ones, the \
             class gap of the WHOLE data set; count the classes of the training part \
             (gap {n_new})",
            got.x_train.nrows(),
            train.len()
        )))
        .hint("n_new = majority count - minority count, both counted in y_train");
    }
    equal(
        "x_train: rows (the original training rows, then minority rows until both classes \
         have the same count)",
        &got.x_train.nrows(),
        &(train.len() + n_new),
    )?;
    ensure(got.x_train.iter().all(|v| v.is_finite()), || {
        "x_train holds a value that is not finite".into()
    })?;
    for (r, &i) in train.iter().enumerate() {
        ensure(
            got.y_train[r] == data.y[i] && row(&got.x_train, r) == row(&data.x, i),
            || {
                format!(
                    "training row {r} differs from data row {i}: keep the original training rows \
                     first, in order"
                )
            },
        )?;
    }
    ensure(
        got.y_train[train.len()..].iter().all(|&c| c == MINORITY),
        || "the synthetic rows must all be labelled with the minority class (1)".into(),
    )?;
    let train_minority: Vec<Vec<f64>> = train
        .iter()
        .filter(|&&i| data.y[i] == MINORITY)
        .map(|&i| row(&data.x, i))
        .collect();
    for r in train.len()..got.x_train.nrows() {
        let p = row(&got.x_train, r);
        if on_some_segment(&p, &train_minority, &train_minority, 1e-9) {
            continue;
        }
        let all_minority: Vec<Vec<f64>> = (0..data.y.len())
            .filter(|&i| data.y[i] == MINORITY)
            .map(|i| row(&data.x, i))
            .collect();
        if on_some_segment(&p, &all_minority, &all_minority, 1e-9) {
            return Err(fail(format!(
                "synthetic row {r} = {p:?} was built from a TEST anomaly: SMOTE ran before the \
                 split, so the test set leaked into the training data"
            )))
            .hint("split first, then call smote on the training rows only");
        }
        let train_all: Vec<Vec<f64>> = train.iter().map(|&i| row(&data.x, i)).collect();
        if on_some_segment(&p, &train_minority, &train_all, 1e-9) {
            return Err(fail(format!(
                "synthetic row {r} = {p:?} lies between an anomaly and a normal reading: \
                 neighbours from all classes were used, or the new row starts from row i of \
                 x instead of the i-th minority row"
            )))
            .hint("both ends of the segment are training anomalies (minority rows only)");
        }
        return Err(fail(format!(
            "synthetic row {r} = {p:?} is off the segment between any two training anomalies"
        )))
        .hint("one gap per new row: x + gap * (neighbour - x)");
    }
    // The synthetic rows are the stated SMOTE of the training rows (k, seed), replayed by the
    // grader: nothing else, e.g. a look at the test rows, may choose them. (Not the learner's
    // own `smote`: it could return rows kept from this call. The sensor rows have no tied
    // distances among the nearest neighbours, so the replay is exact.)
    let x_train = data.x.select(ndarray::Axis(0), &train);
    let y_train: Vec<usize> = train.iter().map(|&i| data.y[i]).collect();
    let stated = replay(
        &x_train,
        &y_train,
        MINORITY,
        K,
        n_new,
        SEED,
        Variant::Stated,
    );
    for (r, expected) in stated.iter().enumerate() {
        let same = (0..2).all(|f| (got.x_train[[train.len() + r, f]] - expected[f]).abs() <= 1e-9);
        ensure(same, || {
            format!(
                "synthetic row {r} is {:?}, but SMOTE on the training rows (k = {K}, \
                 &mut split::rng({SEED}), n_new = {n_new}, the stated draws) gives {:?}: call \
                 smote once, on the training part, with a fresh split::rng(seed)",
                row(&got.x_train, train.len() + r),
                expected
            )
        })?;
    }
    Ok(n_new)
}

fn check_split_first() -> Graded {
    let data = sensor()?;
    let got = split_then_smote(&data.x, &data.y, &data.test, MINORITY, K, SEED);
    let n_train = data.test.iter().filter(|t| !**t).count();
    if got.x_train.ncols() == 2 && got.x_train.nrows() >= n_train {
        let mut points = Vec::new();
        let mut groups = Vec::new();
        // Finite points only: the report cannot carry NaN or infinity.
        let finite = |r: usize| got.x_train.row(r).iter().all(|v| v.is_finite());
        for i in 0..n_train.min(got.y_train.len()) {
            if got.y_train[i] == MINORITY && finite(i) {
                points.push([got.x_train[[i, 0]], got.x_train[[i, 1]]]);
                groups.push(0);
            }
        }
        for r in (n_train..got.x_train.nrows()).step_by(40) {
            if finite(r) {
                points.push([got.x_train[[r, 0]], got.x_train[[r, 1]]]);
                groups.push(1);
            }
        }
        show(Figure::Scatter {
            title: "training anomalies (0) and every 40th synthetic one (1)".into(),
            x_label: "humidity %".into(),
            y_label: "temperature °C".into(),
            points,
            groups,
        });
    }
    let n_new = validate(&data, &got)?;
    pass(format!(
        "test part (mote 1) untouched; {n_train} training rows kept, then {n_new} synthetic \
         anomalies, each on a segment between two TRAINING anomalies"
    ))
}

// ---------------------------------------------------------------- held-out F1

/// Weighted logistic regression on standardized features, full-batch gradient descent.
fn fit_predict(x: &Array2<f64>, y: &[usize], w: &[f64], x_test: &Array2<f64>) -> Vec<bool> {
    let (n, d) = x.dim();
    let mean: Vec<f64> = (0..d)
        .map(|f| (0..n).map(|i| x[[i, f]]).sum::<f64>() / n as f64)
        .collect();
    let sd: Vec<f64> = (0..d)
        .map(|f| {
            ((0..n).map(|i| (x[[i, f]] - mean[f]).powi(2)).sum::<f64>() / n as f64)
                .sqrt()
                .max(1e-12)
        })
        .collect();
    let z = |x: &Array2<f64>, i: usize, f: usize| (x[[i, f]] - mean[f]) / sd[f];
    let total: f64 = w.iter().sum();
    let mut b = vec![0.0; d + 1];
    for _ in 0..300 {
        let mut g = vec![0.0; d + 1];
        for i in 0..n {
            let mut s = b[0];
            for f in 0..d {
                s += b[f + 1] * z(x, i, f);
            }
            let e = (1.0 / (1.0 + (-s).exp()) - y[i] as f64) * w[i];
            g[0] += e;
            for f in 0..d {
                g[f + 1] += e * z(x, i, f);
            }
        }
        for (bf, gf) in b.iter_mut().zip(&g) {
            *bf -= 0.5 * gf / total;
        }
    }
    (0..x_test.nrows())
        .map(|i| {
            let mut s = b[0];
            for f in 0..d {
                s += b[f + 1] * z(x_test, i, f);
            }
            s >= 0.0
        })
        .collect()
}

fn f1(predicted: &[bool], y: &[usize]) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (&p, &t) in predicted.iter().zip(y) {
        match (p, t == MINORITY) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
    }
    2.0 * tp / (2.0 * tp + fp + fn_)
}

fn check_heldout_f1() -> Graded {
    let data = sensor()?;
    let got = split_then_smote(&data.x, &data.y, &data.test, MINORITY, K, SEED);
    validate(&data, &got)?;
    let train: Vec<usize> = (0..data.y.len()).filter(|&i| !data.test[i]).collect();
    let test: Vec<usize> = (0..data.y.len()).filter(|&i| data.test[i]).collect();
    let x_train = data.x.select(ndarray::Axis(0), &train);
    let y_train: Vec<usize> = train.iter().map(|&i| data.y[i]).collect();
    let x_test = data.x.select(ndarray::Axis(0), &test);
    let y_test: Vec<usize> = test.iter().map(|&i| data.y[i]).collect();
    // The learner's rows were validated above; the grader fits its own model on them.
    let ones = vec![1.0; got.y_train.len()];
    let smote_f1 = f1(
        &fit_predict(&got.x_train, &got.y_train, &ones, &x_test),
        &y_test,
    );
    let plain = f1(
        &fit_predict(&x_train, &y_train, &vec![1.0; y_train.len()], &x_test),
        &y_test,
    );
    let c = counts(&y_train, 2);
    let weights: Vec<f64> = y_train
        .iter()
        .map(|&t| y_train.len() as f64 / (2.0 * c[t] as f64))
        .collect();
    let weighted = f1(&fit_predict(&x_train, &y_train, &weights, &x_test), &y_test);
    // Random oversampling: the same number of new rows, each a copy of a random training anomaly.
    let anomalies: Vec<usize> = (0..y_train.len())
        .filter(|&i| y_train[i] == MINORITY)
        .collect();
    let mut r = rng(SEED);
    let n_new = y_train.len() - 2 * anomalies.len();
    let copies: Vec<usize> = (0..n_new)
        .map(|_| anomalies[r.gen_range(0..anomalies.len())])
        .collect();
    let x_ros = ndarray::concatenate![
        ndarray::Axis(0),
        x_train,
        x_train.select(ndarray::Axis(0), &copies)
    ];
    let mut y_ros = y_train.clone();
    y_ros.extend(std::iter::repeat_n(MINORITY, n_new));
    let ros = f1(
        &fit_predict(&x_ros, &y_ros, &vec![1.0; y_ros.len()], &x_test),
        &y_test,
    );
    bar(
        "F1 of the anomalies on mote 1, trained with SMOTE",
        smote_f1,
        BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; the same logistic regression without resampling: {}, with random \
         oversampling (copies): {}, with balanced class weights: {}",
        fmt(plain),
        fmt(ros),
        fmt(weighted)
    ))
}

const BAR: f64 = 0.6;
