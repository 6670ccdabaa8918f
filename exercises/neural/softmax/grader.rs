// Grader of neural/softmax.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, array};
use rand::Rng as _;

use super::exercise::{log_sum_exp, relu, sigmoid, softmax, tanh};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("activations", activations),
    ("softmax_small", softmax_small),
    ("log_sum_exp_stable", log_sum_exp_stable),
    ("softmax_stable", softmax_stable),
    ("hidden_cases", hidden_cases),
];

const E: f64 = std::f64::consts::E;

fn list(v: &[f64]) -> String {
    format!(
        "[{}]",
        v.iter().map(|x| fmt(*x)).collect::<Vec<_>>().join(", ")
    )
}

/// The grader's own stable versions (max subtracted), for the random cases.
fn lse_ref(z: &[f64]) -> f64 {
    let m = z.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

fn softmax_ref(z: &[f64]) -> Vec<f64> {
    let m = z.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

/// A non-finite value on a large input is the overflow of the naive formula: say so.
fn finite(what: &str, got: &[f64], cause: &str) -> Result<(), Failed> {
    // The cause's first words ("overflow", "underflow") go in the message, the rest in the hint.
    let kind = cause.split(':').next().unwrap_or(cause);
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!(
            "{what}: got {}, which is not finite: {kind} in the exponentials",
            list(got)
        )
    })
    .hint(cause.to_string())
}

const OVERFLOW: &str = "overflow: e^z is inf in f64 once z > 709.8 (the largest double is about 1.8e308), so the naive formula gives inf, or inf / inf = NaN. Subtract m = max(z) first: softmax(z) = softmax(z - m) and log Σ e^z = m + log Σ e^(z - m)";
const SIGMOID_OVERFLOW: &str = "overflow: e^800 is inf in f64, so e^z / (1 + e^z) is inf / inf = NaN (and (e^z - e^-z) / (e^z + e^-z) too). For z >= 0 use 1 / (1 + e^-z), for z < 0 use e^z / (1 + e^z): each exponentiates only a non-positive number; f64::tanh is already stable";
const UNDERFLOW: &str = "underflow: e^-1000 rounds to 0 in f64, so the naive formula takes log(0) = -inf or divides 0 by 0. Subtracting m = max(z) makes the largest term e^0 = 1";

fn softmax_of(z: &[f64]) -> Vec<f64> {
    softmax(Array1::from(z.to_vec()).view()).to_vec()
}

fn lse_of(z: &[f64]) -> f64 {
    log_sum_exp(Array1::from(z.to_vec()).view())
}

fn activations() -> Graded {
    // Expected values from the definitions: sigmoid(z) = 1 / (1 + e^-z),
    // tanh(z) = (e^2z - 1) / (e^2z + 1).
    close("sigmoid(0)", sigmoid(0.0), 0.5, 1e-12)?;
    close("sigmoid(2)", sigmoid(2.0), 1.0 / (1.0 + E.powi(-2)), 1e-12)?;
    close("sigmoid(-3)", sigmoid(-3.0), 1.0 / (1.0 + E.powi(3)), 1e-12)
        .hint("sigmoid(z) = 1 / (1 + e^-z); check the sign in the exponent")?;
    close("relu(-3)", relu(-3.0), 0.0, 0.0).hint("relu(z) = max(0, z): negative inputs give 0")?;
    close("relu(0)", relu(0.0), 0.0, 0.0)?;
    close("relu(2.5)", relu(2.5), 2.5, 0.0)
        .hint("relu passes positive inputs through unchanged")?;
    close("tanh(0.5)", tanh(0.5), (E - 1.0) / (E + 1.0), 1e-12)?;
    close(
        "tanh(-2)",
        tanh(-2.0),
        (E.powi(-4) - 1.0) / (E.powi(-4) + 1.0),
        1e-12,
    )?;
    // Large inputs: e^800 overflows, so exp(z) / (1 + exp(z)) gives inf / inf = NaN.
    let big = [sigmoid(800.0), sigmoid(-800.0), tanh(800.0), tanh(-800.0)];
    finite(
        "[sigmoid(800), sigmoid(-800), tanh(800), tanh(-800)]",
        &big,
        SIGMOID_OVERFLOW,
    )?;
    close("sigmoid(800)", big[0], 1.0, 1e-12)
        .hint("for z >= 0 use 1 / (1 + e^-z); for z < 0 use e^z / (1 + e^z): each only exponentiates a non-positive number")?;
    close("sigmoid(-800)", big[1], 0.0, 1e-12)?;
    close("tanh(800)", big[2], 1.0, 1e-12)
        .hint("f64::tanh is stable; (e^z - e^-z) / (e^z + e^-z) is not for large |z|")?;
    close("tanh(-800)", big[3], -1.0, 1e-12)?;
    pass("sigmoid, relu and tanh right within 1e-12, finite at ±800")
}

