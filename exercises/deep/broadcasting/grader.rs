// Grader of deep/broadcasting. Broadcasting, reduction and the gradient check are the
// grader's own index arithmetic (loops over flat indices), independent of ndarray's
// broadcasting.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{ArrayD, IxDyn};
use rand::Rng as _;

use super::exercise::{broadcast_op, broadcast_shape, mul_backward, sum_to_shape};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("broadcast_shape", broadcast_shape_check),
    ("broadcast_op", broadcast_op_check),
    ("sum_to_shape", sum_to_shape_check),
    ("mul_backward", mul_backward_check),
];

/// Central differences use this step; the relative error bar is CS231n's for double precision.
const EPS: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

type Rng = learnml_kit::split::Rng;

/// NumPy's rule, as the grader writes it: pad the shorter shape with 1s on the left, then
/// on every axis equal sizes, or a 1 that takes the other size.
fn shape_ref(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let pa: Vec<usize> = std::iter::repeat_n(1, n - a.len())
        .chain(a.iter().copied())
        .collect();
    let pb: Vec<usize> = std::iter::repeat_n(1, n - b.len())
        .chain(b.iter().copied())
        .collect();
    pa.iter()
        .zip(&pb)
        .map(|(&x, &y)| match (x, y) {
            _ if x == y => Some(x),
            (1, _) => Some(y),
            (_, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// The classic wrong rules, to name them.
fn left_aligned(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let pa: Vec<usize> = a
        .iter()
        .copied()
        .chain(std::iter::repeat_n(1, n - a.len()))
        .collect();
    let pb: Vec<usize> = b
        .iter()
        .copied()
        .chain(std::iter::repeat_n(1, n - b.len()))
        .collect();
    shape_ref(&pa, &pb)
}

fn no_stretch(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let pa: Vec<usize> = std::iter::repeat_n(1, n - a.len())
        .chain(a.iter().copied())
        .collect();
    let pb: Vec<usize> = std::iter::repeat_n(1, n - b.len())
        .chain(b.iter().copied())
        .collect();
    (pa == pb).then_some(pa)
}

fn elementwise_max(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let pa: Vec<usize> = std::iter::repeat_n(1, n - a.len())
        .chain(a.iter().copied())
        .collect();
    let pb: Vec<usize> = std::iter::repeat_n(1, n - b.len())
        .chain(b.iter().copied())
        .collect();
    Some(pa.iter().zip(&pb).map(|(x, y)| *x.max(y)).collect())
}

/// The multi-index of flat index `flat` in row-major order.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for axis in (0..shape.len()).rev() {
        index[axis] = flat % shape[axis];
        flat /= shape[axis];
    }
    index
}

/// The flat index into an operand of shape `shape` read at position `index` of the
/// broadcast result: leading axes dropped, stretched axes read at 0.
fn source(index: &[usize], shape: &[usize]) -> usize {
    let offset = index.len() - shape.len();
    shape.iter().enumerate().fold(0, |flat, (axis, &size)| {
        flat * size + if size == 1 { 0 } else { index[offset + axis] }
    })
}

fn array(shape: &[usize], r: &mut Rng) -> ArrayD<f64> {
    ArrayD::from_shape_fn(IxDyn(shape), |_| r.gen_range(-2.0..2.0))
}

fn flat(a: &ArrayD<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

/// A seeded result shape (rank 0 to 4, sizes 2 to 4, with some 1s) and two operand shapes
/// that broadcast to it: suffixes of it with some axes turned into 1.
fn compatible(r: &mut Rng) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let rank = r.gen_range(1..5);
    let out: Vec<usize> = (0..rank)
        .map(|_| {
            if r.gen_range(0..5) == 0 {
                1
            } else {
                r.gen_range(2..5)
            }
        })
        .collect();
    let operand = |r: &mut Rng| -> Vec<usize> {
        let keep = r.gen_range(0..=rank);
        out[rank - keep..]
            .iter()
            .map(|&d| if r.gen_range(0..3) == 0 { 1 } else { d })
            .collect()
    };
    let (a, b) = (operand(r), operand(r));
    let result = shape_ref(&a, &b).expect("suffixes with 1s are compatible");
    (a, b, result)
}

fn shape_cases() -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
        (vec![3, 1], vec![4]),
        (vec![2, 3], vec![3]),
        (vec![2, 3], vec![2]),
        (vec![5, 1, 4], vec![3, 1]),
        (vec![], vec![2, 3]),
        (vec![1], vec![0]),
        (vec![4, 3], vec![1, 3]),
        (vec![2, 1, 3], vec![2, 3]),
    ];
    let mut r = rng(1);
    for _ in 0..20 {
        let (a, b, _) = compatible(&mut r);
        cases.push((a.clone(), b.clone()));
        // an incompatible variant: one axis of b changed to a size neither 1 nor a's
        if let Some(axis) = (0..b.len()).find(|&i| b[i] > 1) {
            let mut bad = b.clone();
            bad[axis] = 7;
            cases.push((a, bad));
        }
    }
    cases
}

