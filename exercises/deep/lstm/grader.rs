// Grader of deep/lstm.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, Array3};
use rand::Rng as _;

use super::exercise::{
    Grads, Params, clip_grad_norm, lstm_backward, lstm_forward, lstm_step, train_step,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("forward", forward),
    ("bptt_weights", bptt_weights),
    ("bptt_initial_state", bptt_initial_state),
    ("clip_global_norm", clip_global_norm),
    ("exploding_step", exploding_step),
];

/// Central differences use this step; the analytic gradient must agree to this relative error.
const EPS: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

#[derive(Clone)]
struct Case {
    x: Array3<f64>,
    h0: Array2<f64>,
    c0: Array2<f64>,
    p: Params,
    dh: Array3<f64>,
}

/// A seeded case of shape (t, n, d, h), weights uniform in ±`w`, recurrent weights in ±`wr`.
fn case_of(seed: u64, (t, n, d, h): (usize, usize, usize, usize), w: f64, wr: f64) -> Case {
    let mut r = rng(seed);
    let mut u = |s: f64| s * r.gen_range(-1.0..1.0);
    let w_ih = Array2::from_shape_fn((4 * h, d), |_| u(w));
    let w_hh = Array2::from_shape_fn((4 * h, h), |_| u(wr));
    let b = Array1::from_shape_fn(4 * h, |_| u(0.3));
    let x = Array3::from_shape_fn((t, n, d), |_| u(1.0));
    let h0 = Array2::from_shape_fn((n, h), |_| u(0.5));
    let c0 = Array2::from_shape_fn((n, h), |_| u(0.5));
    let dh = Array3::from_shape_fn((t, n, h), |_| u(1.0));
    Case {
        x,
        h0,
        c0,
        p: Params { w_ih, w_hh, b },
        dh,
    }
}

/// A case whose shape is drawn from the seed too: T in 2..=5, N in 1..=3, D and H in 1..=4.
fn case(seed: u64) -> Case {
    let mut r = rng(seed + 7919);
    let shape = (
        r.gen_range(2..=5),
        r.gen_range(1..=3),
        r.gen_range(1..=4),
        r.gen_range(1..=4),
    );
    case_of(seed, shape, 0.6, 0.6)
}

/// How a (possibly wrong) LSTM computes, to name the classic mistakes.
#[derive(Clone, Copy)]
struct Variant {
    /// order[k]: the block of the stacked weights that gate k (i, f, g, o) reads.
    order: [usize; 4],
    /// dc carried from step t + 1 into step t (BPTT along the cell-state path).
    carry_dc: bool,
    /// The forget gate's gradient uses c_t (the new cell state) instead of c_{t-1}.
    forget_uses_new_c: bool,
    /// dh_next (dz W_hh from step t + 1) added to dh[t] (BPTT along the hidden-state path).
    carry_dh: bool,
}

const RIGHT: Variant = Variant {
    order: [0, 1, 2, 3],
    carry_dc: true,
    forget_uses_new_c: false,
    carry_dh: true,
};
/// CS231n's assignment stacks the gates as i, f, o, g: g reads block 3, o block 2.
const IFOG: Variant = Variant {
    order: [0, 1, 3, 2],
    ..RIGHT
};
const NO_CARRY: Variant = Variant {
    carry_dc: false,
    ..RIGHT
};
const NO_H_CARRY: Variant = Variant {
    carry_dh: false,
    ..RIGHT
};
const FORGET_NEW_C: Variant = Variant {
    forget_uses_new_c: true,
    ..RIGHT
};

