// neural/train_digits: train the two-layer network with mini-batch SGD on digits.
// `learnml show neural/train_digits` shows the full statement; `learnml check neural/train_digits` grades this file.

use learnml_kit::split::rng;
use ndarray::{Array1, Array2};
use ndarray_rand::{RandomExt, rand_distr::Normal};
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
    let _ = (x, p);
    todo!("paste the forward pass of neural/backprop")
}

/// Mean cross-entropy on the batch and its gradients (as in neural/backprop).
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let _ = (x, y, p);
    todo!("paste your gradients from neural/backprop")
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
    let _ = (x, y, n_classes, settings);
    todo!("initialize, then epochs of shuffled mini-batch steps w -= learning_rate * gradient")
}

/// The predicted class of every row of `x`: the index of its largest logit (equivalently,
/// of its largest probability).
pub fn predict(p: &Params, x: &Array2<f64>) -> Vec<usize> {
    let _ = (p, x);
    todo!("the argmax of each row's logits")
}
