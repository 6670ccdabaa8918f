// Grader of deep/conv_backward.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array4};
use rand::Rng as _;

use super::exercise::{conv2d_backward, conv2d_forward, maxpool_backward, maxpool_forward};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("conv_forward", conv_forward),
    ("conv_backward_dx", conv_backward_dx),
    ("conv_backward_dw_db", conv_backward_dw_db),
    ("maxpool_forward", pool_forward),
    ("maxpool_backward", pool_backward),
];

/// Central differences use this step; analytic and numeric gradients must agree to this
/// relative error (CS231n's bar in double precision).
const EPS: f64 = 1e-6;
const MAX_RELATIVE_ERROR: f64 = 1e-5;
/// Tolerance on forward values (sums of at most 27 products of numbers in [-1, 1]).
const TOL: f64 = 1e-10;

/// A seeded convolution case: shapes and values from `rng(seed)`, stride and padding given so
/// that the four cases cover stride 1 and 2, padding 0, 1 and 2.
struct Case {
    x: Array4<f64>,
    w: Array4<f64>,
    b: Array1<f64>,
    dout: Array4<f64>,
    stride: usize,
    pad: usize,
}

fn uniform4(r: &mut learnml_kit::split::Rng, shape: (usize, usize, usize, usize)) -> Array4<f64> {
    Array4::from_shape_fn(shape, |_| r.gen_range(-1.0..1.0))
}

fn case(seed: u64, stride: usize, pad: usize) -> Case {
    let mut r = rng(seed);
    let (n, c, f) = (r.gen_range(1..3), r.gen_range(1..4), r.gen_range(1..4));
    let (h, wd) = (r.gen_range(4..8), r.gen_range(4..8));
    let (kh, kw) = (r.gen_range(2..4), r.gen_range(1..4));
    let x = uniform4(&mut r, (n, c, h, wd));
    let w = uniform4(&mut r, (f, c, kh, kw));
    let b = Array1::from_shape_fn(f, |_| r.gen_range(-1.0..1.0));
    let (ho, wo) = (
        (h + 2 * pad - kh) / stride + 1,
        (wd + 2 * pad - kw) / stride + 1,
    );
    let dout = uniform4(&mut r, (n, f, ho, wo));
    Case {
        x,
        w,
        b,
        dout,
        stride,
        pad,
    }
}

fn cases() -> Vec<Case> {
    vec![case(1, 1, 1), case(2, 2, 1), case(3, 1, 0), case(4, 2, 2)]
}

fn describe(c: &Case) -> String {
    let (n, ch, h, w) = c.x.dim();
    let (f, _, kh, kw) = c.w.dim();
    format!(
        "x {n}x{ch}x{h}x{w}, w {f}x{ch}x{kh}x{kw}, stride {}, pad {}",
        c.stride, c.pad
    )
}

/// The entry of x at padded coordinates (r, q), or 0 in the padding.
fn at(x: &Array4<f64>, im: usize, ch: usize, r: usize, q: usize, pad: usize) -> f64 {
    let (_, _, h, w) = x.dim();
    if r < pad || q < pad || r - pad >= h || q - pad >= w {
        0.0
    } else {
        x[[im, ch, r - pad, q - pad]]
    }
}

/// The kernel flipped in both spatial axes (true convolution instead of cross-correlation).
fn flipped(w: &Array4<f64>) -> Array4<f64> {
    let (_, _, kh, kw) = w.dim();
    Array4::from_shape_fn(w.dim(), |(g, ch, a, e)| w[[g, ch, kh - 1 - a, kw - 1 - e]])
}

/// The grader's own convolution, with loops: cross-correlation with zero padding.
fn conv_ref(
    x: &Array4<f64>,
    w: &Array4<f64>,
    b: &Array1<f64>,
    stride: usize,
    pad: usize,
) -> Array4<f64> {
    let (n, c, h, wd) = x.dim();
    let (f, _, kh, kw) = w.dim();
    let ho = (h + 2 * pad - kh) / stride + 1;
    let wo = (wd + 2 * pad - kw) / stride + 1;
    let mut out = Array4::zeros((n, f, ho, wo));
    for im in 0..n {
        for g in 0..f {
            for i in 0..ho {
                for j in 0..wo {
                    let mut sum = b[g];
                    for ch in 0..c {
                        for a in 0..kh {
                            for e in 0..kw {
                                sum += w[[g, ch, a, e]]
                                    * at(x, im, ch, i * stride + a, j * stride + e, pad);
                            }
                        }
                    }
                    out[[im, g, i, j]] = sum;
                }
            }
        }
    }
    out
}

