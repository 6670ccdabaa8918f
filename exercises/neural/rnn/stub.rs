// neural/rnn: a recurrent cell unrolled over a sequence (the idea of an RNN).
// `learnml show neural/rnn` shows the full statement; `learnml check neural/rnn` grades this file.

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
    let _ = (w_x, w_h, b, x, h_prev);
    todo!("tanh(W_x x + W_h h + b)")
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
    let _ = (w_x, w_h, b, xs, h0);
    todo!("apply rnn_step to every row of xs, carrying the state from step to step")
}
