//! mistake: applies relu to the logits too, as if every layer needed the activation
//! fails: output_layer
//! message: "relu was applied to the logits"

// neural/forward: the forward pass of a two-layer network.

use ndarray::{Array1, Array2, Axis};

/// Every intermediate of the forward pass, one row per example.
pub struct Forward {
    /// relu(X W1 + b1): n x h.
    pub hidden: Array2<f64>,
    /// H W2 + b2: n x k.
    pub logits: Array2<f64>,
    /// Row-wise softmax of the logits: n x k, each row sums to 1.
    pub probs: Array2<f64>,
}

/// Forward pass of a two-layer network on a batch, in the row convention of deep-learning
/// libraries (one example per row): `x` is n x d, `w1` d x h, `b1` h, `w2` h x k, `b2` k.
pub fn forward(
    x: &Array2<f64>,
    w1: &Array2<f64>,
    b1: &Array1<f64>,
    w2: &Array2<f64>,
    b2: &Array1<f64>,
) -> Forward {
    let hidden = (x.dot(w1) + b1).mapv(|v| v.max(0.0));
    let logits = (hidden.dot(w2) + b2).mapv(|v| v.max(0.0));
    let mut probs = logits.clone();
    for mut row in probs.axis_iter_mut(Axis(0)) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let total = row.sum();
        row /= total;
    }
    Forward {
        hidden,
        logits,
        probs,
    }
}
