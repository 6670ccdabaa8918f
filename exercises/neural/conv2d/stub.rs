// neural/conv2d: a 2-D convolution and a max-pool by hand (the idea of a CNN).
// `learnml show neural/conv2d` shows the full statement; `learnml check neural/conv2d` grades this file.

use ndarray::Array2;

/// Valid 2-D cross-correlation (what deep-learning libraries call convolution): with `image`
/// H x W and `kernel` kh x kw (no larger than the image),
/// out[i, j] = Σ_{a < kh, b < kw} image[i + a, j + b] · kernel[a, b],
/// for an output of (H - kh + 1) x (W - kw + 1). No padding, stride 1, kernel not flipped.
pub fn conv2d(image: &Array2<f64>, kernel: &Array2<f64>) -> Array2<f64> {
    let _ = (image, kernel);
    todo!("slide the kernel over every valid position and sum the products")
}

/// 2 x 2 max-pooling with stride 2: out[i, j] = max of x[2i..2i+2, 2j..2j+2], for an output
/// of (H / 2) x (W / 2) rounded down (an odd last row or column is dropped, as PyTorch's
/// `MaxPool2d(2)` does by default).
pub fn max_pool2(x: &Array2<f64>) -> Array2<f64> {
    let _ = x;
    todo!("the max of each non-overlapping 2 x 2 block")
}
