// Grader of evaluation/nested_search.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{cv_mse, grid_search, kfold, nested_cv, random_lambdas};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("kfold_sizes", kfold_sizes),
    ("cv_and_grid", cv_and_grid),
    ("random_draws", random_draws),
    ("nested", nested),
];

const FEATURES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu",
];
const REL: f64 = 1e-9;
/// The seed of the nested check (see `nested`).
const NESTED_SEED: u64 = 40;
/// The smallest relative lead of a search's best score over the runner-up that the grader
/// relies on (last-bit differences between machines are around 1e-15).
const MIN_MARGIN: f64 = 1e-6;

fn diabetes() -> Result<(Array2<f64>, Vec<f64>), Failed> {
    let table = Table::dataset("diabetes.csv").map_err(|e| fail(e.to_string()))?;
    let x = table.numeric(&FEATURES).map_err(|e| fail(e.to_string()))?;
    let y = table
        .numeric(&["disease_progression"])
        .map_err(|e| fail(e.to_string()))?
        .column(0)
        .to_vec();
    Ok((x, y))
}

fn lambdas() -> Vec<f64> {
    (0..25)
        .map(|i| 10f64.powf(-2.0 + 0.25 * i as f64))
        .collect()
}

// ---------- the grader's own folds, ridge and searches ----------

#[derive(Clone, Copy, PartialEq)]
enum Sizes {
    Right,
    LastAbsorbs,
    LastLarger,
}

fn folds_with(n: usize, k: usize, seed: u64, sizes: Sizes) -> Vec<Vec<usize>> {
    let order = split::shuffled(n, seed);
    let mut out = Vec::new();
    let mut start = 0;
    for f in 0..k {
        let mut size = n / k;
        match sizes {
            Sizes::Right => {
                if f < n % k {
                    size += 1;
                }
            }
            Sizes::LastAbsorbs => {
                if f == k - 1 {
                    size += n % k;
                }
            }
            Sizes::LastLarger => {
                if f >= k - n % k {
                    size += 1;
                }
            }
        }
        let mut fold = Vec::new();
        for &i in &order[start..start + size] {
            fold.push(i);
        }
        out.push(fold);
        start += size;
    }
    out
}

fn folds(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    folds_with(n, k, seed, Sizes::Right)
}

