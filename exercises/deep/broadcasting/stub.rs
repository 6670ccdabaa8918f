// deep/broadcasting: NumPy's broadcasting rules, and the gradient of a broadcast operand.
// `learnml show deep/broadcasting` shows the full statement; `learnml check deep/broadcasting` grades this file.

use ndarray::ArrayD; // also useful here: ndarray::{Axis, IxDyn, Zip}

/// The shape two operands of shapes `a` and `b` broadcast to, by NumPy's rules: align the
/// shapes from the right (the shorter one is padded with 1s on the left); on each axis the
/// sizes must be equal or one of them 1, which stretches to the other. `None` when the
/// shapes are incompatible. Example: (3, 1) and (4,) give (3, 4); (2, 3) and (2,) give None.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let _ = (a, b);
    todo!("walk both shapes from the right, padding the shorter with 1s")
}

/// `f` applied elementwise to `a` and `b` broadcast to their common shape (an element of
/// the result is `f(a element, b element)`, in that order); `None` when the shapes are
/// incompatible.
pub fn broadcast_op(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: impl Fn(f64, f64) -> f64,
) -> Option<ArrayD<f64>> {
    let _ = (a, b, f);
    todo!("broadcast_shape, then a.broadcast(..) and b.broadcast(..), then Zip")
}

/// The gradient of an operand of shape `shape` that was broadcast to `grad.shape()`: `grad`
/// summed over the axes the broadcast added (the leading ones) and over the axes where
/// `shape` has a 1 that was stretched, keeping those as size-1 axes. The result has exactly
/// the shape `shape`.
pub fn sum_to_shape(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let _ = (grad, shape);
    todo!(
        "sum the leading extra axes away, then sum (keeping the axis) where shape has a stretched 1"
    )
}

/// The backward pass of c = a ⊙ b with broadcasting: given dL/dc (`grad_out`, of the
/// broadcast shape), return (dL/da, dL/db), of the shapes of `a` and `b`.
pub fn mul_backward(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    grad_out: &ArrayD<f64>,
) -> (ArrayD<f64>, ArrayD<f64>) {
    let _ = (a, b, grad_out);
    todo!("dL/da = grad_out ⊙ b reduced to a's shape, and the same for b")
}
