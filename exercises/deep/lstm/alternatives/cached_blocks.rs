//! alternative: per-gate weight blocks, a cache of every step, dz assembled with concatenate!, clipping with iterator chains

// deep/lstm: an LSTM cell over a sequence, backpropagation through time, gradient clipping.
// `learnml show deep/lstm` shows the full statement; `learnml check deep/lstm` grades this file.

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis, concatenate, s};

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

/// What one step remembers for the backward pass.
struct Cache {
    h_prev: Array2<f64>,
    c_prev: Array2<f64>,
    i: Array2<f64>,
    f: Array2<f64>,
    g: Array2<f64>,
    o: Array2<f64>,
    tanh_c: Array2<f64>,
}

/// Pre-activation of gate k (0: i, 1: f, 2: g, 3: o) from its own rows of the weights.
fn pre(k: usize, x: &ArrayView2<f64>, h: &Array2<f64>, p: &Params) -> Array2<f64> {
    let hd = h.ncols();
    let rows = s![k * hd..(k + 1) * hd, ..];
    x.dot(&p.w_ih.slice(rows).t())
        + h.dot(&p.w_hh.slice(rows).t())
        + p.b.slice(s![k * hd..(k + 1) * hd])
}

fn step_cached(
    x: &ArrayView2<f64>,
    h: &Array2<f64>,
    c: &Array2<f64>,
    p: &Params,
) -> (Array2<f64>, Array2<f64>, Cache) {
    let i = pre(0, x, h, p).mapv(sigmoid);
    let f = pre(1, x, h, p).mapv(sigmoid);
    let g = pre(2, x, h, p).mapv(f64::tanh);
    let o = pre(3, x, h, p).mapv(sigmoid);
    let c_new = &f * c + &i * &g;
    let tanh_c = c_new.mapv(f64::tanh);
    let h_new = &o * &tanh_c;
    let cache = Cache {
        h_prev: h.clone(),
        c_prev: c.clone(),
        i,
        f,
        g,
        o,
        tanh_c,
    };
    (h_new, c_new, cache)
}

/// One step of the cell: from the input `x` (N x D) and the state `h`, `c` (N x H each),
/// the new state (h', c') with c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c').
pub fn lstm_step(
    x: &Array2<f64>,
    h: &Array2<f64>,
    c: &Array2<f64>,
    p: &Params,
) -> (Array2<f64>, Array2<f64>) {
    let (h_new, c_new, _) = step_cached(&x.view(), h, c, p);
    (h_new, c_new)
}

fn run(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
) -> (Vec<Array2<f64>>, Array2<f64>, Vec<Cache>) {
    let mut hs = Vec::new();
    let mut caches = Vec::new();
    let (mut h, mut c) = (h0.clone(), c0.clone());
    for xt in x.axis_iter(Axis(0)) {
        let (h_new, c_new, cache) = step_cached(&xt, &h, &c, p);
        hs.push(h_new.clone());
        caches.push(cache);
        h = h_new;
        c = c_new;
    }
    (hs, c, caches)
}

/// The cell run over the sequence `x` (T x N x D, time first as in PyTorch's default) from
/// the state (h0, c0): every hidden state h_1..h_T (T x N x H) and the last cell state c_T.
pub fn lstm_forward(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
) -> (Array3<f64>, Array2<f64>) {
    let (hs, c, _) = run(x, h0, c0, p);
    let views: Vec<_> = hs.iter().map(|h| h.view()).collect();
    (ndarray::stack(Axis(0), &views).expect("same shapes"), c)
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
    let (_, _, caches) = run(x, h0, c0, p);
    let mut w_ih = Array2::zeros(p.w_ih.raw_dim());
    let mut w_hh = Array2::zeros(p.w_hh.raw_dim());
    let mut b = Array1::zeros(p.b.raw_dim());
    let mut dh_next = Array2::zeros(h0.raw_dim());
    let mut dc_next = Array2::zeros(c0.raw_dim());
    for (t, k) in caches.iter().enumerate().rev() {
        let dh_t = &dh.index_axis(Axis(0), t) + &dh_next;
        let dc = dc_next + &dh_t * &k.o * &(1.0 - &k.tanh_c * &k.tanh_c);
        let di = &dc * &k.g * &k.i * &(1.0 - &k.i);
        let df = &dc * &k.c_prev * &k.f * &(1.0 - &k.f);
        let dg = &dc * &k.i * &(1.0 - &k.g * &k.g);
        let d_o = &dh_t * &k.tanh_c * &k.o * &(1.0 - &k.o);
        let dz = concatenate![Axis(1), di, df, dg, d_o];
        w_ih += &dz.t().dot(&x.index_axis(Axis(0), t));
        w_hh += &dz.t().dot(&k.h_prev);
        b += &dz.sum_axis(Axis(0));
        dh_next = dz.dot(&p.w_hh);
        dc_next = dc * &k.f;
    }
    Grads {
        w_ih,
        w_hh,
        b,
        h0: dh_next,
        c0: dc_next,
    }
}

/// Clip the parameters' gradients (`w_ih`, `w_hh`, `b`; not `h0`, `c0`) by their global norm,
/// as `torch.nn.utils.clip_grad_norm_` does: total = the L2 norm of all their entries
/// together; when total > max_norm, multiply every one by max_norm / (total + 1e-6).
/// Returns the total norm before clipping.
pub fn clip_grad_norm(g: &mut Grads, max_norm: f64) -> f64 {
    let total = g
        .w_ih
        .iter()
        .chain(g.w_hh.iter())
        .chain(g.b.iter())
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt();
    let coef = (max_norm / (total + 1e-6)).min(1.0);
    g.w_ih
        .iter_mut()
        .chain(g.w_hh.iter_mut())
        .chain(g.b.iter_mut())
        .for_each(|v| *v *= coef);
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
