//! mistake: top-k by sorting the classes by score and taking the first k: ties are broken by class index instead of counting against the true class
//! fails: top_k
//! message: "broken by class index"

// vision/cnn_inference: a CNN's forward pass with given weights, its confusion matrix and top-k accuracy.
// `learnml show vision/cnn_inference` shows the full statement; `learnml check vision/cnn_inference` grades this file.

use ndarray::{Array1, Array2, Array3, Array4, Axis};

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
    let (c_in, rows, cols) = x.dim();
    let (c_out, _, kr, kc) = weight.dim();
    let (out_rows, out_cols) = (rows - kr + 1, cols - kc + 1);
    let mut out = Array3::zeros((c_out, out_rows, out_cols));
    for o in 0..c_out {
        for i in 0..out_rows {
            for j in 0..out_cols {
                let mut sum = bias[o];
                for c in 0..c_in {
                    for u in 0..kr {
                        for v in 0..kc {
                            sum += weight[[o, c, u, v]] * x[[c, i + u, j + v]];
                        }
                    }
                }
                out[[o, i, j]] = sum;
            }
        }
    }
    out
}

/// 2x2 max-pooling with stride 2 on each channel of `x` (channels, rows, cols): the output is
/// (channels, rows / 2, cols / 2); an odd last row or column is dropped (PyTorch's floor mode).
pub fn max_pool2(x: &Array3<f64>) -> Array3<f64> {
    let (channels, rows, cols) = x.dim();
    Array3::from_shape_fn((channels, rows / 2, cols / 2), |(c, i, j)| {
        let a = x[[c, 2 * i, 2 * j]].max(x[[c, 2 * i, 2 * j + 1]]);
        let b = x[[c, 2 * i + 1, 2 * j]].max(x[[c, 2 * i + 1, 2 * j + 1]]);
        a.max(b)
    })
}

/// The class probabilities of a batch `images` (n, in_channels, rows, cols), shape
/// (n, n_classes): conv2d → relu → max_pool2 → flatten (channel, row, column) → dense →
/// softmax over the classes of each image (each row sums to 1).
pub fn forward(cnn: &Cnn, images: &Array4<f64>) -> Array2<f64> {
    let n = images.len_of(Axis(0));
    let k = cnn.dense_bias.len();
    let mut probabilities = Array2::zeros((n, k));
    for (image, mut out) in images.outer_iter().zip(probabilities.rows_mut()) {
        let conv = conv2d(&image.to_owned(), &cnn.conv_weight, &cnn.conv_bias).mapv(|v| v.max(0.0));
        let pooled = max_pool2(&conv);
        // Standard layout: iteration is in (channel, row, column) order, as PyTorch's flatten.
        let features = Array1::from_iter(pooled.iter().copied());
        let logits = cnn.dense_weight.dot(&features) + &cnn.dense_bias;
        let top = logits.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let exp = logits.mapv(|v| (v - top).exp());
        out.assign(&(&exp / exp.sum()));
    }
    probabilities
}

/// The confusion matrix of `n_classes` classes: `m[t, p]` counts the examples of true class
/// `t` predicted as `p` (rows true, columns predicted, as scikit-learn's).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    let mut m = Array2::zeros((n_classes, n_classes));
    for (&t, &p) in truth.iter().zip(predicted) {
        m[[t, p]] += 1;
    }
    m
}

/// Top-k accuracy of `scores` (n, n_classes) against `truth`: the share of rows whose true
/// class is among the k highest scores. Ties count against the true class: it is in the top
/// k only when fewer than k other classes score at least as high as it.
pub fn top_k_accuracy(scores: &Array2<f64>, truth: &[usize], k: usize) -> f64 {
    let mut hits = 0;
    for (row, &t) in scores.rows().into_iter().zip(truth) {
        let mut classes: Vec<usize> = (0..row.len()).collect();
        // Highest score first.
        classes.sort_by(|&a, &b| row[b].partial_cmp(&row[a]).unwrap());
        if classes[..k.min(classes.len())].contains(&t) {
            hits += 1;
        }
    }
    hits as f64 / truth.len() as f64
}
