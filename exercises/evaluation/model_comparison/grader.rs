// Grader of evaluation/model_comparison.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array2, Axis};
use rand::Rng as _;

use super::exercise::{contingency, mcnemar, paired_bootstrap, quantile};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("contingency_table", contingency_table),
    ("mcnemar_test", mcnemar_test),
    ("quantile_type7", quantile_type7),
    ("bootstrap_interval", bootstrap_interval),
    ("two_classifiers", two_classifiers),
];

const N_BOOT: usize = 1000;

// ---------- the grader's own statistics ----------

/// erfc to near double precision: a positive series for erf below 2.5, a continued fraction
/// above.
fn erfc_ref(z: f64) -> f64 {
    if z < 2.5 {
        // erf(z) = 2/√π e^{-z²} Σ 2ⁿ z^{2n+1} / (1·3·…·(2n+1))
        let mut term = z;
        let mut sum = z;
        for n in 1..200 {
            term *= 2.0 * z * z / (2 * n + 1) as f64;
            sum += term;
            if term < 1e-17 * sum {
                break;
            }
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * (-z * z).exp() * sum
    } else {
        let mut k = z;
        for i in (1..80).rev() {
            k = z + (i as f64 / 2.0) / k;
        }
        (-z * z).exp() / std::f64::consts::PI.sqrt() / k
    }
}

fn sf_ref(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc_ref((x / 2.0).sqrt())
    }
}

fn table_ref(y: &[usize], a: &[usize], b: &[usize]) -> [[usize; 2]; 2] {
    let mut t = [[0; 2]; 2];
    for i in 0..y.len() {
        let ai = if a[i] == y[i] { 0 } else { 1 };
        let bi = if b[i] == y[i] { 0 } else { 1 };
        t[ai][bi] += 1;
    }
    t
}

fn type7(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    if lo + 1 >= sorted.len() {
        return sorted[sorted.len() - 1];
    }
    sorted[lo] + (h - lo as f64) * (sorted[lo + 1] - sorted[lo])
}

/// Other quantile conventions a learner may use, with their names.
fn other_quantiles(sorted: &[f64], q: f64) -> Vec<(f64, &'static str)> {
    let n = sorted.len();
    let at = |i: usize| sorted[i.min(n - 1)];
    vec![
        (at((q * n as f64).floor() as usize), "sorted[floor(q·n)]"),
        (
            at(((q * n as f64).ceil() as usize).max(1) - 1),
            "the nearest rank, sorted[ceil(q·n) − 1]",
        ),
        (
            at(((n - 1) as f64 * q).round() as usize),
            "sorted[round(q·(n − 1))]",
        ),
        (
            at(((n - 1) as f64 * q).floor() as usize),
            "sorted[floor(q·(n − 1))] without interpolation",
        ),
    ]
}

#[derive(Clone, Copy, PartialEq)]
enum Resample {
    Paired,
    /// each replicate: n draws for A, then n draws for B
    Unpaired,
    /// each replicate: a draw for A, then one for B, row after row
    UnpairedInterleaved,
}

