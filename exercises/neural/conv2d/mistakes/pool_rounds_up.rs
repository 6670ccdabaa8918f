//! mistake: pools an odd last row or column as a partial block (output rounded up)
//! fails: pool_odd_size
//! message: "rounded up"

// neural/conv2d: a 2-D convolution and a max-pool by hand (the idea of a CNN).

use ndarray::{Array2, s};

/// Valid 2-D cross-correlation (what deep-learning libraries call convolution): with `image`
/// H x W and `kernel` kh x kw (no larger than the image),
/// out[i, j] = Σ_{a < kh, b < kw} image[i + a, j + b] · kernel[a, b],
/// for an output of (H - kh + 1) x (W - kw + 1). No padding, stride 1, kernel not flipped.
pub fn conv2d(image: &Array2<f64>, kernel: &Array2<f64>) -> Array2<f64> {
    let (h, w) = image.dim();
    let (kh, kw) = kernel.dim();
    Array2::from_shape_fn((h - kh + 1, w - kw + 1), |(i, j)| {
        (&image.slice(s![i..i + kh, j..j + kw]) * kernel).sum()
    })
}

/// 2 x 2 max-pooling with stride 2: out[i, j] = max of x[2i..2i+2, 2j..2j+2], for an output
/// of (H / 2) x (W / 2) rounded down (an odd last row or column is dropped, as PyTorch's
/// `MaxPool2d(2)` does by default).
pub fn max_pool2(x: &Array2<f64>) -> Array2<f64> {
    let (h, w) = x.dim();
    Array2::from_shape_fn((h.div_ceil(2), w.div_ceil(2)), |(i, j)| {
        x.slice(s![2 * i..(2 * i + 2).min(h), 2 * j..(2 * j + 2).min(w)])
            .fold(f64::NEG_INFINITY, |m, &v| m.max(v))
    })
}
