//! mistake: sum_to_shape reduces the stretched 1s first, matching shape's axes to the grad's from the left, then sums the leading axes away
//! fails: sum_to_shape, mul_backward
//! message: "from the left"

// deep/broadcasting: NumPy's broadcasting rules, and the gradient of a broadcast operand.
// `learnml show deep/broadcasting` shows the full statement; `learnml check deep/broadcasting` grades this file.

use ndarray::{ArrayD, Axis, IxDyn};

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
    let shape = broadcast_shape(a.shape(), b.shape())?;
    let source = |arr: &ArrayD<f64>, ix: &IxDyn| -> f64 {
        let offset = shape.len() - arr.ndim();
        let idx: Vec<usize> = (0..arr.ndim())
            .map(|k| {
                if arr.shape()[k] == 1 {
                    0
                } else {
                    ix[k + offset]
                }
            })
            .collect();
        arr[IxDyn(&idx)]
    };
    Some(ArrayD::from_shape_fn(IxDyn(&shape), |ix| {
        f(source(a, &ix), source(b, &ix))
    }))
}

/// The gradient of an operand of shape `shape` that was broadcast to `grad.shape()`: `grad`
/// summed over the axes the broadcast added (the leading ones) and over the axes where
/// `shape` has a 1 that was stretched, keeping those as size-1 axes. The result has exactly
/// the shape `shape`.
pub fn sum_to_shape(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let mut g = grad.clone();
    for (k, &size) in shape.iter().enumerate() {
        if size == 1 && g.shape()[k] != 1 {
            g = g.sum_axis(Axis(k)).insert_axis(Axis(k));
        }
    }
    while g.ndim() > shape.len() {
        g = g.sum_axis(Axis(0));
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
    let da = broadcast_op(grad_out, b, |g, y| g * y).expect("shapes broadcast");
    let db = broadcast_op(grad_out, a, |g, x| g * x).expect("shapes broadcast");
    (sum_to_shape(&da, a.shape()), sum_to_shape(&db, b.shape()))
}
