// Grader of neural/perceptron.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{predict, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("predict_sign", predict_sign),
    ("first_epoch", first_epoch),
    ("separable_2d", separable_2d),
    ("offset_5d", offset_5d),
];

/// The grader's own perceptron rule, with switches for the classic wrong variants.
#[derive(Clone, Copy, Default)]
struct Variant {
    negated: bool,
    strict: bool,
    every_point: bool,
    no_bias: bool,
}

fn rule(x: &Array2<f64>, y: &[f64], epochs: usize, v: Variant) -> (Array1<f64>, f64) {
    let mut w = Array1::<f64>::zeros(x.ncols());
    let mut b = 0.0;
    let sign = if v.negated { -1.0 } else { 1.0 };
    for _ in 0..epochs {
        let mut mistakes = 0;
        for (row, &label) in x.rows().into_iter().zip(y) {
            let score = label * (row.dot(&w) + b);
            let mistake = if v.strict { score < 0.0 } else { score <= 0.0 };
            if mistake || v.every_point {
                w.scaled_add(sign * label, &row);
                if !v.no_bias {
                    b += sign * label;
                }
            }
            if mistake {
                mistakes += 1;
            }
        }
        if mistakes == 0 {
            break;
        }
    }
    (w, b)
}

fn list(v: &Array1<f64>) -> String {
    format!(
        "[{}]",
        v.iter().map(|x| fmt(*x)).collect::<Vec<_>>().join(", ")
    )
}

fn same(w: &Array1<f64>, b: f64, other: &(Array1<f64>, f64)) -> bool {
    w.len() == other.0.len()
        && w.iter().zip(&other.0).all(|(p, q)| (p - q).abs() < 1e-9)
        && (b - other.1).abs() < 1e-9
}

/// `n` points uniform in the cube `center ± 1` (d dims), labelled by a seeded hyperplane
/// through the center; points closer than `margin` to it are dropped, so the set is
/// linearly separable with that margin and both classes are present.
fn separable(n: usize, d: usize, center: f64, margin: f64, seed: u64) -> (Array2<f64>, Vec<f64>) {
    let mut r = rng(seed);
    let mut normal: Array1<f64> = (0..d).map(|_| r.gen_range(-1.0..1.0)).collect();
    let norm = normal.dot(&normal).sqrt();
    normal /= norm;
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    while labels.len() < n {
        let point: Array1<f64> = (0..d).map(|_| center + r.gen_range(-1.0..1.0)).collect();
        let distance = (&point - center).dot(&normal);
        if distance.abs() >= margin {
            rows.extend(point.iter().copied());
            labels.push(if distance > 0.0 { 1.0 } else { -1.0 });
        }
    }
    (
        Array2::from_shape_vec((n, d), rows).expect("n * d values"),
        labels,
    )
}

/// Every training point on its side, computed by the grader from the returned (w, b).
fn all_correct(
    what: &str,
    x: &Array2<f64>,
    y: &[f64],
    w: &Array1<f64>,
    b: f64,
) -> Result<(), Failed> {
    equal(&format!("{what}: length of w"), &w.len(), &x.ncols())?;
    ensure(w.iter().all(|v| v.is_finite()) && b.is_finite(), || {
        format!("{what}: w or b is not finite")
    })?;
    let wrong = x
        .rows()
        .into_iter()
        .zip(y)
        .filter(|(row, label)| *label * (row.dot(w) + b) <= 0.0)
        .count();
    ensure(wrong == 0, || {
        let verb = if wrong == 1 { "is" } else { "are" };
        format!("{what}: {wrong} of {} training points {verb} not strictly on their side (y (w·x + b) <= 0)", y.len())
    })
    .hint("the set is separable, so the rule converges: keep looping over epochs until one makes no update, and update b as well as w")
}

