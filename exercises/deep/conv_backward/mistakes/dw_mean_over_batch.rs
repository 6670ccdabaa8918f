//! mistake: dw and db divided by the batch size n, as if the layer averaged its loss over the examples
//! fails: conv_backward_dw_db
//! message: "averaged over the examples"

// deep/conv_backward: 2-D convolution (stride, padding) and 2x2 max-pool, forward and backward.
// `learnml show deep/conv_backward` shows the full statement; `learnml check deep/conv_backward` grades this file.

use ndarray::{Array1, Array4, s};

/// The output size of a convolution along one axis: (size + 2 pad - k) / stride + 1, rounded
/// down (PyTorch's `Conv2d`). Given.
pub fn out_size(size: usize, k: usize, stride: usize, pad: usize) -> usize {
    (size + 2 * pad - k) / stride + 1
}

/// The 2-D convolution of PyTorch's `Conv2d`: a cross-correlation (no kernel flip) of `x`
/// (n x c x h x w) with `w` (f x c x kh x kw), plus `b` (f), with `stride` and `pad` zeros on
/// every side. Returns n x f x ho x wo, where ho = out_size(h, kh, stride, pad) and
/// wo = out_size(w, kw, stride, pad):
/// out[n, f, i, j] = b[f] + Σ_{c, a, e} w[f, c, a, e] · xpad[n, c, i·stride + a, j·stride + e],
/// xpad being x with `pad` zeros around (xpad[.., r, s] = x[.., r - pad, s - pad]).
pub fn conv2d_forward(
    x: &Array4<f64>,
    w: &Array4<f64>,
    b: &Array1<f64>,
    stride: usize,
    pad: usize,
) -> Array4<f64> {
    let (n, _, h, wd) = x.dim();
    let (f, _, kh, kw) = w.dim();
    let (ho, wo) = (out_size(h, kh, stride, pad), out_size(wd, kw, stride, pad));
    let xp = padded(x, pad);
    Array4::from_shape_fn((n, f, ho, wo), |(im, g, i, j)| {
        let (r, q) = (i * stride, j * stride);
        let window = xp.slice(s![im, .., r..r + kh, q..q + kw]);
        b[g] + (&window * &w.slice(s![g, .., .., ..])).sum()
    })
}

/// `x` with `pad` zeros on every side of its last two axes.
fn padded(x: &Array4<f64>, pad: usize) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let mut xp = Array4::zeros((n, c, h + 2 * pad, w + 2 * pad));
    xp.slice_mut(s![.., .., pad..pad + h, pad..pad + w])
        .assign(x);
    xp
}

/// The gradients of the loss with respect to `x`, `w` and `b`, given `dout` (n x f x ho x wo),
/// the gradient with respect to the output of `conv2d_forward(x, w, b, stride, pad)`.
/// Returns (dx: n x c x h x w, dw: f x c x kh x kw, db: f).
pub fn conv2d_backward(
    dout: &Array4<f64>,
    x: &Array4<f64>,
    w: &Array4<f64>,
    stride: usize,
    pad: usize,
) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    let (_, _, h, wd) = x.dim();
    let (f, _, kh, kw) = w.dim();
    let xp = padded(x, pad);
    let mut dxp = Array4::zeros(xp.dim());
    let mut dw = Array4::zeros(w.dim());
    let mut db = Array1::zeros(f);
    for ((im, g, i, j), &d) in dout.indexed_iter() {
        let (r, q) = (i * stride, j * stride);
        // The bias is added at every output position: its gradient sums over all of them.
        db[g] += d;
        let mut dw_g = dw.slice_mut(s![g, .., .., ..]);
        dw_g.scaled_add(d, &xp.slice(s![im, .., r..r + kh, q..q + kw]));
        let mut dx_window = dxp.slice_mut(s![im, .., r..r + kh, q..q + kw]);
        dx_window.scaled_add(d, &w.slice(s![g, .., .., ..]));
    }
    // The padding is made of constants: crop its gradient away.
    let dx = dxp
        .slice(s![.., .., pad..pad + h, pad..pad + wd])
        .to_owned();
    let n = x.dim().0 as f64;
    (dx, dw / n, db / n)
}

/// 2 x 2 max-pooling with stride 2 of `x` (n x c x h x w): n x c x (h / 2) x (w / 2), rounded
/// down (an odd last row or column is left out, as PyTorch's `MaxPool2d(2)` does).
pub fn maxpool_forward(x: &Array4<f64>) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    Array4::from_shape_fn((n, c, h / 2, w / 2), |(im, ch, i, j)| {
        let mut m = f64::NEG_INFINITY;
        for a in 0..2 {
            for e in 0..2 {
                m = m.max(x[[im, ch, 2 * i + a, 2 * j + e]]);
            }
        }
        m
    })
}

/// The gradient of the loss with respect to the input `x` of `maxpool_forward`, given `dout`
/// (n x c x h/2 x w/2): each window's gradient goes only to the position of its max, the
/// first max in row-major order (top-left, top-right, bottom-left, bottom-right) if several
/// entries tie; every other entry, and an odd last row or column, gets 0.
pub fn maxpool_backward(dout: &Array4<f64>, x: &Array4<f64>) -> Array4<f64> {
    let mut dx = Array4::zeros(x.dim());
    for ((im, ch, i, j), &d) in dout.indexed_iter() {
        let mut best = (2 * i, 2 * j);
        for a in 0..2 {
            for e in 0..2 {
                // Strictly greater: the first max in row-major order keeps the gradient.
                if x[[im, ch, 2 * i + a, 2 * j + e]] > x[[im, ch, best.0, best.1]] {
                    best = (2 * i + a, 2 * j + e);
                }
            }
        }
        dx[[im, ch, best.0, best.1]] += d;
    }
    dx
}
