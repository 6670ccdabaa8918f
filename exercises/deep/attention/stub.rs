// deep/attention: scaled dot-product attention with a causal mask, multi-head split and merge.
// `learnml show deep/attention` shows the full statement; `learnml check deep/attention` grades this file.

use ndarray::{Array2, Array3, Axis};

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

/// Scaled dot-product attention of one head: `q`, `k` are T x d_k, `v` is T x d_v. Returns
/// the output softmax(Q Kᵀ / √d_k + mask) V (T x d_v) and the attention weights (T x T,
/// rows summing to 1). With `causal`, the mask is -∞ where j > i, added before the softmax.
pub fn attention(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    causal: bool,
) -> (Array2<f64>, Array2<f64>) {
    let _ = (q, k, v, causal);
    todo!("scores = Q Kᵀ / √d_k, -∞ where j > i if causal, softmax_rows, then A V")
}

/// The gradients (dQ, dK, dV) of L = Σ d_out ⊙ attention(q, k, v, causal).0.
pub fn attention_backward(
    q: &Array2<f64>,
    k: &Array2<f64>,
    v: &Array2<f64>,
    causal: bool,
    d_out: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let _ = (q, k, v, causal, d_out);
    todo!("dV = Aᵀ dO, dA = dO Vᵀ, then the softmax backward row by row, then dQ and dK")
}

/// Split the columns of `x` (T x d_model) into `h` heads (h x T x d_k, d_k = d_model / h):
/// head j takes columns j·d_k..(j+1)·d_k, the layout of PyTorch's
/// `x.view(T, h, d_k).transpose(0, 1)`.
pub fn split_heads(x: &Array2<f64>, h: usize) -> Array3<f64> {
    let _ = (x, h);
    todo!("head j is x.slice(s![.., j * d_k..(j + 1) * d_k])")
}

/// The inverse of `split_heads`: h x T x d_k back to T x (h·d_k), head j in columns
/// j·d_k..(j+1)·d_k.
pub fn merge_heads(x: &Array3<f64>) -> Array2<f64> {
    let _ = x;
    todo!("put head j back into columns j·d_k..(j+1)·d_k")
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
    let _ = (q, k, v, h, causal);
    todo!("split, attention per head, merge")
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
    let _ = (q, k, v, h, causal, d_out);
    todo!("split d_out too, attention_backward per head, merge each gradient")
}
