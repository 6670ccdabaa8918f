//! alternative: softmax as exp(z - log_sum_exp(z)), sigmoid through tanh, tanh as 1 - 2 / (e^2z + 1)

// neural/softmax: activations and a numerically stable softmax / log-sum-exp.

use ndarray::{Array1, ArrayView1};

/// The logistic sigmoid 1 / (1 + e^-z), finite for every finite z.
pub fn sigmoid(z: f64) -> f64 {
    // sigmoid(z) = (1 + tanh(z / 2)) / 2.
    0.5 * (1.0 + tanh(0.5 * z))
}

/// The rectified linear unit max(0, z).
pub fn relu(z: f64) -> f64 {
    if z > 0.0 { z } else { 0.0 }
}

/// The hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), in (-1, 1).
pub fn tanh(z: f64) -> f64 {
    // Multiply through by e^z: 1 - 2 / (e^2z + 1); with e^2z = inf it gives 1, with 0 it gives -1.
    1.0 - 2.0 / ((2.0 * z).exp() + 1.0)
}

/// log(Σ_i e^{z_i}), computed without overflow or underflow: m + log(Σ_i e^{z_i - m}) with
/// m = max_i z_i. `z` has at least one element.
pub fn log_sum_exp(z: ArrayView1<f64>) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for &v in z {
        total += (v - m).exp();
    }
    m + total.ln()
}

/// softmax(z)_i = e^{z_i} / Σ_j e^{z_j}, computed as e^{z_i - m} / Σ_j e^{z_j - m} with
/// m = max_j z_j. `z` has at least one element; the result sums to 1.
pub fn softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let lse = log_sum_exp(z);
    z.mapv(|v| (v - lse).exp())
}
