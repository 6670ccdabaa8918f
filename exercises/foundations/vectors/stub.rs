// foundations/vectors: dot product, L1 and L2 norms, cosine similarity.
// `learnml show foundations/vectors` shows the full statement; `learnml check foundations/vectors` grades this file.

use ndarray::Array1;

/// The dot product `sum of a[i] * b[i]`. `a` and `b` have the same length.
pub fn dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    let _ = (a, b);
    todo!("multiply element by element and add up")
}

/// The L1 (Manhattan) norm: the sum of the absolute values.
pub fn norm_l1(a: &Array1<f64>) -> f64 {
    let _ = a;
    todo!("sum of |a[i]|")
}

/// The L2 (Euclidean) norm: the square root of the sum of squares.
pub fn norm_l2(a: &Array1<f64>) -> f64 {
    let _ = a;
    todo!("square root of the sum of a[i]^2")
}

/// Cosine similarity `a.b / (|a|_2 |b|_2)`, in [-1, 1].
/// Convention: 0.0 when `a` or `b` is the zero vector (as scikit-learn's `cosine_similarity`).
pub fn cosine_similarity(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    let _ = (a, b);
    todo!("dot product over the product of the L2 norms")
}
