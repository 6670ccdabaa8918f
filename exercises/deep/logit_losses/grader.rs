// Grader of deep/logit_losses.

use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{
    bce_with_logits, bce_with_logits_backward, cross_entropy, cross_entropy_backward,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("cross_entropy_value", ce_value),
    ("cross_entropy_gradient", ce_gradient),
    ("bce_value", bce_value),
    ("bce_gradient", bce_gradient),
    ("huge_logits", huge_logits),
];

/// Central differences use this step (CS231n's); the analytic gradient must agree to this
/// relative error ||analytic - numeric|| / (||analytic|| + ||numeric||).
const STEP: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-6;

/// The grader's cross-entropy, one example at a time: ln Σ_c e^(z_c − m) + m − z_y.
fn ce_ref(logits: &Array2<f64>, targets: &[usize]) -> f64 {
    let (n, k) = logits.dim();
    let mut total = 0.0;
    for i in 0..n {
        let mut m = f64::NEG_INFINITY;
        for c in 0..k {
            m = m.max(logits[[i, c]]);
        }
        let mut s = 0.0;
        for c in 0..k {
            s += (logits[[i, c]] - m).exp();
        }
        total += m + s.ln() - logits[[i, targets[i]]];
    }
    total / n as f64
}

/// (softmax − onehot) / n, row by row with the max subtracted.
fn ce_grad_ref(logits: &Array2<f64>, targets: &[usize]) -> Array2<f64> {
    let (n, k) = logits.dim();
    let mut g = Array2::zeros((n, k));
    for i in 0..n {
        let m = (0..k)
            .map(|c| logits[[i, c]])
            .fold(f64::NEG_INFINITY, f64::max);
        let s: f64 = (0..k).map(|c| (logits[[i, c]] - m).exp()).sum();
        for c in 0..k {
            let onehot = if c == targets[i] { 1.0 } else { 0.0 };
            g[[i, c]] = ((logits[[i, c]] - m).exp() / s - onehot) / n as f64;
        }
    }
    g
}

/// The stable binary cross-entropy per example, averaged.
fn bce_ref(logits: &Array1<f64>, targets: &Array1<f64>) -> f64 {
    let n = logits.len();
    let mut total = 0.0;
    for i in 0..n {
        let (x, y) = (logits[i], targets[i]);
        total += x.max(0.0) - x * y + (-x.abs()).exp().ln_1p();
    }
    total / n as f64
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        x.exp() / (1.0 + x.exp())
    }
}

fn bce_grad_ref(logits: &Array1<f64>, targets: &Array1<f64>) -> Array1<f64> {
    let n = logits.len() as f64;
    Array1::from_shape_fn(logits.len(), |i| (sigmoid(logits[i]) - targets[i]) / n)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

/// Central differences of `f` at every entry of `x` (flattened row-major).
fn numeric(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let at = |delta: f64| {
                let mut moved = x.to_vec();
                moved[i] += delta;
                f(&moved)
            };
            (at(STEP) - at(-STEP)) / (2.0 * STEP)
        })
        .collect()
}

/// A gradient against the expected one, naming the classic wrong answers.
fn check_grad(
    what: &str,
    got: &[f64],
    expected: &[f64],
    wrong: &[(Vec<f64>, &str)],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of entries"),
        &got.len(),
        &expected.len(),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let error = relative_error(got, expected);
    if error < MAX_RELATIVE_ERROR {
        return Ok(());
    }
    let message = format!(
        "{what}: relative error {} against central differences (bar < 1e-6)",
        fmt(error)
    );
    for (value, why) in wrong {
        if relative_error(got, value) < MAX_RELATIVE_ERROR {
            return Err(fail(format!("{message}: {why}")));
        }
    }
    Err(fail(message))
}

fn ce_case(r: &mut Rng, n: usize, k: usize, scale: f64) -> (Array2<f64>, Vec<usize>) {
    let logits = Array2::from_shape_fn((n, k), |_| scale * r.gen_range(-1.0..1.0));
    let targets = (0..n).map(|_| r.gen_range(0..k)).collect();
    (logits, targets)
}

fn bce_case(r: &mut Rng, n: usize, scale: f64, soft: bool) -> (Array1<f64>, Array1<f64>) {
    let logits = Array1::from_shape_fn(n, |_| scale * r.gen_range(-1.0..1.0));
    let targets = Array1::from_shape_fn(n, |_| {
        if soft {
            r.gen_range(0.0..1.0)
        } else if r.gen_bool(0.5) {
            1.0
        } else {
            0.0
        }
    });
    (logits, targets)
}

fn tolerance(expected: f64) -> f64 {
    1e-9 * expected.abs().max(1.0)
}

