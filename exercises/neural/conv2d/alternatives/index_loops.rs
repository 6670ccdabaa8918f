//! alternative: four nested loops over positions and kernel offsets, and pooling with an explicit max of four values

// neural/conv2d: a 2-D convolution and a max-pool by hand (the idea of a CNN).

use ndarray::Array2;

/// Valid 2-D cross-correlation (what deep-learning libraries call convolution): with `image`
/// H x W and `kernel` kh x kw (no larger than the image),
/// out[i, j] = Σ_{a < kh, b < kw} image[i + a, j + b] · kernel[a, b],
/// for an output of (H - kh + 1) x (W - kw + 1). No padding, stride 1, kernel not flipped.
pub fn conv2d(image: &Array2<f64>, kernel: &Array2<f64>) -> Array2<f64> {
    let (h, w) = image.dim();
    let (kh, kw) = kernel.dim();
    let (oh, ow) = (h + 1 - kh, w + 1 - kw);
    let mut out = Array2::zeros((oh, ow));
    for i in 0..oh {
        for j in 0..ow {
            let mut total = 0.0;
            for ((a, b), k) in kernel.indexed_iter() {
                total += image[[i + a, j + b]] * k;
            }
            out[[i, j]] = total;
        }
    }
    out
}

/// 2 x 2 max-pooling with stride 2: out[i, j] = max of x[2i..2i+2, 2j..2j+2], for an output
/// of (H / 2) x (W / 2) rounded down (an odd last row or column is dropped, as PyTorch's
/// `MaxPool2d(2)` does by default).
pub fn max_pool2(x: &Array2<f64>) -> Array2<f64> {
    let (h, w) = x.dim();
    let mut out = Array2::zeros((h / 2, w / 2));
    for ((i, j), cell) in out.indexed_iter_mut() {
        let (r, c) = (2 * i, 2 * j);
        *cell = x[[r, c]]
            .max(x[[r, c + 1]])
            .max(x[[r + 1, c]])
            .max(x[[r + 1, c + 1]]);
    }
    out
}
