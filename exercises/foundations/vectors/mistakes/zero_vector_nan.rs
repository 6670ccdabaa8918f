//! mistake: no zero-vector case: cosine similarity with a zero vector is 0 / 0 = NaN
//! fails: zero_vector
//! message: "NaN"

// foundations/vectors: dot product, L1 and L2 norms, cosine similarity.

use ndarray::Array1;

/// The dot product `sum of a[i] * b[i]`. `a` and `b` have the same length.
pub fn dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    a.dot(b)
}

/// The L1 (Manhattan) norm: the sum of the absolute values.
pub fn norm_l1(a: &Array1<f64>) -> f64 {
    a.iter().map(|x| x.abs()).sum()
}

/// The L2 (Euclidean) norm: the square root of the sum of squares.
pub fn norm_l2(a: &Array1<f64>) -> f64 {
    dot(a, a).sqrt()
}

/// Cosine similarity `a.b / (|a|_2 |b|_2)`, in [-1, 1].
pub fn cosine_similarity(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    dot(a, b) / (norm_l2(a) * norm_l2(b))
}