fn sig(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// One step of one example, by loops: the gates, the previous and the new state.
struct Step {
    gates: [Vec<f64>; 4],
    h_prev: Vec<f64>,
    c_prev: Vec<f64>,
    c: Vec<f64>,
    h: Vec<f64>,
}

/// The grader's own forward pass: steps[t][n].
#[allow(clippy::needless_range_loop)] // index loops read like the algebra
fn run(c: &Case, v: Variant) -> Vec<Vec<Step>> {
    let (t_len, n, d) = c.x.dim();
    let hd = c.h0.ncols();
    let mut steps: Vec<Vec<Step>> = Vec::new();
    for t in 0..t_len {
        let mut row = Vec::new();
        for e in 0..n {
            let (h_prev, c_prev): (Vec<f64>, Vec<f64>) = if t == 0 {
                (c.h0.row(e).to_vec(), c.c0.row(e).to_vec())
            } else {
                (steps[t - 1][e].h.clone(), steps[t - 1][e].c.clone())
            };
            let z = |row: usize| {
                let mut s = c.p.b[row];
                for a in 0..d {
                    s += c.p.w_ih[[row, a]] * c.x[[t, e, a]];
                }
                for a in 0..hd {
                    s += c.p.w_hh[[row, a]] * h_prev[a];
                }
                s
            };
            let gate = |k: usize| -> Vec<f64> {
                (0..hd)
                    .map(|j| {
                        let pre = z(v.order[k] * hd + j);
                        if k == 2 { pre.tanh() } else { sig(pre) }
                    })
                    .collect()
            };
            let gates = [gate(0), gate(1), gate(2), gate(3)];
            let c_new: Vec<f64> = (0..hd)
                .map(|j| gates[1][j] * c_prev[j] + gates[0][j] * gates[2][j])
                .collect();
            let h_new: Vec<f64> = (0..hd).map(|j| gates[3][j] * c_new[j].tanh()).collect();
            row.push(Step {
                gates,
                h_prev,
                c_prev,
                c: c_new,
                h: h_new,
            });
        }
        steps.push(row);
    }
    steps
}

/// L = Σ_t Σ dh[t] ⊙ h_t with the right cell.
fn loss_ref(c: &Case) -> f64 {
    let steps = run(c, RIGHT);
    let mut total = 0.0;
    for (t, row) in steps.iter().enumerate() {
        for (e, s) in row.iter().enumerate() {
            for (j, h) in s.h.iter().enumerate() {
                total += c.dh[[t, e, j]] * h;
            }
        }
    }
    total
}

/// The grader's own BPTT, by loops, for a variant: flattened gradients of
/// [w_ih, w_hh, b, h0, c0].
#[allow(clippy::needless_range_loop)] // index loops read like the algebra
fn backward_ref(c: &Case, v: Variant) -> [Vec<f64>; 5] {
    let steps = run(c, v);
    let (t_len, n, d) = c.x.dim();
    let hd = c.h0.ncols();
    let mut gw_ih = Array2::<f64>::zeros((4 * hd, d));
    let mut gw_hh = Array2::<f64>::zeros((4 * hd, hd));
    let mut gb = vec![0.0; 4 * hd];
    let mut dh_next = vec![vec![0.0; hd]; n];
    let mut dc_next = vec![vec![0.0; hd]; n];
    for t in (0..t_len).rev() {
        for e in 0..n {
            let s = &steps[t][e];
            let [i, f, g, o] = &s.gates;
            let mut dz = vec![0.0; 4 * hd];
            let mut dc_carry = vec![0.0; hd];
            for j in 0..hd {
                let dh_t = if v.carry_dh {
                    c.dh[[t, e, j]] + dh_next[e][j]
                } else {
                    c.dh[[t, e, j]]
                };
                let tc = s.c[j].tanh();
                let mut dc = dh_t * o[j] * (1.0 - tc * tc);
                if v.carry_dc {
                    dc += dc_next[e][j];
                }
                let c_for_f = if v.forget_uses_new_c {
                    s.c[j]
                } else {
                    s.c_prev[j]
                };
                dz[v.order[0] * hd + j] = dc * g[j] * i[j] * (1.0 - i[j]);
                dz[v.order[1] * hd + j] = dc * c_for_f * f[j] * (1.0 - f[j]);
                dz[v.order[2] * hd + j] = dc * i[j] * (1.0 - g[j] * g[j]);
                dz[v.order[3] * hd + j] = dh_t * tc * o[j] * (1.0 - o[j]);
                dc_carry[j] = dc * f[j];
            }
            for (row, dzr) in dz.iter().enumerate() {
                gb[row] += dzr;
                for a in 0..d {
                    gw_ih[[row, a]] += dzr * c.x[[t, e, a]];
                }
                for a in 0..hd {
                    gw_hh[[row, a]] += dzr * s.h_prev[a];
                }
            }
            for a in 0..hd {
                dh_next[e][a] = (0..4 * hd).map(|row| dz[row] * c.p.w_hh[[row, a]]).sum();
            }
            dc_next[e] = dc_carry;
        }
    }
    [
        gw_ih.iter().copied().collect(),
        gw_hh.iter().copied().collect(),
        gb,
        dh_next.concat(),
        dc_next.concat(),
    ]
}

/// Central differences of the grader's loss for every entry of one tensor
/// (0: w_ih, 1: w_hh, 2: b, 3: h0, 4: c0), flattened row-major.
fn numeric(c: &Case, field: usize) -> Vec<f64> {
    let len = [
        c.p.w_ih.len(),
        c.p.w_hh.len(),
        c.p.b.len(),
        c.h0.len(),
        c.c0.len(),
    ][field];
    (0..len)
        .map(|index| {
            let at = |delta: f64| {
                let mut m = c.clone();
                let entry = match field {
                    0 => m.p.w_ih.iter_mut().nth(index),
                    1 => m.p.w_hh.iter_mut().nth(index),
                    2 => m.p.b.iter_mut().nth(index),
                    3 => m.h0.iter_mut().nth(index),
                    _ => m.c0.iter_mut().nth(index),
                };
                *entry.expect("index < len") += delta;
                loss_ref(&m)
            };
            (at(EPS) - at(-EPS)) / (2.0 * EPS)
        })
        .collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||): 0 when equal, 1 when opposite.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn shape_of(c: &Case) -> String {
    let (t, n, d) = c.x.dim();
    format!("T={t}, N={n}, D={d}, H={}", c.h0.ncols())
}

/// Compare one analytic gradient with central differences; when it matches a wrong variant's
/// gradient instead, say which mistake that is.
fn check_grad(
    what: &str,
    got: &[f64],
    num: &[f64],
    wrong: &[(Vec<f64>, &str)],
) -> Result<(), Failed> {
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
        "{what}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5); largest difference at flat index {worst}: analytic {}, numeric {}",
        fmt(error),
        fmt(got[worst]),
        fmt(num[worst])
    );
    for (variant, why) in wrong {
        if relative_error(got, variant) < MAX_RELATIVE_ERROR
            && relative_error(variant, num) > MAX_RELATIVE_ERROR
        {
            return Err(fail(format!("{message}: {why}")));
        }
    }
    Err(fail(message)).hint(
        "go backwards from t = T: dh = dh[t] + dh_next; dc = dc_next + dh ⊙ o ⊙ (1 - tanh²(c_t)); then the gates' pre-activation gradients; dh_next = dz W_hh, dc_next = dc ⊙ f",
    )
}

