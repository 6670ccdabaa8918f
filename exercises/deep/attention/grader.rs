// Grader of deep/attention.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array2, Array3};
use rand::Rng as _;

use super::exercise::{
    attention, attention_backward, merge_heads, multi_head_attention, multi_head_backward,
    split_heads,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("forward_unmasked", forward_unmasked),
    ("causal_mask", causal_mask),
    ("backward", backward),
    ("heads_layout", heads_layout),
    ("multi_head", multi_head),
];

/// Central differences use this step; the analytic gradient must agree to this relative error.
const EPS: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

/// How a (possibly wrong) attention computes, to name the classic mistakes.
#[derive(Clone, Copy, PartialEq)]
enum Mask {
    None,
    /// -∞ where j > i, before the softmax (right).
    Causal,
    /// -∞ where j ≥ i: the diagonal masked too (row 0 has nothing left).
    Strict,
    /// softmax over every position, then the weights where j > i set to 0 (not renormalized).
    AfterSoftmax,
}

/// The grader's attention by loops: (output T x d_v, weights T x T).
fn attn_ref(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    scaled: bool,
    mask: Mask,
) -> (Array2<f64>, Array2<f64>) {
    let (t, d_k) = q.dim();
    let d_v = v.ncols();
    let scale = if scaled {
        1.0 / (d_k as f64).sqrt()
    } else {
        1.0
    };
    let mut w = Array2::zeros((t, t));
    for i in 0..t {
        let allowed = |j: usize| match mask {
            Mask::Causal => j <= i,
            Mask::Strict => j < i,
            Mask::None | Mask::AfterSoftmax => true,
        };
        let score = |j: usize| (0..d_k).map(|c| q[[i, c]] * k[[j, c]]).sum::<f64>() * scale;
        let max = (0..t)
            .filter(|&j| allowed(j))
            .map(score)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = (0..t)
            .filter(|&j| allowed(j))
            .map(|j| (score(j) - max).exp())
            .sum();
        for j in 0..t {
            w[[i, j]] = if allowed(j) {
                (score(j) - max).exp() / total
            } else {
                0.0
            };
            if mask == Mask::AfterSoftmax && j > i {
                w[[i, j]] = 0.0;
            }
        }
    }
    let mut out = Array2::zeros((t, d_v));
    for i in 0..t {
        for c in 0..d_v {
            out[[i, c]] = (0..t).map(|j| w[[i, j]] * v[[j, c]]).sum();
        }
    }
    (out, w)
}

struct Case {
    q: Array2<f64>,
    k: Array2<f64>,
    v: Array2<f64>,
    d_out: Array2<f64>,
}

/// A seeded single-head case: T in 1..=6 (at least `min_t`), d_k in 2..=5, d_v in 1..=4.
fn case(seed: u64, min_t: usize) -> Case {
    let mut r = rng(seed);
    let t = r.gen_range(min_t..=6);
    let d_k = r.gen_range(2..=5);
    let d_v = r.gen_range(1..=4);
    let mut m = |rows: usize, cols: usize| {
        Array2::from_shape_fn((rows, cols), |_| 1.5 * r.gen_range(-1.0..1.0))
    };
    Case {
        q: m(t, d_k),
        k: m(t, d_k),
        v: m(t, d_v),
        d_out: m(t, d_v),
    }
}

fn shape_of(c: &Case) -> String {
    format!(
        "T={}, d_k={}, d_v={}",
        c.q.nrows(),
        c.q.ncols(),
        c.v.ncols()
    )
}

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||): 0 when equal, 1 when opposite.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).abs())
        .fold(
            0.0,
            |m, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
        )
}

const NO_SCALE_WHY: &str = "the scores were not divided by √d_k: scaled dot-product attention is softmax(Q Kᵀ / √d_k) V (without the scale, large d_k saturates the softmax)";
const AFTER_WHY: &str = "the mask was applied after the softmax: the future was zeroed out of weights normalized over every position, so the rows no longer sum to 1 and the normalizer still depends on later positions; add -∞ to the scores before the softmax";
const STRICT_WHY: &str = "the causal mask is off by one: the diagonal is masked too, but position i attends to every j ≤ i, itself included (row 0 would have nothing left)";
const NO_MASK_WHY: &str =
    "the causal mask is missing: position i attended to later positions j > i";