/// (difference, replicate differences in the order drawn) of the paired bootstrap, or of an
/// unpaired one.
fn bootstrap_ref(
    y: &[usize],
    a: &[usize],
    b: &[usize],
    n_boot: usize,
    seed: u64,
    how: Resample,
) -> (f64, Vec<f64>) {
    let n = y.len();
    let mut rng = split::rng(seed);
    let acc = |p: &[usize], rows: &[usize]| {
        rows.iter().filter(|&&i| p[i] == y[i]).count() as f64 / rows.len() as f64
    };
    let all: Vec<usize> = (0..n).collect();
    let mut reps = Vec::with_capacity(n_boot);
    for _ in 0..n_boot {
        let (rows_a, rows_b): (Vec<usize>, Vec<usize>) = match how {
            Resample::Paired => {
                let rows: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
                (rows.clone(), rows)
            }
            Resample::Unpaired => {
                let rows_a: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
                (rows_a, (0..n).map(|_| rng.gen_range(0..n)).collect())
            }
            Resample::UnpairedInterleaved => (0..n)
                .map(|_| (rng.gen_range(0..n), rng.gen_range(0..n)))
                .unzip(),
        };
        reps.push(acc(a, &rows_a) - acc(b, &rows_b));
    }
    (acc(a, &all) - acc(b, &all), reps)
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

// ---------- data ----------

/// Labels and two correlated classifiers' predictions: each model is right with its own rate,
/// and they share most of their errors.
fn synthetic(seed: u64, n: usize, acc_a: f64, acc_b: f64) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut rng = split::rng(seed);
    let (mut y, mut a, mut b) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let t = rng.gen_range(0..3);
        let shared: f64 = rng.r#gen();
        let wrong = |acc: f64, own: f64| {
            if 0.8 * shared + 0.2 * own > acc {
                (t + 1) % 3
            } else {
                t
            }
        };
        let (ua, ub): (f64, f64) = (rng.r#gen(), rng.r#gen());
        y.push(t);
        a.push(wrong(acc_a, ua));
        b.push(wrong(acc_b, ub));
    }
    (y, a, b)
}

fn rel_close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs() + 1e-12
}

/// Compare a McNemar result with the grader's, naming the classic wrong statistics.
fn check_mcnemar(what: &str, t: [[usize; 2]; 2]) -> Result<(f64, f64), Failed> {
    let got = mcnemar(t);
    let (b, c) = (t[0][1] as f64, t[1][0] as f64);
    let n = (t[0][0] + t[0][1] + t[1][0] + t[1][1]) as f64;
    let stat = if b + c == 0.0 {
        0.0
    } else {
        ((b - c).abs() - 1.0).powi(2) / (b + c)
    };
    let p = sf_ref(stat);
    ensure(got.statistic.is_finite() && got.p_value.is_finite(), || {
        format!(
            "{what}: statistic and p-value must be finite, got {} and {}",
            got.statistic, got.p_value
        )
    })
    .hint(if b + c == 0.0 {
        "when b + c = 0, return statistic 0 and p-value 1"
    } else {
        "(|b − c| − 1)² / (b + c), with b = table[0][1] and c = table[1][0]"
    })?;
    if !rel_close(got.statistic, stat, 1e-9) {
        let mut wrong = Vec::new();
        if b + c > 0.0 {
            wrong.push((
                (b - c).powi(2) / (b + c),
                "no continuity correction: Edwards' subtracts 1 from |b − c|",
            ));
        }
        wrong.push((
            ((b - c).abs() - 1.0).powi(2) / n,
            "concordant pairs counted: divide by b + c, the discordant pairs only",
        ));
        wrong.push((
            (b - c).powi(2) / n,
            "concordant pairs counted and no continuity correction",
        ));
        for (v, why) in wrong {
            if rel_close(got.statistic, v, 1e-9) && !rel_close(v, stat, 1e-9) {
                return Err(fail(format!(
                    "{what}: statistic expected {}, got {}: {why}",
                    fmt(stat),
                    fmt(got.statistic)
                )));
            }
        }
        return Err(fail(format!(
            "{what}: statistic expected {}, got {}",
            fmt(stat),
            fmt(got.statistic)
        )))
        .hint("(|b − c| − 1)² / (b + c), with b = table[0][1] and c = table[1][0]");
    }
    if !rel_close(got.p_value, p, 1e-6) {
        let why = if rel_close(got.p_value, 1.0 - p, 1e-6) {
            ": gave the cumulative probability P(X ≤ x); the p-value is P(X > x), `chi2_1_sf`"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: p-value expected {}, got {}{why}",
            fmt(p),
            fmt(got.p_value)
        )));
    }
    Ok((stat, p))
}

