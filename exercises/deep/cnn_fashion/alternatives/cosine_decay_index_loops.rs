//! alternative: 6 filters, 10 epochs, batches of 32, cosine step decay from 0.08; flatten and unflatten by explicit index loops; argmax scanned from the end

// deep/cnn_fashion: assemble a small CNN from the engine's layers and train it on Fashion-MNIST.
// `learnml show deep/cnn_fashion` shows the full statement; `learnml check deep/cnn_fashion` grades this file.

use learnml_kit::split::{Rng, rng};
use ndarray::{Array1, Array2, Array4, Axis};
use ndarray_rand::RandomExt;
use ndarray_rand::rand_distr::Normal;
use rand::seq::SliceRandom;

// ---------------------------------------------------------------------------------------------
// Given: the engine of the earlier exercises (deep/conv_backward, deep/logit_losses...).
// Complete and correct; you do not need to change it.
// ---------------------------------------------------------------------------------------------

/// The output size of a convolution along one axis: (size + 2 pad - k) / stride + 1.
pub fn out_size(size: usize, k: usize, stride: usize, pad: usize) -> usize {
    (size + 2 * pad - k) / stride + 1
}

/// The geometry of a convolution: input c x h x w, kernel kh x kw, output ho x wo.
struct Geometry {
    c: usize,
    h: usize,
    w: usize,
    kh: usize,
    kw: usize,
    ho: usize,
    wo: usize,
    stride: usize,
    pad: usize,
}

impl Geometry {
    fn new(x: (usize, usize, usize, usize), k: (usize, usize), stride: usize, pad: usize) -> Self {
        let (_, c, h, w) = x;
        let (ho, wo) = (out_size(h, k.0, stride, pad), out_size(w, k.1, stride, pad));
        let (kh, kw) = k;
        Geometry {
            c,
            h,
            w,
            kh,
            kw,
            ho,
            wo,
            stride,
            pad,
        }
    }