fn ce_value() -> Graded {
    let mut r = rng(21);
    for case in 0..5 {
        let (n, k) = (r.gen_range(2..=8), r.gen_range(2..=6));
        let (logits, targets) = ce_case(&mut r, n, k, 3.0);
        let expected = ce_ref(&logits, &targets);
        close_naming(
            &format!("case {case}: cross-entropy of {n} x {k} logits"),
            cross_entropy(&logits, &targets),
            expected,
            tolerance(expected),
            &[
                (
                    expected * n as f64,
                    "the sum over the examples, not the mean (PyTorch's default reduction is 'mean')",
                ),
                (
                    expected / k as f64,
                    "divided by n·k, the number of logits: the mean is over the n examples (rows)",
                ),
            ],
        )
        .hint("the mean over the rows of ln Σ_c exp(z_c) − z_y")?;
    }
    // Equal logits give every class 1/k: the loss is ln k.
    let k = 5;
    let flat = Array2::from_elem((3, k), 0.7);
    close(
        "equal logits over 5 classes (the loss is ln 5)",
        cross_entropy(&flat, &[0, 3, 4]),
        (k as f64).ln(),
        1e-12,
    )?;
    pass("mean cross-entropy right on 5 seeded cases (relative 1e-9); equal logits give ln k")
}

fn ce_gradient() -> Graded {
    let mut r = rng(22);
    for case in 0..5 {
        let (n, k) = (r.gen_range(2..=6), r.gen_range(2..=5));
        let (logits, targets) = ce_case(&mut r, n, k, 3.0);
        let got = cross_entropy_backward(&logits, &targets);
        equal(&format!("case {case}: gradient shape"), &got.dim(), &(n, k))?;
        let flat: Vec<f64> = logits.iter().copied().collect();
        let num = numeric(
            &|z| {
                let moved = Array2::from_shape_vec((n, k), z.to_vec()).expect("n * k entries");
                ce_ref(&moved, &targets)
            },
            &flat,
        );
        let exact = ce_grad_ref(&logits, &targets);
        let scaled = |s: f64| exact.iter().map(|v| v * s).collect::<Vec<f64>>();
        let mut minus_onehot = Array2::<f64>::zeros((n, k));
        for (i, &y) in targets.iter().enumerate() {
            minus_onehot[[i, y]] = -1.0 / n as f64;
        }
        let wrong = [
            (
                scaled(n as f64),
                "n times too large: the sum over the examples, not the mean; divide by n",
            ),
            (
                minus_onehot.iter().copied().collect(),
                "only −onehot / n: the gradient of log_softmax is missing the softmax term \
                 (d/dz ln Σ exp(z) = softmax(z))",
            ),
            (
                scaled(-1.0),
                "wrong sign: onehot − softmax instead of softmax − onehot",
            ),
            (
                scaled(1.0 / k as f64),
                "k times too small: divided by n·k, the number of logits; the mean is over the \
                 n examples (rows), divide by n",
            ),
        ];
        let got: Vec<f64> = got.iter().copied().collect();
        check_grad(
            &format!("case {case}: dL/dlogits ({n} x {k})"),
            &got,
            &num,
            &wrong,
        )
        .hint("(softmax(z) − onehot(y)) / n, row by row")?;
    }
    pass("(softmax − onehot) / n agrees with central differences on 5 seeded cases")
}

fn bce_value() -> Graded {
    let mut r = rng(23);
    for case in 0..5 {
        let n = r.gen_range(2..=9);
        let (logits, targets) = bce_case(&mut r, n, 4.0, case == 4);
        let expected = bce_ref(&logits, &targets);
        let no_abs = (0..n)
            .map(|i| {
                let (x, y) = (logits[i], targets[i]);
                x.max(0.0) - x * y + (-x).exp().ln_1p()
            })
            .sum::<f64>()
            / n as f64;
        let kind = if case == 4 {
            "soft targets in [0, 1]"
        } else {
            "targets 0/1"
        };
        close_naming(
            &format!("case {case}: BCE with logits, {n} examples, {kind}"),
            bce_with_logits(&logits, &targets),
            expected,
            tolerance(expected),
            &[
                (
                    expected * n as f64,
                    "the sum over the examples, not the mean (PyTorch's default reduction is 'mean')",
                ),
                (
                    no_abs,
                    "ln(1 + e^(−x)) without the absolute value: the stable form is max(x, 0) − x·y \
                     + ln(1 + e^(−|x|)); for x < 0, ln(1 + e^(−x)) counts −x a second time",
                ),
            ],
        )
        .hint("the mean of max(x, 0) − x·y + ln(1 + e^(−|x|))")?;
    }
    // x = 0 gives σ = 1/2 whatever the target: ln 2.
    close(
        "logits 0 (σ = 1/2, the loss is ln 2)",
        bce_with_logits(&array![0.0, 0.0], &array![1.0, 0.0]),
        2f64.ln(),
        1e-12,
    )?;
    pass("mean BCE with logits right on 5 seeded cases (one with soft targets); logits 0 give ln 2")
}

