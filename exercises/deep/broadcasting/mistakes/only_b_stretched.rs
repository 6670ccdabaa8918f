//! mistake: broadcast_op stretches b to a's shape only, so it returns None when a is the operand that must stretch
//! fails: broadcast_op
//! message: "both operands stretch"

// deep/broadcasting: NumPy's broadcasting rules, and the gradient of a broadcast operand.
// `learnml show deep/broadcasting` shows the full statement; `learnml check deep/broadcasting` grades this file.

use ndarray::{ArrayD, Axis, Zip};

/// The shape two operands of shapes `a` and `b` broadcast to, by NumPy's rules: align the
/// shapes from the right (the shorter one is padded with 1s on the left); on each axis the
/// sizes must be equal or one of them 1, which stretches to the other. `None` when the
/// shapes are incompatible. Example: (3, 1) and (4,) give (3, 4); (2, 3) and (2,) give None.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let pad = |s: &[usize], k: usize| -> usize {
        if k + s.len() >= n {
            s[k + s.len() - n]
        } else {
            1
        }
    };
    (0..n)
        .map(|k| match (pad(a, k), pad(b, k)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// `f` applied elementwise to `a` and `b` broadcast to their common shape (an element of
/// the result is `f(a element, b element)`, in that order); `None` when the shapes are
/// incompatible.
pub fn broadcast_op(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: impl Fn(f64, f64) -> f64,
) -> Option<ArrayD<f64>> {
    // b is stretched to a's shape
    let vb = b.broadcast(a.raw_dim())?;
    Some(Zip::from(a).and(&vb).map_collect(|&x, &y| f(x, y)))
}

/// The gradient of an operand of shape `shape` that was broadcast to `grad.shape()`: `grad`
/// summed over the axes the broadcast added (the leading ones) and over the axes where
/// `shape` has a 1 that was stretched, keeping those as size-1 axes. The result has exactly
/// the shape `shape`.
pub fn sum_to_shape(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let mut g = grad.clone();
    while g.ndim() > shape.len() {
        g = g.sum_axis(Axis(0));
    }
    for (k, &size) in shape.iter().enumerate() {
        if size == 1 && g.shape()[k] != 1 {
            g = g.sum_axis(Axis(k)).insert_axis(Axis(k));
        }
    }
    g
}

/// The backward pass of c = a ⊙ b with broadcasting: given dL/dc (`grad_out`, of the
/// broadcast shape), return (dL/da, dL/db), of the shapes of `a` and `b`.
pub fn mul_backward(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    grad_out: &ArrayD<f64>,
) -> (ArrayD<f64>, ArrayD<f64>) {
    let da = grad_out * b;
    let db = grad_out * a;
    (sum_to_shape(&da, a.shape()), sum_to_shape(&db, b.shape()))
}