/// Ridge on standardized columns (population std, a constant column left at 0), solved by
/// Gauss-Jordan elimination; returns the predictions for `rows_out`.
fn ridge_predictions(
    x: &Array2<f64>,
    y: &[f64],
    rows_in: &[usize],
    lambda: f64,
    rows_out: &[usize],
) -> Vec<f64> {
    let p = x.ncols();
    let n = rows_in.len() as f64;
    let mut mean = vec![0.0; p];
    let mut std = vec![0.0; p];
    for j in 0..p {
        for &i in rows_in {
            mean[j] += x[[i, j]] / n;
        }
        for &i in rows_in {
            std[j] += (x[[i, j]] - mean[j]).powi(2) / n;
        }
        std[j] = if std[j] > 0.0 { std[j].sqrt() } else { 1.0 };
    }
    let y_mean = rows_in.iter().map(|&i| y[i]).sum::<f64>() / n;
    // augmented matrix [ZᵀZ + λI | Zᵀ(y − ȳ)]
    let mut m = vec![vec![0.0; p + 1]; p];
    for &i in rows_in {
        let z: Vec<f64> = (0..p).map(|j| (x[[i, j]] - mean[j]) / std[j]).collect();
        for a in 0..p {
            for b in 0..p {
                m[a][b] += z[a] * z[b];
            }
            m[a][p] += z[a] * (y[i] - y_mean);
        }
    }
    for (a, row) in m.iter_mut().enumerate() {
        row[a] += lambda;
    }
    for c in 0..p {
        let mut piv = c;
        for r in c + 1..p {
            if m[r][c].abs() > m[piv][c].abs() {
                piv = r;
            }
        }
        m.swap(c, piv);
        let d = m[c][c];
        for v in m[c].iter_mut() {
            *v /= d;
        }
        let pivot_row = m[c].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != c {
                let f = row[c];
                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
    }
    rows_out
        .iter()
        .map(|&i| {
            let mut s = y_mean;
            for j in 0..p {
                s += (x[[i, j]] - mean[j]) / std[j] * m[j][p];
            }
            s
        })
        .collect()
}

fn mse_rows(pred: &[f64], y: &[f64], rows: &[usize]) -> f64 {
    let mut s = 0.0;
    for (k, &i) in rows.iter().enumerate() {
        s += (pred[k] - y[i]).powi(2);
    }
    s / rows.len() as f64
}

fn others(n: usize, fold: &[usize]) -> Vec<usize> {
    (0..n).filter(|i| !fold.contains(i)).collect()
}

/// Cross-validated MSE on the rows `rows` of (x, y), folds given as positions in `rows`.
/// `pooled`: all squared errors averaged together (the mistake) instead of the folds' MSEs.
fn cv(
    x: &Array2<f64>,
    y: &[f64],
    rows: &[usize],
    lambda: f64,
    fs: &[Vec<usize>],
    pooled: bool,
) -> f64 {
    let (mut sum_mse, mut sum_se, mut count) = (0.0, 0.0, 0usize);
    for fold in fs {
        let test: Vec<usize> = fold.iter().map(|&f| rows[f]).collect();
        let train: Vec<usize> = others(rows.len(), fold).iter().map(|&f| rows[f]).collect();
        let pred = ridge_predictions(x, y, &train, lambda, &test);
        let m = mse_rows(&pred, y, &test);
        sum_mse += m;
        sum_se += m * test.len() as f64;
        count += test.len();
    }
    if pooled {
        sum_se / count as f64
    } else {
        sum_mse / fs.len() as f64
    }
}

fn search(
    x: &Array2<f64>,
    y: &[f64],
    rows: &[usize],
    grid: &[f64],
    fs: &[Vec<usize>],
) -> (usize, f64) {
    let mut best = 0;
    let mut best_score = f64::INFINITY;
    for (i, &l) in grid.iter().enumerate() {
        let s = cv(x, y, rows, l, fs, false);
        if s < best_score {
            best = i;
            best_score = s;
        }
    }
    (best, best_score)
}

/// The relative lead of the best CV score over the best score of a different penalty.
fn search_margin(
    x: &Array2<f64>,
    y: &[f64],
    rows: &[usize],
    grid: &[f64],
    fs: &[Vec<usize>],
) -> f64 {
    let (best, best_score) = search(x, y, rows, grid, fs);
    let mut runner_up = f64::INFINITY;
    for &l in grid {
        if l != grid[best] {
            runner_up = runner_up.min(cv(x, y, rows, l, fs, false));
        }
    }
    (runner_up - best_score) / best_score
}

#[derive(Clone, Copy, PartialEq)]
enum Nest {
    Right,
    /// inner folds drawn over all the rows (the outer test fold among them)
    Leaky,
    /// the penalty chosen by its MSE on the outer test fold
    OnOuterTest,
    /// the inner folds' positions used as row numbers of the whole data
    PositionsAsRows,
}

/// (chosen penalties, outer MSEs, best inner scores)
fn nested_ref(
    x: &Array2<f64>,
    y: &[f64],
    grid: &[f64],
    k_outer: usize,
    k_inner: usize,
    seed: u64,
    how: Nest,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = x.nrows();
    let all: Vec<usize> = (0..n).collect();
    let (mut chosen, mut outer, mut inner_best) = (Vec::new(), Vec::new(), Vec::new());
    for (o, fold) in folds(n, k_outer, seed).iter().enumerate() {
        let train = others(n, fold);
        let inner_seed = seed + 1 + o as u64;
        let (best, score) = match how {
            Nest::Right => search(x, y, &train, grid, &folds(train.len(), k_inner, inner_seed)),
            Nest::Leaky => search(x, y, &all, grid, &folds(n, k_inner, inner_seed)),
            Nest::PositionsAsRows => {
                search(x, y, &all, grid, &folds(train.len(), k_inner, inner_seed))
            }
            Nest::OnOuterTest => {
                let mut b = (0, f64::INFINITY);
                for (i, &l) in grid.iter().enumerate() {
                    let s = mse_rows(&ridge_predictions(x, y, &train, l, fold), y, fold);
                    if s < b.1 {
                        b = (i, s);
                    }
                }
                b
            }
        };
        chosen.push(grid[best]);
        inner_best.push(score);
        outer.push(mse_rows(
            &ridge_predictions(x, y, &train, grid[best], fold),
            y,
            fold,
        ));
    }
    (chosen, outer, inner_best)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn rel_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * b.abs().max(1.0)
}

fn show_vec(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| fmt(*x)).collect();
    format!("[{}]", items.join(", "))
}

