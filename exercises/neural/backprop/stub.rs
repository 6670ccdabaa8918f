// neural/backprop: gradients of a two-layer network by backpropagation.
// `learnml show neural/backprop` shows the full statement; `learnml check neural/backprop` grades this file.

use ndarray::{Array1, Array2, Axis};

/// The parameters of a two-layer network (row convention, as in `forward`): `w1` d x h,
/// `b1` h, `w2` h x k, `b2` k. Gradients use the same struct, each field the gradient of
/// the loss with respect to the parameter of the same name, with the same shape.
#[derive(Debug, Clone)]
pub struct Params {
    pub w1: Array2<f64>,
    pub b1: Array1<f64>,
    pub w2: Array2<f64>,
    pub b2: Array1<f64>,
}

/// The forward pass of neural/forward, also returning the pre-activations: z1 = X W1 + b1
/// (n x h), the hidden layer relu(z1) (n x h) and the row-wise softmax probabilities (n x k).
pub fn forward(x: &Array2<f64>, p: &Params) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let _ = (x, p);
    todo!("paste your forward pass from neural/forward, returning z1 as well")
}

/// Mean cross-entropy of the network on `x` (n x d) with labels `y` (n entries in 0..k):
/// L = -(1/n) Σ_i ln p[i, y_i], natural logarithm.
pub fn loss(x: &Array2<f64>, y: &[usize], p: &Params) -> f64 {
    let _ = (x, y, p);
    todo!("the mean of -ln p[i, y_i] over the n examples")
}

/// The loss L and its gradients with respect to every parameter, by backpropagation.
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let _ = (x, y, p);
    todo!("backpropagate (probs - onehot(y)) / n through both layers")
}
