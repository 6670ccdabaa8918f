// Grader of deep/dropout.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::Array2;
use rand::Rng as _;
use rand::distributions::Uniform;

use super::exercise::{dropout_backward, dropout_forward};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("mask_from_rng", mask_from_rng),
    ("invariants", invariants),
    ("evaluation", evaluation),
    ("edge_cases", edge_cases),
    ("backward", backward),
];

/// Relative tolerance on a kept entry x / (1 - p) (it may be computed as x * (1 / (1 - p))).
const REL: f64 = 1e-12;
/// Central differences use this step; analytic and numeric gradients must agree to this
/// relative error (CS231n's bar in double precision).
const EPS: f64 = 1e-6;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

/// A seeded case: x (n x d, entries in ±[0.5, 2], never 0), a drop probability p in
/// [0.15, 0.85] and the seed of the RNG handed to dropout.
struct Case {
    x: Array2<f64>,
    p: f64,
    seed: u64,
}

fn case(seed: u64) -> Case {
    let mut r = rng(seed);
    let (n, d) = (r.gen_range(2..7), r.gen_range(2..8));
    let x = Array2::from_shape_fn((n, d), |_| {
        let sign = if r.r#gen::<bool>() { 1.0 } else { -1.0 };
        sign * r.gen_range(0.5..2.0)
    });
    let p = r.gen_range(0.15..0.85);
    Case {
        x,
        p,
        seed: seed + 100,
    }
}

/// The grader's own draws: the uniform of each entry, row by row, from `rng(seed)`.
fn draws(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    let mut u = Array2::zeros((n, d));
    for i in 0..n {
        for j in 0..d {
            u[[i, j]] = r.r#gen::<f64>();
        }
    }
    u
}

/// The inverted-dropout mask of the statement: 0 where the draw is < p, else 1 / (1 - p).
fn mask_ref(n: usize, d: usize, p: f64, seed: u64) -> Array2<f64> {
    let scale = if p < 1.0 { 1.0 / (1.0 - p) } else { 0.0 };
    draws(n, d, seed).mapv(|u| if u < p { 0.0 } else { scale })
}

fn near(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.dim() == b.dim()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= REL * (1.0 + y.abs()))
}

fn finite(what: &str, a: &Array2<f64>) -> Result<(), Failed> {
    ensure(a.iter().all(|v| v.is_finite()), || {
        format!("{what} contains NaN or inf")
    })
}

/// Compare an output with the expected one, naming the classic wrong variants when the output
/// matches one of them.
fn diagnose(what: &str, got: &Array2<f64>, c: &Case) -> Result<(), Failed> {
    let (n, d) = c.x.dim();
    let expected = &c.x * &mask_ref(n, d, c.p, c.seed);
    if near(got, &expected) {
        return Ok(());
    }
    let u = draws(n, d, c.seed);
    let kept01 = u.mapv(|v| if v < c.p { 0.0 } else { 1.0 });
    let as_keep = u.mapv(|v| if v < c.p { 1.0 / c.p } else { 0.0 });
    let why = if near(got, &(&c.x * &kept01)) {
        "the kept entries are not rescaled: inverted dropout multiplies them by 1 / (1 - p), so that the expected output equals x and evaluation can be the identity"
    } else if near(got, &(&c.x * &as_keep)) {
        "p taken as the keep probability: here p is the probability of dropping (PyTorch's convention), so drop when the draw is < p and scale the kept entries by 1 / (1 - p)"
    } else if near(got, &(&c.x * &kept01 * (1.0 - c.p))) {
        "the kept entries are multiplied by (1 - p): inverted dropout divides them by (1 - p)"
    } else if let Some(how) = draw_variant(got, c) {
        return Err(fail(format!(
            "{what}: the output follows other draws than the statement's: {how}. Draw one `rng.r#gen::<f64>()` per entry, in row-major order (row 0 left to right, then row 1...), and drop when it is < p"
        )));
    } else {
        let (i, j) = (0..n * d)
            .map(|k| (k / d, k % d))
            .find(|&(i, j)| {
                (got[[i, j]] - expected[[i, j]]).abs() > REL * (1.0 + expected[[i, j]].abs())
            })
            .unwrap_or((0, 0));
        return Err(fail(format!(
            "{what}: entry [{i}, {j}] is {}, expected {} (x = {}, p = {}, draw = {})",
            fmt(got[[i, j]]),
            fmt(expected[[i, j]]),
            fmt(c.x[[i, j]]),
            fmt(c.p),
            fmt(u[[i, j]])
        )))
        .hint("one `rng.r#gen::<f64>()` per entry, in row-major order (row 0 left to right, then row 1...), nothing drawn before; drop when the draw is < p");
    };
    Err(fail(format!("{what}: {why}")))
}

