//! alternative: explicit loops, half away from zero as floor(|x| + 0.5) with the sign copied back, an early return for an all-zero tensor

// trends/quantize: symmetric int8 quantization of a weight tensor.

/// Symmetric per-tensor int8 quantization of `w`: one scale for the whole tensor,
/// `scale = max|w| / 127`, and `q = round(w / scale)` (half away from zero, as `f64::round`)
/// clamped to [−127, 127]. Zero maps to zero exactly. An all-zero (or empty) tensor gets
/// `scale = 1.0`. Returns `(q, scale)`.
pub fn quantize(w: &[f64]) -> (Vec<i8>, f64) {
    let mut max_abs = 0.0_f64;
    for v in w {
        if v.abs() > max_abs {
            max_abs = v.abs();
        }
    }
    if max_abs == 0.0 {
        return (vec![0; w.len()], 1.0);
    }
    let scale = max_abs / 127.0;
    let mut q = Vec::with_capacity(w.len());
    for v in w {
        let level = (v.abs() / scale + 0.5).floor().min(127.0);
        q.push(level.copysign(*v) as i8);
    }
    (q, scale)
}

/// The weights `q` stand for: `q · scale`.
pub fn dequantize(q: &[i8], scale: f64) -> Vec<f64> {
    q.iter().map(|&v| v as f64 * scale).collect()
}

/// Bytes saved by storing `n_weights` weights as int8 plus one f64 scale instead of as f64:
/// `8 n − (n + 8)`. Negative when quantizing does not pay (a single weight).
pub fn memory_saved(n_weights: usize) -> i64 {
    let n = n_weights as i64;
    let as_f64 = 8 * n;
    let as_int8 = n + std::mem::size_of::<f64>() as i64;
    as_f64 - as_int8
}
