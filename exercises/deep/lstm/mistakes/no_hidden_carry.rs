//! mistake: BPTT drops the hidden-state path: the gradient reaching h_t is dh[t] alone, without dh_next from step t + 1
//! fails: bptt_weights, bptt_initial_state
//! message: "hidden-state path is dropped"

// deep/lstm: an LSTM cell over a sequence, backpropagation through time, gradient clipping.
// `learnml show deep/lstm` shows the full statement; `learnml check deep/lstm` grades this file.

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis, s};

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

/// The four gates (i, f, g, o), each N x H, from the input `x` (N x D) and the state `h`.
fn gates(x: &ArrayView2<f64>, h: &Array2<f64>, p: &Params) -> [Array2<f64>; 4] {
    let hd = h.ncols();
    let z = x.dot(&p.w_ih.t()) + h.dot(&p.w_hh.t()) + &p.b;
    let block = |k: usize| z.slice(s![.., k * hd..(k + 1) * hd]).to_owned();
    [
        block(0).mapv(sigmoid),
        block(1).mapv(sigmoid),
        block(2).mapv(f64::tanh),
        block(3).mapv(sigmoid),
    ]
}

/// One step of the cell: from the input `x` (N x D) and the state `h`, `c` (N x H each),
/// the new state (h', c') with c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c').
pub fn lstm_step(
    x: &Array2<f64>,
    h: &Array2<f64>,
    c: &Array2<f64>,
    p: &Params,
) -> (Array2<f64>, Array2<f64>) {
    let [i, f, g, o] = gates(&x.view(), h, p);
    let c_new = &f * c + &i * &g;
    let h_new = &o * &c_new.mapv(f64::tanh);
    (h_new, c_new)
}

/// The cell run over the sequence `x` (T x N x D, time first as in PyTorch's default) from
/// the state (h0, c0): every hidden state h_1..h_T (T x N x H) and the last cell state c_T.
pub fn lstm_forward(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
) -> (Array3<f64>, Array2<f64>) {
    let (t_len, n, _) = x.dim();
    let mut hs = Array3::zeros((t_len, n, h0.ncols()));
    let (mut h, mut c) = (h0.clone(), c0.clone());
    for t in 0..t_len {
        (h, c) = lstm_step(&x.index_axis(Axis(0), t).to_owned(), &h, &c, p);
        hs.index_axis_mut(Axis(0), t).assign(&h);
    }
    (hs, c)
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
    let t_len = x.dim().0;
    let hd = h0.ncols();
    let mut states = vec![(h0.clone(), c0.clone())];
    for t in 0..t_len {
        let (h, c) = &states[t];
        let next = lstm_step(&x.index_axis(Axis(0), t).to_owned(), h, c, p);
        states.push(next);
    }
    let mut g = Grads {
        w_ih: Array2::zeros(p.w_ih.raw_dim()),
        w_hh: Array2::zeros(p.w_hh.raw_dim()),
        b: Array1::zeros(p.b.raw_dim()),
        h0: Array2::zeros(h0.raw_dim()),
        c0: Array2::zeros(c0.raw_dim()),
    };
    let mut dh_next = Array2::<f64>::zeros(h0.raw_dim());
    let mut dc_next = Array2::<f64>::zeros(c0.raw_dim());
    for t in (0..t_len).rev() {
        let xt = x.index_axis(Axis(0), t);
        let (h_prev, c_prev) = &states[t];
        let tanh_c = states[t + 1].1.mapv(f64::tanh);
        let [i, f, gg, o] = gates(&xt, h_prev, p);
        let dh_t = dh.index_axis(Axis(0), t).to_owned();
        let dc = &dc_next + &(&dh_t * &o * &tanh_c.mapv(|v| 1.0 - v * v));
        let mut dz = Array2::zeros((xt.nrows(), 4 * hd));
        let blocks = [
            &dc * &gg * &i.mapv(|v| v * (1.0 - v)),
            &dc * c_prev * &f.mapv(|v| v * (1.0 - v)),
            &dc * &i * &gg.mapv(|v| 1.0 - v * v),
            &dh_t * &tanh_c * &o.mapv(|v| v * (1.0 - v)),
        ];
        for (k, block) in blocks.iter().enumerate() {
            dz.slice_mut(s![.., k * hd..(k + 1) * hd]).assign(block);
        }
        g.w_ih += &dz.t().dot(&xt);
        g.w_hh += &dz.t().dot(h_prev);
        g.b += &dz.sum_axis(Axis(0));
        dh_next = dz.dot(&p.w_hh);
        dc_next = dc * &f;
    }
    g.h0 = dh_next;
    g.c0 = dc_next;
    g
}

/// Clip the parameters' gradients (`w_ih`, `w_hh`, `b`; not `h0`, `c0`) by their global norm,
/// as `torch.nn.utils.clip_grad_norm_` does: total = the L2 norm of all their entries
/// together; when total > max_norm, multiply every one by max_norm / (total + 1e-6).
/// Returns the total norm before clipping.
pub fn clip_grad_norm(g: &mut Grads, max_norm: f64) -> f64 {
    let sq = |a: f64, v: &f64| a + v * v;
    let total =
        (g.w_ih.iter().fold(0.0, sq) + g.w_hh.iter().fold(0.0, sq) + g.b.iter().fold(0.0, sq))
            .sqrt();
    if total > max_norm {
        let scale = max_norm / (total + 1e-6);
        g.w_ih *= scale;
        g.w_hh *= scale;
        g.b *= scale;
    }
    total
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
    let mut g = lstm_backward(x, h0, c0, p, dh);
    let total = clip_grad_norm(&mut g, max_norm);
    sgd_step(p, &g, lr);
    total
}