fn predict_sign() -> Graded {
    let w = array![1.0, -2.0];
    let x = array![[1.0, 1.0], [2.0, 0.0], [0.5, 0.5], [-1.0, -1.0]];
    // By hand: w·x + b = -0.5, 2.5, 0 (on the boundary), 1.5.
    let got = predict(&w, 0.5, &x);
    let expected = vec![-1.0, 1.0, -1.0, 1.0];
    if got == vec![0.0, 1.0, 0.0, 1.0] {
        return Err(fail(format!(
            "predict: expected {expected:?}, got {got:?}: labels are -1 and +1 here, not 0 and 1"
        )))
        .hint(
            "the update y_i x_i needs the -1: with 0 a mistake on a negative point changes nothing",
        );
    }
    if got == vec![-1.0, 1.0, 1.0, 1.0] {
        return Err(fail(format!(
            "predict: expected {expected:?}, got {got:?}: the point with w·x + b = 0 got +1"
        )))
        .hint("a point exactly on the boundary (w·x + b = 0) is -1: test `> 0`, not `>= 0`");
    }
    all_close(
        "predict(w = [1, -2], b = 0.5) on 4 points",
        &got,
        &expected,
        0.0,
    )
    .hint("+1 where x_i · w + b > 0, else -1; `x.rows()` iterates over the points")?;
    pass("signs right, and a point on the boundary is -1")
}

fn first_epoch() -> Graded {
    // Four points visited in this order; one epoch from w = 0, b = 0.
    let x = array![[2.0, 1.0], [-1.0, -2.0], [1.0, -1.0], [-2.0, 1.0]];
    let y = [1.0, -1.0, -1.0, 1.0];
    let (w, b) = train(&x, &y, 1);
    let expected = rule(&x, &y, 1, Variant::default());
    let shown = format!(
        "after one epoch: expected w = {}, b = {}, got w = {}, b = {}",
        list(&expected.0),
        fmt(expected.1),
        list(&w),
        fmt(b)
    );
    if same(&w, b, &expected) {
        return pass("w and b after one epoch match the rule exactly");
    }
    let named = [
        (
            Variant {
                negated: true,
                ..Default::default()
            },
            "the update has the wrong sign: on a mistake move towards the point's label, w += y_i x_i and b += y_i",
        ),
        (
            Variant {
                strict: true,
                ..Default::default()
            },
            "`y_i (w·x_i + b) < 0` never fires from w = 0 (the score is 0): a point on the boundary is a mistake too, test `<= 0`",
        ),
        (
            Variant {
                every_point: true,
                ..Default::default()
            },
            "you updated on every point: the perceptron updates only on mistakes",
        ),
        (
            Variant {
                no_bias: true,
                ..Default::default()
            },
            "b never changed: on a mistake update the bias too, b += y_i",
        ),
    ];
    for (variant, hint) in named {
        if same(&w, b, &rule(&x, &y, 1, variant)) {
            return Err(fail(format!("{shown}: {hint}")));
        }
    }
    Err(fail(shown)).hint("visit the rows in order; on a mistake (y_i (w·x_i + b) <= 0) do w += y_i x_i, b += y_i; stop after max_epochs epochs")
}

fn separable_2d() -> Graded {
    let (x, y) = separable(100, 2, 0.0, 0.1, 11);
    let (w, b) = train(&x, &y, 1000);
    all_correct("100 separable points in 2-D (margin 0.1)", &x, &y, &w, b)?;
    let predicted = predict(&w, b, &x);
    all_close("your predict on the training points", &predicted, &y, 0.0)?;
    pass("converged: all 100 training points are on their side")
}

fn offset_5d() -> Graded {
    // Centered at (3, 3, 3, 3, 3), far from the origin: the separating hyperplane of the
    // generator does not pass through the origin, and the rule needs many more epochs than in
    // 2-D. (Some hyperplane through the origin still separates these 200 points, so a
    // perceptron without a bias can converge here too: `first_epoch` is what catches it.)
    let (x, y) = separable(200, 5, 3.0, 0.2, 23);
    let (w, b) = train(&x, &y, 20_000);
    all_correct(
        "200 separable points in 5-D centered at (3, ..., 3) (hidden case)",
        &x,
        &y,
        &w,
        b,
    )?;
    pass("converged on a 5-D set far from the origin")
}