/// The gradient with respect to the padded input, by loops (to build the wrong crops), with
/// windows `stride` apart (`c.stride`, or 1 to build the stride-ignored variant).
fn dx_padded_ref(c: &Case, w: &Array4<f64>, stride: usize) -> Array4<f64> {
    let (n, ch, h, wd) = c.x.dim();
    let (f, _, kh, kw) = w.dim();
    let (_, _, ho, wo) = c.dout.dim();
    let mut dxp = Array4::zeros((n, ch, h + 2 * c.pad, wd + 2 * c.pad));
    for im in 0..n {
        for g in 0..f {
            for i in 0..ho {
                for j in 0..wo {
                    for k in 0..ch {
                        for a in 0..kh {
                            for e in 0..kw {
                                dxp[[im, k, i * stride + a, j * stride + e]] +=
                                    c.dout[[im, g, i, j]] * w[[g, k, a, e]];
                            }
                        }
                    }
                }
            }
        }
    }
    dxp
}

fn crop(a: &Array4<f64>, top: usize, shape: (usize, usize, usize, usize)) -> Array4<f64> {
    Array4::from_shape_fn(shape, |(im, k, r, q)| a[[im, k, r + top, q + top]])
}

fn flat<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>) -> Vec<f64> {
    a.iter().copied().collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||): 0 when equal.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && relative_error(a, b) < MAX_RELATIVE_ERROR
}

/// Central differences of L = Σ dout ⊙ conv_ref(...) with respect to every entry of the
/// argument chosen by `which` (0: x, 1: w, 2: b), flattened row-major.
fn numeric(c: &Case, which: usize) -> Vec<f64> {
    let loss = |x: &Array4<f64>, w: &Array4<f64>, b: &Array1<f64>| {
        (conv_ref(x, w, b, c.stride, c.pad) * &c.dout).sum()
    };
    let len = [c.x.len(), c.w.len(), c.b.len()][which];
    (0..len)
        .map(|k| {
            let eval = |delta: f64| {
                let (mut x, mut w, mut b) = (c.x.clone(), c.w.clone(), c.b.clone());
                let entry = match which {
                    0 => x.iter_mut().nth(k),
                    1 => w.iter_mut().nth(k),
                    _ => b.iter_mut().nth(k),
                };
                *entry.expect("k < len") += delta;
                loss(&x, &w, &b)
            };
            (eval(EPS) - eval(-EPS)) / (2.0 * EPS)
        })
        .collect()
}

fn gradient_failure(what: &str, got: &[f64], num: &[f64], why: Option<&str>) -> Failed {
    let error = relative_error(got, num);
    let mut message = format!(
        "{what}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5)",
        fmt(error)
    );
    if let Some(why) = why {
        message.push_str(": ");
        message.push_str(why);
    }
    fail(message)
}

const FLIPPED: &str = "this is the gradient of a flipped kernel (true convolution). PyTorch's Conv2d, like every deep learning framework, computes a cross-correlation: w[f, c, a, e] multiplies xpad[.., i·stride + a, j·stride + e], no flip";

const STRIDE_IGNORED: &str = "the stride is ignored in the backward pass: output (i, j) came from the window at row i·stride, column j·stride of the padded x, not at (i, j)";

/// dw by loops, with windows `stride` apart (`c.stride`, or 1 for the stride-ignored variant).
fn dw_ref(c: &Case, stride: usize) -> Array4<f64> {
    let (n, ch, _, _) = c.x.dim();
    let (f, _, kh, kw) = c.w.dim();
    let (_, _, ho, wo) = c.dout.dim();
    let mut dw = Array4::zeros(c.w.dim());
    for im in 0..n {
        for g in 0..f {
            for i in 0..ho {
                for j in 0..wo {
                    for k in 0..ch {
                        for a in 0..kh {
                            for e in 0..kw {
                                dw[[g, k, a, e]] += c.dout[[im, g, i, j]]
                                    * at(&c.x, im, k, i * stride + a, j * stride + e, c.pad);
                            }
                        }
                    }
                }
            }
        }
    }
    dw
}