/// Length, finiteness, then relative closeness, naming a known wrong variant.
fn compare(
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
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: every value must be finite, got {}", show_vec(got))
    })?;
    let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(p, q)| rel_close(*p, *q));
    if near(got, expected) {
        return Ok(());
    }
    for (variant, why) in wrong {
        if near(got, variant) && !near(variant, expected) {
            return Err(fail(format!(
                "{what}: expected {}, got {}: {why}",
                show_vec(expected),
                show_vec(got)
            )));
        }
    }
    Err(fail(format!(
        "{what}: expected {}, got {}",
        show_vec(expected),
        show_vec(got)
    )))
}

// ---------- checks ----------

fn kfold_sizes() -> Graded {
    let cases = [
        (10, 3, 1u64),
        (17, 5, 2),
        (442, 10, 3),
        (7, 7, 4),
        (20, 4, 5),
        (23, 6, 6),
        (5, 2, 7),
    ];
    for (n, k, seed) in cases {
        let got = kfold(n, k, seed);
        let what = format!("kfold({n}, {k}, seed {seed})");
        equal(&format!("{what}: number of folds"), &got.len(), &k)?;
        let mut seen = vec![false; n];
        for fold in &got {
            for &i in fold {
                ensure(i < n && !seen[i], || {
                    format!("{what}: index {i} is out of range or in two folds")
                })?;
                seen[i] = true;
            }
        }
        ensure(seen.iter().all(|&s| s), || {
            format!("{what}: some rows are in no fold")
        })?;
        let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
        let expected = folds(n, k, seed);
        let want: Vec<usize> = expected.iter().map(Vec::len).collect();
        for (variant, why) in [
            (Sizes::LastAbsorbs, "the last fold absorbs the remainder"),
            (Sizes::LastLarger, "the last folds get the extra rows"),
        ] {
            let v: Vec<usize> = folds_with(n, k, seed, variant)
                .iter()
                .map(Vec::len)
                .collect();
            if sizes == v && v != want {
                return Err(fail(format!(
                    "{what}: fold sizes {sizes:?}, expected {want:?}: wrong fold sizes, {why}; \
                     scikit-learn gives the first n % k folds one more row"
                )));
            }
        }
        equal(&format!("{what}: wrong fold sizes"), &sizes, &want)?;
        for (f, (g, e)) in got.iter().zip(&expected).enumerate() {
            let mut g = g.clone();
            let mut e = e.clone();
            g.sort_unstable();
            e.sort_unstable();
            ensure(g == e, || {
                format!(
                    "{what}: fold {f} holds other rows than entries {}.. of split::shuffled(n, seed)",
                    expected[..f].iter().map(Vec::len).sum::<usize>()
                )
            })
            .hint("fold f is the next slice of the seeded order, taken in turn")?;
        }
    }
    pass(
        "7 cases (n % k = 0, k = n, remainders): folds partition the rows with scikit-learn's sizes",
    )
}

