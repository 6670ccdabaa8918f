//! mistake: the softmax backward keeps only A ⊙ dA, dropping the row-sum term of its Jacobian
//! fails: backward
//! message: "kept only A ⊙ dA"

// deep/attention: scaled dot-product attention with a causal mask, multi-head split and merge.
// `learnml show deep/attention` shows the full statement; `learnml check deep/attention` grades this file.

use ndarray::{Array2, Array3, Axis, s};

/// Given (deep/logit_losses): the softmax of each row, computed stably by subtracting the
/// row's maximum first. Entries of -∞ get probability 0 (a row needs one finite entry).
pub fn softmax_rows(scores: &Array2<f64>) -> Array2<f64> {
    let mut out = scores.clone();
    for mut row in out.axis_iter_mut(Axis(0)) {
        let max = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row /= sum;
    }
    out
}

/// The scaled scores Q Kᵀ / √d_k (T x T), with -∞ above the diagonal when `causal`
/// (position i attends to positions j ≤ i only).
fn scores(q: &Array2<f64>, k: &Array2<f64>, causal: bool) -> Array2<f64> {
    let mut s = q.dot(&k.t()) / (q.ncols() as f64).sqrt();
    if causal {
        for ((i, j), v) in s.indexed_iter_mut() {
            if j > i {
                *v = f64::NEG_INFINITY;
            }
        }
    }
    s
}

/// Scaled dot-product attention of one head: `q`, `k` are T x d_k, `v` is T x d_v. Returns
/// the output softmax(Q Kᵀ / √d_k + mask) V (T x d_v) and the attention weights (T x T,
/// rows summing to 1). With `causal`, the mask is -∞ where j > i, added before the softmax.
pub fn attention(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    causal: bool,
) -> (Array2<f64>, Array2<f64>) {
    let a = softmax_rows(&scores(q, k, causal));
    (a.dot(v), a)
}

/// The gradients (dQ, dK, dV) of L = Σ d_out ⊙ attention(q, k, v, causal).0.
pub fn attention_backward(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    causal: bool,
    d_out: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let (_, a) = attention(q, k, v, causal);
    let dv = a.t().dot(d_out);
    let da = d_out.dot(&v.t());
    // Softmax backward: the derivative of each weight times the upstream gradient.
    let ds = &a * &da;
    let scale = 1.0 / (q.ncols() as f64).sqrt();
    let dq = ds.dot(k) * scale;
    let dk = ds.t().dot(q) * scale;
    (dq, dk, dv)
}

/// Split the columns of `x` (T x d_model) into `h` heads (h x T x d_k, d_k = d_model / h):
/// head j takes columns j·d_k..(j+1)·d_k, the layout of PyTorch's
/// `x.view(T, h, d_k).transpose(0, 1)`.
pub fn split_heads(x: &Array2<f64>, h: usize) -> Array3<f64> {
    let (t, d_model) = x.dim();
    let d_k = d_model / h;
    let mut out = Array3::zeros((h, t, d_k));
    for j in 0..h {
        out.index_axis_mut(Axis(0), j)
            .assign(&x.slice(s![.., j * d_k..(j + 1) * d_k]));
    }
    out
}

/// The inverse of `split_heads`: h x T x d_k back to T x (h·d_k), head j in columns
/// j·d_k..(j+1)·d_k.
pub fn merge_heads(x: &Array3<f64>) -> Array2<f64> {
    let (h, t, d_k) = x.dim();
    let mut out = Array2::zeros((t, h * d_k));
    for j in 0..h {
        out.slice_mut(s![.., j * d_k..(j + 1) * d_k])
            .assign(&x.index_axis(Axis(0), j));
    }
    out
}

/// Multi-head attention without projections: split `q`, `k`, `v` (T x d_model each) into `h`
/// heads, attend in each head separately, merge the outputs (T x d_model).
pub fn multi_head_attention(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    h: usize,
    causal: bool,
) -> Array2<f64> {
    let (qs, ks, vs) = (split_heads(q, h), split_heads(k, h), split_heads(v, h));
    let mut out = Array3::zeros(qs.raw_dim());
    for j in 0..h {
        let (o, _) = attention(
            &qs.index_axis(Axis(0), j).to_owned(),
            &ks.index_axis(Axis(0), j).to_owned(),
            &vs.index_axis(Axis(0), j).to_owned(),
            causal,
        );
        out.index_axis_mut(Axis(0), j).assign(&o);
    }
    merge_heads(&out)
}

/// The gradients (dQ, dK, dV), T x d_model each, of L = Σ d_out ⊙ multi_head_attention(..).
pub fn multi_head_backward(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    h: usize,
    causal: bool,
    d_out: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let (qs, ks, vs) = (split_heads(q, h), split_heads(k, h), split_heads(v, h));
    let dos = split_heads(d_out, h);
    let (mut dq, mut dk, mut dv) = (
        Array3::zeros(qs.raw_dim()),
        Array3::zeros(ks.raw_dim()),
        Array3::zeros(vs.raw_dim()),
    );
    for j in 0..h {
        let (gq, gk, gv) = attention_backward(
            &qs.index_axis(Axis(0), j).to_owned(),
            &ks.index_axis(Axis(0), j).to_owned(),
            &vs.index_axis(Axis(0), j).to_owned(),
            causal,
            &dos.index_axis(Axis(0), j).to_owned(),
        );
        dq.index_axis_mut(Axis(0), j).assign(&gq);
        dk.index_axis_mut(Axis(0), j).assign(&gk);
        dv.index_axis_mut(Axis(0), j).assign(&gv);
    }
    (merge_heads(&dq), merge_heads(&dk), merge_heads(&dv))
}