fn conv_forward() -> Graded {
    for c in cases() {
        let what = format!("conv2d_forward ({})", describe(&c));
        let expected = conv_ref(&c.x, &c.w, &c.b, c.stride, c.pad);
        let got = conv2d_forward(&c.x, &c.w, &c.b, c.stride, c.pad);
        if got.dim() != expected.dim() {
            let (n, _, h, wd) = c.x.dim();
            let (f, _, kh, kw) = c.w.dim();
            let why = if got.dim() == (n, f, h + 2 * c.pad - kh + 1, wd + 2 * c.pad - kw + 1) {
                ": the stride is ignored in the output size, (h + 2 pad - kh) / stride + 1"
            } else if got.dim() == (n, f, (h - kh) / c.stride + 1, (wd - kw) / c.stride + 1) {
                ": the padding is ignored in the output size, (h + 2 pad - kh) / stride + 1"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: output shape: expected {:?} (n, f, ho, wo), got {:?}{why}",
                expected.dim(),
                got.dim()
            )))
            .hint("`out_size` (given) computes ho and wo");
        }
        let g = flat(&got);
        ensure(g.iter().all(|v| v.is_finite()), || {
            format!("{what}: the output contains NaN or inf")
        })?;
        if g.iter().zip(&expected).all(|(a, e)| (a - e).abs() <= TOL) {
            continue;
        }
        let flip = conv_ref(&c.x, &flipped(&c.w), &c.b, c.stride, c.pad);
        let zero_b = Array1::zeros(c.b.len());
        let no_bias = conv_ref(&c.x, &c.w, &zero_b, c.stride, c.pad);
        let close_to = |a: &Array4<f64>| g.iter().zip(a).all(|(p, q)| (p - q).abs() <= TOL);
        let why = if close_to(&flip) {
            "the kernel is flipped (true convolution). PyTorch's Conv2d computes a cross-correlation: w[f, c, a, e] multiplies xpad[.., i·stride + a, j·stride + e], no flip"
        } else if close_to(&no_bias) {
            "the bias is missing: add b[f] to every output of filter f"
        } else {
            let k = (0..g.len())
                .find(|&k| (g[k] - expected.iter().nth(k).copied().unwrap_or(0.0)).abs() > TOL)
                .unwrap_or(0);
            let (_, f, ho, wo) = expected.dim();
            let index = (k / (f * ho * wo), k / (ho * wo) % f, k / wo % ho, k % wo);
            return Err(fail(format!(
                "{what}: out{index:?} = {}, expected {}",
                fmt(g[k]),
                fmt(expected[[index.0, index.1, index.2, index.3]])
            )))
            .hint("out[n, f, i, j] = b[f] + Σ over c, a, e of w[f, c, a, e] · xpad[n, c, i·stride + a, j·stride + e], xpad being x with pad zeros on every side");
        };
        return Err(fail(format!("{what}: {why}")));
    }
    pass(
        "4 seeded cases (stride 1 and 2, padding 0 to 2): the output is PyTorch's cross-correlation, within 1e-10",
    )
}

fn backward_of(c: &Case) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    conv2d_backward(&c.dout, &c.x, &c.w, c.stride, c.pad)
}