/// The learner's single-head output and weights, shapes and finiteness checked.
fn learner_attention(c: &Case, causal: bool) -> Result<(Array2<f64>, Array2<f64>), Failed> {
    let what = shape_of(c);
    let t = c.q.nrows();
    let (out, w) = attention(&c.q, &c.k, &c.v, causal);
    equal(
        &format!("{what}: shape of the output (T, d_v)"),
        &out.dim(),
        &(t, c.v.ncols()),
    )?;
    equal(
        &format!("{what}: shape of the attention weights (T, T)"),
        &w.dim(),
        &(t, t),
    )?;
    Ok((out, w))
}

fn forward_unmasked() -> Graded {
    for seed in 1..=4 {
        let c = case(seed, 1);
        let what = shape_of(&c);
        let (out, w) = learner_attention(&c, false)?;
        let (e_out, e_w) = attn_ref(&c.q, &c.k, &c.v, true, Mask::None);
        let (u_out, u_w) = attn_ref(&c.q, &c.k, &c.v, false, Mask::None);
        if max_abs_diff(&w, &e_w) > 1e-10 && max_abs_diff(&w, &u_w) <= 1e-10 {
            return Err(fail(format!("{what}: attention weights: {NO_SCALE_WHY}")));
        }
        matrix_close(&format!("{what}: attention weights"), &w, &e_w, 1e-10).hint(
            "A = softmax(Q Kᵀ / √d_k), the softmax over each row (over j, for each query i)",
        )?;
        if max_abs_diff(&out, &e_out) > 1e-10 && max_abs_diff(&out, &u_out) <= 1e-10 {
            return Err(fail(format!("{what}: output: {NO_SCALE_WHY}")));
        }
        matrix_close(&format!("{what}: output A V"), &out, &e_out, 1e-10)?;
    }
    pass(
        "softmax(Q Kᵀ / √d_k) V and its weights agree with the grader's on 4 seeded shapes, within 1e-10",
    )
}

fn causal_mask() -> Graded {
    // The weights of one case, for the learner to look at (lower triangular when right).
    let c = case(5, 6);
    let (_, w) = learner_attention(&c, true)?;
    if w.iter().all(|v| v.is_finite()) {
        show(Figure::Table {
            title: "your causal attention weights (T = 6; row i: query, column j: key)".into(),
            row_labels: (0..6).map(|i| format!("i={i}")).collect(),
            column_labels: (0..6).map(|j| format!("j={j}")).collect(),
            cells: w.rows().into_iter().map(|r| r.to_vec()).collect(),
        });
    }
    for seed in 5..=8 {
        let c = case(seed, 2);
        let what = format!("causal, {}", shape_of(&c));
        let t = c.q.nrows();
        let (out, w) = learner_attention(&c, true)?;
        let (e_out, e_w) = attn_ref(&c.q, &c.k, &c.v, true, Mask::Causal);
        let (_, strict_w) = attn_ref(&c.q, &c.k, &c.v, true, Mask::Strict);
        let (_, after_w) = attn_ref(&c.q, &c.k, &c.v, true, Mask::AfterSoftmax);
        let (_, none_w) = attn_ref(&c.q, &c.k, &c.v, true, Mask::None);
        if max_abs_diff(&w, &e_w) > 1e-10 {
            let rows_from_1 = |a: &Array2<f64>| a.slice(ndarray::s![1.., ..]).to_owned();
            let why = if max_abs_diff(&rows_from_1(&w), &rows_from_1(&strict_w)) <= 1e-10 {
                Some(STRICT_WHY)
            } else if max_abs_diff(&w, &after_w) <= 1e-10 {
                Some(AFTER_WHY)
            } else if max_abs_diff(&w, &none_w) <= 1e-10 {
                Some(NO_MASK_WHY)
            } else {
                None
            };
            if let Some(why) = why {
                return Err(fail(format!("{what}: attention weights: {why}")));
            }
            for i in 0..t {
                let sum: f64 = w.row(i).sum();
                close(&format!("{what}: sum of the weights of row {i}"), sum, 1.0, 1e-10)
                    .hint("set the scores where j > i to -∞ before the softmax, so each row sums to 1 over j ≤ i")?;
            }
            matrix_close(&format!("{what}: attention weights"), &w, &e_w, 1e-10).hint(
                "position i attends to j ≤ i: scores[i][j] = -∞ where j > i, then the softmax",
            )?;
        }
        matrix_close(&format!("{what}: output A V"), &out, &e_out, 1e-10)?;
        // No leak: changing what comes after position p leaves the outputs up to p alone.
        let p = t / 2 - 1;
        let mut later = Case {
            q: c.q.clone(),
            k: c.k.clone(),
            v: c.v.clone(),
            d_out: c.d_out.clone(),
        };
        for row in p + 1..t {
            for a in [&mut later.q, &mut later.k, &mut later.v] {
                a.row_mut(row).mapv_inplace(|x| 3.0 - 2.0 * x);
            }
        }
        let (out_later, _) = learner_attention(&later, true)?;
        for i in 0..=p {
            for col in 0..out.ncols() {
                let change = (out_later[[i, col]] - out[[i, col]]).abs();
                ensure(change <= 1e-12, || {
                    format!(
                        "{what}: changing Q, K and V after position {p} changed the output at position {i} by {}: the future leaks into the past",
                        fmt(change)
                    )
                })?;
            }
        }
    }
    pass(
        "causal attention: weights 0 above the diagonal, rows summing to 1, outputs right on 4 seeded shapes; the outputs up to position p do not depend on later positions",
    )
}

