//! alternative: windows by slicing, the dense layer on the whole batch at once, top-k by a pessimistic rank after sorting

// vision/cnn_inference: a CNN's forward pass with given weights, its confusion matrix and top-k accuracy.
// `learnml show vision/cnn_inference` shows the full statement; `learnml check vision/cnn_inference` grades this file.

use ndarray::{Array1, Array2, Array3, Array4, Axis, s};

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
    let (_, rows, cols) = x.dim();
    let (c_out, _, kr, kc) = weight.dim();
    Array3::from_shape_fn((c_out, rows - kr + 1, cols - kc + 1), |(o, i, j)| {
        let window = x.slice(s![.., i..i + kr, j..j + kc]);
        let kernel = weight.slice(s![o, .., .., ..]);
        bias[o] + (&window * &kernel).sum()
    })
}

/// 2x2 max-pooling with stride 2 on each channel of `x` (channels, rows, cols): the output is
/// (channels, rows / 2, cols / 2); an odd last row or column is dropped (PyTorch's floor mode).
pub fn max_pool2(x: &Array3<f64>) -> Array3<f64> {
    let (channels, rows, cols) = x.dim();
    Array3::from_shape_fn((channels, rows / 2, cols / 2), |(c, i, j)| {
        x.slice(s![c, 2 * i..2 * i + 2, 2 * j..2 * j + 2])
            .fold(f64::NEG_INFINITY, |m, &v| m.max(v))
    })
}

/// The class probabilities of a batch `images` (n, in_channels, rows, cols), shape
/// (n, n_classes): conv2d → relu → max_pool2 → flatten (channel, row, column) → dense →
/// softmax over the classes of each image (each row sums to 1).
pub fn forward(cnn: &Cnn, images: &Array4<f64>) -> Array2<f64> {
    let n = images.len_of(Axis(0));
    let n_features = cnn.dense_weight.ncols();
    let mut features = Array2::zeros((n, n_features));
    for (i, image) in images.outer_iter().enumerate() {
        let conv = conv2d(&image.to_owned(), &cnn.conv_weight, &cnn.conv_bias);
        let pooled = max_pool2(&conv.mapv(|v| v.max(0.0)));
        let flat = pooled
            .into_shape_with_order(n_features)
            .expect("as many features as dense inputs");
        features.row_mut(i).assign(&flat);
    }
    // (n, F) · (F, K): one row of logits per image.
    let mut logits = features.dot(&cnn.dense_weight.t()) + &cnn.dense_bias;
    for mut row in logits.rows_mut() {
        let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        row.mapv_inplace(|v| (v - top).exp());
        let total = row.sum();
        row.mapv_inplace(|v| v / total);
    }
    logits
}

/// The confusion matrix of `n_classes` classes: `m[t, p]` counts the examples of true class
/// `t` predicted as `p` (rows true, columns predicted, as scikit-learn's).
pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    truth
        .iter()
        .zip(predicted)
        .fold(Array2::zeros((n_classes, n_classes)), |mut m, (&t, &p)| {
            m[[t, p]] += 1;
            m
        })
}

/// Top-k accuracy of `scores` (n, n_classes) against `truth`: the share of rows whose true
/// class is among the k highest scores. Ties count against the true class: it is in the top
/// k only when fewer than k other classes score at least as high as it.
pub fn top_k_accuracy(scores: &Array2<f64>, truth: &[usize], k: usize) -> f64 {
    let mut hits = 0;
    for (row, &t) in scores.rows().into_iter().zip(truth) {
        // Order the classes by decreasing score, the true class last among its equals: its
        // position is then the pessimistic rank.
        let mut order: Vec<usize> = (0..row.len()).collect();
        order.sort_by(|&a, &b| {
            row[b]
                .total_cmp(&row[a])
                .then_with(|| (a == t).cmp(&(b == t)))
        });
        let rank = order
            .iter()
            .position(|&c| c == t)
            .expect("the true class is a column");
        if rank < k {
            hits += 1;
        }
    }
    f64::from(hits) / truth.len() as f64
}