const IFOG_WHY: &str = "this is the gate order i, f, o, g (CS231n's assignment): PyTorch's nn.LSTM stacks the rows as i, f, g, o";
const NO_CARRY_WHY: &str = "the cell-state path is dropped: dc at step t must include dc_next = dc_{t+1} ⊙ f_{t+1} carried back from the next step, not only what comes through h_t";
const NO_H_CARRY_WHY: &str = "the hidden-state path is dropped: the gradient reaching h_t is dh[t] plus dh_next = dz_{t+1} W_hh carried back from the next step's gates, not dh[t] alone";
const FORGET_WHY: &str = "the forget gate's derivative uses the new cell state c_t: c_t = f ⊙ c_{t-1} + i ⊙ g, so dL/df = dc ⊙ c_{t-1}";

/// The learner's gradients, shapes checked before anything is indexed.
fn learner_grads(c: &Case) -> Result<[Vec<f64>; 5], Failed> {
    let g = lstm_backward(&c.x, &c.h0, &c.c0, &c.p, &c.dh);
    let what = shape_of(c);
    equal(
        &format!("{what}: shape of the gradient of w_ih (4H, D)"),
        &g.w_ih.dim(),
        &c.p.w_ih.dim(),
    )?;
    equal(
        &format!("{what}: shape of the gradient of w_hh (4H, H)"),
        &g.w_hh.dim(),
        &c.p.w_hh.dim(),
    )?;
    equal(
        &format!("{what}: length of the gradient of b (4H)"),
        &g.b.len(),
        &c.p.b.len(),
    )?;
    equal(
        &format!("{what}: shape of the gradient of h0 (N, H)"),
        &g.h0.dim(),
        &c.h0.dim(),
    )?;
    equal(
        &format!("{what}: shape of the gradient of c0 (N, H)"),
        &g.c0.dim(),
        &c.c0.dim(),
    )?;
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    Ok([
        flat(&g.w_ih),
        flat(&g.w_hh),
        g.b.to_vec(),
        flat(&g.h0),
        flat(&g.c0),
    ])
}

