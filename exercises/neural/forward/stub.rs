// neural/forward: the forward pass of a two-layer network.
// `learnml show neural/forward` shows the full statement; `learnml check neural/forward` grades this file.

use ndarray::{Array1, Array2};

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
    let _ = (x, w1, b1, w2, b2);
    todo!("hidden = relu(X W1 + b1), logits = H W2 + b2, probs = softmax of each row")
}
