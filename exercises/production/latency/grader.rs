// Grader of production/latency.

use std::time::Instant;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;
use rand::Rng;

use super::exercise::{
    Mlp, max_batch_size, percentile, predict_batch, predict_in_batches, predict_one,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("predictions", check_predictions),
    ("in_batches", check_in_batches),
    ("percentile", check_percentile),
    ("memory", check_memory),
    ("latency_budget", check_latency_budget),
];

/// Sums of at most 256 products, outputs of a few hundred at most: 1e-9 leaves room for any
/// order of summation.
const TOL: f64 = 1e-9;
/// The learner's batch may take this many times the grader's own batch on the same data.
const RATIO_BAR: f64 = 3.0;

fn model(seed: u64, d: usize, h: usize, o: usize) -> Mlp {
    let mut rng = split::rng(seed);
    let mut m = |r: usize, c: usize| Array2::from_shape_fn((r, c), |_| rng.gen_range(-1.0..1.0));
    let w1 = m(d, h);
    let b1 = m(1, h).row(0).to_owned();
    let w2 = m(h, o);
    let b2 = m(1, o).row(0).to_owned();
    Mlp { w1, b1, w2, b2 }
}

fn inputs(seed: u64, n: usize, d: usize) -> Array2<f64> {
    let mut rng = split::rng(seed);
    Array2::from_shape_fn((n, d), |_| rng.gen_range(-2.0..2.0))
}

/// The grader's forward pass, with loops: one row at a time.
fn my_row(m: &Mlp, x: &Array2<f64>, i: usize) -> Vec<f64> {
    let (d, h) = m.w1.dim();
    let o = m.w2.ncols();
    let mut hidden = vec![0.0; h];
    for (k, value) in hidden.iter_mut().enumerate() {
        let mut s = m.b1[k];
        for j in 0..d {
            s += x[[i, j]] * m.w1[[j, k]];
        }
        *value = s.max(0.0);
    }
    (0..o)
        .map(|c| {
            let mut s = m.b2[c];
            for (k, value) in hidden.iter().enumerate() {
                s += value * m.w2[[k, c]];
            }
            s
        })
        .collect()
}

fn my_all(m: &Mlp, x: &Array2<f64>) -> Array2<f64> {
    let o = m.w2.ncols();
    let mut out = Array2::zeros((x.nrows(), o));
    for i in 0..x.nrows() {
        for (c, v) in my_row(m, x, i).into_iter().enumerate() {
            out[[i, c]] = v;
        }
    }
    out
}

fn rows_close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(p, q)| (p - q).abs() <= TOL)
}

/// Compare a batch result with the grader's, naming rows that are right but out of order.
fn batch_close(what: &str, got: &Array2<f64>, expected: &Array2<f64>) -> Result<(), Failed> {
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())
        .hint("one row of n_outputs values per input row")?;
    for i in 0..expected.nrows() {
        let g = got.row(i).to_vec();
        if rows_close(&g, &expected.row(i).to_vec()) {
            continue;
        }
        if let Some(j) = (0..expected.nrows()).find(|&j| rows_close(&g, &expected.row(j).to_vec()))
        {
            return Err(fail(format!(
                "{what}: output row {i} is the prediction for input row {j}: rows out of order"
            )))
            .hint("keep the results in the order of the input rows");
        }
        ensure(g.iter().all(|v| v.is_finite()), || {
            format!("{what}: row {i} is not finite: {g:?}")
        })?;
        matrix_close(what, got, expected, TOL).hint("relu(x w1 + b1) w2 + b2")?;
    }
    Ok(())
}

fn check_predictions() -> Graded {
    for (seed, d, h, o, n) in [
        (1, 4, 8, 3, 10),
        (2, 16, 32, 2, 50),
        (3, 1, 5, 1, 7),
        (4, 6, 3, 4, 1),
    ] {
        let m = model(seed, d, h, o);
        let x = inputs(seed + 100, n, d);
        let expected = my_all(&m, &x);
        for i in 0..n {
            let got = predict_one(&m, x.row(i));
            let what = format!("predict_one(row {i} of a {n} x {d} input, {d}-{h}-{o} network)");
            all_close(&what, &got.to_vec(), &expected.row(i).to_vec(), TOL)
                .hint("relu(x w1 + b1) w2 + b2: the ReLU after the first layer only")?;
        }
        let what = format!("predict_batch({n} x {d} input, {d}-{h}-{o} network)");
        batch_close(&what, &predict_batch(&m, &x), &expected)?;
    }
    let m = model(5, 3, 4, 2);
    let empty = Array2::zeros((0, 3));
    equal(
        "predict_batch(a 0 x 3 input): shape",
        &predict_batch(&m, &empty).dim(),
        &(0, 2),
    )?;
    pass(
        "predict_one and predict_batch agree with the grader on 4 networks, also a batch of 0 and of 1",
    )
}