fn conv_backward_dx() -> Graded {
    for c in cases() {
        let what = format!("dx of conv2d ({})", describe(&c));
        let (dx, _, _) = backward_of(&c);
        let (n, ch, h, wd) = c.x.dim();
        if dx.dim() != c.x.dim() {
            let why = if dx.dim() == (n, ch, h + 2 * c.pad, wd + 2 * c.pad) {
                ": that is the padded shape, the padding is not cropped. The padded zeros are constants: crop their gradient away, dx = dxpad[.., .., pad..pad + h, pad..pad + w]"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: shape: expected {:?} (the shape of x), got {:?}{why}",
                c.x.dim(),
                dx.dim()
            )));
        }
        let got = flat(&dx);
        ensure(got.iter().all(|v| v.is_finite()), || {
            format!("{what}: contains NaN or inf")
        })?;
        let num = numeric(&c, 0);
        if same(&got, &num) {
            continue;
        }
        let dxp = dx_padded_ref(&c, &c.w, c.stride);
        let top_left = flat(&crop(&dxp, 0, c.x.dim()));
        let flip = flat(&crop(
            &dx_padded_ref(&c, &flipped(&c.w), c.stride),
            c.pad,
            c.x.dim(),
        ));
        let unstrided = flat(&crop(&dx_padded_ref(&c, &c.w, 1), c.pad, c.x.dim()));
        let why = if c.pad > 0 && same(&got, &top_left) {
            Some(
                "the padding is ignored: the gradient of the padded input is cropped at [0, h) instead of [pad, pad + h), so dx is shifted by pad. Crop dx = dxpad[.., .., pad..pad + h, pad..pad + w]",
            )
        } else if same(&got, &flip) {
            Some(FLIPPED)
        } else if c.stride > 1 && same(&got, &unstrided) {
            Some(STRIDE_IGNORED)
        } else {
            None
        };
        return Err(gradient_failure(&what, &got, &num, why))
            .hint("every dout[n, f, i, j] adds dout · w[f] to the window of the padded dx it came from; crop the padding at the end");
    }
    pass(
        "4 seeded cases (stride 1 and 2, padding 0 to 2): dx agrees with central differences (relative error < 1e-5)",
    )
}

fn conv_backward_dw_db() -> Graded {
    for c in cases() {
        let what = format!("conv2d ({})", describe(&c));
        let (_, dw, db) = backward_of(&c);
        equal(&format!("{what}: shape of dw"), &dw.dim(), &c.w.dim())?;
        equal(&format!("{what}: length of db"), &db.len(), &c.b.len())?;
        let got = flat(&dw);
        ensure(got.iter().chain(&db).all(|v| v.is_finite()), || {
            format!("{what}: dw or db contains NaN or inf")
        })?;
        let num = numeric(&c, 1);
        if !same(&got, &num) {
            let flip = flat(&flipped(
                &Array4::from_shape_vec(c.w.dim(), num.clone()).unwrap_or_else(|_| c.w.clone()),
            ));
            let n = c.x.dim().0 as f64;
            let per_example: Vec<f64> = num.iter().map(|v| v / n).collect();
            let why = if same(&got, &flip) {
                Some(FLIPPED)
            } else if c.stride > 1 && same(&got, &flat(&dw_ref(&c, 1))) {
                Some(STRIDE_IGNORED)
            } else if n > 1.0 && same(&got, &per_example) {
                Some(
                    "dw is averaged over the examples, not summed over them: the loss is Σ dout ⊙ out, and dout already carries any 1 / n of a mean loss",
                )
            } else {
                None
            };
            return Err(gradient_failure(&format!("{what}: dw"), &got, &num, why))
                .hint("every dout[n, f, i, j] adds dout · (its window of the padded x) to dw[f]");
        }
        let num = numeric(&c, 2);
        let got = db.to_vec();
        if !same(&got, &num) {
            let (n, _, ho, wo) = c.dout.dim();
            let scaled = |s: f64| num.iter().map(|v| v * s).collect::<Vec<f64>>();
            let why = if same(&got, &scaled(1.0 / (ho * wo) as f64)) {
                Some(
                    "db is averaged over the output positions, not summed over them: the bias is added at every position (i, j), so db[f] = Σ over n, i, j of dout[n, f, i, j]",
                )
            } else if same(&got, &scaled(1.0 / (n * ho * wo) as f64)) {
                Some(
                    "db is averaged over the examples and positions, not summed over them: db[f] = Σ over n, i, j of dout[n, f, i, j]",
                )
            } else {
                None
            };
            return Err(gradient_failure(&format!("{what}: db"), &got, &num, why))
                .hint("db[f] sums dout[.., f, .., ..] over the examples and all output positions");
        }
    }
    pass("4 seeded cases: dw and db agree with central differences (relative error < 1e-5)")
}

