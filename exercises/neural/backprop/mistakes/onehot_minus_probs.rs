//! mistake: d_logits = (onehot(y) - probs) / n, the negative of the gradient
//! fails: output_layer_check, hidden_layer_check
//! message: "wrong sign"

// neural/backprop: gradients of a two-layer network by backpropagation.

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

/// Mean cross-entropy of the network on `x` (n x d) with labels `y` (n entries in 0..k):
/// L = -(1/n) Σ_i ln p[i, y_i], natural logarithm.
pub fn loss(x: &Array2<f64>, y: &[usize], p: &Params) -> f64 {
    let (_, _, probs) = forward(x, p);
    let n = y.len() as f64;
    -y.iter()
        .enumerate()
        .map(|(i, &c)| probs[[i, c]].ln())
        .sum::<f64>()
        / n
}

/// The loss L and its gradients with respect to every parameter, by backpropagation.
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let (z1, hidden, probs) = forward(x, p);
    let n = y.len() as f64;
    let loss = -y
        .iter()
        .enumerate()
        .map(|(i, &c)| probs[[i, c]].ln())
        .sum::<f64>()
        / n;
    // dL/dlogits = (probs - onehot(y)) / n.
    let mut d_logits = -probs;
    for (i, &c) in y.iter().enumerate() {
        d_logits[[i, c]] += 1.0;
    }
    d_logits /= n;
    let w2 = hidden.t().dot(&d_logits);
    let b2 = d_logits.sum_axis(Axis(0));
    let d_hidden = d_logits.dot(&p.w2.t());
    let d_z1 = d_hidden * z1.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    let w1 = x.t().dot(&d_z1);
    let b1 = d_z1.sum_axis(Axis(0));
    (loss, Params { w1, b1, w2, b2 })
}