const SEEDS: [u64; 4] = [11, 12, 13, 14];

fn forward() -> Graded {
    for seed in SEEDS {
        let c = case(seed);
        let what = shape_of(&c);
        let (t_len, n, _) = c.x.dim();
        let hd = c.h0.ncols();
        let right = run(&c, RIGHT);
        let ifog = run(&c, IFOG);
        // One step from (h0, c0).
        let x0 = c.x.index_axis(ndarray::Axis(0), 0).to_owned();
        let (h1, c1) = lstm_step(&x0, &c.h0, &c.c0, &c.p);
        equal(
            &format!("{what}: lstm_step: shape of h'"),
            &h1.dim(),
            &(n, hd),
        )?;
        equal(
            &format!("{what}: lstm_step: shape of c'"),
            &c1.dim(),
            &(n, hd),
        )?;
        for e in 0..n {
            for j in 0..hd {
                let (s, w) = (&right[0][e], &ifog[0][e]);
                close_naming(
                    &format!("{what}: lstm_step: c'[{e}, {j}]"),
                    c1[[e, j]],
                    s.c[j],
                    1e-10,
                    &[(w.c[j], IFOG_WHY)],
                )
                .hint("c' = f ⊙ c + i ⊙ g, with the gates read from the row blocks i, f, g, o of the stacked weights")?;
                close_naming(
                    &format!("{what}: lstm_step: h'[{e}, {j}]"),
                    h1[[e, j]],
                    s.h[j],
                    1e-10,
                    &[(w.h[j], IFOG_WHY)],
                )
                .hint("h' = o ⊙ tanh(c')")?;
            }
        }
        // The whole sequence.
        let (hs, c_last) = lstm_forward(&c.x, &c.h0, &c.c0, &c.p);
        equal(
            &format!("{what}: lstm_forward: shape of the hidden states (T, N, H)"),
            &hs.dim(),
            &(t_len, n, hd),
        )?;
        equal(
            &format!("{what}: lstm_forward: shape of c_T (N, H)"),
            &c_last.dim(),
            &(n, hd),
        )?;
        for t in 0..t_len {
            for e in 0..n {
                for j in 0..hd {
                    close_naming(
                        &format!("{what}: lstm_forward: h_{}[{e}, {j}]", t + 1),
                        hs[[t, e, j]],
                        right[t][e].h[j],
                        1e-10,
                        &[(ifog[t][e].h[j], IFOG_WHY)],
                    )
                    .hint("hs[t] is the hidden state after reading x[t]; each step starts from the state the previous one returned")?;
                }
            }
        }
        for e in 0..n {
            for j in 0..hd {
                close(
                    &format!("{what}: lstm_forward: c_T[{e}, {j}]"),
                    c_last[[e, j]],
                    right[t_len - 1][e].c[j],
                    1e-10,
                )
                .hint("return the cell state after the last step")?;
            }
        }
    }
    pass(
        "lstm_step and lstm_forward agree with the grader's cell (gates i, f, g, o) on 4 seeded shapes, within 1e-10",
    )
}

fn bptt_weights() -> Graded {
    for seed in SEEDS {
        let c = case(seed);
        let what = shape_of(&c);
        let got = learner_grads(&c)?;
        let variants = [
            (backward_ref(&c, IFOG), IFOG_WHY),
            (backward_ref(&c, NO_CARRY), NO_CARRY_WHY),
            (backward_ref(&c, NO_H_CARRY), NO_H_CARRY_WHY),
            (backward_ref(&c, FORGET_NEW_C), FORGET_WHY),
        ];
        for (field, name) in [(0, "w_ih"), (1, "w_hh"), (2, "b")] {
            let wrong: Vec<(Vec<f64>, &str)> = variants
                .iter()
                .map(|(v, why)| (v[field].clone(), *why))
                .collect();
            check_grad(
                &format!("{what}: dL/d{name}"),
                &got[field],
                &numeric(&c, field),
                &wrong,
            )?;
        }
    }
    pass(
        "dL/dw_ih, dL/dw_hh and dL/db agree with central differences (relative error < 1e-5) on 4 seeded shapes",
    )
}

