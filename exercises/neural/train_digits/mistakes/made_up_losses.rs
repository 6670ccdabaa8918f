//! mistake: train reports falling losses it made up; the parameters it returns never learned
//! fails: training_loss
//! message: "computed by the grader"

// neural/train_digits: reference solution.

use learnml_kit::split::rng;
use ndarray::{Array1, Array2, Axis};
use ndarray_rand::RandomExt;
use ndarray_rand::rand_distr::Normal;
use rand::seq::SliceRandom;

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
    let mut probs = hidden.dot(&p.w2) + &p.b2;
    for mut row in probs.axis_iter_mut(Axis(0)) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let total = row.sum();
        row /= total;
    }
    (z1, hidden, probs)
}

/// Mean cross-entropy on the batch and its gradients (as in neural/backprop).
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let (z1, hidden, probs) = forward(x, p);
    let n = y.len() as f64;
    let loss = -y
        .iter()
        .enumerate()
        .map(|(i, &c)| probs[[i, c]].ln())
        .sum::<f64>()
        / n;
    let mut d_logits = probs;
    for (i, &c) in y.iter().enumerate() {
        d_logits[[i, c]] -= 1.0;
    }
    d_logits /= n;
    let w2 = hidden.t().dot(&d_logits);
    let b2 = d_logits.sum_axis(Axis(0));
    let d_z1 = d_logits.dot(&p.w2.t()) * z1.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    let w1 = x.t().dot(&d_z1);
    let b1 = d_z1.sum_axis(Axis(0));
    (loss, Params { w1, b1, w2, b2 })
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
    let normal = |fan_in: usize| {
        Normal::new(0.0, (2.0 / fan_in as f64).sqrt()).expect("a positive standard deviation")
    };
    let p = Params {
        w1: Array2::random_using((d, h), normal(d), &mut r),
        b1: Array1::zeros(h),
        w2: Array2::random_using((h, n_classes), normal(h), &mut r),
        b2: Array1::zeros(n_classes),
    };
    let mut losses = Vec::with_capacity(settings.epochs);
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..settings.epochs {
        order.shuffle(&mut r);
        let mut total = 0.0;
        for batch in order.chunks(settings.batch_size) {
            let xb = x.select(Axis(0), batch);
            let yb: Vec<usize> = batch.iter().map(|&i| y[i]).collect();
            let (loss, g) = gradients(&xb, &yb, &p);
            total += loss * batch.len() as f64;
            let _ = (g, settings.learning_rate);
        }
        let first = losses.first().copied().unwrap_or(total / n as f64);
        losses.push(first * 0.5f64.powi(losses.len() as i32 + 1));
    }
    (p, losses)
}

/// The predicted class of every row of `x`: the index of its largest logit (equivalently,
/// of its largest probability).
pub fn predict(p: &Params, x: &Array2<f64>) -> Vec<usize> {
    let z1 = x.dot(&p.w1) + &p.b1;
    let logits = z1.mapv(|v| v.max(0.0)).dot(&p.w2) + &p.b2;
    logits
        .rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (c, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = c;
                }
            }
            best
        })
        .collect()
}
