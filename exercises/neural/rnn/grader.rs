// Grader of neural/rnn.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{rnn_step, rnn_unroll};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("one_step", one_step),
    ("unroll_shape", unroll_shape),
    ("unroll_values", unroll_values),
    ("memory", memory),
    ("hidden_cases", hidden_cases),
];

struct Cell {
    w_x: Array2<f64>,
    w_h: Array2<f64>,
    b: Array1<f64>,
}

/// The classic wrong variants the grader computes to name a mistake.
#[derive(Clone, Copy, Default)]
struct Variant {
    transpose_w_h: bool,
    no_tanh: bool,
    sigmoid: bool,
    no_bias: bool,
    /// Every step starts again from h0 instead of the previous state.
    no_carry: bool,
}

/// The grader's own step, with loops.
fn step_ref(c: &Cell, x: &[f64], h: &[f64], v: Variant) -> Vec<f64> {
    let n = c.b.len();
    (0..n)
        .map(|i| {
            let input: f64 = (0..x.len()).map(|a| c.w_x[[i, a]] * x[a]).sum();
            let recurrent: f64 = (0..n).map(|j| if v.transpose_w_h { c.w_h[[j, i]] } else { c.w_h[[i, j]] } * h[j]).sum();
            let z = input + recurrent + if v.no_bias { 0.0 } else { c.b[i] };
            if v.no_tanh {
                z
            } else if v.sigmoid {
                1.0 / (1.0 + (-z).exp())
            } else {
                z.tanh()
            }
        })
        .collect()
}

fn unroll_ref(c: &Cell, xs: &Array2<f64>, h0: &Array1<f64>, v: Variant) -> Array2<f64> {
    let mut states = Array2::zeros((xs.nrows(), h0.len()));
    let mut h = h0.to_vec();
    for t in 0..xs.nrows() {
        let previous = if v.no_carry { h0.to_vec() } else { h };
        h = step_ref(c, &xs.row(t).to_vec(), &previous, v);
        for (j, value) in h.iter().enumerate() {
            states[[t, j]] = *value;
        }
    }
    states
}

/// d = 2 inputs, 3 hidden units; W_h is not symmetric, so W_hᵀ gives other numbers.
fn cell() -> Cell {
    Cell {
        w_x: array![[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]],
        w_h: array![[0.1, 0.7, -0.2], [-0.5, 0.3, 0.4], [0.6, -0.1, 0.2]],
        b: array![0.05, -0.1, 0.2],
    }
}

fn sequence() -> (Array2<f64>, Array1<f64>) {
    (
        array![[1.0, 0.0], [0.5, -1.0], [-0.3, 0.8], [0.0, 2.0]],
        array![0.2, -0.4, 0.1],
    )
}

fn list(v: &[f64]) -> String {
    format!(
        "[{}]",
        v.iter().map(|x| fmt(*x)).collect::<Vec<_>>().join(", ")
    )
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-9)
}

fn matrix_close(
    what: &str,
    got: &Array2<f64>,
    expected: &Array2<f64>,
    tolerance: f64,
) -> Result<(), Failed> {
    equal(
        &format!("{what}: shape (T, h)"),
        &got.dim(),
        &expected.dim(),
    )?;
    for ((i, j), e) in expected.indexed_iter() {
        close(&format!("{what}[{i}, {j}]"), got[[i, j]], *e, tolerance)?;
    }
    Ok(())
}

fn one_step() -> Graded {
    let c = cell();
    let x = [1.0, -2.0];
    let h = [0.3, -0.6, 0.9];
    let got = rnn_step(
        &c.w_x,
        &c.w_h,
        &c.b,
        Array1::from(x.to_vec()).view(),
        Array1::from(h.to_vec()).view(),
    )
    .to_vec();
    let expected = step_ref(&c, &x, &h, Variant::default());
    let shown = format!(
        "rnn_step(x = [1, -2], h = [0.3, -0.6, 0.9]): expected {}, got {}",
        list(&expected),
        list(&got)
    );
    if !near(&got, &expected) {
        let named = [
            (
                Variant {
                    transpose_w_h: true,
                    ..Default::default()
                },
                "this uses W_hᵀ h: the new unit i reads Σ_j W_h[i, j] h[j], i.e. `w_h.dot(&h)`; W_h is square, so the transposed product runs and is wrong",
            ),
            (
                Variant {
                    no_tanh: true,
                    ..Default::default()
                },
                "the activation is missing: h' = tanh(W_x x + W_h h + b)",
            ),
            (
                Variant {
                    sigmoid: true,
                    ..Default::default()
                },
                "this is the sigmoid: the Elman cell here uses tanh, whose outputs lie in (-1, 1) and are centered on 0",
            ),
            (
                Variant {
                    no_bias: true,
                    ..Default::default()
                },
                "the bias b is missing",
            ),
        ];
        for (variant, hint) in named {
            if near(&got, &step_ref(&c, &x, &h, variant)) {
                return Err(fail(format!("{shown}: {hint}")));
            }
        }
    }
    all_close("rnn_step(x = [1, -2], h = [0.3, -0.6, 0.9])", &got, &expected, 1e-12)
        .hint("`w_x.dot(&x)` is W_x x (h entries), `w_h.dot(&h_prev)` is W_h h; add b and apply tanh to each entry")?;
    pass(format!("h' = {} within 1e-12", list(&expected)))
}