fn bptt_initial_state() -> Graded {
    for seed in SEEDS {
        let c = case(seed);
        let what = shape_of(&c);
        let got = learner_grads(&c)?;
        let variants = [
            (backward_ref(&c, IFOG), IFOG_WHY),
            (backward_ref(&c, NO_CARRY), NO_CARRY_WHY),
            (backward_ref(&c, NO_H_CARRY), NO_H_CARRY_WHY),
            (backward_ref(&c, FORGET_NEW_C), FORGET_WHY),
        ];
        for (field, name) in [(3, "h0"), (4, "c0")] {
            let wrong: Vec<(Vec<f64>, &str)> = variants
                .iter()
                .map(|(v, why)| (v[field].clone(), *why))
                .collect();
            check_grad(
                &format!("{what}: dL/d{name}"),
                &got[field],
                &numeric(&c, field),
                &wrong,
            )
            .hint(
                "what is left in dh_next and dc_next after the step t = 1 is dL/dh0 and dL/dc0",
            )?;
        }
    }
    pass(
        "dL/dh0 and dL/dc0 agree with central differences (relative error < 1e-5) on 4 seeded shapes",
    )
}

/// Seeded gradients whose three parameter tensors have the norms asked for.
fn grads_with_norms(seed: u64, norms: [f64; 3]) -> Grads {
    let mut r = rng(seed);
    let (h, d, n) = (r.gen_range(1..=3), r.gen_range(1..=3), r.gen_range(1..=2));
    let mut u =
        |rows: usize, cols: usize| Array2::from_shape_fn((rows, cols), |_| r.gen_range(-1.0..1.0));
    let scaled = |a: Array2<f64>, to: f64| {
        let now = a.iter().map(|v| v * v).sum::<f64>().sqrt();
        a * (to / now)
    };
    let w_ih = scaled(u(4 * h, d), norms[0]);
    let w_hh = scaled(u(4 * h, h), norms[1]);
    let b = scaled(u(1, 4 * h), norms[2]).row(0).to_owned();
    Grads {
        w_ih,
        w_hh,
        b,
        h0: u(n, h),
        c0: u(n, h),
    }
}

fn flat_params(g: &Grads) -> Vec<f64> {
    g.w_ih
        .iter()
        .chain(g.w_hh.iter())
        .chain(g.b.iter())
        .copied()
        .collect()
}

/// Run the learner's clip on a copy and compare with the grader's, naming per-tensor clipping
/// and clipping below the threshold.
fn one_clip(what: &str, g: &Grads, max_norm: f64) -> Result<(), Failed> {
    let before = flat_params(g);
    let total = norm(&before);
    let mut got = g.clone();
    let returned = clip_grad_norm(&mut got, max_norm);
    equal(
        &format!("{what}: shape of w_ih after clipping"),
        &got.w_ih.dim(),
        &g.w_ih.dim(),
    )?;
    equal(
        &format!("{what}: shape of w_hh after clipping"),
        &got.w_hh.dim(),
        &g.w_hh.dim(),
    )?;
    equal(
        &format!("{what}: length of b after clipping"),
        &got.b.len(),
        &g.b.len(),
    )?;
    let sum_of_norms = norm(&g.w_ih.iter().copied().collect::<Vec<f64>>())
        + norm(&g.w_hh.iter().copied().collect::<Vec<f64>>())
        + norm(&g.b.to_vec());
    let after_clip = if total > max_norm {
        max_norm * total / (total + 1e-6)
    } else {
        total
    };
    close_naming(
        &format!("{what}: the returned total norm (before clipping)"),
        returned,
        total,
        1e-9 * total.max(1.0),
        &[
            (sum_of_norms, "this is the sum of the three tensors' norms; the global norm is √(n_ih² + n_hh² + n_b²), the L2 norm of all their entries together"),
            (after_clip, "this is the norm after clipping; return the norm measured before scaling"),
        ],
    )
        .hint("return the global norm computed before scaling: √(Σ over all three tensors of their squared entries)")?;
    let coef = if total > max_norm {
        max_norm / (total + 1e-6)
    } else {
        1.0
    };
    let expected: Vec<f64> = before.iter().map(|v| v * coef).collect();
    let after = flat_params(&got);
    ensure(after.iter().all(|v| v.is_finite()), || {
        format!("{what}: clipped gradients contain NaN or inf")
    })?;
    let error = relative_error(&after, &expected);
    if error > 1e-6 {
        let tensors: [Vec<f64>; 3] = [
            g.w_ih.iter().copied().collect(),
            g.w_hh.iter().copied().collect(),
            g.b.to_vec(),
        ];
        let norms = [norm(&tensors[0]), norm(&tensors[1]), norm(&tensors[2])];
        let per_tensor: Vec<f64> = tensors
            .iter()
            .zip(norms)
            .flat_map(|(t, n)| {
                let s = if n > max_norm {
                    max_norm / (n + 1e-6)
                } else {
                    1.0
                };
                t.iter().map(move |v| v * s).collect::<Vec<f64>>()
            })
            .collect();
        let always: Vec<f64> = before
            .iter()
            .map(|v| v * max_norm / (total + 1e-6))
            .collect();
        let got_norm = norm(&after);
        let base = format!(
            "{what}: tensor norms {}, {}, {} (global {}), max_norm {}: after clipping the global norm should be {}, got {}",
            fmt(norms[0]),
            fmt(norms[1]),
            fmt(norms[2]),
            fmt(total),
            fmt(max_norm),
            fmt(norm(&expected)),
            fmt(got_norm)
        );
        if relative_error(&after, &per_tensor) < 1e-6 {
            return Err(fail(format!(
                "{base}: you clipped each tensor separately; clip_grad_norm_ scales all of them by one factor, max_norm / (global norm + 1e-6), so their directions relative to each other stay"
            )));
        }
        if total <= max_norm && relative_error(&after, &always) < 1e-6 {
            return Err(fail(format!(
                "{base}: you scaled although the global norm was below max_norm; clipping leaves such gradients unchanged"
            )));
        }
        if relative_error(&after, &before) < 1e-6 {
            return Err(fail(format!(
                "{base}: the gradients were not scaled at all"
            )));
        }
        return Err(fail(base)).hint("one factor for all three tensors: max_norm / (total + 1e-6), applied only when total > max_norm");
    }
    ensure(got.h0 == g.h0 && got.c0 == g.c0, || {
        format!(
            "{what}: the gradients of h0 and c0 changed; they are not parameters, clip only w_ih, w_hh and b"
        )
    })?;
    Ok(())
}