/// The grader's own max-pool (2 x 2, stride 2, size rounded down) and the position of each
/// window's first max in row-major order.
fn pool_ref(x: &Array4<f64>) -> (Array4<f64>, Array4<(usize, usize)>) {
    let (n, c, h, w) = x.dim();
    let mut out = Array4::zeros((n, c, h / 2, w / 2));
    let mut arg = Array4::from_elem((n, c, h / 2, w / 2), (0, 0));
    for im in 0..n {
        for ch in 0..c {
            for i in 0..h / 2 {
                for j in 0..w / 2 {
                    let mut best = (2 * i, 2 * j);
                    for (r, q) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        let (r, q) = (2 * i + r, 2 * j + q);
                        if x[[im, ch, r, q]] > x[[im, ch, best.0, best.1]] {
                            best = (r, q);
                        }
                    }
                    out[[im, ch, i, j]] = x[[im, ch, best.0, best.1]];
                    arg[[im, ch, i, j]] = best;
                }
            }
        }
    }
    (out, arg)
}

fn pool_case(seed: u64, integers: bool) -> Array4<f64> {
    let mut r = rng(seed);
    let shape = (
        r.gen_range(1..3),
        r.gen_range(1..4),
        r.gen_range(2..8),
        r.gen_range(2..8),
    );
    if integers {
        // Small integers: many windows hold tied maxima.
        Array4::from_shape_fn(shape, |_| f64::from(r.gen_range(0..3u8)))
    } else {
        Array4::from_shape_fn(shape, |_| r.gen_range(-1.0..1.0))
    }
}

fn pool_forward() -> Graded {
    for seed in [21, 22, 23, 24] {
        let x = pool_case(seed, false);
        let (n, c, h, w) = x.dim();
        let what = format!("maxpool_forward of a {n}x{c}x{h}x{w} x");
        let (expected, _) = pool_ref(&x);
        let got = maxpool_forward(&x);
        if got.dim() != expected.dim() {
            let why = if got.dim() == (n, c, h.div_ceil(2), w.div_ceil(2)) {
                ": the size is rounded up. PyTorch's MaxPool2d(2) (ceil_mode = false) rounds down: an odd last row or column is left out"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: shape: expected {:?} (n, c, h / 2, w / 2), got {:?}{why}",
                expected.dim(),
                got.dim()
            )));
        }
        equal(
            &format!("{what}: the window maxima"),
            &flat(&got),
            &flat(&expected),
        )
        .hint("out[n, c, i, j] is the max of x[n, c, 2i..2i + 2, 2j..2j + 2]")?;
    }
    pass("4 seeded cases (odd sizes included): the max of each 2 x 2 window, size rounded down")
}