fn check_in_batches() -> Graded {
    let m = model(6, 5, 7, 3);
    let x = inputs(7, 23, 5);
    let expected = my_all(&m, &x);
    for batch_size in [1, 4, 7, 10, 23, 64] {
        let what = format!("predict_in_batches(23 rows, batch_size = {batch_size})");
        batch_close(&what, &predict_in_batches(&m, &x, batch_size), &expected)?;
    }
    pass("23 rows in batches of 1, 4, 7, 10, 23 and 64: every row in its place")
}

/// Nearest rank: sorted, rank ceil(p n / 100) >= 1, 1-based.
fn my_percentile(samples: &[f64], p: f64) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let mut rank = (p * v.len() as f64 / 100.0).ceil() as usize;
    if rank < 1 {
        rank = 1;
    }
    v[rank - 1]
}

/// Nearest rank with p / 100 computed first (a rounding error can add a whole rank), to name it.
fn my_percentile_p_first(samples: &[f64], p: f64) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// numpy's default (linear interpolation between closest ranks), to name it.
fn interpolated(samples: &[f64], p: f64) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

fn check_percentile() -> Graded {
    let mut rng = split::rng(95);
    let mut cases: Vec<Vec<f64>> = vec![
        (1..=20).map(|i| ((i * 7 + 3) % 20 + 1) as f64).collect(),
        vec![3.5],
        vec![10.0, 1.0, 7.0, 7.0, 2.0, 30.0, 4.0],
    ];
    for n in [37, 100, 12] {
        // latencies in ms: a lognormal-ish long tail
        cases.push(
            (0..n)
                .map(|_| (rng.gen_range(0.0f64..2.5)).exp().round())
                .collect(),
        );
    }
    // 100 distinct latencies (to 1 µs): p = 7 and 55 are where p / 100 * n misses a whole rank.
    cases.push(
        (0..100)
            .map(|_| ((rng.gen_range(0.0f64..3.0)).exp() * 1000.0).round() / 1000.0)
            .collect(),
    );
    for samples in &cases {
        for p in [50.0, 90.0, 95.0, 99.0, 100.0, 25.0, 1.0, 7.0, 55.0] {
            let what = if samples.len() <= 20 {
                format!("percentile({samples:?}, {p})")
            } else {
                format!("percentile({} seeded latencies, {p})", samples.len())
            };
            let got = percentile(samples, p);
            let expected = my_percentile(samples, p);
            let wrong = [
                (
                    interpolated(samples, p),
                    "linear interpolation (numpy's default); this exercise uses the nearest-rank rule",
                ),
                (
                    samples[((p * samples.len() as f64 / 100.0).ceil() as usize)
                        .clamp(1, samples.len())
                        - 1],
                    "the samples were not sorted before taking the rank",
                ),
                (
                    my_percentile_p_first(samples, p),
                    "p / 100 was computed before multiplying by n (0.07 * 100 is 7.000000000000001, \
                     whose ceiling is 8): compute p * n, then divide by 100",
                ),
                (
                    {
                        let mut v = samples.to_vec();
                        v.sort_by(f64::total_cmp);
                        let index = (p * v.len() as f64 / 100.0).floor() as usize;
                        v[index.min(v.len() - 1)]
                    },
                    "the 0-based index floor(p n / 100) takes the next value when p n / 100 is a \
                     whole number; the nearest rank is ceil(p n / 100), 1-based (sorted[rank - 1])",
                ),
            ];
            close_naming(&what, got, expected, 1e-12, &wrong)
                .hint("sort, rank = ceil(p * n / 100) (at least 1), answer sorted[rank - 1]")?;
        }
    }
    pass("nearest-rank percentiles (p = 1, 7, 25, 50, 55, 90, 95, 99, 100) of 7 sample sets")
}

fn check_memory() -> Graded {
    for (seed, d, h, o) in [(8, 16, 32, 2), (9, 784, 256, 10), (10, 3, 3, 3)] {
        let m = model(seed, d, h, o);
        let per_row = 8 * (d + h + o);
        for budget in [0, per_row - 1, per_row, 5 * per_row + 7, 1 << 20, 256 << 20] {
            let what = format!("max_batch_size({d}-{h}-{o} network, budget {budget} bytes)");
            let got = max_batch_size(&m, budget) as f64;
            let expected = (budget / per_row) as f64;
            let weights = 8 * (d * h + h + h * o + o);
            close_naming(
                &what,
                got,
                expected,
                0.0,
                &[
                    (
                        (budget / (4 * (d + h + o))) as f64,
                        "memory counted in f32 (4 bytes a value); the model computes in f64, 8 bytes",
                    ),
                    (
                        (budget.saturating_sub(weights) / per_row) as f64,
                        "the weights were counted; the budget is for the batch's activations only",
                    ),
                    (
                        (budget / (8 * (d + o))) as f64,
                        "the hidden layer's activations were left out",
                    ),
                ],
            )
            .hint("a row of the batch holds n_features + n_hidden + n_outputs f64 values, 8 bytes each")?;
        }
    }
    pass("largest batch within 18 byte budgets on 3 networks (8 bytes per value, weights excluded)")
}