fn bce_gradient() -> Graded {
    let mut r = rng(24);
    for case in 0..5 {
        let n = r.gen_range(2..=9);
        let (logits, targets) = bce_case(&mut r, n, 4.0, case == 4);
        let got = bce_with_logits_backward(&logits, &targets);
        let flat = logits.to_vec();
        let num = numeric(&|x| bce_ref(&Array1::from(x.to_vec()), &targets), &flat);
        let exact = bce_grad_ref(&logits, &targets);
        let scaled = |s: f64| exact.iter().map(|v| v * s).collect::<Vec<f64>>();
        let wrong = [
            (
                scaled(n as f64),
                "n times too large: the sum over the examples, not the mean; divide by n",
            ),
            (scaled(-1.0), "wrong sign: y − σ(x) instead of σ(x) − y"),
        ];
        check_grad(
            &format!("case {case}: dL/dlogits ({n} examples)"),
            &got.to_vec(),
            &num,
            &wrong,
        )
        .hint("(σ(x) − y) / n")?;
    }
    pass("(σ(x) − y) / n agrees with central differences on 5 seeded cases")
}

fn huge_logits() -> Graded {
    // Logits of a badly scaled network, with a near tie at the top of row 1 and a confident
    // wrong answer in row 2 (the loss there is 2000).
    let logits = array![
        [1000.0, 0.0, -1000.0],
        [-800.0, 1000.0, 999.0],
        [1000.0, 500.0, -1000.0],
        [-1000.0, -999.0, -1001.0],
    ];
    let targets = [0, 2, 2, 1];
    let expected = ce_ref(&logits, &targets);
    let got = cross_entropy(&logits, &targets);
    ensure(got.is_finite(), || {
        format!(
            "cross-entropy at logits of ±1000: got {}, expected {}: exp(1000) overflows to \
             inf (or a probability underflows to 0 before ln); subtract each row's max and \
             use ln Σ exp(z − max) + max",
            fmt(got),
            fmt(expected)
        )
    })?;
    close(
        "cross-entropy at logits of ±1000",
        got,
        expected,
        tolerance(expected),
    )?;
    let grad = cross_entropy_backward(&logits, &targets);
    equal("cross-entropy gradient shape", &grad.dim(), &(4, 3))?;
    ensure(grad.iter().all(|v| v.is_finite()), || {
        "cross-entropy gradient at logits of ±1000 contains NaN or inf: exp(1000) overflows \
         to inf and inf / inf is NaN; compute softmax with each row's max subtracted"
            .to_string()
    })?;
    matrix_close(
        "cross-entropy gradient at logits of ±1000",
        &grad,
        &ce_grad_ref(&logits, &targets),
        1e-12,
    )?;
    let x = array![1000.0, -1000.0, 800.0, -800.0, 40.0, -40.0, 0.0];
    let y = array![0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0];
    let expected = bce_ref(&x, &y);
    let got = bce_with_logits(&x, &y);
    ensure(got.is_finite(), || {
        format!(
            "BCE with logits at ±1000 and ±40: got {}, expected {}: σ(x) rounded to 0 or 1, so \
             ln σ(x) or ln(1 − σ(x)) gave −inf (and 0 · (−inf) = NaN); use the stable form \
             max(x, 0) − x·y + ln(1 + e^(−|x|))",
            fmt(got),
            fmt(expected)
        )
    })?;
    close_naming(
        "BCE with logits at ±1000 and ±40",
        got,
        expected,
        tolerance(expected),
        &[(
            expected * x.len() as f64,
            "the sum over the examples, not the mean",
        )],
    )?;
    let grad = bce_with_logits_backward(&x, &y);
    equal("BCE gradient length", &grad.len(), &x.len())?;
    ensure(grad.iter().all(|v| v.is_finite()), || {
        "BCE gradient at logits of ±1000 contains NaN or inf: compute σ(x) without overflow"
            .to_string()
    })?;
    all_close(
        "BCE gradient at logits of ±1000",
        &grad.to_vec(),
        &bce_grad_ref(&x, &y).to_vec(),
        1e-12,
    )?;
    pass(
        "both losses and their gradients stay finite and exact at logits of ±1000 (overflow \
         avoided)",
    )
}