/// Compare a bootstrap interval with the grader's, naming unpaired resampling and other
/// quantile conventions.
fn check_interval(
    what: &str,
    y: &[usize],
    a: &[usize],
    b: &[usize],
    seed: u64,
) -> Result<(f64, f64, f64), Failed> {
    let got = paired_bootstrap(y, a, b, N_BOOT, seed);
    let (diff, drawn) = bootstrap_ref(y, a, b, N_BOOT, seed, Resample::Paired);
    let reps = sorted(&drawn);
    let (lo, hi) = (type7(&reps, 0.025), type7(&reps, 0.975));
    ensure(
        [got.difference, got.low, got.high]
            .iter()
            .all(|v| v.is_finite()),
        || format!("{what}: the interval must be finite, got {got:?}"),
    )?;
    let tol = 1e-9;
    if (got.difference - diff).abs() > tol {
        let mean_reps = drawn.iter().sum::<f64>() / drawn.len() as f64;
        let why = if (got.difference + diff).abs() <= tol {
            ": the negated difference, accuracy(A) − accuracy(B) is asked"
        } else if (got.difference - mean_reps).abs() <= tol {
            ": the mean of the bootstrap replicates; the difference is measured once, on all the \
             rows"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: difference expected {}, got {}{why}",
            fmt(diff),
            fmt(got.difference)
        )));
    }
    let near = |x: f64, y: f64| (x - y).abs() <= tol;
    if near(got.low, lo) && near(got.high, hi) {
        return Ok((diff, lo, hi));
    }
    let interval = |reps: &[f64]| (type7(reps, 0.025), type7(reps, 0.975));
    let unpaired_msg = "unpaired resampling (each model's rows drawn separately) ignores that \
                        both models are scored on the same rows and widens the interval; draw \
                        one set of rows per replicate for both";
    for how in [Resample::Unpaired, Resample::UnpairedInterleaved] {
        let (ulo, uhi) = interval(&sorted(&bootstrap_ref(y, a, b, N_BOOT, seed, how).1));
        if near(got.low, ulo) && near(got.high, uhi) {
            return Err(fail(format!(
                "{what}: interval expected [{}, {}], got [{}, {}]: {unpaired_msg}",
                fmt(lo),
                fmt(hi),
                fmt(got.low),
                fmt(got.high)
            )));
        }
    }
    let (dlo, dhi) = interval(&drawn);
    if near(got.low, dlo) && near(got.high, dhi) && !(near(dlo, lo) && near(dhi, hi)) {
        return Err(fail(format!(
            "{what}: interval expected [{}, {}], got [{}, {}]: the replicate differences were \
             not sorted before taking the quantiles",
            fmt(lo),
            fmt(hi),
            fmt(got.low),
            fmt(got.high)
        )));
    }
    // Another way of drawing unpaired rows: not replayed, but much wider than the paired one.
    // (Only reached when the interval is wrong: a correct one has returned above.)
    let ratio = (got.high - got.low) / (hi - lo);
    if hi > lo && ratio > 1.4 {
        return Err(fail(format!(
            "{what}: interval expected [{}, {}], got [{}, {}], {ratio:.2} times as wide: \
             resampled each model's rows separately? {unpaired_msg}",
            fmt(lo),
            fmt(hi),
            fmt(got.low),
            fmt(got.high)
        )));
    }
    for ((vlo, name), (vhi, _)) in other_quantiles(&reps, 0.025)
        .into_iter()
        .zip(other_quantiles(&reps, 0.975))
    {
        if near(got.low, vlo) && near(got.high, vhi) && !(near(vlo, lo) && near(vhi, hi)) {
            return Err(fail(format!(
                "{what}: interval expected [{}, {}], got [{}, {}]: another quantile convention \
                 ({name}); use linear interpolation at h = (n − 1)·q",
                fmt(lo),
                fmt(hi),
                fmt(got.low),
                fmt(got.high)
            )));
        }
    }
    Err(fail(format!(
        "{what}: interval expected [{}, {}], got [{}, {}]",
        fmt(lo),
        fmt(hi),
        fmt(got.low),
        fmt(got.high)
    )))
    .hint("one `rng.gen_range(0..n)` per drawn row, n rows per replicate, replicates in turn")
}