fn unroll_shape() -> Graded {
    let c = cell();
    let (xs, h0) = sequence();
    let got = rnn_unroll(&c.w_x, &c.w_h, &c.b, &xs, &h0).dim();
    let why = if got == (5, 3) {
        ": 5 rows for 4 steps: h0 is included; return only the T new states h_1, ..., h_T"
    } else if got == (3, 3) {
        ": 3 rows for 4 steps: one step is missing (off by one); every row of xs is one step"
    } else if got == (3, 4) {
        ": transposed: one row per time step (T x h), not one column"
    } else {
        ""
    };
    ensure(got == (4, 3), || {
        format!(
            "shape of the states for T = 4 steps and h = 3 units: expected (4, 3), got {got:?}{why}"
        )
    })
    .hint("T x h: one row per time step")?;
    // The right shape can still hold h0: h0, h_1, ..., h_{T-1} (the last state dropped).
    let states = rnn_unroll(&c.w_x, &c.w_h, &c.b, &xs, &h0);
    let first = states.row(0).to_vec();
    ensure(!near(&first, &h0.to_vec()), || {
        format!(
            "row 0 of the states is h0 itself ({}): h0 is included and the last state is missing; row t must be h_(t+1), the state after input t",
            list(&first)
        )
    })?;
    pass("4 x 3: one row per step, and row 0 is h_1, not h0")
}

fn unroll_values() -> Graded {
    let c = cell();
    let (xs, h0) = sequence();
    let got = rnn_unroll(&c.w_x, &c.w_h, &c.b, &xs, &h0);
    let expected = unroll_ref(&c, &xs, &h0, Variant::default());
    let what = "states of a 4-step sequence";
    if got.dim() == expected.dim()
        && !near(
            &got.iter().copied().collect::<Vec<_>>(),
            &expected.iter().copied().collect::<Vec<_>>(),
        )
    {
        let named = [
            (
                Variant {
                    no_carry: true,
                    ..Default::default()
                },
                "every step started from h0: carry the state, h_t = step(x_t, h_{t-1})",
            ),
            (
                Variant {
                    transpose_w_h: true,
                    ..Default::default()
                },
                "this uses W_hᵀ h: the recurrent product is `w_h.dot(&h)`",
            ),
        ];
        for (variant, hint) in named {
            if got
                .iter()
                .zip(unroll_ref(&c, &xs, &h0, variant).iter())
                .all(|(a, b)| (a - b).abs() < 1e-9)
            {
                matrix_close(what, &got, &expected, 1e-12).map_err(|mut failed| {
                    failed.message = format!("{}: {hint}", failed.message);
                    failed
                })?;
            }
        }
    }
    matrix_close(what, &got, &expected, 1e-12)
        .hint("row t of the result is the state after input t; start from h0")?;
    let last = expected.row(expected.nrows() - 1).to_vec();
    pass(format!(
        "all 4 states within 1e-12; final state {}",
        list(&last)
    ))
}

fn memory() -> Graded {
    // Two sequences that differ only in their first input: with the state carried, the first
    // input still shows in the final state (through W_h); without it, it cannot.
    let c = cell();
    let h0 = Array1::zeros(3);
    let mut a = Array2::zeros((6, 2));
    a[[0, 0]] = 2.0;
    let b = Array2::zeros((6, 2));
    let final_of = |xs: &Array2<f64>| -> Result<Vec<f64>, Failed> {
        let states = rnn_unroll(&c.w_x, &c.w_h, &c.b, xs, &h0);
        equal("shape of the states for 6 steps", &states.dim(), &(6, 3))?;
        Ok(states.row(5).to_vec())
    };
    let (fa, fb) = (final_of(&a)?, final_of(&b)?);
    let expected_a = unroll_ref(&c, &a, &h0, Variant::default()).row(5).to_vec();
    let gap = fa
        .iter()
        .zip(&fb)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max);
    ensure(gap > 1e-6, || {
        format!("the final states of two 6-step sequences that differ only in step 1 are equal ({} and {}): the first input was forgotten", list(&fa), list(&fb))
    })
    .hint("carry the state: each step must start from the previous step's output, not from h0")?;
    all_close(
        "final state after an input at step 1 and five zero inputs",
        &fa,
        &expected_a,
        1e-12,
    )?;
    pass("the first input still shows in the state 5 steps later")
}

fn hidden_cases() -> Graded {
    let c = cell();
    let empty = rnn_unroll(
        &c.w_x,
        &c.w_h,
        &c.b,
        &Array2::zeros((0, 2)),
        &Array1::zeros(3),
    );
    equal(
        "shape of the states for an empty sequence (T = 0)",
        &empty.dim(),
        &(0, 3),
    )
    .hint("no steps, no states: a 0 x h matrix (`Array2::zeros((0, h))`)")?;
    let mut r = rng(31);
    for case in 0..3 {
        let (t, d, h) = [(50, 4, 6), (1, 3, 2), (20, 1, 8)][case];
        let mut m = |rows: usize, cols: usize, s: f64| {
            Array2::from_shape_fn((rows, cols), |_| s * r.gen_range(-1.0..1.0))
        };
        let cell = Cell {
            w_x: m(h, d, 0.8),
            w_h: m(h, h, 0.6),
            b: m(1, h, 0.2).row(0).to_owned(),
        };
        let xs = m(t, d, 1.5);
        let h0 = m(1, h, 0.5).row(0).to_owned();
        let got = rnn_unroll(&cell.w_x, &cell.w_h, &cell.b, &xs, &h0);
        let steps = if t == 1 { "step" } else { "steps" };
        let what = format!("hidden case {case}: {t} {steps}, d = {d}, h = {h}");
        matrix_close(
            &what,
            &got,
            &unroll_ref(&cell, &xs, &h0, Variant::default()),
            1e-12,
        )?;
        ensure(got.iter().all(|v| v.abs() < 1.0), || {
            format!("{what}: a state is outside (-1, 1), the range of tanh")
        })?;
    }
    pass("an empty sequence, and hidden sequences of 50, 1 and 20 steps")
}
