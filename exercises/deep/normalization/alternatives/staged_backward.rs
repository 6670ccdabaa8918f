//! alternative: weights drawn entry by entry with gen_range and StandardNormal, batch norm per column with loops, backward staged through the variance and the mean (CS231n's computational graph)

// deep/normalization: Xavier and He initialization, batch norm (train, eval, backward), layer norm.

use ndarray::{Array1, Array2, Axis};
use ndarray_rand::rand_distr::StandardNormal;
use rand::Rng;

/// Xavier/Glorot uniform initialization of a (fan_in, fan_out) weight matrix (row convention,
/// x W): every entry drawn from `rng`, uniform on [−a, a] with a = √(6 / (fan_in + fan_out)).
pub fn xavier_uniform(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
    Array2::from_shape_fn((fan_in, fan_out), |_| rng.gen_range(-a..=a))
}

/// He/Kaiming normal initialization (mode fan_in, for relu) of a (fan_in, fan_out) matrix:
/// every entry drawn from `rng`, normal with mean 0 and standard deviation √(2 / fan_in).
pub fn kaiming_normal(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let std = (2.0 / fan_in as f64).sqrt();
    Array2::from_shape_fn((fan_in, fan_out), |_| {
        let z: f64 = rng.sample(StandardNormal);
        std * z
    })
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

/// Mean and sum of squared deviations of one column.
fn moments(column: &[f64]) -> (f64, f64) {
    let n = column.len() as f64;
    let mean = column.iter().sum::<f64>() / n;
    let squares = column.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>();
    (mean, squares)
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

    /// Training mode: normalize each column with the batch mean μ and the biased batch
    /// variance σ² (divided by n): y = γ (x − μ) / √(σ² + ε) + β. Then update the running
    /// estimates: running ← (1 − momentum) running + momentum · batch statistic, where the
    /// running variance takes the unbiased batch variance (divided by n − 1).
    pub fn forward_train(&mut self, x: &Array2<f64>) -> Array2<f64> {
        let (n, d) = x.dim();
        let mut y = Array2::zeros((n, d));
        for j in 0..d {
            let column = x.column(j).to_vec();
            let (mean, squares) = moments(&column);
            let std = (squares / n as f64 + self.eps).sqrt();
            for i in 0..n {
                y[[i, j]] = self.gamma[j] * (column[i] - mean) / std + self.beta[j];
            }
            self.running_mean[j] += self.momentum * (mean - self.running_mean[j]);
            let unbiased = squares / (n as f64 - 1.0);
            self.running_var[j] += self.momentum * (unbiased - self.running_var[j]);
        }
        y
    }

    /// Evaluation mode: the same normalization with the running mean and variance.
    pub fn forward_eval(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut y = x.clone();
        for (j, mut column) in y.columns_mut().into_iter().enumerate() {
            let std = (self.running_var[j] + self.eps).sqrt();
            column
                .mapv_inplace(|v| self.gamma[j] * (v - self.running_mean[j]) / std + self.beta[j]);
        }
        y
    }
}

/// Backward of training-mode batch norm y = γ x̂ + β, x̂ = (x − μ) / √(σ² + ε) with the batch
/// statistics of `x` (n, d): given dL/dy (n, d), return (dL/dx (n, d), dL/dγ (d), dL/dβ (d)).
pub fn batch_norm_backward(
    x: &Array2<f64>,
    gamma: &Array1<f64>,
    eps: f64,
    dout: &Array2<f64>,
) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let n = x.nrows() as f64;
    let mu = x.mean_axis(Axis(0)).expect("at least one row");
    let centred = x - &mu;
    let var = centred.mapv(|v| v * v).sum_axis(Axis(0)) / n;
    let std = var.mapv(|v| (v + eps).sqrt());
    let x_hat = &centred / &std;
    let dbeta = dout.sum_axis(Axis(0));
    let dgamma = (dout * &x_hat).sum_axis(Axis(0));
    let dx_hat = dout * gamma;
    // x̂ = centred · (σ² + ε)^(−1/2): through the variance...
    let dvar = (&dx_hat * &centred).sum_axis(Axis(0)) * &std.mapv(|s| -0.5 / (s * s * s));
    // ...and through the centred values, which feed both x̂ and σ².
    let dcentred = &dx_hat / &std + &(&centred * &(2.0 / n * &dvar));
    // centred = x − μ: the mean takes 1/n of every row's share back.
    let dmu = dcentred.sum_axis(Axis(0));
    let dx = dcentred - &(dmu / n);
    (dx, dgamma, dbeta)
}

/// Layer normalization of (n, d) inputs, PyTorch's `LayerNorm(d)`: each row (example) is
/// normalized over its d features with its own mean and biased variance, then scaled by γ
/// and shifted by β (one per feature): y = γ (x − μ_row) / √(σ²_row + ε) + β.
pub fn layer_norm(
    x: &Array2<f64>,
    gamma: &Array1<f64>,
    beta: &Array1<f64>,
    eps: f64,
) -> Array2<f64> {
    let mut y = x.clone();
    for mut row in y.rows_mut() {
        let (mean, squares) = moments(&row.to_vec());
        let std = (squares / row.len() as f64 + eps).sqrt();
        for (j, v) in row.iter_mut().enumerate() {
            *v = gamma[j] * (*v - mean) / std + beta[j];
        }
    }
    y
}
