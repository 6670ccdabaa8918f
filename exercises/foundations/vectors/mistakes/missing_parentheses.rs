//! mistake: `dot / na * nb` divides by |a| and then multiplies by |b| (missing parentheses)
//! fails: cosine
//! message: "parentheses"

// foundations/vectors: dot product, L1 and L2 norms, cosine similarity.

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
    let na = norm_l2(a);
    let nb = norm_l2(b);
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    dot(a, b) / na * nb
}
