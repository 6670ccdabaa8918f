// Grader of neural/backprop.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array2, Axis};
use rand::Rng as _;

use super::exercise::{Params, gradients, loss};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("loss_value", loss_value),
    ("gradient_shapes", gradient_shapes),
    ("output_layer_check", output_layer_check),
    ("hidden_layer_check", hidden_layer_check),
    ("hidden_case", hidden_case),
];

/// Central differences use this step; the analytic gradient must agree to this relative error.
const EPS: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-6;

struct Case {
    x: Array2<f64>,
    y: Vec<usize>,
    p: Params,
}

/// A seeded case whose pre-activations all stay at least 1e-3 away from 0, so that no
/// central difference (step 1e-5, inputs in [-1, 1]) crosses the kink of relu.
fn case(n: usize, d: usize, h: usize, k: usize, seed: u64) -> Case {
    for attempt in 0.. {
        let mut r = rng(seed + 1000 * attempt);
        let mut m = |rows: usize, cols: usize, s: f64| {
            Array2::from_shape_fn((rows, cols), |_| s * r.gen_range(-1.0..1.0))
        };
        let x = m(n, d, 1.0);
        let w1 = m(d, h, 0.8);
        let b1 = m(1, h, 0.3).row(0).to_owned();
        let w2 = m(h, k, 0.8);
        let b2 = m(1, k, 0.3).row(0).to_owned();
        let y: Vec<usize> = (0..n).map(|i| (i * 7 + seed as usize) % k).collect();
        let z1 = x.dot(&w1) + &b1;
        if z1.iter().all(|v| v.abs() > 1e-3) {
            return Case {
                x,
                y,
                p: Params { w1, b1, w2, b2 },
            };
        }
    }
    unreachable!("the loop only ends by returning")
}

/// The grader's own loss, with explicit loops: (1/n) Σ_i [lse(logits_i) - logits[i, y_i]].
fn loss_ref(x: &Array2<f64>, y: &[usize], p: &Params) -> f64 {
    let (n, d) = x.dim();
    let (h, k) = (p.b1.len(), p.b2.len());
    let mut total = 0.0;
    for i in 0..n {
        let hidden: Vec<f64> = (0..h)
            .map(|j| ((0..d).map(|a| x[[i, a]] * p.w1[[a, j]]).sum::<f64>() + p.b1[j]).max(0.0))
            .collect();
        let logits: Vec<f64> = (0..k)
            .map(|c| (0..h).map(|j| hidden[j] * p.w2[[j, c]]).sum::<f64>() + p.b2[c])
            .collect();
        let m = logits.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let lse = m + logits.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        total += lse - logits[y[i]];
    }
    total / n as f64
}

/// Central-difference gradient of the grader's loss with respect to every entry of one
/// parameter, selected by `field` (0: w1, 1: b1, 2: w2, 3: b2), flattened row-major.
fn numeric(c: &Case, field: usize) -> Vec<f64> {
    let len = [c.p.w1.len(), c.p.b1.len(), c.p.w2.len(), c.p.b2.len()][field];
    (0..len)
        .map(|index| {
            let at = |delta: f64| {
                let mut p = c.p.clone();
                let entry = match field {
                    0 => p.w1.iter_mut().nth(index),
                    1 => p.b1.iter_mut().nth(index),
                    2 => p.w2.iter_mut().nth(index),
                    _ => p.b2.iter_mut().nth(index),
                };
                *entry.expect("index < len") += delta;
                loss_ref(&c.x, &c.y, &p)
            };
            (at(EPS) - at(-EPS)) / (2.0 * EPS)
        })
        .collect()
}

/// Backprop without the relu mask on the way back, to name that mistake.
fn no_mask_w1_b1(c: &Case) -> (Vec<f64>, Vec<f64>) {
    let n = c.y.len() as f64;
    let hidden = (c.x.dot(&c.p.w1) + &c.p.b1).mapv(|v| v.max(0.0));
    let mut d = hidden.dot(&c.p.w2) + &c.p.b2;
    for mut row in d.axis_iter_mut(Axis(0)) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let s = row.sum();
        row /= s;
    }
    for (i, &y) in c.y.iter().enumerate() {
        d[[i, y]] -= 1.0;
    }
    d /= n;
    let dz = d.dot(&c.p.w2.t());
    (
        c.x.t().dot(&dz).iter().copied().collect(),
        dz.sum_axis(Axis(0)).to_vec(),
    )
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||): 0 when equal, 1 when opposite.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

