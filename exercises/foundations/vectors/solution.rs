// foundations/vectors: reference solution.

use ndarray::Array1;

/// The dot product `sum of a[i] * b[i]`. `a` and `b` have the same length.
pub fn dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    a.dot(b)
}

/// The L1 (Manhattan) norm: the sum of the absolute values.
pub fn norm_l1(a: &Array1<f64>) -> f64 {
    a.mapv(f64::abs).sum()
}

/// The L2 (Euclidean) norm: the square root of the sum of squares.
pub fn norm_l2(a: &Array1<f64>) -> f64 {
    a.dot(a).sqrt()
}

/// Cosine similarity `a.b / (|a|_2 |b|_2)`, in [-1, 1].
/// Convention: 0.0 when `a` or `b` is the zero vector (as scikit-learn's `cosine_similarity`).
pub fn cosine_similarity(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    let norms = norm_l2(a) * norm_l2(b);
    if norms == 0.0 { 0.0 } else { dot(a, b) / norms }
}
