//! alternative: conv by ndarray windows, dense by explicit loops, softmax as exp(logit - logsumexp), top-k by sorting the classes with the true class placed after its ties

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

pub fn conv2d(x: &Array3<f64>, weight: &Array4<f64>, bias: &Array1<f64>) -> Array3<f64> {
    let (o, c, kr, kc) = weight.dim();
    let (_, rows, cols) = x.dim();
    let (ho, wo) = (rows + 1 - kr, cols + 1 - kc);
    let mut out = Array3::zeros((o, ho, wo));
    for (idx, window) in x.windows((c, kr, kc)).into_iter().enumerate() {
        let (i, j) = (idx / wo, idx % wo);
        for f in 0..o {
            let kernel = weight.slice(s![f, .., .., ..]);
            out[[f, i, j]] = (&window * &kernel).sum() + bias[f];
        }
    }
    out
}

pub fn max_pool2(x: &Array3<f64>) -> Array3<f64> {
    let (c, rows, cols) = x.dim();
    Array3::from_shape_fn((c, rows / 2, cols / 2), |(ch, i, j)| {
        x.slice(s![ch, 2 * i..2 * i + 2, 2 * j..2 * j + 2])
            .fold(f64::NEG_INFINITY, |m, &v| m.max(v))
    })
}

pub fn forward(cnn: &Cnn, images: &Array4<f64>) -> Array2<f64> {
    let n = images.dim().0;
    let k = cnn.dense_bias.len();
    let mut out = Array2::zeros((n, k));
    for (im, image) in images.axis_iter(Axis(0)).enumerate() {
        let z = conv2d(&image.to_owned(), &cnn.conv_weight, &cnn.conv_bias).mapv(|v| v.max(0.0));
        let pooled = max_pool2(&z);
        let features: Vec<f64> = pooled.iter().copied().collect();
        let mut logits = vec![0.0; k];
        for (cl, l) in logits.iter_mut().enumerate() {
            let mut s = cnn.dense_bias[cl];
            for (f, v) in features.iter().enumerate() {
                s += cnn.dense_weight[[cl, f]] * v;
            }
            *l = s;
        }
        let m = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + logits.iter().map(|l| (l - m).exp()).sum::<f64>().ln();
        for (cl, l) in logits.iter().enumerate() {
            out[[im, cl]] = (l - lse).exp();
        }
    }
    out
}

pub fn confusion_matrix(truth: &[usize], predicted: &[usize], n_classes: usize) -> Array2<usize> {
    Array2::from_shape_fn((n_classes, n_classes), |(t, p)| {
        truth
            .iter()
            .zip(predicted)
            .filter(|&(&a, &b)| a == t && b == p)
            .count()
    })
}

pub fn top_k_accuracy(scores: &Array2<f64>, truth: &[usize], k: usize) -> f64 {
    let mut hits = 0;
    for (row, &t) in scores.rows().into_iter().zip(truth) {
        let mut classes: Vec<usize> = (0..row.len()).collect();
        // highest first; among equal scores the true class goes last
        classes.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then((a == t).cmp(&(b == t))));
        if classes.iter().take(k).any(|&c| c == t) {
            hits += 1;
        }
    }
    hits as f64 / truth.len() as f64
}