/// Compare one analytic gradient with the central differences, naming the classic mistakes.
fn check_one(
    what: &str,
    got: &[f64],
    num: &[f64],
    no_mask: Option<&[f64]>,
    n: usize,
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of entries"),
        &got.len(),
        &num.len(),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let error = relative_error(got, num);
    if error < MAX_RELATIVE_ERROR {
        return Ok(());
    }
    let worst = (0..got.len())
        .max_by(|&a, &b| (got[a] - num[a]).abs().total_cmp(&(got[b] - num[b]).abs()))
        .unwrap_or(0);
    let message = format!(
        "{what}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-6); largest difference at flat index {worst}: analytic {}, numeric {}",
        fmt(error),
        fmt(got[worst]),
        fmt(num[worst])
    );
    let scaled = |s: f64| num.iter().map(|v| v * s).collect::<Vec<f64>>();
    let named = if relative_error(got, &scaled(-1.0)) < MAX_RELATIVE_ERROR {
        Some(
            "wrong sign: your gradient is the negative of the true one (onehot - probs instead of probs - onehot?). A descent step along it would increase the loss",
        )
    } else if relative_error(got, &scaled(n as f64)) < MAX_RELATIVE_ERROR {
        Some(
            "n times too large: the loss is a mean over the n examples, so dL/dlogits = (probs - onehot(y)) / n",
        )
    } else if relative_error(got, &scaled(1.0 / n as f64)) < MAX_RELATIVE_ERROR {
        Some("n times too small: you divided by n twice")
    } else if no_mask.is_some_and(|m| relative_error(got, m) < MAX_RELATIVE_ERROR) {
        Some(
            "the relu mask is missing: dL/dz1 = dL/dhidden ⊙ [z1 > 0], the gradient does not flow through units that were off",
        )
    } else {
        None
    };
    match named {
        Some(why) => Err(fail(format!("{message}: {why}"))),
        None => Err(fail(message)).hint(
            "chain rule from the top: d_logits = (probs - onehot(y)) / n; dW2 = Hᵀ d_logits; db2 = column sums of d_logits; d_hidden = d_logits W2ᵀ; dz1 = d_hidden ⊙ [z1 > 0]; dW1 = Xᵀ dz1; db1 = column sums of dz1",
        ),
    }
}

fn flat<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>) -> Vec<f64> {
    a.iter().copied().collect()
}

fn shapes_match(g: &Params, p: &Params) -> Result<(), Failed> {
    equal(
        "shape of the gradient of w1 (d, h)",
        &g.w1.dim(),
        &p.w1.dim(),
    )
    .hint("dW1 = Xᵀ dz1 is d x h, the shape of W1")?;
    equal("length of the gradient of b1", &g.b1.len(), &p.b1.len())
        .hint("db1 sums dz1 over the examples (axis 0)")?;
    equal(
        "shape of the gradient of w2 (h, k)",
        &g.w2.dim(),
        &p.w2.dim(),
    )
    .hint("dW2 = Hᵀ d_logits is h x k, the shape of W2")?;
    equal("length of the gradient of b2", &g.b2.len(), &p.b2.len())
        .hint("db2 sums d_logits over the examples (axis 0)")
}

fn loss_value() -> Graded {
    let c = case(6, 4, 5, 3, 1);
    let expected = loss_ref(&c.x, &c.y, &c.p);
    let got = loss(&c.x, &c.y, &c.p);
    let n = c.y.len() as f64;
    close_naming(
        "loss on 6 examples, 4-5-3 network",
        got,
        expected,
        1e-10,
        &[
            (
                expected * n,
                "this is the sum over the examples: the loss is the mean, divide by n",
            ),
            (
                -expected,
                "wrong sign: the loss is -ln p, positive, since ln p < 0",
            ),
            (
                expected / std::f64::consts::LN_10,
                "this is log10: cross-entropy uses the natural logarithm, `ln`",
            ),
        ],
    )
    .hint("L = -(1/n) Σ_i ln probs[i, y_i]: the probability the network gives to each example's true class")?;
    // With W2 = 0 and b2 = 0 every class gets probability 1/k, so L = ln k (k = 3).
    let mut zero = c.p.clone();
    zero.w2.fill(0.0);
    zero.b2.fill(0.0);
    close(
        "loss with W2 = 0 and b2 = 0 (uniform predictions, ln 3)",
        loss(&c.x, &c.y, &zero),
        3f64.ln(),
        1e-12,
    )?;
    pass("mean cross-entropy right within 1e-10; uniform predictions give ln 3")
}

