// vision/cnn_inference: a CNN's forward pass with given weights, its confusion matrix and top-k accuracy.
// `learnml show vision/cnn_inference` shows the full statement; `learnml check vision/cnn_inference` grades this file.

use ndarray::{Array1, Array2, Array3, Array4};

/// A trained network in PyTorch's layouts: conv (3x3 kernels, stride 1, no padding) → relu →
/// 2x2 max-pool → flatten in (channel, row, column) order → dense → softmax.
#[derive(Debug, Clone)]
pub struct Cnn {
    /// (out_channels, in_channels, kernel_rows, kernel_cols), as `nn.Conv2d.weight`.
    pub conv_weight: Array4<f64>,
    /// One bias per output channel.
    pub conv_bias: Array1<f64>,
    /// (n_classes, n_features), as `nn.Linear.weight`: logits = dense_weight · features + bias.
    pub dense_weight: Array2<f64>,
    /// One bias per class.
    pub dense_bias: Array1<f64>,
}

/// Cross-correlation as PyTorch's `conv2d` computes it (the kernel is **not** flipped), stride
/// 1, no padding: `out[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x[c, i + u, j + v]`.
/// `x` is (in_channels, rows, cols); the output is (out_channels, rows - kr + 1, cols - kc + 1).
pub fn conv2d(x: &Array3<f64>, weight: &Array4<f64>, bias: &Array1<f64>) -> Array3<f64> {
    let _ = (x, weight, bias);
    todo!(
        "for each output (o, i, j): bias[o] plus the kernel times the window under it, not flipped"
    )
}

/// 2x2 max-pooling with stride 2 on each channel of `x` (channels, rows, cols): the output is
/// (channels, rows / 2, cols / 2); an odd last row or column is dropped (PyTorch's floor mode).
pub fn max_pool2(x: &Array3<f64>) -> Array3<f64> {
    let _ = x;
    todo!("the max of each 2x2 window, stride 2, per channel")
}

/// The class probabilities of a batch `images` (n, in_channels, rows, cols), shape
/// (n, n_classes): conv2d → relu → max_pool2 → flatten (channel, row, column) → dense →
/// softmax over the classes of each image (each row sums to 1).
pub fn forward(cnn: &Cnn, images: &Array4<f64>) -> Array2<f64> {
    let _ = (cnn, images);
    todo!("for each image: conv2d, relu, max_pool2, flatten, dense, softmax over the classes")
}

/// The confusion matrix of `n_classes` classes: `m[t, p]` counts the examples of true class
/// `t` predicted as `p` (rows true, columns predicted, as scikit-learn's).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let _ = (truth, predicted, n_classes);
    todo!("an n_classes x n_classes matrix of zeros, then m[[t, p]] += 1")
}

/// Top-k accuracy of `scores` (n, n_classes) against `truth`: the share of rows whose true
/// class is among the k highest scores. Ties count against the true class: it is in the top
/// k only when fewer than k other classes score at least as high as it.
pub fn top_k_accuracy(scores: &Array2<f64>, truth: &[usize], k: usize) -> f64 {
    let _ = (scores, truth, k);
    todo!("per row: how many other classes score >= the true one? a hit when fewer than k")
}