fn pool_backward() -> Graded {
    // Random values: the max is differentiable away from ties, so a gradient check applies.
    for seed in [31, 32] {
        let x = pool_case(seed, false);
        let (n, c, h, w) = x.dim();
        let what = format!("maxpool_backward of a {n}x{c}x{h}x{w} x");
        let mut r = rng(seed + 100);
        let dout = Array4::from_shape_fn((n, c, h / 2, w / 2), |_| r.gen_range(-1.0..1.0));
        let loss = |x: &Array4<f64>| (pool_ref(x).0 * &dout).sum();
        let num: Vec<f64> = (0..x.len())
            .map(|k| {
                let eval = |delta: f64| {
                    let mut y = x.clone();
                    if let Some(v) = y.iter_mut().nth(k) {
                        *v += delta;
                    }
                    loss(&y)
                };
                (eval(EPS) - eval(-EPS)) / (2.0 * EPS)
            })
            .collect();
        let dx = maxpool_backward(&dout, &x);
        equal(
            &format!("{what}: shape of dx (the shape of x)"),
            &dx.dim(),
            &x.dim(),
        )?;
        let got = flat(&dx);
        ensure(got.iter().all(|v| v.is_finite()), || {
            format!("{what}: dx contains NaN or inf")
        })?;
        if !same(&got, &num) {
            let why = spread_or_average(&got, &x, &dout);
            return Err(gradient_failure(&what, &got, &num, why))
                .hint("only the max of a window changes the output: dx is dout at the position of the max, 0 at the other three");
        }
    }
    // Small integers: ties. The gradient goes to the first max in row-major order.
    for seed in [41, 42, 43] {
        let x = pool_case(seed, true);
        let (n, c, h, w) = x.dim();
        let what =
            format!("maxpool_backward of a {n}x{c}x{h}x{w} x of small integers (tied maxima)");
        let mut r = rng(seed + 100);
        let dout = Array4::from_shape_fn((n, c, h / 2, w / 2), |_| r.gen_range(0.5..1.5));
        let dx = maxpool_backward(&dout, &x);
        equal(
            &format!("{what}: shape of dx (the shape of x)"),
            &dx.dim(),
            &x.dim(),
        )?;
        let (_, arg) = pool_ref(&x);
        let mut expected = Array4::zeros(x.dim());
        for ((im, ch, i, j), &(r, q)) in arg.indexed_iter() {
            expected[[im, ch, r, q]] = dout[[im, ch, i, j]];
        }
        let got = flat(&dx);
        if got.iter().zip(&expected).all(|(a, e)| (a - e).abs() <= TOL) {
            continue;
        }
        if let Some(why) = spread_or_average(&got, &x, &dout) {
            return Err(fail(format!("{what}: {why}")));
        }
        // Where did a tied window send its gradient?
        for ((im, ch, i, j), &(r0, q0)) in arg.indexed_iter() {
            let cells = [(0, 0), (0, 1), (1, 0), (1, 1)].map(|(a, e)| (2 * i + a, 2 * j + e));
            let max = x[[im, ch, r0, q0]];
            let maxima: Vec<(usize, usize)> = cells
                .iter()
                .copied()
                .filter(|&(r, q)| x[[im, ch, r, q]] == max)
                .collect();
            let gave =
                |r: usize, q: usize| (dx[[im, ch, r, q]] - dout[[im, ch, i, j]]).abs() <= TOL;
            let right = cells.iter().all(|&(r, q)| {
                let want = if (r, q) == (r0, q0) {
                    dout[[im, ch, i, j]]
                } else {
                    0.0
                };
                (dx[[im, ch, r, q]] - want).abs() <= TOL
            });
            if right {
                continue;
            }
            let window: Vec<f64> = cells.iter().map(|&(r, q)| x[[im, ch, r, q]]).collect();
            let why = if maxima.len() > 1 && maxima.iter().all(|&(r, q)| gave(r, q)) {
                "every tied maximum got the gradient, so it is counted several times"
            } else if maxima.len() > 1 && maxima.last().is_some_and(|&(r, q)| gave(r, q)) {
                "the gradient went to the last max in row-major order"
            } else {
                "the gradient did not go to the window's max"
            };
            return Err(fail(format!(
                "{what}: window (n {im}, c {ch}, {i}, {j}) holds {window:?} (row-major): {why}; the rule is the first max in row-major order (top-left, top-right, bottom-left, bottom-right), as PyTorch's CPU kernel does"
            )))
            .hint("scan the window in row-major order and move the max only when an entry is strictly greater");
        }
        return Err(fail(format!(
            "{what}: an entry outside the 2 x 2 windows (odd last row or column) got a gradient: it did not reach the output, its gradient is 0"
        )));
    }
    pass(
        "2 seeded gradient checks (relative error < 1e-5) and 3 seeded cases with ties: the gradient goes to the first max of each window",
    )
}

/// Name the two classic wrong max-pool backwards: dout copied to every entry of the window,
/// or divided among them (the gradient of average pooling).
fn spread_or_average(got: &[f64], x: &Array4<f64>, dout: &Array4<f64>) -> Option<&'static str> {
    let (n, c, h, w) = x.dim();
    let spread = |scale: f64| {
        Array4::from_shape_fn((n, c, h, w), |(im, ch, r, q)| {
            if r / 2 < h / 2 && q / 2 < w / 2 {
                dout[[im, ch, r / 2, q / 2]] * scale
            } else {
                0.0
            }
        })
    };
    if same(got, &flat(&spread(1.0))) {
        Some(
            "dout is copied to every entry of the window. Only the max reached the output: the gradient goes to its position alone, the other three get 0",
        )
    } else if same(got, &flat(&spread(0.25))) {
        Some(
            "dout is averaged over the window (dout / 4 to every entry): that is the gradient of average pooling. For max-pooling only the max reached the output: it gets all of dout, the other three 0",
        )
    } else {
        None
    }
}
