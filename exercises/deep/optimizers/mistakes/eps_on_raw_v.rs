//! mistake: the paper's "efficient" Adam, lr_t = lr √(1 − β2^t) / (1 − β1^t) with ε added to √v instead of √v̂ (a larger ε early on), not PyTorch's rule
//! fails: adam_steps, adamw_decoupled
//! message: "instead of √v̂"

// deep/optimizers: SGD with momentum, Adam and AdamW, as PyTorch defines them.
// `learnml show deep/optimizers` shows the full statement; `learnml check deep/optimizers` grades this file.

use ndarray::Array1;

/// SGD with momentum, PyTorch's `torch.optim.SGD(momentum = μ)` (dampening 0, no Nesterov).
#[derive(Debug, Clone)]
pub struct SgdMomentum {
    pub lr: f64,
    pub momentum: f64,
    /// The velocity v, one entry per parameter, 0 before the first step.
    pub velocity: Array1<f64>,
}

impl SgdMomentum {
    pub fn new(lr: f64, momentum: f64, dim: usize) -> Self {
        Self {
            lr,
            momentum,
            velocity: Array1::zeros(dim),
        }
    }

    /// One step on `theta` with the gradient `grad`: v ← μ v + g, then θ ← θ − lr v.
    pub fn step(&mut self, theta: &mut Array1<f64>, grad: &Array1<f64>) {
        self.velocity = self.momentum * &self.velocity + grad;
        theta.scaled_add(-self.lr, &self.velocity);
    }
}

/// Adam's state and hyperparameters (PyTorch's defaults: β1 = 0.9, β2 = 0.999, ε = 1e-8).
/// `adam_step` and `adamw_step` share it; they differ in what `weight_decay` does.
#[derive(Debug, Clone)]
pub struct AdamState {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    /// First moment m (mean of the gradients), 0 before the first step.
    pub m: Array1<f64>,
    /// Second moment v (mean of the squared gradients), 0 before the first step.
    pub v: Array1<f64>,
    /// The number of steps taken so far (0 before the first step).
    pub t: i32,
}

impl AdamState {
    pub fn new(lr: f64, weight_decay: f64, dim: usize) -> Self {
        Self {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay,
            m: Array1::zeros(dim),
            v: Array1::zeros(dim),
            t: 0,
        }
    }
}

/// The Adam update of `theta` with the gradient `grad` (after any L2 term): t ← t + 1,
/// m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t),
/// θ ← θ − lr m̂ / (√v̂ + ε).
pub fn adam_update(s: &mut AdamState, theta: &mut Array1<f64>, grad: &Array1<f64>) {
    s.t += 1;
    s.m = s.beta1 * &s.m + (1.0 - s.beta1) * grad;
    s.v = s.beta2 * &s.v + (1.0 - s.beta2) * &grad.mapv(|g| g * g);
    // Kingma and Ba's "efficient" form: the corrections folded into the learning rate.
    let lr_t = s.lr * (1.0 - s.beta2.powi(s.t)).sqrt() / (1.0 - s.beta1.powi(s.t));
    *theta -= &(lr_t * &s.m / s.v.mapv(|v| v.sqrt() + s.eps));
}

/// PyTorch's `torch.optim.Adam(weight_decay = λ)`: L2 regularization, the decay is added to
/// the gradient (g ← g + λ θ) before the Adam update.
pub fn adam_step(s: &mut AdamState, theta: &mut Array1<f64>, grad: &Array1<f64>) {
    let g = grad + &(s.weight_decay * &*theta);
    adam_update(s, theta, &g);
}

/// PyTorch's `torch.optim.AdamW(weight_decay = λ)`: decoupled weight decay. First
/// θ ← θ − lr λ θ, then the Adam update with the raw gradient.
pub fn adamw_step(s: &mut AdamState, theta: &mut Array1<f64>, grad: &Array1<f64>) {
    let decay = s.lr * s.weight_decay;
    theta.mapv_inplace(|p| p - decay * p);
    adam_update(s, theta, grad);
}