/// Names the classic wrong ways of drawing (column-major order, `Uniform`, `gen_bool`) when the
/// output matches the inverted dropout of those draws.
fn draw_variant(got: &Array2<f64>, c: &Case) -> Option<&'static str> {
    let (n, d) = c.x.dim();
    let scale = 1.0 / (1.0 - c.p);
    let from_dropped = |dropped: Array2<bool>| {
        let mask = dropped.mapv(|z| if z { 0.0 } else { scale });
        near(got, &(&c.x * &mask))
    };
    let mut r = rng(c.seed);
    let mut column_major = Array2::from_elem((n, d), false);
    for j in 0..d {
        for i in 0..n {
            column_major[[i, j]] = r.r#gen::<f64>() < c.p;
        }
    }
    if from_dropped(column_major) {
        return Some("drawn column by column (column-major order)");
    }
    let mut r = rng(c.seed);
    let uniform = Uniform::new(0.0, 1.0);
    if from_dropped(Array2::from_shape_fn((n, d), |_| r.sample(uniform) < c.p)) {
        return Some(
            "drawn from `Uniform::new(0.0, 1.0)` (or ndarray-rand's `random_using`), which turns the random bits into other numbers than `r#gen::<f64>()`",
        );
    }
    let mut r = rng(c.seed);
    if from_dropped(Array2::from_shape_fn((n, d), |_| r.gen_bool(c.p))) {
        return Some("dropped with `gen_bool(p)`, which draws other numbers than `r#gen::<f64>()`");
    }
    let mut r = rng(c.seed);
    if from_dropped(Array2::from_shape_fn((n, d), |_| !r.gen_bool(1.0 - c.p))) {
        return Some(
            "kept with `gen_bool(1 - p)`, which draws other numbers than `r#gen::<f64>()`",
        );
    }
    None
}

fn mask_from_rng() -> Graded {
    for seed in [1, 2, 3] {
        let c = case(seed);
        let (n, d) = c.x.dim();
        let what = format!("dropout of a {n} x {d} x at p = {} (training)", fmt(c.p));
        let (out, mask) = dropout_forward(&c.x, c.p, true, &mut rng(c.seed));
        equal(&format!("{what}: output shape"), &out.dim(), &(n, d))?;
        equal(&format!("{what}: mask shape"), &mask.dim(), &(n, d))?;
        finite(&format!("{what}: the output"), &out)?;
        finite(&format!("{what}: the mask"), &mask)?;
        diagnose(&what, &out, &c)?;
        let expected = mask_ref(n, d, c.p, c.seed);
        if !near(&mask, &expected) {
            let kept01 = expected.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
            let why = if near(&mask, &kept01) {
                ": it holds 0 and 1, but the mask is the factor each entry was multiplied by, 0 or 1 / (1 - p), so that backward applies the same scale"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: the mask is not 0 where dropped and 1 / (1 - p) where kept{why}"
            )));
        }
    }
    pass("3 seeded cases: the mask follows the draws (drop when < p), kept entries are x / (1 - p)")
}

