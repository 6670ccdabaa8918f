//! alternative: the loss through log-sum-exp of the logits, and the gradients accumulated one example at a time

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
    let logits = hidden.dot(&p.w2) + &p.b2;
    let mut probs = Array2::zeros(logits.dim());
    for (i, row) in logits.rows().into_iter().enumerate() {
        let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        for (c, v) in row.iter().enumerate() {
            probs[[i, c]] = (v - lse).exp();
        }
    }
    (z1, hidden, probs)
}

/// Mean cross-entropy of the network on `x` (n x d) with labels `y` (n entries in 0..k):
/// L = -(1/n) Σ_i ln p[i, y_i], natural logarithm.
pub fn loss(x: &Array2<f64>, y: &[usize], p: &Params) -> f64 {
    let z1 = x.dot(&p.w1) + &p.b1;
    let logits = z1.mapv(|v| v.max(0.0)).dot(&p.w2) + &p.b2;
    let mut total = 0.0;
    for (row, &c) in logits.rows().into_iter().zip(y) {
        let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        // -ln softmax(z)_c = lse(z) - z_c.
        total += lse - row[c];
    }
    total / y.len() as f64
}

/// The loss L and its gradients with respect to every parameter, by backpropagation.
pub fn gradients(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let (z1, hidden, probs) = forward(x, p);
    let n = y.len() as f64;
    let mut g = Params {
        w1: Array2::zeros(p.w1.dim()),
        b1: Array1::zeros(p.b1.len()),
        w2: Array2::zeros(p.w2.dim()),
        b2: Array1::zeros(p.b2.len()),
    };
    for (i, &c) in y.iter().enumerate() {
        let mut d_logits = probs.row(i).to_owned();
        d_logits[c] -= 1.0;
        d_logits /= n;
        let h_i = hidden.row(i);
        // Outer products: dW2 += h_iᵀ d_logits, dW1 += x_iᵀ dz1.
        g.w2 += &h_i
            .insert_axis(Axis(1))
            .dot(&d_logits.view().insert_axis(Axis(0)));
        g.b2 += &d_logits;
        let mask = z1.row(i).mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
        let d_z1 = p.w2.dot(&d_logits) * mask;
        g.w1 += &x
            .row(i)
            .insert_axis(Axis(1))
            .dot(&d_z1.view().insert_axis(Axis(0)));
        g.b1 += &d_z1;
    }
    (loss(x, y, p), g)
}
