//! alternative: no ndarray broadcasting: padded shapes, strides and flat-index loops; reduction by accumulation

// deep/broadcasting: NumPy's broadcasting rules, and the gradient of a broadcast operand.
// `learnml show deep/broadcasting` shows the full statement; `learnml check deep/broadcasting` grades this file.

use ndarray::{ArrayD, IxDyn};

/// `shape` padded with 1s on the left to `n` axes.
fn padded(shape: &[usize], n: usize) -> Vec<usize> {
    let mut out = vec![1; n - shape.len()];
    out.extend_from_slice(shape);
    out
}

/// The broadcast shape by NumPy's rules, `None` when incompatible.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    padded(a, n)
        .into_iter()
        .zip(padded(b, n))
        .map(|(x, y)| match (x, y) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// For each element of the broadcast shape `out` (row-major), the flat index of the element
/// of an operand of shape `shape` it reads.
fn sources(shape: &[usize], out: &[usize]) -> Vec<usize> {
    let p = padded(shape, out.len());
    // row-major strides of the padded operand, 0 on stretched axes
    let mut strides = vec![0; p.len()];
    let mut stride = 1;
    for axis in (0..p.len()).rev() {
        strides[axis] = if p[axis] == 1 { 0 } else { stride };
        stride *= p[axis];
    }
    let total: usize = out.iter().product();
    (0..total)
        .map(|mut flat| {
            let mut src = 0;
            for axis in (0..out.len()).rev() {
                src += (flat % out[axis]) * strides[axis];
                flat /= out[axis];
            }
            src
        })
        .collect()
}

/// `f` elementwise on `a` and `b` broadcast together; `None` when incompatible.
pub fn broadcast_op(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    f: impl Fn(f64, f64) -> f64,
) -> Option<ArrayD<f64>> {
    let out = broadcast_shape(a.shape(), b.shape())?;
    let (va, vb): (Vec<f64>, Vec<f64>) = (a.iter().copied().collect(), b.iter().copied().collect());
    let values = sources(a.shape(), &out)
        .into_iter()
        .zip(sources(b.shape(), &out))
        .map(|(i, j)| f(va[i], vb[j]))
        .collect();
    ArrayD::from_shape_vec(IxDyn(&out), values).ok()
}

/// `grad` summed back into an operand of shape `shape`.
pub fn sum_to_shape(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let mut out = ArrayD::zeros(IxDyn(shape));
    let slots = out.as_slice_mut().expect("a new array is contiguous");
    for (g, i) in grad.iter().zip(sources(shape, grad.shape())) {
        slots[i] += g;
    }
    out
}

/// (dL/da, dL/db) of c = a ⊙ b with broadcasting, given dL/dc.
pub fn mul_backward(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    grad_out: &ArrayD<f64>,
) -> (ArrayD<f64>, ArrayD<f64>) {
    let times = |x: f64, y: f64| x * y;
    let ga = broadcast_op(grad_out, b, times).expect("b broadcasts to grad_out's shape");
    let gb = broadcast_op(grad_out, a, times).expect("a broadcasts to grad_out's shape");
    (sum_to_shape(&ga, a.shape()), sum_to_shape(&gb, b.shape()))
}
