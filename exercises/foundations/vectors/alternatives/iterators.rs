//! alternative: iterators instead of ndarray's methods, the L2 norm as a fold of `hypot`, and a division by each norm in turn

// foundations/vectors: dot product, L1 and L2 norms, cosine similarity.

use ndarray::Array1;

/// The dot product `sum of a[i] * b[i]`. `a` and `b` have the same length.
pub fn dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum()
}

/// The L1 (Manhattan) norm: the sum of the absolute values.
pub fn norm_l1(a: &Array1<f64>) -> f64 {
    a.iter().map(|x| x.abs()).sum()
}

/// The L2 (Euclidean) norm: the square root of the sum of squares.
pub fn norm_l2(a: &Array1<f64>) -> f64 {
    // hypot(x, acc) = sqrt(x^2 + acc^2): folding it accumulates the norm without overflow.
    a.iter().fold(0.0, |acc, x| x.hypot(acc))
}

/// Cosine similarity `a.b / (|a|_2 |b|_2)`, in [-1, 1].
/// Convention: 0.0 when `a` or `b` is the zero vector (as scikit-learn's `cosine_similarity`).
pub fn cosine_similarity(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    match (norm_l2(a), norm_l2(b)) {
        (na, nb) if na > 0.0 && nb > 0.0 => dot(a, b) / na / nb,
        _ => 0.0,
    }
}
