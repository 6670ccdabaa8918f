//! alternative: a large negative number (-1e9) as the mask, loops for the softmax backward, heads split with to_shape + permuted_axes as PyTorch's view + transpose

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
    let t = q.nrows();
    let d_k = q.ncols() as f64;
    let mask = Array2::from_shape_fn((t, t), |(i, j)| if causal && j > i { -1e9 } else { 0.0 });
    let a = softmax_rows(&(q.dot(&k.t()) / d_k.sqrt() + mask));
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
    let t = a.nrows();
    let da = d_out.dot(&v.t());
    let mut ds = Array2::<f64>::zeros((t, t));
    for i in 0..t {
        let r: f64 = (0..t).map(|j| da[[i, j]] * a[[i, j]]).sum();
        for j in 0..t {
            ds[[i, j]] = a[[i, j]] * (da[[i, j]] - r);
        }
    }
    let root = (q.ncols() as f64).sqrt();
    (ds.dot(k) / root, ds.t().dot(q) / root, a.t().dot(d_out))
}

/// Split the columns of `x` (T x d_model) into `h` heads (h x T x d_k, d_k = d_model / h):
/// head j takes columns j·d_k..(j+1)·d_k, the layout of PyTorch's
/// `x.view(T, h, d_k).transpose(0, 1)`.
pub fn split_heads(x: &Array2<f64>, h: usize) -> Array3<f64> {
    let (t, d_model) = x.dim();
    let viewed = x.to_shape((t, h, d_model / h)).expect("d_model = h · d_k");
    viewed.permuted_axes([1, 0, 2]).to_owned()
}

/// The inverse of `split_heads`: h x T x d_k back to T x (h·d_k), head j in columns
/// j·d_k..(j+1)·d_k.
pub fn merge_heads(x: &Array3<f64>) -> Array2<f64> {
    let (h, t, d_k) = x.dim();
    let standard = x
        .view()
        .permuted_axes([1, 0, 2])
        .as_standard_layout()
        .to_owned();
    standard
        .into_shape_with_order((t, h * d_k))
        .expect("same number of entries")
}

/// The three gradients of one head.
type Triple = (Array2<f64>, Array2<f64>, Array2<f64>);

fn heads_of(x: &Array3<f64>) -> Vec<Array2<f64>> {
    x.outer_iter().map(|a| a.to_owned()).collect()
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
    let (qs, ks, vs) = (
        heads_of(&split_heads(q, h)),
        heads_of(&split_heads(k, h)),
        heads_of(&split_heads(v, h)),
    );
    let outs: Vec<Array2<f64>> = (0..h)
        .map(|j| attention(&qs[j], &ks[j], &vs[j], causal).0)
        .collect();
    let views: Vec<_> = outs.iter().map(|o| o.view()).collect();
    merge_heads(&ndarray::stack(Axis(0), &views).expect("same shapes"))
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
    let (qs, ks, vs, ds) = (
        heads_of(&split_heads(q, h)),
        heads_of(&split_heads(k, h)),
        heads_of(&split_heads(v, h)),
        heads_of(&split_heads(d_out, h)),
    );
    let grads: Vec<_> = (0..h)
        .map(|j| attention_backward(&qs[j], &ks[j], &vs[j], causal, &ds[j]))
        .collect();
    let merge = |pick: fn(&Triple) -> &Array2<f64>| {
        let views: Vec<_> = grads.iter().map(|g| pick(g).view()).collect();
        merge_heads(&ndarray::stack(Axis(0), &views).expect("same shapes"))
    };
    (merge(|g| &g.0), merge(|g| &g.1), merge(|g| &g.2))
}