// ---------- checks ----------

fn contingency_table() -> Graded {
    for case in 0..5u64 {
        let (y, a, b) = synthetic(10 + case, 40 + 13 * case as usize, 0.8, 0.7);
        let got = contingency(&y, &a, &b);
        let want = table_ref(&y, &a, &b);
        let why = if got == [[want[0][0], want[1][0]], [want[0][1], want[1][1]]]
            && want[0][1] != want[1][0]
        {
            ": transposed: rows are model A (right, wrong), columns model B"
        } else if got == [[want[1][1], want[1][0]], [want[0][1], want[0][0]]]
            && want[0][0] != want[1][1]
        {
            ": index 0 is \"right\", 1 is \"wrong\""
        } else {
            ""
        };
        ensure(got == want, || {
            format!(
                "table of case {}: expected {want:?}, got {got:?}{why}",
                case + 1
            )
        })?;
    }
    pass("paired 2×2 tables of 5 seeded pairs of classifiers")
}

fn mcnemar_test() -> Graded {
    let mut tables = vec![
        [[50, 12], [4, 34]],
        [[80, 3], [9, 8]],
        [[30, 7], [7, 6]],  // b = c: Edwards' statistic 1/(b + c), not 0
        [[20, 1], [0, 5]],  // |b − c| = 1: statistic 0
        [[40, 0], [0, 10]], // no discordant pair: statistic 0, p-value 1
        [[100, 60], [10, 30]],
    ];
    for case in 0..4u64 {
        let (y, a, b) = synthetic(20 + case, 150, 0.85, 0.78);
        tables.push(table_ref(&y, &a, &b));
    }
    for t in &tables {
        check_mcnemar(&format!("mcnemar({t:?})"), *t)?;
    }
    pass(
        "Edwards-corrected statistic and chi-square(1) p-value on 10 tables, with b = c, |b − c| = 1 and b + c = 0",
    )
}

fn quantile_type7() -> Graded {
    let cases: Vec<(Vec<f64>, f64)> = vec![
        (vec![1.0, 2.0, 3.0, 4.0], 0.5),
        (vec![1.0, 2.0, 3.0, 4.0, 10.0], 0.9),
        ((0..40).map(|i| (i * i) as f64).collect(), 0.025),
        ((0..40).map(|i| (i * i) as f64).collect(), 0.975),
        (vec![-3.0, 5.0], 0.3),
        (vec![7.0], 0.975),
        (vec![0.0, 1.0, 1.0, 4.0], 0.0),
        (vec![0.0, 1.0, 1.0, 4.0], 1.0),
    ];
    for (sorted, q) in cases {
        let got = quantile(&sorted, q);
        let want = type7(&sorted, q);
        let wrong: Vec<(f64, String)> = other_quantiles(&sorted, q)
            .into_iter()
            .map(|(v, name)| (v, format!("another quantile convention ({name})")))
            .collect();
        let wrong: Vec<(f64, &str)> = wrong.iter().map(|(v, s)| (*v, s.as_str())).collect();
        close_naming(
            &format!("quantile({}, {q})", short(&sorted)),
            got,
            want,
            1e-12,
            &wrong,
        )
        .hint("h = (n − 1)·q; interpolate between sorted[floor(h)] and the next one")?;
    }
    pass("linear interpolation (type 7) on 8 cases, q = 0 and 1 and a single value included")
}

fn short(v: &[f64]) -> String {
    if v.len() <= 5 {
        format!("{v:?}")
    } else {
        format!("[{} values]", v.len())
    }
}