fn softmax_small() -> Graded {
    let got = softmax_of(&[1.0, 2.0, 3.0]);
    // By hand: e^{z - 3} = [e^-2, e^-1, 1], divided by their sum.
    let s = 1.0 + 1.0 / E + 1.0 / (E * E);
    let expected = [E.powi(-2) / s, E.powi(-1) / s, 1.0 / s];
    let shown = format!(
        "softmax([1, 2, 3]): expected {}, got {}",
        list(&expected),
        list(&got)
    );
    if got.len() == 3 {
        let named = [
            (
                vec![1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0],
                "you divided z by its sum: softmax exponentiates first, e^{z_i} / Σ_j e^{z_j}",
            ),
            (
                vec![E, E * E, E.powi(3)],
                "these are e^{z_i} without normalization: divide by their sum",
            ),
            (
                vec![E.powi(-2), E.powi(-1), 1.0],
                "you subtracted the max but did not divide by the sum of the exponentials",
            ),
        ];
        for (wrong, hint) in named {
            if got.iter().zip(&wrong).all(|(g, w)| (g - w).abs() < 1e-9) {
                return Err(fail(format!("{shown}: {hint}")));
            }
        }
    }
    all_close("softmax([1, 2, 3])", &got, &expected, 1e-12)?;
    close("sum of softmax([1, 2, 3])", got.iter().sum(), 1.0, 1e-12)?;
    pass("softmax([1, 2, 3]) = [0.09003, 0.2447, 0.6652] within 1e-12")
}

fn log_sum_exp_stable() -> Graded {
    let tail = (1.0 + 1.0 / E + 1.0 / (E * E)).ln();
    close_naming(
        "log_sum_exp([1, 2, 3])",
        lse_of(&[1.0, 2.0, 3.0]),
        3.0 + tail,
        1e-9,
        &[
            (
                tail,
                "the max was not added back: log Σ e^z = m + log Σ e^(z - m)",
            ),
            (
                (1.0 + 1.0 / E + 1.0 / (E * E)),
                "the sum of the shifted exponentials without its logarithm (and without m)",
            ),
        ],
    )
    .hint("log Σ_i e^{z_i}: the natural logarithm of the sum of exponentials")?;
    close("log_sum_exp([5])", lse_of(&[5.0]), 5.0, 1e-12)?;
    // By hand: log(e^1000 + e^1001 + e^1002) = 1002 + log(1 + e^-1 + e^-2).
    let got = lse_of(&[1000.0, 1001.0, 1002.0]);
    finite("log_sum_exp([1000, 1001, 1002])", &[got], OVERFLOW)?;
    close("log_sum_exp([1000, 1001, 1002])", got, 1002.0 + tail, 1e-9)?;
    // By hand: log(2 e^-1000) = -1000 + log 2.
    let got = lse_of(&[-1000.0, -1000.0]);
    finite("log_sum_exp([-1000, -1000])", &[got], UNDERFLOW)?;
    close(
        "log_sum_exp([-1000, -1000])",
        got,
        -1000.0 + 2f64.ln(),
        1e-9,
    )?;
    pass(
        "log-sum-exp right within 1e-9 at 1000 and at -1000, where the naive formula gives inf and -inf",
    )
}

fn softmax_stable() -> Graded {
    let s = 1.0 + 1.0 / E + 1.0 / (E * E);
    let got = softmax_of(&[1000.0, 1001.0, 1002.0]);
    finite("softmax([1000, 1001, 1002])", &got, OVERFLOW)?;
    // softmax is invariant to adding a constant: same as softmax([0, 1, 2]).
    all_close(
        "softmax([1000, 1001, 1002])",
        &got,
        &[E.powi(-2) / s, E.powi(-1) / s, 1.0 / s],
        1e-12,
    )?;
    let got = softmax_of(&[-1000.0, -1000.0]);
    finite("softmax([-1000, -1000])", &got, UNDERFLOW)?;
    all_close("softmax([-1000, -1000])", &got, &[0.5, 0.5], 1e-12)?;
    let got = softmax_of(&[0.0, -800.0]);
    finite("softmax([0, -800])", &got, UNDERFLOW)?;
    all_close("softmax([0, -800])", &got, &[1.0, 0.0], 1e-12)?;
    pass("softmax finite and right within 1e-12 at ±1000, where the naive formula gives NaN")
}

fn hidden_cases() -> Graded {
    let mut r = rng(5);
    for case in 0..40 {
        let n = 1 + case % 12;
        let offset = [0.0, -700.0, 700.0, 1e4, -1e4][case % 5];
        let z: Vec<f64> = (0..n).map(|_| offset + r.gen_range(-50.0..50.0)).collect();
        let got = softmax_of(&z);
        let what = format!(
            "hidden case {case}: softmax of {n} values around {}",
            fmt(offset)
        );
        finite(&what, &got, if offset > 0.0 { OVERFLOW } else { UNDERFLOW })?;
        all_close(&what, &got, &softmax_ref(&z), 1e-10)?;
        close(&format!("{what}: sum"), got.iter().sum(), 1.0, 1e-12)?;
        let got = lse_of(&z);
        let what = format!(
            "hidden case {case}: log_sum_exp of {n} values around {}",
            fmt(offset)
        );
        finite(
            &what,
            &[got],
            if offset > 0.0 { OVERFLOW } else { UNDERFLOW },
        )?;
        let expected = lse_ref(&z);
        close(&what, got, expected, 1e-12 * expected.abs().max(1.0))?;
    }
    let one = softmax(array![7.0].view()).to_vec();
    all_close("softmax([7])", &one, &[1.0], 1e-12)?;
    pass(
        "40 hidden vectors (lengths 1 to 12, offsets up to ±1e4): softmax within 1e-10, log-sum-exp within 1e-12 relative",
    )
}
