//! alternative: one batch row at a time with index loops, gates recomputed going back instead of cached, clipping without the 1e-6 guard

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

fn gates(x: &[f64], h: &[f64], p: &Params, hd: usize) -> Vec<f64> {
    // pre-activations, computed by explicit loops (hidden sum first, then input, then bias)
    let mut z = vec![0.0; 4 * hd];
    for (r, zr) in z.iter_mut().enumerate() {
        let mut acc = 0.0;
        for (k, hk) in h.iter().enumerate() {
            acc += p.w_hh[[r, k]] * hk;
        }
        for (k, xk) in x.iter().enumerate() {
            acc += p.w_ih[[r, k]] * xk;
        }
        *zr = acc + p.b[r];
    }
    z
}

/// One step of the cell: from the input `x` (N x D) and the state `h`, `c` (N x H each),
/// the new state (h', c') with c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c').
pub fn lstm_step(
    x: &Array2<f64>,
    h: &Array2<f64>,
    c: &Array2<f64>,
    p: &Params,
) -> (Array2<f64>, Array2<f64>) {
    let (n, hd) = h.dim();
    let mut hn = Array2::zeros((n, hd));
    let mut cn = Array2::zeros((n, hd));
    for r in 0..n {
        let xr: Vec<f64> = x.row(r).to_vec();
        let hr: Vec<f64> = h.row(r).to_vec();
        let z = gates(&xr, &hr, p, hd);
        for j in 0..hd {
            let i = sigmoid(z[j]);
            let f = sigmoid(z[hd + j]);
            let g = z[2 * hd + j].tanh();
            let o = sigmoid(z[3 * hd + j]);
            let cc = i * g + f * c[[r, j]];
            cn[[r, j]] = cc;
            hn[[r, j]] = o * cc.tanh();
        }
    }
    (hn, cn)
}

/// The cell run over the sequence `x` (T x N x D, time first as in PyTorch's default) from
/// the state (h0, c0): every hidden state h_1..h_T (T x N x H) and the last cell state c_T.
pub fn lstm_forward(
    x: &Array3<f64>,
    h0: &Array2<f64>,
    c0: &Array2<f64>,
    p: &Params,
) -> (Array3<f64>, Array2<f64>) {
    let t_len = x.shape()[0];
    let (n, hd) = h0.dim();
    let mut hs = Array3::zeros((t_len, n, hd));
    let mut h = h0.clone();
    let mut c = c0.clone();
    for t in 0..t_len {
        let xt = x.index_axis(ndarray::Axis(0), t).to_owned();
        let (h2, c2) = lstm_step(&xt, &h, &c, p);
        hs.index_axis_mut(ndarray::Axis(0), t).assign(&h2);
        h = h2;
        c = c2;
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
    let (t_len, n, d) = x.dim();
    let hd = h0.ncols();
    let mut g = Grads {
        w_ih: Array2::zeros(p.w_ih.raw_dim()),
        w_hh: Array2::zeros(p.w_hh.raw_dim()),
        b: Array1::zeros(p.b.raw_dim()),
        h0: Array2::zeros((n, hd)),
        c0: Array2::zeros((n, hd)),
    };
    // each batch row is an independent sequence: backpropagate row by row
    for r in 0..n {
        // forward for this row, keeping only the states; the gates are recomputed going back
        let mut hs = vec![h0.row(r).to_vec()];
        let mut cs = vec![c0.row(r).to_vec()];
        for t in 0..t_len {
            let xr: Vec<f64> = (0..d).map(|k| x[[t, r, k]]).collect();
            let z = gates(&xr, &hs[t], p, hd);
            let mut hn = vec![0.0; hd];
            let mut cn = vec![0.0; hd];
            for j in 0..hd {
                let i = sigmoid(z[j]);
                let f = sigmoid(z[hd + j]);
                let gg = z[2 * hd + j].tanh();
                let o = sigmoid(z[3 * hd + j]);
                cn[j] = f * cs[t][j] + i * gg;
                hn[j] = o * cn[j].tanh();
            }
            hs.push(hn);
            cs.push(cn);
        }
        let mut dh_next = vec![0.0; hd];
        let mut dc_next = vec![0.0; hd];
        for t in (0..t_len).rev() {
            let xr: Vec<f64> = (0..d).map(|k| x[[t, r, k]]).collect();
            let z = gates(&xr, &hs[t], p, hd);
            let mut dz = vec![0.0; 4 * hd];
            let mut dc_prev = vec![0.0; hd];
            for j in 0..hd {
                let i = sigmoid(z[j]);
                let f = sigmoid(z[hd + j]);
                let gg = z[2 * hd + j].tanh();
                let o = sigmoid(z[3 * hd + j]);
                let tc = cs[t + 1][j].tanh();
                let dhj = dh[[t, r, j]] + dh_next[j];
                let dcj = dc_next[j] + dhj * o * (1.0 - tc * tc);
                dz[j] = dcj * gg * i * (1.0 - i);
                dz[hd + j] = dcj * cs[t][j] * f * (1.0 - f);
                dz[2 * hd + j] = dcj * i * (1.0 - gg * gg);
                dz[3 * hd + j] = dhj * tc * o * (1.0 - o);
                dc_prev[j] = dcj * f;
            }
            let mut dh_prev = vec![0.0; hd];
            for (rr, dzr) in dz.iter().enumerate() {
                for (k, xk) in xr.iter().enumerate() {
                    g.w_ih[[rr, k]] += dzr * xk;
                }
                for k in 0..hd {
                    g.w_hh[[rr, k]] += dzr * hs[t][k];
                    dh_prev[k] += dzr * p.w_hh[[rr, k]];
                }
                g.b[rr] += dzr;
            }
            dh_next = dh_prev;
            dc_next = dc_prev;
        }
        for j in 0..hd {
            g.h0[[r, j]] = dh_next[j];
            g.c0[[r, j]] = dc_next[j];
        }
    }
    g
}

/// Clip the parameters' gradients (`w_ih`, `w_hh`, `b`; not `h0`, `c0`) by their global norm,
/// as `torch.nn.utils.clip_grad_norm_` does: total = the L2 norm of all their entries
/// together; when total > max_norm, multiply every one by max_norm / (total + 1e-6).
/// Returns the total norm before clipping.
pub fn clip_grad_norm(g: &mut Grads, max_norm: f64) -> f64 {
    // per-tensor norms combined (another summation order), and no 1e-6 guard
    let a = g.w_ih.iter().map(|v| v * v).sum::<f64>().sqrt();
    let b = g.w_hh.iter().map(|v| v * v).sum::<f64>().sqrt();
    let c = g.b.iter().map(|v| v * v).sum::<f64>().sqrt();
    let total = (a * a + b * b + c * c).sqrt();
    if total > max_norm {
        let s = max_norm / total;
        g.w_ih.mapv_inplace(|v| v * s);
        g.w_hh.mapv_inplace(|v| v * s);
        g.b.mapv_inplace(|v| v * s);
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
