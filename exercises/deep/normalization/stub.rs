// deep/normalization: Xavier and He initialization, batch norm (train, eval, backward), layer norm.
// `learnml show deep/normalization` shows the full statement; `learnml check deep/normalization` grades this file.

use ndarray::{Array1, Array2};
use rand::Rng;

/// Xavier/Glorot uniform initialization of a (fan_in, fan_out) weight matrix (row convention,
/// x W): every entry drawn from `rng`, uniform on [−a, a] with a = √(6 / (fan_in + fan_out)).
pub fn xavier_uniform(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let _ = (fan_in, fan_out, rng);
    todo!("uniform on [−a, a], a = √(6 / (fan_in + fan_out))")
}

/// He/Kaiming normal initialization (mode fan_in, for relu) of a (fan_in, fan_out) matrix:
/// every entry drawn from `rng`, normal with mean 0 and standard deviation √(2 / fan_in).
pub fn kaiming_normal(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Array2<f64> {
    let _ = (fan_in, fan_out, rng);
    todo!("normal, mean 0, standard deviation √(2 / fan_in)")
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
        let _ = x;
        todo!("batch mean, biased variance; update the running estimates")
    }

    /// Evaluation mode: the same normalization with the running mean and variance.
    pub fn forward_eval(&self, x: &Array2<f64>) -> Array2<f64> {
        let _ = x;
        todo!("normalize with the running mean and variance")
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
    let _ = (x, gamma, eps, dout);
    todo!("dx = (1/n)(1/σ)(n dx̂ − Σ dx̂ − x̂ Σ dx̂ x̂), dx̂ = dout γ")
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
    let _ = (x, gamma, beta, eps);
    todo!("normalize each row over its features")
}