fn cv_and_grid() -> Graded {
    let (x, y) = diabetes()?;
    let n = x.nrows();
    let all: Vec<usize> = (0..n).collect();
    let fs = folds(n, 5, 21);
    for &lambda in &[0.01, 3.0, 300.0] {
        let got = cv_mse(&x, &y, lambda, &fs);
        let expected = cv(&x, &y, &all, lambda, &fs, false);
        let pooled = cv(&x, &y, &all, lambda, &fs, true);
        let mut train_err = 0.0;
        for fold in &fs {
            let train = others(n, fold);
            let pred = ridge_predictions(&x, &y, &train, lambda, &train);
            train_err += mse_rows(&pred, &y, &train) / fs.len() as f64;
        }
        compare(
            &format!("cv_mse(λ = {lambda}) on diabetes, 5 folds of 89, 89, 88, 88, 88 rows"),
            &[got],
            &[expected],
            &[
                (
                    vec![pooled],
                    "pooled all squared errors: average the 5 folds' MSEs",
                ),
                (
                    vec![train_err],
                    "scored on the training rows of each fold, not the held-out fold",
                ),
            ],
        )?;
    }
    // Grid search, with a repeated penalty: the first of equal scores wins.
    let mut grid = lambdas();
    let (best, _) = search(&x, &y, &all, &grid, &fs);
    let margin = search_margin(&x, &y, &all, &grid, &fs);
    ensure(margin > MIN_MARGIN, || {
        format!("learnml grader bug: the grid's best penalty wins by a relative {margin:e} only")
    })?;
    grid.insert(best + 2, grid[best]);
    let (want_i, want_s) = search(&x, &y, &all, &grid, &fs);
    let (got_i, got_s) = grid_search(&x, &y, &grid, &fs);
    let why = if got_i == best + 2 {
        ": the last of equal scores; keep the first"
    } else {
        ""
    };
    ensure(got_i == want_i, || {
        format!(
            "grid_search: best index expected {want_i} (λ = {}), got {got_i}{why}",
            fmt(grid[want_i])
        )
    })?;
    compare("grid_search: its CV MSE", &[got_s], &[want_s], &[])?;
    pass(format!(
        "cv_mse is the mean of the folds' MSEs; grid search picks λ = {} (CV MSE {}), the first \
         of equal scores",
        fmt(grid[want_i]),
        fmt(want_s)
    ))
}

fn random_draws() -> Graded {
    for (n, low, high, seed) in [
        (8, 1e-2, 1e4, 31u64),
        (5, 0.5, 2.0, 32),
        (12, 1e-6, 1.0, 33),
    ] {
        let got = random_lambdas(n, low, high, seed);
        let mut rng = split::rng(seed);
        let mut want = Vec::new();
        let mut uniform = Vec::new();
        for _ in 0..n {
            let u: f64 = rng.r#gen();
            want.push(10f64.powf(low.log10() + u * (high.log10() - low.log10())));
            uniform.push(low + u * (high - low));
        }
        compare(
            &format!("random_lambdas({n}, {low}, {high}, seed {seed})"),
            &got,
            &want,
            &[(
                uniform,
                "drawn uniformly, not log-uniformly: draw the exponent uniformly",
            )],
        )?;
        ensure(got.iter().all(|&l| l >= low && l < high), || {
            format!("random_lambdas: every draw must be in [{low}, {high})")
        })?;
    }
    pass("log-uniform draws in the stated order, on 3 seeded ranges")
}