/// Central differences of the grader's loss Σ d_out ⊙ out for every entry of q (0), k (1) or
/// v (2), for a variant of the forward pass.
fn numeric(c: &Case, field: usize, scaled: bool, mask: Mask) -> Vec<f64> {
    let len = [c.q.len(), c.k.len(), c.v.len()][field];
    (0..len)
        .map(|index| {
            let at = |delta: f64| {
                let (mut q, mut k, mut v) = (c.q.clone(), c.k.clone(), c.v.clone());
                let target = [&mut q, &mut k, &mut v];
                let entry = target.into_iter().nth(field).expect("field < 3");
                *entry.iter_mut().nth(index).expect("index < len") += delta;
                let (out, _) = attn_ref(&q, &k, &v, scaled, mask);
                (&out * &c.d_out).sum()
            };
            (at(EPS) - at(-EPS)) / (2.0 * EPS)
        })
        .collect()
}

/// Compare one analytic gradient with central differences; name the classic mistakes.
fn check_grad(
    what: &str,
    got: &[f64],
    num: &[f64],
    wrong: &[(Vec<f64>, String)],
) -> Result<(), Failed> {
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let error = relative_error(got, num);
    // The absolute floor: where the true gradient is 0 (T = 1: the one weight is 1 whatever
    // Q and K are, so dQ = dK = 0), round-off of order 1e-16 in a right answer is not an error.
    let diff: Vec<f64> = got.iter().zip(num).map(|(a, b)| a - b).collect();
    if error < MAX_RELATIVE_ERROR || norm(&diff) < 1e-9 {
        return Ok(());
    }
    let message = format!(
        "{what}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5)",
        fmt(error)
    );
    for (variant, why) in wrong {
        if relative_error(got, variant) < MAX_RELATIVE_ERROR
            && relative_error(variant, num) > MAX_RELATIVE_ERROR
            && norm(
                &variant
                    .iter()
                    .zip(num)
                    .map(|(a, b)| a - b)
                    .collect::<Vec<f64>>(),
            ) >= 1e-9
        {
            return Err(fail(format!("{message}: {why}")));
        }
    }
    Err(fail(message)).hint(
        "dV = Aᵀ dO; dA = dO Vᵀ; dS = A ⊙ (dA - rowsum(dA ⊙ A)); dQ = dS K / √d_k; dK = dSᵀ Q / √d_k",
    )
}

/// dQ and dK by the grader's loops with the softmax backward shortened to dS = A ⊙ dA (the
/// Jacobian's diagonal only, the - a aᵀ part dropped): a classic wrong answer.
fn shortcut_dq_dk(c: &Case, mask: Mask) -> [Vec<f64>; 2] {
    let (_, a) = attn_ref(&c.q, &c.k, &c.v, true, mask);
    let (t, d_k) = c.q.dim();
    let scale = 1.0 / (d_k as f64).sqrt();
    let mut dq = Array2::<f64>::zeros((t, d_k));
    let mut dk = Array2::<f64>::zeros((t, d_k));
    for i in 0..t {
        for j in 0..t {
            let da: f64 = (0..c.v.ncols())
                .map(|m| c.d_out[[i, m]] * c.v[[j, m]])
                .sum();
            let ds = a[[i, j]] * da * scale;
            for col in 0..d_k {
                dq[[i, col]] += ds * c.k[[j, col]];
                dk[[j, col]] += ds * c.q[[i, col]];
            }
        }
    }
    [flat(&dq), flat(&dk)]
}

const SHORTCUT_WHY: &str = "the softmax backward kept only A ⊙ dA: each weight depends on every score of its row (the rows sum to 1), so dS = A ⊙ (dA - Σ_j dA ⊙ A), the row sum subtracted";