    /// Calls `visit(window entry, input entry)` for every entry of every window of image
    /// `im` that is not in the padding: flat offsets into the im2col matrix and into x.
    fn each(&self, im: usize, mut visit: impl FnMut(usize, usize)) {
        let width = self.c * self.kh * self.kw;
        for i in 0..self.ho {
            for j in 0..self.wo {
                let row = ((im * self.ho + i) * self.wo + j) * width;
                for ch in 0..self.c {
                    for a in 0..self.kh {
                        let Some(r) = (i * self.stride + a).checked_sub(self.pad) else {
                            continue;
                        };
                        if r >= self.h {
                            continue;
                        }
                        for e in 0..self.kw {
                            let Some(q) = (j * self.stride + e).checked_sub(self.pad) else {
                                continue;
                            };
                            if q < self.w {
                                let col = (ch * self.kh + a) * self.kw + e;
                                visit(row + col, ((im * self.c + ch) * self.h + r) * self.w + q);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The windows of `x` (n x c x h x w) as the rows of an (n·ho·wo) x (c·kh·kw) matrix.
fn im2col(x: &Array4<f64>, g: &Geometry) -> Array2<f64> {
    let n = x.dim().0;
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let width = g.c * g.kh * g.kw;
    let mut cols = vec![0.0; n * g.ho * g.wo * width];
    for im in 0..n {
        g.each(im, |to, from| cols[to] = xs[from]);
    }
    Array2::from_shape_vec((n * g.ho * g.wo, width), cols).expect("sizes agree")
}

/// PyTorch's `Conv2d` (cross-correlation, no kernel flip): `x` n x c x h x w, `w` f x c x kh x
/// kw, `b` f, zero padding `pad` on every side. Returns n x f x ho x wo.
pub fn conv2d_forward(
    x: &Array4<f64>,
    w: &Array4<f64>,
    b: &Array1<f64>,
    stride: usize,
    pad: usize,
) -> Array4<f64> {
    let n = x.dim().0;
    let (f, c, kh, kw) = w.dim();
    let g = Geometry::new(x.dim(), (kh, kw), stride, pad);
    let filters = w.to_shape((f, c * kh * kw)).expect("contiguous");
    // (f) x (n·ho·wo): one row per filter, then regroup by example.
    let out = filters.dot(&im2col(x, &g).t());
    let per_image = g.ho * g.wo;
    Array4::from_shape_fn((n, f, g.ho, g.wo), |(im, k, i, j)| {
        out[[k, im * per_image + i * g.wo + j]] + b[k]
    })
}

/// The gradients (dx, dw, db) of `conv2d_forward`, given `dout` (n x f x ho x wo).
pub fn conv2d_backward(
    dout: &Array4<f64>,
    x: &Array4<f64>,
    w: &Array4<f64>,
    stride: usize,
    pad: usize,
) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    let n = x.dim().0;
    let (f, c, kh, kw) = w.dim();
    let g = Geometry::new(x.dim(), (kh, kw), stride, pad);
    // dout as (n·ho·wo) x f, rows in im2col's order.
    let d = dout.view().permuted_axes([0, 2, 3, 1]);
    let d = d.as_standard_layout();
    let d = d.to_shape((n * g.ho * g.wo, f)).expect("same size");
    let dw = d
        .t()
        .dot(&im2col(x, &g))
        .into_shape_with_order((f, c, kh, kw))
        .expect("same size");
    let db = d.sum_axis(Axis(0));
    let filters = w.to_shape((f, c * kh * kw)).expect("contiguous");
    let dcols = d.dot(&filters);
    let dcols = dcols.as_slice().expect("standard layout");
    let mut dx = vec![0.0; x.len()];
    for im in 0..n {
        g.each(im, |from, to| dx[to] += dcols[from]);
    }
    let dx = Array4::from_shape_vec(x.dim(), dx).expect("sizes agree");
    (dx, dw, db)
}

/// 2 x 2 max-pooling, stride 2, size rounded down: n x c x h/2 x w/2.
pub fn maxpool_forward(x: &Array4<f64>) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let mut out = Vec::with_capacity(n * c * (h / 2) * (w / 2));
    for plane in xs.chunks(h * w) {
        for i in 0..h / 2 {
            for j in 0..w / 2 {
                let at = 2 * i * w + 2 * j;
                out.push(
                    plane[at]
                        .max(plane[at + 1])
                        .max(plane[at + w])
                        .max(plane[at + w + 1]),
                );
            }
        }
    }
    Array4::from_shape_vec((n, c, h / 2, w / 2), out).expect("sizes agree")
}

/// The gradient of `maxpool_forward`: each window's gradient goes to its first max in
/// row-major order.
pub fn maxpool_backward(dout: &Array4<f64>, x: &Array4<f64>) -> Array4<f64> {
    let (_, _, h, w) = x.dim();
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let dout = dout.as_standard_layout();
    let ds = dout.as_slice().expect("standard layout");
    let mut dx = vec![0.0; xs.len()];
    let (ho, wo) = (h / 2, w / 2);
    for p in 0..xs.len() / (h * w) {
        for i in 0..ho {
            for j in 0..wo {
                let top = p * h * w + 2 * i * w + 2 * j;
                let mut best = top;
                for at in [top + 1, top + w, top + w + 1] {
                    if xs[at] > xs[best] {
                        best = at;
                    }
                }
                dx[best] += ds[(p * ho + i) * wo + j];
            }
        }
    }
    Array4::from_shape_vec(x.dim(), dx).expect("sizes agree")
}

/// relu(z) = max(z, 0), entry by entry.
pub fn relu(z: &Array4<f64>) -> Array4<f64> {
    z.mapv(|v| v.max(0.0))
}

/// The gradient of `relu` at `z`: dout where z > 0, else 0.
pub fn relu_backward(dout: &Array4<f64>, z: &Array4<f64>) -> Array4<f64> {
    let mut dz = dout.clone();
    dz.zip_mut_with(z, |d, &v| {
        if v <= 0.0 {
            *d = 0.0;
        }
    });
    dz
}

/// A dense layer, row convention: `x` n x d, `w` d x k, `b` k. Returns x w + b, n x k.
pub fn dense_forward(x: &Array2<f64>, w: &Array2<f64>, b: &Array1<f64>) -> Array2<f64> {
    x.dot(w) + b
}

/// The gradients (dx, dw, db) of `dense_forward`, given `dout` (n x k).
pub fn dense_backward(
    dout: &Array2<f64>,
    x: &Array2<f64>,
    w: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>, Array1<f64>) {
    (dout.dot(&w.t()), x.t().dot(dout), dout.sum_axis(Axis(0)))
}

/// The mean softmax cross-entropy of `logits` (n x k) with labels `y` (n entries in 0..k),
/// natural log, and its gradient with respect to the logits: (probs - onehot(y)) / n.
pub fn softmax_cross_entropy(logits: &Array2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
    let n = logits.nrows() as f64;
    let mut d = logits.clone();
    let mut loss = 0.0;
    for (mut row, &label) in d.axis_iter_mut(Axis(0)).zip(y) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let total = row.sum();
        row /= total;
        loss -= row[label].ln() / n;
        row[label] -= 1.0;
    }
    (loss, d / n)
}

/// The CNN: conv 3 x 3 (stride 1, padding 1, `f` filters) → relu → 2 x 2 max-pool → flatten
/// → dense to the k classes. Gradients use the same struct, each field the gradient of the
/// loss with respect to the parameter of the same name.
#[derive(Debug, Clone, PartialEq)]
pub struct Cnn {
    /// f x c x 3 x 3
    pub conv_w: Array4<f64>,
    /// f
    pub conv_b: Array1<f64>,
    /// (f · h/2 · w/2) x k, the rows in the order of the flattened f x h/2 x w/2 maps
    pub dense_w: Array2<f64>,
    /// k
    pub dense_b: Array1<f64>,
}

impl Cnn {
    /// He initialization for images c x h x w: conv_w ~ N(0, 2 / (c·9)), dense_w ~ N(0, 2 / d)
    /// with d = f · (h/2) · (w/2), drawn in that order from `rng`; biases 0.
    pub fn new(c: usize, h: usize, w: usize, f: usize, k: usize, rng: &mut Rng) -> Cnn {
        let d = f * (h / 2) * (w / 2);
        let conv = Normal::new(0.0, (2.0 / (c * 9) as f64).sqrt()).expect("a positive scale");
        let dense = Normal::new(0.0, (2.0 / d as f64).sqrt()).expect("a positive scale");
        Cnn {
            conv_w: Array4::random_using((f, c, 3, 3), conv, rng),
            conv_b: Array1::zeros(f),
            dense_w: Array2::random_using((d, k), dense, rng),
            dense_b: Array1::zeros(k),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Yours: the model assembly, the training loop and predict.
// ---------------------------------------------------------------------------------------------

/// conv → relu, the pooled maps and their flattening by explicit loops.
fn features(model: &Cnn, x: &Array4<f64>) -> (Array4<f64>, Array4<f64>, Array2<f64>) {
    let z = conv2d_forward(x, &model.conv_w, &model.conv_b, 1, 1);
    let a = relu(&z);
    let p = maxpool_forward(&a);
    let (n, f, h2, w2) = p.dim();
    let mut flat = Array2::zeros((n, f * h2 * w2));
    for ((im, g, i, j), &v) in p.indexed_iter() {
        flat[[im, (g * h2 + i) * w2 + j]] = v;
    }
    (z, a, flat)
}

pub fn forward(model: &Cnn, x: &Array4<f64>) -> Array2<f64> {
    let (_, _, flat) = features(model, x);
    dense_forward(&flat, &model.dense_w, &model.dense_b)
}

pub fn gradients(model: &Cnn, x: &Array4<f64>, y: &[usize]) -> (f64, Cnn) {
    let (z, a, flat) = features(model, x);
    let logits = dense_forward(&flat, &model.dense_w, &model.dense_b);
    let (loss, dlogits) = softmax_cross_entropy(&logits, y);
    let (dflat, dense_w, dense_b) = dense_backward(&dlogits, &flat, &model.dense_w);
    let (n, f, h, w) = a.dim();
    let (h2, w2) = (h / 2, w / 2);
    let dpool = Array4::from_shape_fn((n, f, h2, w2), |(im, g, i, j)| {
        dflat[[im, (g * h2 + i) * w2 + j]]
    });
    let da = maxpool_backward(&dpool, &a);
    let dz = relu_backward(&da, &z);
    let (_, conv_w, conv_b) = conv2d_backward(&dz, x, &model.conv_w, 1, 1);
    (
        loss,
        Cnn {
            conv_w,
            conv_b,
            dense_w,
            dense_b,
        },
    )
}

pub fn train_epoch(
    model: &mut Cnn,
    x: &Array4<f64>,
    y: &[usize],
    learning_rate: f64,
    batch_size: usize,
    rng: &mut Rng,
) -> f64 {
    let n = x.dim().0;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut total = 0.0;
    for batch in order.chunks(batch_size) {
        let xb = x.select(Axis(0), batch);
        let yb: Vec<usize> = batch.iter().map(|&i| y[i]).collect();
        let (loss, g) = gradients(model, &xb, &yb);
        total += loss * batch.len() as f64;
        model.conv_w = &model.conv_w - &(&g.conv_w * learning_rate);
        model.conv_b = &model.conv_b - &(&g.conv_b * learning_rate);
        model.dense_w = &model.dense_w - &(&g.dense_w * learning_rate);
        model.dense_b = &model.dense_b - &(&g.dense_b * learning_rate);
    }
    total / n as f64
}

pub fn train(x: &Array4<f64>, y: &[usize], n_classes: usize, seed: u64) -> (Cnn, Vec<f64>) {
    let mut r = rng(seed);
    let (_, c, h, w) = x.dim();
    let mut model = Cnn::new(c, h, w, 6, n_classes, &mut r);
    let epochs = 10;
    let mut losses = Vec::new();
    for e in 0..epochs {
        // cosine decay from 0.08
        let t = e as f64 / epochs as f64;
        let lr = 0.04 * (1.0 + (std::f64::consts::PI * t).cos());
        losses.push(train_epoch(&mut model, x, y, lr, 32, &mut r));
    }
    (model, losses)
}

pub fn predict(model: &Cnn, x: &Array4<f64>) -> Vec<usize> {
    forward(model, x)
        .rows()
        .into_iter()
        .map(|row| {
            let mut best = row.len() - 1;
            for k in (0..row.len()).rev() {
                if row[k] >= row[best] {
                    best = k;
                }
            }
            best
        })
        .collect()
}