fn nested() -> Graded {
    let (x, y) = diabetes()?;
    let grid = lambdas();
    let (k_outer, k_inner) = (5, 4);
    // A fixed seed, chosen when the exercise was written: on it both the leaky and the
    // outer-test variants choose other penalties than the right procedure, so either mistake
    // is detected. The grader's ridge uses plain scalar loops (no BLAS-like kernels), and every
    // choice below wins its search by a relative margin far above last-bit differences; both
    // properties are asserted, so a change of platform or data fails loudly, never silently.
    let seed = NESTED_SEED;
    let right = nested_ref(&x, &y, &grid, k_outer, k_inner, seed, Nest::Right);
    let leaky = nested_ref(&x, &y, &grid, k_outer, k_inner, seed, Nest::Leaky);
    let on_test = nested_ref(&x, &y, &grid, k_outer, k_inner, seed, Nest::OnOuterTest);
    ensure(leaky.0 != right.0 && on_test.0 != right.0, || {
        format!(
            "learnml grader bug: seed {seed} no longer tells the nested variants apart \
             (right {}, leaky {}, chosen on the outer fold {})",
            show_vec(&right.0),
            show_vec(&leaky.0),
            show_vec(&on_test.0)
        )
    })?;
    let as_rows = nested_ref(&x, &y, &grid, k_outer, k_inner, seed, Nest::PositionsAsRows);
    let n = x.nrows();
    for (o, fold) in folds(n, k_outer, seed).iter().enumerate() {
        let train = others(n, fold);
        let inner = folds(train.len(), k_inner, seed + 1 + o as u64);
        let margin = search_margin(&x, &y, &train, &grid, &inner);
        ensure(margin > MIN_MARGIN, || {
            format!(
                "learnml grader bug: outer fold {o}: the inner search's best penalty wins by a \
                 relative {margin:e} only, too close to call across machines"
            )
        })?;
    }
    let got = nested_cv(&x, &y, &grid, k_outer, k_inner, seed);
    compare(
        "penalty chosen in each outer fold",
        &got.chosen,
        &right.0,
        &[
            (
                leaky.0.clone(),
                "inner folds drawn over all the data: the outer test fold leaks into the search; \
                 draw them over the outer training rows only",
            ),
            (
                on_test.0.clone(),
                "chosen on the outer test fold: the inner CV must choose, the outer fold only scores",
            ),
            (
                as_rows.0.clone(),
                "searched the whole data with the inner folds: they hold positions in the outer \
                 training rows; search x_train, y_train (split::rows, split::pick of them)",
            ),
        ],
    )
    .hint("in outer fold o, search on its training rows with kfold(n_train, k_inner, seed + 1 + o)")?;
    // Recompute each outer score from the penalty returned: nothing remembered can help.
    let outer_folds = folds(n, k_outer, seed);
    let outer: Vec<f64> = outer_folds
        .iter()
        .zip(&got.chosen)
        .map(|(fold, &l)| {
            mse_rows(
                &ridge_predictions(&x, &y, &others(n, fold), l, fold),
                &y,
                fold,
            )
        })
        .collect();
    compare("outer-fold MSEs", &got.outer_mse, &outer, &[]).hint(
        "refit on all the outer training rows with the chosen penalty; score on the outer fold",
    )?;
    let all: Vec<usize> = (0..n).collect();
    let (plain_best, plain_score) = search(&x, &y, &all, &grid, &outer_folds);
    compare(
        "nested estimate",
        &[got.estimate],
        &[mean(&outer)],
        &[
            (
                vec![mean(&right.2)],
                "reported the best inner score: it is the minimum of many noisy scores, so \
                 optimistic; the estimate is the mean of the outer-fold MSEs",
            ),
            (
                vec![plain_score],
                "reported the best inner score of a plain grid search: optimistic; the \
                 estimate is the mean of the outer-fold MSEs",
            ),
        ],
    )?;
    pass(format!(
        "nested estimate {} (penalties chosen {}); the best CV MSE of a plain grid search on the \
         same folds is {} ({:.1} % lower, λ = {}), and the best inner scores average {}",
        fmt(mean(&outer)),
        show_vec(&right.0),
        fmt(plain_score),
        100.0 * (mean(&outer) - plain_score) / mean(&outer),
        fmt(grid[plain_best]),
        fmt(mean(&right.2))
    ))
}