fn invariants() -> Graded {
    // 200 x 500 = 100,000 entries: the fraction dropped has a standard deviation of at most
    // sqrt(0.25 / 100000) = 0.0016, so ± 0.01 is over 6 standard deviations.
    let (n, d) = (200, 500);
    let mut r = rng(11);
    let x = Array2::from_shape_fn((n, d), |_| r.gen_range(0.5..1.5));
    let mut summary = Vec::new();
    for (p, seed) in [(0.25, 12), (0.6, 13)] {
        let what = format!("dropout of a 200 x 500 x at p = {p}");
        let (out, mask) = dropout_forward(&x, p, true, &mut rng(seed));
        equal(&format!("{what}: output shape"), &out.dim(), &(n, d))?;
        equal(&format!("{what}: mask shape"), &mask.dim(), &(n, d))?;
        finite(&format!("{what}: the output"), &out)?;
        let kept = x.mapv(|v| v / (1.0 - p));
        let mut dropped = 0usize;
        for ((o, k), v) in out.iter().zip(&kept).zip(&x) {
            if *o == 0.0 {
                dropped += 1;
            } else if (o - k).abs() > REL * k.abs() {
                let why = if (o - v).abs() <= REL * v.abs() {
                    ": it equals x, the kept entries are not rescaled by 1 / (1 - p)"
                } else if (o - v / p).abs() <= REL * v.abs() / p {
                    ": it equals x / p, p taken as the keep probability (here p is the probability of dropping)"
                } else {
                    ""
                };
                return Err(fail(format!(
                    "{what}: an output entry is {} where x = {}; every entry must be 0 or x / (1 - p) = {}{why}",
                    fmt(*o),
                    fmt(*v),
                    fmt(*k)
                )));
            }
        }
        let fraction = dropped as f64 / (n * d) as f64;
        let named = if (fraction - (1.0 - p)).abs() <= 0.01 {
            ": that is 1 - p, p taken as the keep probability (here p is the probability of dropping, PyTorch's convention)"
        } else {
            ""
        };
        ensure((fraction - p).abs() <= 0.01, || {
            format!(
                "{what}: {} of the entries were dropped, expected p = {p} ± 0.01{named}",
                fmt(fraction)
            )
        })?;
        ensure(near(&out, &(&x * &mask)), || {
            format!("{what}: the output is not x ⊙ mask")
        })?;
        let ratio = out.sum() / x.sum();
        summary.push(format!(
            "p = {p}: {} dropped, mean(output) / mean(x) = {}",
            fmt(fraction),
            fmt(ratio)
        ));
    }
    let (a, _) = dropout_forward(&x, 0.25, true, &mut rng(12));
    let (b, _) = dropout_forward(&x, 0.25, true, &mut rng(14));
    ensure(a != b, || {
        "seeds 12 and 14 gave the same output: draw from the `rng` argument".to_string()
    })
    .hint("never `rand::thread_rng()`: the grade must be reproducible, draw from `rng`")?;
    pass(format!(
        "every entry is 0 or x / (1 - p); {}",
        summary.join("; ")
    ))
}

fn evaluation() -> Graded {
    for (seed, p) in [(4, 0.5), (5, 0.9)] {
        let c = case(seed);
        let (n, d) = c.x.dim();
        let what = format!("dropout of a {n} x {d} x at p = {p}, evaluation (training = false)");
        let (out, mask) = dropout_forward(&c.x, p, false, &mut rng(c.seed));
        equal(&format!("{what}: output shape"), &out.dim(), &(n, d))?;
        equal(&format!("{what}: mask shape"), &mask.dim(), &(n, d))?;
        if out != c.x {
            let why = if out.iter().any(|&v| v == 0.0) {
                "entries were dropped: dropout applied at evaluation. In evaluation mode (PyTorch's `model.eval()`) dropout is the identity; the 1 / (1 - p) scale during training is what makes that right"
            } else if near(&out, &(&c.x * (1.0 - p))) {
                "the output is x (1 - p): that is the original, non-inverted dropout, which scales at evaluation. Inverted dropout scales the kept units by 1 / (1 - p) during training, and evaluation is the identity"
            } else {
                "the output is not x"
            };
            return Err(fail(format!("{what}: {why}")));
        }
        ensure(mask.iter().all(|&v| v == 1.0), || {
            format!("{what}: the mask must be all 1 (nothing dropped, no scale)")
        })?;
    }
    pass("evaluation is the identity: output = x, mask all 1")
}

