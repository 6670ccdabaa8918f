// production/latency: batched inference, latency percentiles (nearest rank), a memory budget.
// `learnml show production/latency` shows the full statement; `learnml check production/latency` grades this file.

use ndarray::{Array1, Array2, ArrayView1};

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
    let _ = (model, x);
    todo!("relu(x w1 + b1) w2 + b2 for one row")
}

/// The outputs for every row of `x` (n_samples, n_features): (n_samples, n_outputs), row i
/// for input row i, with ONE matrix product per layer for the whole batch (no loop over rows).
pub fn predict_batch(model: &Mlp, x: &Array2<f64>) -> Array2<f64> {
    let _ = (model, x);
    todo!("the same, with one matrix product per layer for all rows")
}

/// `predict_batch` applied to consecutive chunks of at most `batch_size` rows (batch_size >= 1),
/// the results in the order of the input rows.
pub fn predict_in_batches(model: &Mlp, x: &Array2<f64>, batch_size: usize) -> Array2<f64> {
    let _ = (model, x, batch_size);
    todo!("predict_batch on each chunk of rows, results in input order")
}

/// The p-th percentile (0 < p <= 100) of `samples` (at least one, any order) by the
/// nearest-rank rule: sort ascending, rank = ceil(p * n / 100) (at least 1), the value at
/// that rank (1-based). Always one of the samples.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let _ = (samples, p);
    todo!("sort, rank = ceil(p * n / 100), at least 1; sorted[rank - 1]")
}

/// The largest batch whose working memory fits `budget_bytes`: a batch of b rows holds its
/// input (b x n_features), hidden (b x n_hidden) and output (b x n_outputs) as f64, 8 bytes
/// each, so 8 b (n_features + n_hidden + n_outputs) bytes. The weights are not counted (they
/// are loaded once). 0 when not even one row fits.
pub fn max_batch_size(model: &Mlp, budget_bytes: usize) -> usize {
    let _ = (model, budget_bytes);
    todo!("8 bytes per value, n_features + n_hidden + n_outputs values per row")
}
