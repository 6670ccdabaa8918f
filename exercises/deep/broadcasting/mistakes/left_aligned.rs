//! mistake: the shapes are aligned from the left (padded with 1s on the right)
//! fails: broadcast_shape
//! message: "aligned from the left"

// deep/broadcasting: NumPy's broadcasting rules, and the gradient of a broadcast operand.
// `learnml show deep/broadcasting` shows the full statement; `learnml check deep/broadcasting` grades this file.

use ndarray::{ArrayD, Axis, IxDyn, Zip};

/// The shape two operands of shapes `a` and `b` broadcast to, by NumPy's rules: align the
/// shapes from the right (the shorter one is padded with 1s on the left); on each axis the
/// sizes must be equal or one of them 1, which stretches to the other. `None` when the
/// shapes are incompatible. Example: (3, 1) and (4,) give (3, 4); (2, 3) and (2,) give None.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for (i, size) in out.iter_mut().enumerate() {
        let da = a.get(i).copied().unwrap_or(1);
        let db = b.get(i).copied().unwrap_or(1);
        *size = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return None;
        };
    }
    Some(out)
}

/// `f` applied elementwise to `a` and `b` broadcast to their common shape (an element of
/// the result is `f(a element, b element)`, in that order); `None` when the shapes are
/// incompatible.
pub fn broadcast_op(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: impl Fn(f64, f64) -> f64,
) -> Option<ArrayD<f64>> {
    let shape = IxDyn(&broadcast_shape(a.shape(), b.shape())?);
    let (va, vb) = (a.broadcast(shape.clone())?, b.broadcast(shape)?);
    Some(Zip::from(&va).and(&vb).map_collect(|&x, &y| f(x, y)))
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
    for (axis, &size) in shape.iter().enumerate() {
        if size == 1 && g.shape()[axis] != 1 {
            g = g.sum_axis(Axis(axis)).insert_axis(Axis(axis));
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
    let da = sum_to_shape(&(grad_out * b), a.shape());
    let db = sum_to_shape(&(grad_out * a), b.shape());
    (da, db)
}