fn broadcast_shape_check() -> Graded {
    let cases = shape_cases();
    let got: Vec<Option<Vec<usize>>> = cases.iter().map(|(a, b)| broadcast_shape(a, b)).collect();
    let Some(first) = (0..cases.len()).find(|&k| got[k] != shape_ref(&cases[k].0, &cases[k].1))
    else {
        return pass(
            "broadcast_shape right on 8 named cases and 40 seeded pairs, compatible and not (aligned from the right, 1 stretches, even to 0)",
        );
    };
    // a wrong rule is named when it explains every answer, not one case
    type Rule = fn(&[usize], &[usize]) -> Option<Vec<usize>>;
    let rules: [(Rule, &str); 3] = [
        (
            left_aligned,
            "the shapes were aligned from the left; NumPy aligns them from the right (trailing axes first), padding the shorter shape with 1s on the left",
        ),
        (
            no_stretch,
            "a 1 was rejected: an axis of size 1 stretches to the other operand's size",
        ),
        (
            elementwise_max,
            "incompatible shapes were accepted by taking the larger size on each axis: sizes must be equal or one of them 1 (which stretches, even to 0)",
        ),
    ];
    let why = rules
        .iter()
        .find(|(rule, _)| cases.iter().zip(&got).all(|((a, b), g)| *g == rule(a, b)))
        .map_or(String::new(), |(_, why)| format!(": {why}"));
    let (a, b) = &cases[first];
    Err(fail(format!(
        "broadcast_shape({a:?}, {b:?}): expected {:?}, got {:?}{why}",
        shape_ref(a, b),
        got[first]
    )))
    .hint("walk the axes from the right; a missing axis counts as 1; equal sizes or a 1 combine, anything else is None")
}