fn backward() -> Graded {
    for seed in 11..=16 {
        let c = case(seed, 1);
        let causal = seed % 2 == 0;
        let what = format!(
            "{}, {}",
            if causal { "causal" } else { "no mask" },
            shape_of(&c)
        );
        let mask = if causal { Mask::Causal } else { Mask::None };
        let (dq, dk, dv) = attention_backward(&c.q, &c.k, &c.v, causal, &c.d_out);
        for (name, g, like) in [("dQ", &dq, &c.q), ("dK", &dk, &c.k), ("dV", &dv, &c.v)] {
            equal(&format!("{what}: shape of {name}"), &g.dim(), &like.dim())?;
        }
        let root = (c.q.ncols() as f64).sqrt();
        let shortcut = shortcut_dq_dk(&c, mask);
        for (field, name, g) in [(0, "dQ", &dq), (1, "dK", &dk), (2, "dV", &dv)] {
            let num = numeric(&c, field, true, mask);
            let mut wrong = vec![(
                numeric(&c, field, false, mask),
                format!(
                    "{name} is the gradient of attention without the 1/√d_k scale: {NO_SCALE_WHY}"
                ),
            )];
            if field < 2 {
                wrong.push((
                    num.iter().map(|x| x * root).collect(),
                    format!("{name} is √d_k times too large: the scores are Q Kᵀ / √d_k, so the backward pass multiplies by 1/√d_k as well"),
                ));
                wrong.push((shortcut[field].clone(), format!("{name}: {SHORTCUT_WHY}")));
            }
            if causal {
                wrong.push((
                    numeric(&c, field, true, Mask::None),
                    format!("{name} is the gradient of attention without the mask: the backward pass must use the causal weights of the forward pass (pass `causal` on)"),
                ));
            }
            check_grad(&format!("{what}: {name}"), &flat(g), &num, &wrong)?;
        }
    }
    pass(
        "dQ, dK and dV agree with central differences (relative error < 1e-5) on 6 seeded shapes, with and without the causal mask",
    )
}

/// The grader's split: head j, position t, column c of the head is x[t, col(j, c)].
fn split_ref(x: &Array2<f64>, h: usize, interleaved: bool) -> Array3<f64> {
    let (t, d_model) = x.dim();
    let d_k = d_model / h;
    Array3::from_shape_fn((h, t, d_k), |(j, p, c)| {
        let col = if interleaved { c * h + j } else { j * d_k + c };
        x[[p, col]]
    })
}

const INTERLEAVED_WHY: &str = "the heads are interleaved (column c went to head c mod h): head j takes the contiguous columns j·d_k..(j+1)·d_k, as PyTorch's view(T, h, d_k).transpose(0, 1) does";

fn heads_case(seed: u64) -> (Array2<f64>, usize) {
    let mut r = rng(seed);
    let h = r.gen_range(2..=4);
    let d_k = r.gen_range(2..=3);
    let t = r.gen_range(1..=4);
    let x = Array2::from_shape_fn((t, h * d_k), |_| r.gen_range(-1.0..1.0));
    (x, h)
}

fn heads_layout() -> Graded {
    for seed in 21..=24 {
        let (x, h) = heads_case(seed);
        let (t, d_model) = x.dim();
        let d_k = d_model / h;
        let what = format!("T={t}, d_model={d_model}, h={h}");
        let got = split_heads(&x, h);
        equal(
            &format!("{what}: split_heads shape (h, T, d_k)"),
            &got.dim(),
            &(h, t, d_k),
        )
        .hint("d_k = d_model / h; the result is h x T x d_k")?;
        let expected = split_ref(&x, h, false);
        if got != expected {
            if got == split_ref(&x, h, true) {
                return Err(fail(format!("{what}: split_heads: {INTERLEAVED_WHY}")));
            }
            let (j, p, c) = expected
                .indexed_iter()
                .find(|&(ix, e)| got[ix] != *e)
                .map(|(ix, _)| ix)
                .unwrap_or((0, 0, 0));
            return Err(fail(format!(
                "{what}: split_heads[{j}, {p}, {c}] should be x[{p}, {}] = {}, got {}",
                j * d_k + c,
                fmt(expected[[j, p, c]]),
                fmt(got[[j, p, c]])
            )));
        }
        // merge_heads is the inverse, checked on the grader's split of another matrix: one that
        // split_heads never saw, so a merge_heads cannot hand back a copy it kept from there.
        let mut r = rng(seed + 1000);
        let other = Array2::from_shape_fn((t, d_model), |_| r.gen_range(-1.0..1.0));
        let merged = merge_heads(&split_ref(&other, h, false));
        equal(
            &format!("{what}: merge_heads shape (T, h·d_k)"),
            &merged.dim(),
            &(t, d_model),
        )?;
        if merged != other {
            let interleaved = split_ref(&other, h, true);
            if merge_heads(&interleaved) == other {
                return Err(fail(format!("{what}: merge_heads: {INTERLEAVED_WHY}")));
            }
            matrix_close(&format!("{what}: merge_heads(split)"), &merged, &other, 0.0)
                .hint("head j goes back to columns j·d_k..(j+1)·d_k")?;
        }
    }
    pass(
        "split_heads gives head j the columns j·d_k..(j+1)·d_k and merge_heads undoes it, on 4 seeded shapes",
    )
}

