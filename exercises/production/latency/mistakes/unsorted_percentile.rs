//! mistake: takes the nearest rank in the samples' arrival order, without sorting
//! fails: percentile
//! message: "not sorted"
// production/latency: batched inference, latency percentiles (nearest rank), a memory budget.
// `learnml show production/latency` shows the full statement; `learnml check production/latency` grades this file.

use ndarray::{Array1, Array2, ArrayView1, Axis, concatenate};

/// A small multilayer perceptron: `relu(x w1 + b1) w2 + b2`.
/// `w1` is (n_features, n_hidden), `b1` n_hidden, `w2` (n_hidden, n_outputs), `b2` n_outputs.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub w1: Array2<f64>,
    pub b1: Array1<f64>,
    pub w2: Array2<f64>,
    pub b2: Array1<f64>,
}

/// The outputs for one input row `x` (n_features): n_outputs values.
pub fn predict_one(model: &Mlp, x: ArrayView1<f64>) -> Array1<f64> {
    let hidden = (x.dot(&model.w1) + &model.b1).mapv(|h| h.max(0.0));
    hidden.dot(&model.w2) + &model.b2
}

/// The outputs for every row of `x` (n_samples, n_features): (n_samples, n_outputs), row i
/// for input row i, with ONE matrix product per layer for the whole batch (no loop over rows).
pub fn predict_batch(model: &Mlp, x: &Array2<f64>) -> Array2<f64> {
    let hidden = (x.dot(&model.w1) + &model.b1).mapv(|h| h.max(0.0));
    hidden.dot(&model.w2) + &model.b2
}

/// `predict_batch` applied to consecutive chunks of at most `batch_size` rows (batch_size >= 1),
/// the results in the order of the input rows.
pub fn predict_in_batches(model: &Mlp, x: &Array2<f64>, batch_size: usize) -> Array2<f64> {
    let parts: Vec<Array2<f64>> = x
        .axis_chunks_iter(Axis(0), batch_size)
        .map(|chunk| predict_batch(model, &chunk.to_owned()))
        .collect();
    if parts.is_empty() {
        return Array2::zeros((0, model.b2.len()));
    }
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    concatenate(Axis(0), &views).unwrap()
}

/// The p-th percentile (0 < p <= 100) of `samples` (at least one, any order) by the
/// nearest-rank rule: sort ascending, rank = ceil(p * n / 100) (at least 1), the value at
/// that rank (1-based). Always one of the samples.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let sorted = samples.to_vec();
    let rank = ((p * sorted.len() as f64) / 100.0).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// The largest batch whose working memory fits `budget_bytes`: a batch of b rows holds its
/// input (b x n_features), hidden (b x n_hidden) and output (b x n_outputs) as f64, 8 bytes
/// each, so 8 b (n_features + n_hidden + n_outputs) bytes. The weights are not counted (they
/// are loaded once). 0 when not even one row fits.
pub fn max_batch_size(model: &Mlp, budget_bytes: usize) -> usize {
    let per_row = 8 * (model.w1.nrows() + model.w1.ncols() + model.w2.ncols());
    budget_bytes / per_row
}