fn broadcast_op_check() -> Graded {
    let mut r = rng(2);
    // a non-commutative f, so that swapped operands show
    let f = |x: f64, y: f64| x - 2.0 * y;
    for case in 0..15 {
        let (sa, sb, out) = compatible(&mut r);
        let (a, b) = (array(&sa, &mut r), array(&sb, &mut r));
        let what = format!("broadcast_op, a of shape {sa:?}, b of shape {sb:?}, f(x, y) = x - 2y");
        let Some(got) = broadcast_op(&a, &b, f) else {
            return Err(fail(format!(
                "{what}: got None, but the shapes broadcast to {out:?}: both operands stretch to the common shape (a may need it too, not only b)"
            )));
        };
        equal(
            &format!("{what}: shape of the result"),
            &got.shape().to_vec(),
            &out,
        )
        .hint("the result has the broadcast shape")?;
        let (fa, fb, fg) = (flat(&a), flat(&b), flat(&got));
        for (k, &value) in fg.iter().enumerate() {
            let index = unravel(k, &out);
            let (x, y) = (fa[source(&index, &sa)], fb[source(&index, &sb)]);
            close_naming(
                &format!("{what}: element {index:?}"),
                value,
                f(x, y),
                1e-12,
                &[(
                    f(y, x),
                    "the operands are swapped: an element is f(a element, b element)",
                )],
            )?;
        }
        // an incompatible b: an axis facing a size of a that is neither 1 nor 7, set to 7
        let offset = sa.len() as isize - sb.len() as isize;
        let facing = |i: usize| {
            usize::try_from(i as isize + offset)
                .ok()
                .and_then(|j| sa.get(j))
        };
        if case % 3 == 0
            && let Some(axis) = (0..sb.len()).find(|&i| facing(i).is_some_and(|&d| d > 1))
        {
            let mut bad = sb.clone();
            bad[axis] = 7;
            let b_bad = array(&bad, &mut r);
            ensure(broadcast_op(&a, &b_bad, f).is_none(), || {
                format!(
                    "broadcast_op with shapes {sa:?} and {bad:?}: expected None (incompatible), got a result"
                )
            })?;
        }
    }
    for (sa, sb) in [(vec![2, 3], vec![2]), (vec![4, 1, 3], vec![2, 2])] {
        let (a, b) = (array(&sa, &mut r), array(&sb, &mut r));
        ensure(broadcast_op(&a, &b, f).is_none(), || {
            format!(
                "broadcast_op with shapes {sa:?} and {sb:?}: expected None (incompatible: aligned from the right, 3 meets 2), got a result"
            )
        })?;
    }
    pass("broadcast_op right on 15 seeded pairs of shapes, None on incompatible ones")
}

/// The grader's reduction: each element of `grad` added into the operand element it came from.
fn reduce_ref(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let mut out = vec![0.0; shape.iter().product()];
    for (k, &g) in grad.iter().enumerate() {
        out[source(&unravel(k, grad.shape()), shape)] += g;
    }
    ArrayD::from_shape_vec(IxDyn(shape), out).expect("the product of the shape")
}

/// The shape of a gradient, naming the classic wrong shapes.
fn check_shape(
    what: &str,
    got: &[usize],
    shape: &[usize],
    broadcast: &[usize],
) -> Result<(), Failed> {
    if got == shape {
        return Ok(());
    }
    let squeezed: Vec<usize> = {
        let offset = broadcast.len() - shape.len();
        shape
            .iter()
            .enumerate()
            .filter(|&(axis, &d)| !(d == 1 && broadcast[offset + axis] != 1))
            .map(|(_, &d)| d)
            .collect()
    };
    // the stretched 1s matched against the grad's axes from the left (before the leading
    // axes are summed away), then the leading axes dropped
    let from_left: Vec<usize> = {
        let mut g = broadcast.to_vec();
        for (k, &d) in shape.iter().enumerate() {
            if d == 1 {
                g[k] = 1;
            }
        }
        g[broadcast.len() - shape.len()..].to_vec()
    };
    let why = if got == broadcast {
        ": this is the broadcast shape, the gradient was not reduced to the operand's shape: sum it over the broadcast axes"
    } else if got == from_left.as_slice() && broadcast.len() > shape.len() {
        ": the size-1 axes of the operand's shape were matched with the grad's axes from the left: shapes align from the right, so sum the leading extra axes away first (then axis k of the grad faces shape[k])"
    } else if got == squeezed.as_slice() {
        ": the size-1 axes were dropped by the sum: keep them (sum_axis then insert_axis), the gradient must have the operand's shape exactly"
    } else {
        ""
    };
    Err(fail(format!(
        "{what}: expected shape {shape:?}, got {got:?}{why}"
    )))
}

