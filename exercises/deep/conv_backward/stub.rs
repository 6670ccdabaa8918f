// deep/conv_backward: 2-D convolution (stride, padding) and 2x2 max-pool, forward and backward.
// `learnml show deep/conv_backward` shows the full statement; `learnml check deep/conv_backward` grades this file.

use ndarray::{Array1, Array4};

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
    let _ = (x, w, b, stride, pad);
    todo!(
        "pad x with zeros, then each output is b[f] plus the sum of w[f] times its window (no flip)"
    )
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
    let _ = (dout, x, w, stride, pad);
    todo!(
        "each dout entry adds d × window to dw[f], d × w[f] to the padded dx window, d to db[f]; then crop"
    )
}

/// 2 x 2 max-pooling with stride 2 of `x` (n x c x h x w): n x c x (h / 2) x (w / 2), rounded
/// down (an odd last row or column is left out, as PyTorch's `MaxPool2d(2)` does).
pub fn maxpool_forward(x: &Array4<f64>) -> Array4<f64> {
    let _ = x;
    todo!("the max of each 2 x 2 window, stride 2, rounding the size down")
}

/// The gradient of the loss with respect to the input `x` of `maxpool_forward`, given `dout`
/// (n x c x h/2 x w/2): each window's gradient goes only to the position of its max, the
/// first max in row-major order (top-left, top-right, bottom-left, bottom-right) if several
/// entries tie; every other entry, and an odd last row or column, gets 0.
pub fn maxpool_backward(dout: &Array4<f64>, x: &Array4<f64>) -> Array4<f64> {
    let _ = (dout, x);
    todo!("send each window's gradient to its first max in row-major order, 0 elsewhere")
}
