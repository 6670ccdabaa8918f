//! alternative: biases broadcast as 1 x h rows, and the softmax with map_axis and insert_axis instead of a loop

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
    let b1_row = b1.view().insert_axis(Axis(0));
    let mut hidden = x.dot(w1) + b1_row;
    hidden.mapv_inplace(|v| if v > 0.0 { v } else { 0.0 });
    let logits = hidden.dot(w2) + b2.view().insert_axis(Axis(0));
    let max = logits.map_axis(Axis(1), |row| {
        row.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    });
    let exp = (&logits - &max.insert_axis(Axis(1))).mapv(f64::exp);
    let sums = exp.sum_axis(Axis(1)).insert_axis(Axis(1));
    let probs = exp / &sums;
    Forward {
        hidden,
        logits,
        probs,
    }
}
