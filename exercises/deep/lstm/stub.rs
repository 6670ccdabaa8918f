// deep/lstm: an LSTM cell over a sequence, backpropagation through time, gradient clipping.
// `learnml show deep/lstm` shows the full statement; `learnml check deep/lstm` grades this file.

use ndarray::{Array1, Array2, Array3};

/// The weights of one LSTM layer, laid out as PyTorch's `nn.LSTM` stores them: the four gates
/// stacked in the order i, f, g, o, each a block of H rows. `w_ih` is 4H x D (`weight_ih_l0`),
/// `w_hh` is 4H x H (`weight_hh_l0`), `b` is 4H (PyTorch's `bias_ih_l0 + bias_hh_l0`).
#[derive(Debug, Clone)]
pub struct Params {
    pub w_ih: Array2<f64>,
    pub w_hh: Array2<f64>,
    pub b: Array1<f64>,
}

/// Gradients of the loss: one field per parameter (same shapes as in `Params`), and the
/// gradients with respect to the initial state `h0` and `c0` (N x H each).
#[derive(Debug, Clone)]
pub struct Grads {
    pub w_ih: Array2<f64>,
    pub w_hh: Array2<f64>,
    pub b: Array1<f64>,
    pub h0: Array2<f64>,
    pub c0: Array2<f64>,
}

/// Given: the logistic sigmoid σ(v) = 1 / (1 + e^(-v)); its derivative is σ(v) (1 - σ(v)).
pub fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// Given (deep/optimizers): one step of plain gradient descent, θ ← θ - lr · dθ, on the three
/// parameters (the gradients of the initial state are not parameters and are ignored).
pub fn sgd_step(p: &mut Params, g: &Grads, lr: f64) {
    p.w_ih.scaled_add(-lr, &g.w_ih);
    p.w_hh.scaled_add(-lr, &g.w_hh);
    p.b.scaled_add(-lr, &g.b);
}

/// One step of the cell: from the input `x` (N x D) and the state `h`, `c` (N x H each),
/// the new state (h', c') with c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c').
pub fn lstm_step(
    x: &Array2<f64>,
    h: &Array2<f64>,
    c: &Array2<f64>,
    p: &Params,
) -> (Array2<f64>, Array2<f64>) {
    let _ = (x, h, c, p);
    todo!("z = x W_ihᵀ + h W_hhᵀ + b (N x 4H); column blocks i, f, g, o of width H")
}

/// The cell run over the sequence `x` (T x N x D, time first as in PyTorch's default) from
/// the state (h0, c0): every hidden state h_1..h_T (T x N x H) and the last cell state c_T.
pub fn lstm_forward(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
) -> (Array3<f64>, Array2<f64>) {
    let _ = (x, h0, c0, p);
    todo!("call lstm_step for t = 0..T, each from the state the previous step returned")
}

/// Backpropagation through time for the loss L = Σ_t Σ dh[t] ⊙ h_t, where `dh` (T x N x H)
/// holds the upstream gradient dL/dh_t of every step: the gradients of L with respect to the
/// parameters and to the initial state.
pub fn lstm_backward(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
    dh: &Array3<f64>,
) -> Grads {
    let _ = (x, h0, c0, p, dh);
    todo!("run forward keeping each step's state, then go back from t = T carrying dh and dc")
}

/// Clip the parameters' gradients (`w_ih`, `w_hh`, `b`; not `h0`, `c0`) by their global norm,
/// as `torch.nn.utils.clip_grad_norm_` does: total = the L2 norm of all their entries
/// together; when total > max_norm, multiply every one by max_norm / (total + 1e-6).
/// Returns the total norm before clipping.
pub fn clip_grad_norm(g: &mut Grads, max_norm: f64) -> f64 {
    let _ = (g, max_norm);
    todo!("one norm over the three tensors together, one factor for all of them")
}

/// One training step: the gradients of `lstm_backward`, clipped to `max_norm` by
/// `clip_grad_norm`, then `sgd_step` with learning rate `lr`. Returns the gradient norm before
/// clipping (what a training log plots to spot explosions).
pub fn train_step(
    p: &mut Params,
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    dh: &Array3<f64>,
    lr: f64,
    max_norm: f64,
) -> f64 {
    let _ = (p, x, h0, c0, dh, lr, max_norm);
    todo!("backward, clip, step")
}
