//! alternative: initialization by sampling Normal element by element, a hand-written Fisher-Yates shuffle, and gradients through a one-hot matrix

// neural/train_digits: train the two-layer network with mini-batch SGD on digits.

use learnml_kit::split::rng;
use ndarray::{Array1, Array2, Axis};
use ndarray_rand::rand_distr::{Distribution, Normal};
use rand::Rng as _;

/// The parameters of a two-layer network (row convention): `w1` d x h, `b1` h, `w2` h x k,
/// `b2` k. Gradients use the same struct.
#[derive(Debug, Clone)]
pub struct Params {
    pub w1: Array2<f64>,
    pub b1: Array1<f64>,
    pub w2: Array2<f64>,
    pub b2: Array1<f64>,
}

/// How to train; the grader chooses these.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Hidden units h.
    pub hidden: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Examples per mini-batch (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Seeds the initialization and the shuffles: `learnml_kit::split::rng(seed)`.
    pub seed: u64,
}

/// z1 = X W1 + b1 (n x h), hidden = relu(z1) (n x h), probs = row-wise softmax (n x k).
pub fn forward(x: &Array2<f64>, p: &Params) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let z1 = x.dot(&p.w1) + &p.b1;
    let hidden = z1.mapv(|v| v.max(0.0));
    let logits = hidden.dot(&p.w2) + &p.b2;
    let max = logits.map_axis(Axis(1), |row| row.fold(f64::NEG_INFINITY, |a, &b| a.max(b)));
    let exp = (&logits - &max.insert_axis(Axis(1))).mapv(f64::exp);
    let sums = exp.sum_axis(Axis(1)).insert_axis(Axis(1));
    let probs = &exp / &sums;
    (z1, hidden, probs)
}

/// Mean cross-entropy on the batch and its gradients (as in neural/backprop).
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let (z1, hidden, probs) = forward(x, p);
    let n = y.len() as f64;
    let mut one_hot = Array2::<f64>::zeros(probs.dim());
    for (i, &c) in y.iter().enumerate() {
        one_hot[[i, c]] = 1.0;
    }
    let loss = -(&one_hot * &probs.mapv(f64::ln)).sum() / n;
    let d_logits = (&probs - &one_hot) / n;
    let d_hidden = d_logits.dot(&p.w2.t());
    let d_z1 = &d_hidden * &z1.mapv(|v| f64::from(u8::from(v > 0.0)));
    let grads = Params {
        w1: x.t().dot(&d_z1),
        b1: d_z1.sum_axis(Axis(0)),
        w2: hidden.t().dot(&d_logits),
        b2: d_logits.sum_axis(Axis(0)),
    };
    (loss, grads)
}

/// Train on `x` (n x d, pixels already scaled to [0, 1]) with labels `y` in 0..n_classes by
/// mini-batch SGD. Initialization (He): W1 ~ N(0, 2/d), W2 ~ N(0, 2/h), biases 0, drawn in
/// that order from `rng(settings.seed)`; then every epoch shuffles 0..n with the same RNG and
/// takes the batches in that order. Returns the parameters and each epoch's mean training
/// loss (the per-example losses of the epoch, each at the parameters before its batch's step).
pub fn train(
    x: &Array2<f64>,
    y: &[usize],
    n_classes: usize,
    settings: &Settings,
) -> (Params, Vec<f64>) {
    let mut r = rng(settings.seed);
    let (n, d) = x.dim();
    let h = settings.hidden;
    let he_w1 = Normal::new(0.0, (2.0 / d as f64).sqrt()).expect("a positive deviation");
    let w1 = Array2::from_shape_fn((d, h), |_| he_w1.sample(&mut r));
    let he_w2 = Normal::new(0.0, (2.0 / h as f64).sqrt()).expect("a positive deviation");
    let w2 = Array2::from_shape_fn((h, n_classes), |_| he_w2.sample(&mut r));
    let mut p = Params {
        w1,
        b1: Array1::zeros(h),
        w2,
        b2: Array1::zeros(n_classes),
    };
    let lr = settings.learning_rate;
    let mut losses = Vec::new();
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..settings.epochs {
        // Fisher-Yates, from the last position down.
        for i in (1..n).rev() {
            let j = r.gen_range(0..=i);
            order.swap(i, j);
        }
        let mut loss_sum = 0.0;
        let mut start = 0;
        while start < n {
            let end = (start + settings.batch_size).min(n);
            let batch = &order[start..end];
            let xb = x.select(Axis(0), batch);
            let yb: Vec<usize> = batch.iter().map(|&i| y[i]).collect();
            let (loss, g) = gradients(&xb, &yb, &p);
            loss_sum += loss * (end - start) as f64;
            p.w1 = &p.w1 - &(&g.w1 * lr);
            p.b1 = &p.b1 - &(&g.b1 * lr);
            p.w2 = &p.w2 - &(&g.w2 * lr);
            p.b2 = &p.b2 - &(&g.b2 * lr);
            start = end;
        }
        losses.push(loss_sum / n as f64);
    }
    (p, losses)
}

/// The predicted class of every row of `x`: the index of its largest logit (equivalently,
/// of its largest probability).
pub fn predict(p: &Params, x: &Array2<f64>) -> Vec<usize> {
    let (_, _, probs) = forward(x, p);
    probs
        .rows()
        .into_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (c, &v)| {
                    if v > best.1 { (c, v) } else { best }
                })
                .0
        })
        .collect()
}
