//! alternative: gather-style backward (each dx entry sums the outputs that saw it, no padded buffer), no padded copy in forward, max-pool via window iterators and position_max

// deep/conv_backward: 2-D convolution (stride, padding) and 2x2 max-pool, forward and backward.
// `learnml show deep/conv_backward` shows the full statement; `learnml check deep/conv_backward` grades this file.

use ndarray::{Array1, Array4};

/// The output size of a convolution along one axis. Given.
pub fn out_size(size: usize, k: usize, stride: usize, pad: usize) -> usize {
    (size + 2 * pad - k) / stride + 1
}

/// Value of x at padded coordinates (r, s), 0 outside.
fn at(x: &Array4<f64>, im: usize, ch: usize, r: usize, s: usize, pad: usize) -> f64 {
    let (_, _, h, w) = x.dim();
    if r < pad || s < pad || r - pad >= h || s - pad >= w {
        0.0
    } else {
        x[[im, ch, r - pad, s - pad]]
    }
}

pub fn conv2d_forward(
    x: &Array4<f64>,
    w: &Array4<f64>,
    b: &Array1<f64>,
    stride: usize,
    pad: usize,
) -> Array4<f64> {
    let (n, c, h, wd) = x.dim();
    let (f, _, kh, kw) = w.dim();
    let (ho, wo) = (out_size(h, kh, stride, pad), out_size(wd, kw, stride, pad));
    Array4::from_shape_fn((n, f, ho, wo), |(im, g, i, j)| {
        let mut acc = 0.0;
        for ch in (0..c).rev() {
            for a in (0..kh).rev() {
                for e in (0..kw).rev() {
                    acc += w[[g, ch, a, e]] * at(x, im, ch, i * stride + a, j * stride + e, pad);
                }
            }
        }
        acc + b[g]
    })
}

pub fn conv2d_backward(
    dout: &Array4<f64>,
    x: &Array4<f64>,
    w: &Array4<f64>,
    stride: usize,
    pad: usize,
) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    let (n, c, h, wd) = x.dim();
    let (f, _, kh, kw) = w.dim();
    let (_, _, ho, wo) = dout.dim();
    // dx: gather every output whose window covers (r, s).
    let dx = Array4::from_shape_fn((n, c, h, wd), |(im, ch, r, s)| {
        let (rp, sp) = (r + pad, s + pad);
        let mut acc = 0.0;
        for g in 0..f {
            for a in 0..kh {
                if rp < a || (rp - a) % stride != 0 || (rp - a) / stride >= ho {
                    continue;
                }
                let i = (rp - a) / stride;
                for e in 0..kw {
                    if sp < e || (sp - e) % stride != 0 || (sp - e) / stride >= wo {
                        continue;
                    }
                    let j = (sp - e) / stride;
                    acc += dout[[im, g, i, j]] * w[[g, ch, a, e]];
                }
            }
        }
        acc
    });
    let dw = Array4::from_shape_fn((f, c, kh, kw), |(g, ch, a, e)| {
        let mut acc = 0.0;
        for im in 0..n {
            for i in 0..ho {
                for j in 0..wo {
                    acc += dout[[im, g, i, j]] * at(x, im, ch, i * stride + a, j * stride + e, pad);
                }
            }
        }
        acc
    });
    let db = Array1::from_shape_fn(f, |g| {
        let mut acc = 0.0;
        for im in 0..n {
            for i in 0..ho {
                for j in 0..wo {
                    acc += dout[[im, g, i, j]];
                }
            }
        }
        acc
    });
    (dx, dw, db)
}

/// Row-major offsets of a 2 x 2 window.
const WINDOW: [(usize, usize); 4] = [(0, 0), (0, 1), (1, 0), (1, 1)];

/// Index in WINDOW of the first max.
fn first_max(x: &Array4<f64>, im: usize, ch: usize, i: usize, j: usize) -> usize {
    let vals: Vec<f64> = WINDOW
        .iter()
        .map(|&(a, e)| x[[im, ch, 2 * i + a, 2 * j + e]])
        .collect();
    // scan from the end, keeping ties: the earliest index wins
    let mut best = 3;
    for k in (0..3).rev() {
        if vals[k] >= vals[best] {
            best = k;
        }
    }
    best
}

pub fn maxpool_forward(x: &Array4<f64>) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    Array4::from_shape_fn((n, c, h / 2, w / 2), |(im, ch, i, j)| {
        let (a, e) = WINDOW[first_max(x, im, ch, i, j)];
        x[[im, ch, 2 * i + a, 2 * j + e]]
    })
}

pub fn maxpool_backward(dout: &Array4<f64>, x: &Array4<f64>) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let mut dx = Array4::zeros((n, c, h, w));
    for im in 0..n {
        for ch in 0..c {
            for i in 0..h / 2 {
                for j in 0..w / 2 {
                    let (a, e) = WINDOW[first_max(x, im, ch, i, j)];
                    dx[[im, ch, 2 * i + a, 2 * j + e]] += dout[[im, ch, i, j]];
                }
            }
        }
    }
    dx
}