fn bootstrap_interval() -> Graded {
    for case in 0..4u64 {
        let (y, a, b) = synthetic(30 + case, 120 + 40 * case as usize, 0.86, 0.8);
        check_interval(
            &format!("paired_bootstrap, case {} ({} rows)", case + 1, y.len()),
            &y,
            &a,
            &b,
            40 + case,
        )?;
    }
    pass(
        "paired percentile intervals (1000 replicates) of 4 seeded pairs of correlated classifiers",
    )
}

// ---------- two real classifiers ----------

fn two_classifiers() -> Graded {
    let table = Table::dataset("breast_cancer.csv").map_err(|e| fail(e.to_string()))?;
    let cols = table.columns_except(&["diagnosis"]);
    let x = table.numeric(&cols).map_err(|e| fail(e.to_string()))?;
    let (y, _) = table.labels("diagnosis").map_err(|e| fail(e.to_string()))?;
    let (train, test) = split::train_test(x.nrows(), 0.4, 7);
    let (xt, yt) = (split::rows(&x, &train), split::pick(&y, &train));
    let mean = xt.mean_axis(Axis(0)).ok_or_else(|| fail("no rows"))?;
    let std = xt.std_axis(Axis(0), 0.0);
    let z = |m: &Array2<f64>| (m - &mean) / &std;
    let (zt, zs) = (z(&xt), z(&split::rows(&x, &test)));
    let ys = split::pick(&y, &test);
    // A: 5 nearest neighbours on standardized features (majority of 5 votes); B: nearest
    // centroid on the raw features (the areas, in the hundreds, dominate the distances).
    let xs = split::rows(&x, &test);
    let centroid = |c: usize| {
        let rows: Vec<usize> = (0..yt.len()).filter(|&i| yt[i] == c).collect();
        split::rows(&xt, &rows)
            .mean_axis(Axis(0))
            .expect("both classes in the training rows")
    };
    let cents = [centroid(0), centroid(1)];
    let dist = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| {
        a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum::<f64>()
    };
    let mut pred_a = Vec::new();
    let mut pred_b = Vec::new();
    for (row, raw) in zs.rows().into_iter().zip(xs.rows()) {
        let mut d: Vec<(f64, usize)> = zt
            .rows()
            .into_iter()
            .zip(&yt)
            .map(|(r, &c)| (dist(row, r), c))
            .collect();
        d.sort_by(|p, q| p.0.total_cmp(&q.0));
        let votes = d[..5].iter().filter(|p| p.1 == 1).count();
        pred_a.push(usize::from(votes >= 3));
        pred_b.push(usize::from(
            dist(raw, cents[1].view()) < dist(raw, cents[0].view()),
        ));
    }
    let t = table_ref(&ys, &pred_a, &pred_b);
    show(Figure::Table {
        title: "paired outcomes on the test rows".into(),
        row_labels: vec!["A: 5-NN right".into(), "A: 5-NN wrong".into()],
        column_labels: vec!["B: centroid right".into(), "B: centroid wrong".into()],
        cells: t
            .iter()
            .map(|r| r.iter().map(|&v| v as f64).collect())
            .collect(),
    });
    let got = contingency(&ys, &pred_a, &pred_b);
    equal("table of the two classifiers", &got, &t)?;
    let (stat, p) = check_mcnemar("McNemar on breast_cancer", t)?;
    let (diff, lo, hi) = check_interval("bootstrap on breast_cancer", &ys, &pred_a, &pred_b, 8)?;
    let unpaired = sorted(&bootstrap_ref(&ys, &pred_a, &pred_b, N_BOOT, 8, Resample::Unpaired).1);
    pass(format!(
        "5-NN minus nearest centroid: accuracy difference {} on {} test rows, paired 95 % interval \
         [{}, {}] (unpaired, it would be [{}, {}]); McNemar statistic {}, p = {}",
        fmt(diff),
        ys.len(),
        fmt(lo),
        fmt(hi),
        fmt(type7(&unpaired, 0.025)),
        fmt(type7(&unpaired, 0.975)),
        fmt(stat),
        fmt(p)
    ))
}