/// The grader's multi-head attention: split, attend per head, merge.
fn mha_ref(c: &Case, h: usize, causal: bool, interleaved: bool) -> Array2<f64> {
    let mask = if causal { Mask::Causal } else { Mask::None };
    let (qs, ks, vs) = (
        split_ref(&c.q, h, interleaved),
        split_ref(&c.k, h, interleaved),
        split_ref(&c.v, h, interleaved),
    );
    let (t, d_model) = c.q.dim();
    let d_k = d_model / h;
    let mut out = Array2::zeros((t, d_model));
    for j in 0..h {
        let head = |a: &Array3<f64>| a.index_axis(ndarray::Axis(0), j).to_owned();
        let (o, _) = attn_ref(&head(&qs), &head(&ks), &head(&vs), true, mask);
        for p in 0..t {
            for col in 0..d_k {
                let to = if interleaved {
                    col * h + j
                } else {
                    j * d_k + col
                };
                out[[p, to]] = o[[p, col]];
            }
        }
    }
    out
}

fn multi_head() -> Graded {
    for seed in 31..=34 {
        let (x, h) = heads_case(seed);
        let (t, d_model) = x.dim();
        let mut r = rng(seed + 100);
        let mut m = || Array2::from_shape_fn((t, d_model), |_| 1.5 * r.gen_range(-1.0..1.0));
        let c = Case {
            q: m(),
            k: m(),
            v: m(),
            d_out: m(),
        };
        let causal = seed % 2 == 1;
        let what = format!(
            "{}, T={t}, d_model={d_model}, h={h}",
            if causal { "causal" } else { "no mask" }
        );
        let got = multi_head_attention(&c.q, &c.k, &c.v, h, causal);
        equal(&format!("{what}: output shape"), &got.dim(), &(t, d_model))?;
        let expected = mha_ref(&c, h, causal, false);
        if max_abs_diff(&got, &expected) > 1e-10
            && max_abs_diff(&got, &mha_ref(&c, h, causal, true)) <= 1e-10
        {
            return Err(fail(format!(
                "{what}: multi_head_attention: {INTERLEAVED_WHY}"
            )));
        }
        matrix_close(
            &format!("{what}: multi_head_attention"),
            &got,
            &expected,
            1e-10,
        )
        .hint("split Q, K and V, call attention on each head, merge the outputs")?;
        let (dq, dk, dv) = multi_head_backward(&c.q, &c.k, &c.v, h, causal, &c.d_out);
        for (field, name, g) in [(0, "dQ", &dq), (1, "dK", &dk), (2, "dV", &dv)] {
            equal(&format!("{what}: shape of {name}"), &g.dim(), &(t, d_model))?;
            let num: Vec<f64> = {
                let len = t * d_model;
                (0..len)
                    .map(|index| {
                        let at = |delta: f64| {
                            let mut moved = Case {
                                q: c.q.clone(),
                                k: c.k.clone(),
                                v: c.v.clone(),
                                d_out: c.d_out.clone(),
                            };
                            let target = [&mut moved.q, &mut moved.k, &mut moved.v];
                            let entry = target.into_iter().nth(field).expect("field < 3");
                            *entry.iter_mut().nth(index).expect("index < len") += delta;
                            (&mha_ref(&moved, h, causal, false) * &c.d_out).sum()
                        };
                        (at(EPS) - at(-EPS)) / (2.0 * EPS)
                    })
                    .collect()
            };
            check_grad(&format!("{what}: multi-head {name}"), &flat(g), &num, &[])
                .hint("split d_out like the inputs, call attention_backward per head, merge the three gradients")?;
        }
    }
    pass(
        "multi-head attention and its gradients (relative error < 1e-5) agree with the grader's on 4 seeded shapes, h = 2..4",
    )
}