/// Rows of each timed batch: a run of about a millisecond, so that among many of them some run
/// without another process taking the core, even on a loaded machine (a long run almost never
/// does, and how much it is delayed is luck).
const TIMED_ROWS: usize = 100;
/// Timed rounds, each timing the grader's batch and the learner's on a fresh input.
const ROUNDS: usize = 30;

/// `f`'s result and its wall time in seconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}

/// The grader's batch: the same operations a correct answer uses, one product per layer.
fn grader_batch(m: &Mlp, x: &Array2<f64>) -> Array2<f64> {
    let hidden = (x.dot(&m.w1) + &m.b1).mapv(|v| v.max(0.0));
    hidden.dot(&m.w2) + &m.b2
}

fn check_latency_budget() -> Graded {
    let (d, h, o, n) = (256, 256, 10, 1000);
    let m = model(11, d, h, o);
    let x = inputs(12, n, d);
    // Results first (a wrong shape must fail, not be timed).
    let got = predict_batch(&m, &x);
    equal("predict_batch(1000 x 256): shape", &got.dim(), &(n, o))?;
    let reference = grader_batch(&m, &x);
    matrix_close("predict_batch(1000 x 256)", &got, &reference, TOL)?;

    // Per-request latencies of predict_one, one row at a time, in microseconds.
    let mut latencies = Vec::new();
    for i in 0..200 {
        let row = x.row(i);
        let start = Instant::now();
        let out = predict_one(&m, row);
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(out);
    }
    let p50 = my_percentile(&latencies, 50.0);
    let p99 = my_percentile(&latencies, 99.0);
    let mut clipped: Vec<f64> = latencies.iter().map(|v| v.min(p99 * 2.0)).collect();
    clipped.sort_by(f64::total_cmp);
    show(Figure::Histogram {
        title: "predict_one latency of 200 single requests, µs (clipped at 2 x p99)".into(),
        values: clipped,
        bins: 20,
    });

    // Interleaved rounds on fresh inputs (an answer remembered from an earlier call cannot
    // help, and every timed answer is checked), the grader's batch and the learner's in
    // alternating order, the fastest run of each kept: the fastest is the run no other process
    // interrupted, so the ratio measures the code, not the machine's load. A batch far over
    // the bar stops the rounds early.
    let mut mine = f64::INFINITY;
    let mut theirs = f64::INFINITY;
    let mut rounds = 0;
    for r in 0..ROUNDS {
        let xr = inputs(1000 + r as u64, TIMED_ROWS, d);
        let ((ours, t_ours), (got, t_got)) = if r % 2 == 0 {
            let a = timed(|| grader_batch(&m, &xr));
            (a, timed(|| predict_batch(&m, &xr)))
        } else {
            let b = timed(|| predict_batch(&m, &xr));
            (timed(|| grader_batch(&m, &xr)), b)
        };
        let what = format!("predict_batch(timed batch {} of {TIMED_ROWS} rows)", r + 1);
        matrix_close(&what, &got, &ours, TOL)
            .hint("every call computes its own input's predictions (nothing kept between calls)")?;
        mine = mine.min(t_ours);
        theirs = theirs.min(t_got);
        rounds += 1;
        if rounds >= 5 && theirs > 3.0 * RATIO_BAR * mine {
            break;
        }
    }
    // A loop over the rows with the grader's own forward pass, to name a per-row loop.
    let x0 = inputs(1000, TIMED_ROWS, d);
    let per_row = (0..3)
        .map(|_| {
            timed(|| {
                for i in 0..TIMED_ROWS {
                    let row = x0.row(i);
                    let hidden = (row.dot(&m.w1) + &m.b1).mapv(|v| v.max(0.0));
                    std::hint::black_box(hidden.dot(&m.w2) + &m.b2);
                }
            })
            .1
        })
        .fold(f64::INFINITY, f64::min);
    let ratio = theirs / mine;
    let note = format!(
        "; fastest of {rounds} runs on {TIMED_ROWS} rows: your batch {:.3} ms, the grader's \
         {:.3} ms, a loop over rows {:.3} ms ({:.1} x); predict_one p50 {:.1} µs, p99 {:.1} µs \
         (nearest rank)",
        theirs * 1e3,
        mine * 1e3,
        per_row * 1e3,
        per_row / mine,
        p50,
        p99
    );
    let graded = bar(
        &format!("time of predict_batch / the grader's batch ({TIMED_ROWS} rows)"),
        ratio,
        RATIO_BAR,
        Goal::AtMost,
    );
    let graded = match graded {
        Err(mut failed) if theirs > 0.25 * per_row => {
            failed.message.push_str(
                ": as slow as a loop over the rows; one matrix product per layer for the whole batch",
            );
            Err(failed).note(&note)
        }
        other => other.note(&note),
    };
    graded.hint(
        "predict_batch must be one matrix product per layer for all rows (`x.dot(&model.w1)`), \
         then the bias and ReLU over the whole matrix: no loop over rows or elements",
    )
}