fn clip_global_norm() -> Graded {
    one_clip(
        "norms 3, 4, 12",
        &grads_with_norms(21, [3.0, 4.0, 12.0]),
        5.0,
    )?;
    one_clip(
        "norms 0.3, 0.2, 0.1 (below max_norm 1)",
        &grads_with_norms(22, [0.3, 0.2, 0.1]),
        1.0,
    )?;
    one_clip(
        "all-zero gradients",
        &grads_with_norms(23, [1.0, 1.0, 1.0]).clone_zeroed(),
        1.0,
    )?;
    for seed in 24..28 {
        let mut r = rng(seed);
        let norms = [
            r.gen_range(0.1..5.0),
            r.gen_range(0.1..5.0),
            r.gen_range(0.1..5.0),
        ];
        let max_norm = r.gen_range(0.5..4.0);
        one_clip(
            &format!("seeded case {seed}"),
            &grads_with_norms(seed, norms),
            max_norm,
        )?;
    }
    pass(
        "clip_grad_norm scales all three gradients by max_norm / (total + 1e-6) when the global norm exceeds max_norm, leaves them alone otherwise, and returns the global norm",
    )
}

trait Zeroed {
    fn clone_zeroed(&self) -> Self;
}

impl Zeroed for Grads {
    fn clone_zeroed(&self) -> Grads {
        let mut g = self.clone();
        g.w_ih.fill(0.0);
        g.w_hh.fill(0.0);
        g.b.fill(0.0);
        g
    }
}

/// A long sequence with large recurrent weights (uniform in ±8, H = 6): the first seed whose
/// true gradient norm exceeds 1000.
fn exploding_case() -> (Case, [Vec<f64>; 5], f64) {
    for seed in 100.. {
        let c = case_of(seed, (30, 2, 3, 6), 0.5, 8.0);
        let g = backward_ref(&c, RIGHT);
        let total = norm(&g[..3].concat());
        if total > 1000.0 {
            return (c, g, total);
        }
    }
    unreachable!("the loop only ends by returning")
}

