//! alternative: scores by index loops with Q pre-scaled and a -1e9 mask, the softmax backward as the full row Jacobian times dA, multi-head forward on column slices without split_heads

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

fn scores(q: &Array2<f64>, k: &Array2<f64>, causal: bool) -> Array2<f64> {
    let (t, dk) = q.dim();
    let tk = k.nrows();
    let scale = 1.0 / (dk as f64).sqrt();
    let mut s = Array2::zeros((t, tk));
    for i in 0..t {
        for j in 0..tk {
            if causal && j > i {
                s[[i, j]] = -1e9;
                continue;
            }
            let mut acc = 0.0;
            for c in (0..dk).rev() {
                acc += q[[i, c]] * scale * k[[j, c]];
            }
            s[[i, j]] = acc;
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
    let (t, dv) = (a.nrows(), v.ncols());
    let mut o = Array2::zeros((t, dv));
    for i in 0..t {
        for c in 0..dv {
            o[[i, c]] = (0..v.nrows()).map(|j| a[[i, j]] * v[[j, c]]).sum();
        }
    }
    (o, a)
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
    let dk = q.ncols() as f64;
    let dv = a.t().dot(d_out);
    let da = d_out.dot(&v.t());
    // softmax backward as the Jacobian-vector product, per row, by loops
    let mut ds = Array2::zeros(a.raw_dim());
    for i in 0..a.nrows() {
        for j in 0..a.ncols() {
            let mut acc = 0.0;
            for m in 0..a.ncols() {
                let jac = if m == j {
                    a[[i, j]] * (1.0 - a[[i, j]])
                } else {
                    -a[[i, j]] * a[[i, m]]
                };
                acc += jac * da[[i, m]];
            }
            ds[[i, j]] = acc;
        }
    }
    let ds = ds / dk.sqrt();
    (ds.dot(k), ds.t().dot(q), dv)
}

/// Split the columns of `x` (T x d_model) into `h` heads (h x T x d_k, d_k = d_model / h):
/// head j takes columns j·d_k..(j+1)·d_k, the layout of PyTorch's
/// `x.view(T, h, d_k).transpose(0, 1)`.
pub fn split_heads(x: &Array2<f64>, h: usize) -> Array3<f64> {
    let (t, dm) = x.dim();
    let dk = dm / h;
    Array3::from_shape_fn((h, t, dk), |(j, r, c)| x[[r, j * dk + c]])
}

/// The inverse of `split_heads`: h x T x d_k back to T x (h·d_k), head j in columns
/// j·d_k..(j+1)·d_k.
pub fn merge_heads(x: &Array3<f64>) -> Array2<f64> {
    let (h, t, dk) = x.dim();
    Array2::from_shape_fn((t, h * dk), |(r, col)| x[[col / dk, r, col % dk]])
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
    // work on column slices directly, without split_heads
    let dk = q.ncols() / h;
    let mut out = Array2::zeros(q.raw_dim());
    for j in 0..h {
        let cols = ndarray::s![.., j * dk..(j + 1) * dk];
        let (o, _) = attention(
            &q.slice(cols).to_owned(),
            &k.slice(cols).to_owned(),
            &v.slice(cols).to_owned(),
            causal,
        );
        out.slice_mut(cols).assign(&o);
    }
    out
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
        split_heads(q, h),
        split_heads(k, h),
        split_heads(v, h),
        split_heads(d_out, h),
    );
    let mut dq = Array3::zeros(qs.raw_dim());
    let mut dk = Array3::zeros(ks.raw_dim());
    let mut dv = Array3::zeros(vs.raw_dim());
    for j in 0..h {
        let (a, b, c) = attention_backward(
            &qs.index_axis(Axis(0), j).to_owned(),
            &ks.index_axis(Axis(0), j).to_owned(),
            &vs.index_axis(Axis(0), j).to_owned(),
            causal,
            &ds.index_axis(Axis(0), j).to_owned(),
        );
        dq.index_axis_mut(Axis(0), j).assign(&a);
        dk.index_axis_mut(Axis(0), j).assign(&b);
        dv.index_axis_mut(Axis(0), j).assign(&c);
    }
    (merge_heads(&dq), merge_heads(&dk), merge_heads(&dv))
}
