//! alternative: He's normals by a hand-written Box-Muller (both of each pair), Xavier drawn column by column with gen_range on the closed interval, loops everywhere, variance as E[x²] − μ², backward as γ/σ times the projection off the mean and x̂

// deep/normalization: Xavier and He initialization, batch norm (train, eval, backward), layer norm.
// `learnml show deep/normalization` shows the full statement; `learnml check deep/normalization` grades this file.

use ndarray::{Array1, Array2};
use rand::Rng;

/// Xavier: filled column by column with gen_range on the closed interval.
pub fn xavier_uniform(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
    let mut w = Array2::zeros((fan_in, fan_out));
    for j in 0..fan_out {
        for i in 0..fan_in {
            w[[i, j]] = rng.gen_range(-a..=a);
        }
    }
    w
}

/// He: Box-Muller by hand, both normals of each pair used.
pub fn kaiming_normal(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let sigma = (2.0 / fan_in as f64).sqrt();
    let total = fan_in * fan_out;
    let mut values = Vec::with_capacity(total + 1);
    while values.len() < total {
        let u1: f64 = 1.0 - rng.r#gen::<f64>();
        let u2: f64 = rng.r#gen::<f64>();
        let r = (-2.0 * u1.ln()).sqrt();
        let angle = 2.0 * std::f64::consts::PI * u2;
        values.push(sigma * r * angle.cos());
        values.push(sigma * r * angle.sin());
    }
    values.truncate(total);
    Array2::from_shape_vec((fan_in, fan_out), values).unwrap()
}

/// Batch normalization over the batch axis of (n, d) inputs, PyTorch's `BatchNorm1d`.
#[derive(Debug, Clone)]
pub struct BatchNorm {
    /// Scale γ and shift β, one per feature.
    pub gamma: Array1<f64>,
    pub beta: Array1<f64>,
    /// Running estimates used in evaluation mode (start at 0 and 1).
    pub running_mean: Array1<f64>,
    pub running_var: Array1<f64>,
    /// Weight of the new batch in the running estimates (PyTorch: 0.1).
    pub momentum: f64,
    /// Added to the variance inside the square root (PyTorch: 1e-5).
    pub eps: f64,
}

/// Mean and biased variance of column j, the variance as E[x²] − μ².
fn column_stats(x: &Array2<f64>, j: usize) -> (f64, f64) {
    let n = x.nrows() as f64;
    let mut sum = 0.0;
    let mut sq = 0.0;
    for i in 0..x.nrows() {
        sum += x[[i, j]];
        sq += x[[i, j]] * x[[i, j]];
    }
    let mean = sum / n;
    (mean, sq / n - mean * mean)
}

impl BatchNorm {
    pub fn new(features: usize) -> Self {
        Self {
            gamma: Array1::ones(features),
            beta: Array1::zeros(features),
            running_mean: Array1::zeros(features),
            running_var: Array1::ones(features),
            momentum: 0.1,
            eps: 1e-5,
        }
    }

    pub fn forward_train(&mut self, x: &Array2<f64>) -> Array2<f64> {
        let (n, d) = x.dim();
        let mut y = Array2::zeros((n, d));
        for j in 0..d {
            let (mean, var) = column_stats(x, j);
            let inv = 1.0 / (var + self.eps).sqrt();
            for i in 0..n {
                y[[i, j]] = self.gamma[j] * (x[[i, j]] - mean) * inv + self.beta[j];
            }
            let unbiased = var * n as f64 / (n as f64 - 1.0);
            self.running_mean[j] += self.momentum * (mean - self.running_mean[j]);
            self.running_var[j] += self.momentum * (unbiased - self.running_var[j]);
        }
        y
    }

    pub fn forward_eval(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut y = x.clone();
        for ((_, j), v) in y.indexed_iter_mut() {
            let scale = self.gamma[j] / (self.running_var[j] + self.eps).sqrt();
            *v = (*v - self.running_mean[j]) * scale + self.beta[j];
        }
        y
    }
}

/// The backward as γ/σ times the projection of dout off the mean and x̂ directions.
pub fn batch_norm_backward(
    x: &Array2<f64>,
    gamma: &Array1<f64>,
    eps: f64,
    dout: &Array2<f64>,
) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let (n, d) = x.dim();
    let mut dx = Array2::zeros((n, d));
    let mut dgamma = Array1::zeros(d);
    let mut dbeta = Array1::zeros(d);
    for j in 0..d {
        let (mean, var) = column_stats(x, j);
        let sigma = (var + eps).sqrt();
        let xhat: Vec<f64> = (0..n).map(|i| (x[[i, j]] - mean) / sigma).collect();
        let mut mean_dy = 0.0;
        let mut mean_dy_xhat = 0.0;
        for i in 0..n {
            dbeta[j] += dout[[i, j]];
            dgamma[j] += dout[[i, j]] * xhat[i];
            mean_dy += dout[[i, j]] / n as f64;
            mean_dy_xhat += dout[[i, j]] * xhat[i] / n as f64;
        }
        for i in 0..n {
            dx[[i, j]] = gamma[j] / sigma * (dout[[i, j]] - mean_dy - xhat[i] * mean_dy_xhat);
        }
    }
    (dx, dgamma, dbeta)
}

/// Layer norm: the column statistics of the transpose.
pub fn layer_norm(
    x: &Array2<f64>,
    gamma: &Array1<f64>,
    beta: &Array1<f64>,
    eps: f64,
) -> Array2<f64> {
    let t = x.t().to_owned();
    let mut y = Array2::zeros(x.dim());
    for i in 0..x.nrows() {
        let (mean, var) = column_stats(&t, i);
        let sigma = (var + eps).sqrt();
        for j in 0..x.ncols() {
            y[[i, j]] = gamma[j] * (x[[i, j]] - mean) / sigma + beta[j];
        }
    }
    y
}