fn edge_cases() -> Graded {
    let c = case(6);
    let (n, d) = c.x.dim();
    let (out, mask) = dropout_forward(&c.x, 0.0, true, &mut rng(c.seed));
    equal("p = 0 (training): output shape", &out.dim(), &(n, d))?;
    equal("p = 0 (training): mask shape", &mask.dim(), &(n, d))?;
    ensure(near(&out, &c.x), || {
        "p = 0 (training): the output must be x, nothing is dropped and the scale is 1".to_string()
    })?;
    ensure(mask.iter().all(|&v| (v - 1.0).abs() <= REL), || {
        "p = 0 (training): the mask must be all 1".to_string()
    })?;
    let (out, mask) = dropout_forward(&c.x, 1.0, true, &mut rng(c.seed));
    equal("p = 1 (training): output shape", &out.dim(), &(n, d))?;
    equal("p = 1 (training): mask shape", &mask.dim(), &(n, d))?;
    let nan = "p = 1 (training): the output or the mask contains NaN or inf: 1 / (1 - p) is infinite at p = 1, and 0 × inf = NaN. p = 1 drops every unit: output and mask all 0 (as PyTorch returns)";
    ensure(out.iter().chain(&mask).all(|v| v.is_finite()), || {
        nan.to_string()
    })
    .hint("treat p = 1 apart: the scale of the (no) kept units can be anything, 0 is simplest")?;
    ensure(out.iter().chain(&mask).all(|&v| v == 0.0), || {
        "p = 1 (training): every unit is dropped, output and mask must be all 0".to_string()
    })?;
    let dx = dropout_backward(&c.x, &mask);
    equal("p = 1: backward shape", &dx.dim(), &(n, d))?;
    ensure(dx.iter().all(|&v| v == 0.0), || {
        "p = 1: backward with the all-0 mask must give a zero gradient".to_string()
    })?;
    pass("p = 0 is the identity; p = 1 gives all zeros (no NaN) and a zero gradient")
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||).
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn backward() -> Graded {
    for seed in [7, 8, 9] {
        let c = case(seed);
        let (n, d) = c.x.dim();
        let what = format!(
            "gradient through dropout of a {n} x {d} x at p = {}",
            fmt(c.p)
        );
        // The loss L(x) = Σ w ⊙ dropout(x), with the RNG seeded again at every evaluation so
        // that the mask stays fixed (a gradient check through dropout needs a fixed mask).
        let mut r = rng(seed + 50);
        let w = Array2::from_shape_fn((n, d), |_| r.gen_range(-1.0..1.0));
        let mask = mask_ref(n, d, c.p, c.seed);
        let loss = |x: &Array2<f64>| (x * &mask * &w).sum();
        let mut numeric = Vec::new();
        for k in 0..n * d {
            let (i, j) = (k / d, k % d);
            let mut plus = c.x.clone();
            plus[[i, j]] += EPS;
            let mut minus = c.x.clone();
            minus[[i, j]] -= EPS;
            numeric.push((loss(&plus) - loss(&minus)) / (2.0 * EPS));
        }
        let dx = dropout_backward(&w, &mask);
        equal(&format!("{what}: shape of dx"), &dx.dim(), &(n, d))?;
        finite(&format!("{what}: dx"), &dx)?;
        let got: Vec<f64> = dx.iter().copied().collect();
        let error = relative_error(&got, &numeric);
        if error >= MAX_RELATIVE_ERROR {
            let unscaled: Vec<f64> = (&w * &mask.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 }))
                .iter()
                .copied()
                .collect();
            let twice: Vec<f64> = (&w * &mask * &mask).iter().copied().collect();
            let why = if relative_error(&got, &unscaled) < MAX_RELATIVE_ERROR {
                ": the scale is missing, the gradient passes only where kept but unscaled. Backward multiplies by the same mask, scale 1 / (1 - p) included"
            } else if relative_error(&got, &twice) < MAX_RELATIVE_ERROR {
                ": the scale is applied twice; the mask already holds it"
            } else if relative_error(&got, w.as_slice().unwrap_or(&[])) < MAX_RELATIVE_ERROR {
                ": dx = dout, the mask is not applied"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5){why}",
                fmt(error)
            )))
            .hint("dx = dout ⊙ mask, the mask of the forward pass");
        }
    }
    pass("3 seeded cases: dx = dout ⊙ mask agrees with central differences (relative error < 1e-5)")
}
