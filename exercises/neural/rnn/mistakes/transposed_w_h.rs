//! mistake: the recurrent product is W_hᵀ h (h · W_h in the row convention of neural/forward)
//! fails: one_step, unroll_values
//! message: "uses W_hᵀ h"

// neural/rnn: a recurrent cell unrolled over a sequence (the idea of an RNN).

use ndarray::{Array1, Array2, ArrayView1};

/// One step of an Elman recurrent cell, in the column convention (W times a vector):
/// h' = tanh(W_x x + W_h h + b), with `w_x` h x d, `w_h` h x h, `b` h, `x` d and `h_prev` h.
pub fn rnn_step(
    w_x: &Array2<f64>,
    w_h: &Array2<f64>,
    b: &Array1<f64>,
    x: ArrayView1<f64>,
    h_prev: ArrayView1<f64>,
) -> Array1<f64> {
    (w_x.dot(&x) + h_prev.dot(w_h) + b).mapv(f64::tanh)
}

/// The cell unrolled over a sequence: `xs` is T x d (row t is the input of step t + 1),
/// `h0` the initial state (h). Returns the T x h matrix of states whose row t is h_{t+1}
/// (h0 itself is not included; T may be 0). The final state is the last row.
pub fn rnn_unroll(
    w_x: &Array2<f64>,
    w_h: &Array2<f64>,
    b: &Array1<f64>,
    xs: &Array2<f64>,
    h0: &Array1<f64>,
) -> Array2<f64> {
    let mut states = Array2::zeros((xs.nrows(), h0.len()));
    let mut h = h0.clone();
    for (t, x) in xs.rows().into_iter().enumerate() {
        h = rnn_step(w_x, w_h, b, x, h.view());
        states.row_mut(t).assign(&h);
    }
    states
}