fn gradient_shapes() -> Graded {
    let c = case(6, 4, 5, 3, 1);
    let (l, g) = gradients(&c.x, &c.y, &c.p);
    shapes_match(&g, &c.p)?;
    close(
        "the loss returned by gradients",
        l,
        loss_ref(&c.x, &c.y, &c.p),
        1e-10,
    )?;
    pass("every gradient has its parameter's shape, and the loss is right")
}

fn output_layer_check() -> Graded {
    let c = case(6, 4, 5, 3, 1);
    let (_, g) = gradients(&c.x, &c.y, &c.p);
    shapes_match(&g, &c.p)?;
    let n = c.y.len();
    check_one("dL/dW2 (5 x 3)", &flat(&g.w2), &numeric(&c, 2), None, n)?;
    check_one("dL/db2", &flat(&g.b2), &numeric(&c, 3), None, n)?;
    pass("dW2 and db2 agree with central differences (relative error < 1e-6)")
}

fn hidden_layer_check() -> Graded {
    let c = case(6, 4, 5, 3, 1);
    let (_, g) = gradients(&c.x, &c.y, &c.p);
    shapes_match(&g, &c.p)?;
    let n = c.y.len();
    let (w1_no_mask, b1_no_mask) = no_mask_w1_b1(&c);
    check_one(
        "dL/dW1 (4 x 5)",
        &flat(&g.w1),
        &numeric(&c, 0),
        Some(&w1_no_mask),
        n,
    )?;
    check_one(
        "dL/db1",
        &flat(&g.b1),
        &numeric(&c, 1),
        Some(&b1_no_mask),
        n,
    )?;
    pass("dW1 and db1 agree with central differences (relative error < 1e-6)")
}

fn hidden_case() -> Graded {
    let c = case(30, 8, 6, 4, 2);
    let (l, g) = gradients(&c.x, &c.y, &c.p);
    shapes_match(&g, &c.p)?;
    close("hidden case: loss", l, loss_ref(&c.x, &c.y, &c.p), 1e-10)?;
    let n = c.y.len();
    let (w1_no_mask, b1_no_mask) = no_mask_w1_b1(&c);
    check_one(
        "hidden case: dL/dW1",
        &flat(&g.w1),
        &numeric(&c, 0),
        Some(&w1_no_mask),
        n,
    )?;
    check_one(
        "hidden case: dL/db1",
        &flat(&g.b1),
        &numeric(&c, 1),
        Some(&b1_no_mask),
        n,
    )?;
    check_one(
        "hidden case: dL/dW2",
        &flat(&g.w2),
        &numeric(&c, 2),
        None,
        n,
    )?;
    check_one(
        "hidden case: dL/db2",
        &flat(&g.b2),
        &numeric(&c, 3),
        None,
        n,
    )?;
    // One descent step must lower the loss: the gradient points uphill.
    let step = 0.01;
    let moved = Params {
        w1: &c.p.w1 - &(step * &g.w1),
        b1: &c.p.b1 - &(step * &g.b1),
        w2: &c.p.w2 - &(step * &g.w2),
        b2: &c.p.b2 - &(step * &g.b2),
    };
    let (before, after) = (loss_ref(&c.x, &c.y, &c.p), loss_ref(&c.x, &c.y, &moved));
    ensure(after < before, || {
        format!(
            "hidden case: a step of 0.01 against your gradient moved the loss from {} to {}",
            fmt(before),
            fmt(after)
        )
    })?;
    pass("30 examples through an 8-6-4 network: all four gradients agree with central differences")
}