fn sum_to_shape_check() -> Graded {
    let mut r = rng(3);
    let mut cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
        (vec![2, 3], vec![1, 3]),
        (vec![2, 3], vec![3]),
        (vec![4, 2, 3], vec![2, 1]),
        (vec![2, 3], vec![]),
        (vec![2, 3], vec![2, 3]),
    ];
    for _ in 0..15 {
        let (sa, _, out) = compatible(&mut r);
        cases.push((out, sa));
    }
    for (broadcast, shape) in cases {
        let grad = array(&broadcast, &mut r);
        let what = format!("sum_to_shape(grad of shape {broadcast:?}, {shape:?})");
        let got = sum_to_shape(&grad, &shape);
        check_shape(&what, got.shape(), &shape, &broadcast)
            .hint("sum_axis(Axis(0)) while there are extra leading axes, then sum_axis(Axis(k)).insert_axis(Axis(k)) where shape[k] == 1 and the grad's axis is longer")?;
        let expected = reduce_ref(&grad, &shape);
        all_close(&what, &flat(&got), &flat(&expected), 1e-12)?;
    }
    pass(
        "sum_to_shape right on 5 named and 15 seeded cases: summed over the broadcast axes, the operand's shape kept (size-1 axes included)",
    )
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

/// L = Σ w ⊙ (a ⊙ b), broadcast, by the grader's own indexing.
fn loss(a: &[f64], sa: &[usize], b: &[f64], sb: &[usize], w: &[f64], out: &[usize]) -> f64 {
    (0..w.len())
        .map(|k| {
            let index = unravel(k, out);
            w[k] * a[source(&index, sa)] * b[source(&index, sb)]
        })
        .sum()
}

fn mul_backward_check() -> Graded {
    let mut r = rng(4);
    let mut worst: f64 = 0.0;
    for _ in 0..12 {
        let (sa, sb, out) = compatible(&mut r);
        let (a, b, w) = (array(&sa, &mut r), array(&sb, &mut r), array(&out, &mut r));
        let what = format!("mul_backward, a {sa:?} ⊙ b {sb:?} -> {out:?}");
        let (da, db) = mul_backward(&a, &b, &w);
        check_shape(&format!("{what}: dL/da"), da.shape(), &sa, &out)?;
        check_shape(&format!("{what}: dL/db"), db.shape(), &sb, &out)?;
        let (fa, fb, fw) = (flat(&a), flat(&b), flat(&w));
        let numeric = |x: &[f64], which: usize| -> Vec<f64> {
            (0..x.len())
                .map(|i| {
                    let at = |delta: f64| {
                        let mut moved = x.to_vec();
                        moved[i] += delta;
                        if which == 0 {
                            loss(&moved, &sa, &fb, &sb, &fw, &out)
                        } else {
                            loss(&fa, &sa, &moved, &sb, &fw, &out)
                        }
                    };
                    (at(EPS) - at(-EPS)) / (2.0 * EPS)
                })
                .collect()
        };
        for (name, got, x, which) in [("dL/da", &da, &fa, 0), ("dL/db", &db, &fb, 1)] {
            let got = flat(got);
            ensure(got.iter().all(|v| v.is_finite()), || {
                format!("{what}: {name} contains NaN or inf")
            })?;
            let num = numeric(x, which);
            let error = relative_error(&got, &num);
            worst = worst.max(
                if num.iter().all(|&v| v == 0.0) && got.iter().all(|&v| v == 0.0) {
                    0.0
                } else {
                    error
                },
            );
            if error.is_nan() || error >= MAX_RELATIVE_ERROR {
                // the operand's own values in place of the other's: d(a ⊙ b)/da is b
                let own_shape = if which == 0 { &sa } else { &sb };
                let own = reduce_ref(
                    &(&w * &if which == 0 { a.clone() } else { b.clone() }),
                    own_shape,
                );
                let why = if relative_error(&got, &flat(&own)) < MAX_RELATIVE_ERROR {
                    ": the operand's own values were used: d(a ⊙ b)/da is grad_out ⊙ b (the other operand), reduced to a's shape"
                } else {
                    ""
                };
                return Err(fail(format!(
                    "{what}: {name} fails the gradient check, relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5){why}",
                    fmt(error)
                )))
                .hint("dL/da = sum_to_shape(grad_out ⊙ b, a's shape), dL/db = sum_to_shape(grad_out ⊙ a, b's shape)");
            }
        }
    }
    pass(format!(
        "mul_backward passes the gradient check on 12 seeded pairs of shapes (largest relative error {}, bar < 1e-5, central differences with h = 1e-5)",
        fmt(worst)
    ))
}
