//! alternative: general_mat_mul into preallocated buffers, slices assigned in place, select_nth_unstable
// production/latency: batched inference, latency percentiles (nearest rank), a memory budget.
// `learnml show production/latency` shows the full statement; `learnml check production/latency` grades this file.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView1, Axis, s};

/// A small multilayer perceptron: `relu(x w1 + b1) w2 + b2`.
/// `w1` is (n_features, n_hidden), `b1` n_hidden, `w2` (n_hidden, n_outputs), `b2` n_outputs.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub w1: Array2<f64>,
    pub b1: Array1<f64>,
    pub w2: Array2<f64>,
    pub b2: Array1<f64>,
}

pub fn predict_one(model: &Mlp, x: ArrayView1<f64>) -> Array1<f64> {
    let batch = x.insert_axis(Axis(0)).to_owned();
    predict_batch(model, &batch).row(0).to_owned()
}

pub fn predict_batch(model: &Mlp, x: &Array2<f64>) -> Array2<f64> {
    let n = x.nrows();
    let mut hidden = Array2::zeros((n, model.w1.ncols()));
    hidden.assign(&model.b1.broadcast((n, model.b1.len())).unwrap());
    general_mat_mul(1.0, x, &model.w1, 1.0, &mut hidden);
    hidden.mapv_inplace(|v| if v > 0.0 { v } else { 0.0 });
    let mut out = Array2::zeros((n, model.w2.ncols()));
    out.assign(&model.b2.broadcast((n, model.b2.len())).unwrap());
    general_mat_mul(1.0, &hidden, &model.w2, 1.0, &mut out);
    out
}

pub fn predict_in_batches(model: &Mlp, x: &Array2<f64>, batch_size: usize) -> Array2<f64> {
    let n = x.nrows();
    let mut out = Array2::zeros((n, model.w2.ncols()));
    let mut start = 0;
    while start < n {
        let end = (start + batch_size).min(n);
        let part = predict_batch(model, &x.slice(s![start..end, ..]).to_owned());
        out.slice_mut(s![start..end, ..]).assign(&part);
        start = end;
    }
    out
}

pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let n = samples.len();
    let mut rank = (p * n as f64 / 100.0).ceil() as usize;
    rank = rank.clamp(1, n);
    let mut copy = samples.to_vec();
    let (_, value, _) = copy.select_nth_unstable_by(rank - 1, |a, b| a.partial_cmp(b).unwrap());
    *value
}

pub fn max_batch_size(model: &Mlp, budget_bytes: usize) -> usize {
    let values_per_row = model.w1.nrows() + model.w1.ncols() + model.w2.ncols();
    let bytes_per_row = values_per_row * std::mem::size_of::<f64>();
    let mut batch = 0;
    while (batch + 1) * bytes_per_row <= budget_bytes {
        batch += 1;
    }
    batch
}
