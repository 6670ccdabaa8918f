// trends/quantize: int8 weights for a trained linear model, for small devices.
// `learnml show trends/quantize` shows the full statement; `learnml check trends/quantize` grades this file.

/// Symmetric per-tensor int8 quantization of `w`: one scale for the whole tensor,
/// `scale = max|w| / 127`, and `q = round(w / scale)` (half away from zero, as `f64::round`)
/// clamped to [−127, 127]. Zero maps to zero exactly. An all-zero (or empty) tensor gets
/// `scale = 1.0`. Returns `(q, scale)`.
pub fn quantize(w: &[f64]) -> (Vec<i8>, f64) {
    let _ = w;
    todo!("compute the scale, then round and clamp every weight")
}

/// The weights `q` stand for: `q · scale`.
pub fn dequantize(q: &[i8], scale: f64) -> Vec<f64> {
    let _ = (q, scale);
    todo!("multiply back by the scale")
}

/// Bytes saved by storing `n_weights` weights as int8 plus one f64 scale instead of as f64:
/// `8 n − (n + 8)`. Negative when quantizing does not pay (a single weight).
pub fn memory_saved(n_weights: usize) -> i64 {
    let _ = n_weights;
    todo!("bytes of the f64 weights minus bytes of the int8 weights and their scale")
}
