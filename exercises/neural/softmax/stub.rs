// neural/softmax: activations and a numerically stable softmax / log-sum-exp.
// `learnml show neural/softmax` shows the full statement; `learnml check neural/softmax` grades this file.

use ndarray::{Array1, ArrayView1};

/// The logistic sigmoid 1 / (1 + e^-z), finite for every finite z.
pub fn sigmoid(z: f64) -> f64 {
    let _ = z;
    todo!("1 / (1 + e^-z), without overflow for large |z|")
}

/// The rectified linear unit max(0, z).
pub fn relu(z: f64) -> f64 {
    let _ = z;
    todo!("max(0, z)")
}

/// The hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), in (-1, 1).
pub fn tanh(z: f64) -> f64 {
    let _ = z;
    todo!("the hyperbolic tangent")
}

/// log(Σ_i e^{z_i}), computed without overflow or underflow: m + log(Σ_i e^{z_i - m}) with
/// m = max_i z_i. `z` has at least one element.
pub fn log_sum_exp(z: ArrayView1<f64>) -> f64 {
    let _ = z;
    todo!("subtract the max before exponentiating")
}

/// softmax(z)_i = e^{z_i} / Σ_j e^{z_j}, computed as e^{z_i - m} / Σ_j e^{z_j - m} with
/// m = max_j z_j. `z` has at least one element; the result sums to 1.
pub fn softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let _ = z;
    todo!("subtract the max before exponentiating, then normalize")
}
