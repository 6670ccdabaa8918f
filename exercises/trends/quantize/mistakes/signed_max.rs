//! mistake: takes the scale from the largest weight, max(w), not the largest magnitude
//! fails: public_case
//! message: "largest absolute value"

// trends/quantize: symmetric int8 quantization of a weight tensor.

/// Symmetric per-tensor int8 quantization of `w`: one scale for the whole tensor,
/// `scale = max|w| / 127`, and `q = round(w / scale)` (half away from zero, as `f64::round`)
/// clamped to [−127, 127]. Zero maps to zero exactly. An all-zero (or empty) tensor gets
/// `scale = 1.0`. Returns `(q, scale)`.
pub fn quantize(w: &[f64]) -> (Vec<i8>, f64) {
    let max_abs = w.iter().cloned().fold(0.0_f64, f64::max);
    let scale = if max_abs > 0.0 { max_abs / 127.0 } else { 1.0 };
    let q = w
        .iter()
        .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, scale)
}

/// The weights `q` stand for: `q · scale`.
pub fn dequantize(q: &[i8], scale: f64) -> Vec<f64> {
    q.iter().map(|&v| v as f64 * scale).collect()
}

/// Bytes saved by storing `n_weights` weights as int8 plus one f64 scale instead of as f64:
/// `8 n − (n + 8)`. Negative when quantizing does not pay (a single weight).
pub fn memory_saved(n_weights: usize) -> i64 {
    8 * n_weights as i64 - (n_weights as i64 + 8)
}