fn exploding_step() -> Graded {
    let (c, g, total) = exploding_case();
    // How the norm grows with the length of the sequence, for these weights and for the same
    // weights divided by 8.
    let curve = |shrink: f64| -> Vec<[f64; 2]> {
        (1..=30)
            .map(|t| {
                let mut s = c.clone();
                s.x = c.x.slice(ndarray::s![..t, .., ..]).to_owned();
                s.dh = c.dh.slice(ndarray::s![..t, .., ..]).to_owned();
                s.p.w_hh /= shrink;
                let g = backward_ref(&s, RIGHT);
                [t as f64, norm(&g[..3].concat()).log10()]
            })
            .collect()
    };
    show(Figure::Lines {
        title: "log10 of the global gradient norm against the sequence length".into(),
        x_label: "T".into(),
        y_label: "log10 norm".into(),
        series: vec![
            Series {
                name: "recurrent weights in ±8".into(),
                points: curve(1.0),
            },
            Series {
                name: "recurrent weights in ±1".into(),
                points: curve(8.0),
            },
        ],
        target: None,
    });
    let (lr, max_norm) = (0.1, 1.0);
    // This check needs a right lstm_backward: when it is wrong, say so rather than blame the
    // clipping or the step.
    let mine = learner_grads(&c)?;
    let mine_total = norm(&mine[..3].concat());
    ensure(
        mine_total.is_finite() && relative_error(&mine[..3].concat(), &g[..3].concat()) < 1e-6,
        || {
            format!(
                "T=30, N=2, D=3, H=6, recurrent weights in ±8: lstm_backward's gradients (global norm {}) differ from the true ones (global norm {}); fix the BPTT checks first, this one builds on them",
                fmt(mine_total),
                fmt(total)
            )
        },
    )?;
    let mut p = c.p.clone();
    let returned = train_step(&mut p, &c.x, &c.h0, &c.c0, &c.dh, lr, max_norm);
    close(
        "T=30, N=2, D=3, H=6, recurrent weights in ±8: the returned gradient norm (before clipping)",
        returned,
        total,
        1e-6 * total,
    )
    .hint("return what clip_grad_norm returns: the global norm of the gradients before clipping")?;
    equal(
        "shape of w_ih after the step",
        &p.w_ih.dim(),
        &c.p.w_ih.dim(),
    )?;
    equal(
        "shape of w_hh after the step",
        &p.w_hh.dim(),
        &c.p.w_hh.dim(),
    )?;
    equal("length of b after the step", &p.b.len(), &c.p.b.len())?;
    let moved: Vec<f64> = flat_params_of(&p)
        .iter()
        .zip(flat_params_of(&c.p))
        .map(|(a, b)| a - b)
        .collect();
    ensure(moved.iter().all(|v| v.is_finite()), || {
        "the parameters after the step contain NaN or inf".into()
    })?;
    let coef = max_norm / (total + 1e-6);
    let expected: Vec<f64> = g[..3].concat().iter().map(|v| -lr * coef * v).collect();
    let step = norm(&moved);
    let error = relative_error(&moved, &expected);
    if error > 1e-6 {
        let base = format!(
            "a step with lr = 0.1 and max_norm = 1 on gradients of global norm {}: the parameters should move by lr × max_norm = 0.1, they moved by {}",
            fmt(total),
            fmt(step)
        );
        if (step - lr * total).abs() < 1e-3 * lr * total {
            return Err(fail(format!(
                "{base}: exploding gradients were not clipped, so one step moved the weights by lr × {} and training diverges; call clip_grad_norm before the update",
                fmt(total)
            )));
        }
        let per_tensor: Vec<f64> = g[..3]
            .iter()
            .flat_map(|t| {
                let n = norm(t);
                let s = if n > max_norm {
                    max_norm / (n + 1e-6)
                } else {
                    1.0
                };
                t.iter().map(move |v| -lr * s * v).collect::<Vec<f64>>()
            })
            .collect();
        if relative_error(&moved, &per_tensor) < 1e-6 {
            return Err(fail(format!(
                "{base}: you clipped each tensor separately (each of the three gets norm up to max_norm, together up to √3 × max_norm); clip_grad_norm_ scales all of them by one factor"
            )));
        }
        return Err(fail(base))
            .hint("θ ← θ - lr · g · max_norm / (total + 1e-6): backward, clip, then sgd_step");
    }
    pass(format!(
        "the gradient norm on 30 steps with recurrent weights in ±8 is {} (exploding); after clipping to 1 the step moved the weights by {} = lr × max_norm",
        fmt(total),
        fmt(step)
    ))
}

fn flat_params_of(p: &Params) -> Vec<f64> {
    p.w_ih
        .iter()
        .chain(p.w_hh.iter())
        .chain(p.b.iter())
        .copied()
        .collect()
}
