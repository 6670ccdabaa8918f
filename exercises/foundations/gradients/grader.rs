// Grader of foundations/gradients.

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng;

use super::exercise::{gradient_descent, numerical_gradient};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("central_difference", check_central_difference),
    ("matches_analytic", check_matches_analytic),
    ("descent_steps", check_descent_steps),
    ("converges", check_converges),
];

/// The step the statement fixes for the numerical gradient.
const H: f64 = 1e-5;

/// Central differences with h = 1e-5 are within about 1e-10 of the true gradient on these
/// smooth functions of order-1 values (truncation h^2 ~ 1e-10, rounding ~ 1e-16 / h ~ 1e-11).
const GRADIENT_TOL: f64 = 1e-6;

/// The bar on the distance between the last iterate and the true minimum.
const DISTANCE_BAR: f64 = 1e-6;

/// The smallest distance reported.
const ROUNDING_FLOOR: f64 = 1e-12;

fn near(got: &Array1<f64>, expected: &Array1<f64>, tol: f64) -> bool {
    got.len() == expected.len() && got.iter().zip(expected).all(|(g, e)| (g - e).abs() <= tol)
}

fn show(v: &Array1<f64>) -> String {
    format!(
        "[{}]",
        v.iter().map(|x| fmt(*x)).collect::<Vec<_>>().join(", ")
    )
}

/// The grader's one-sided difference: forward (`sign` = 1) or backward (`sign` = -1).
fn one_sided(f: &dyn Fn(&Array1<f64>) -> f64, x: &Array1<f64>, h: f64, sign: f64) -> Array1<f64> {
    Array1::from_iter((0..x.len()).map(|i| {
        let mut moved = x.clone();
        moved[i] += sign * h;
        sign * (f(&moved) - f(x)) / h
    }))
}

/// Compare a numerical gradient with the exact one, naming the classic mistakes, and saying
/// how large the error is (the values themselves may print alike at 4 decimals).
fn gradient_check(
    what: &str,
    got: &Array1<f64>,
    exact: &Array1<f64>,
    f: &dyn Fn(&Array1<f64>) -> f64,
    x: &Array1<f64>,
    h: f64,
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of components"),
        &got.len(),
        &exact.len(),
    )?;
    if near(got, &(-exact), 1e-4) {
        return Err(fail(format!(
            "{what} = {}: the gradient has the wrong sign",
            show(got)
        )))
        .hint("(f(x + h e_i) - f(x - h e_i)) / (2h): the value at +h comes first");
    }
    if near(got, &(2.0 * exact), 1e-4) {
        return Err(fail(format!(
            "{what} = {}: twice the gradient, the division by 2h is a division by h",
            show(got)
        )))
        .hint("the two points x - h and x + h are 2h apart: divide by 2.0 * h");
    }
    let forward = one_sided(f, x, h, 1.0);
    let backward = one_sided(f, x, h, -1.0);
    let error = |v: &Array1<f64>| {
        v.iter()
            .zip(exact)
            .map(|(g, e)| (g - e).abs())
            .fold(0.0, f64::max)
    };
    let worst = error(got);
    let too_far = worst.is_nan() || worst > GRADIENT_TOL;
    if too_far && (near(got, &forward, 1e-8) || near(got, &backward, 1e-8)) {
        return Err(fail(format!(
            "{what}: a one-sided difference, whose error is of order h (here {})",
            fmt(worst)
        )))
        .hint("central differences evaluate f on both sides, at x + h e_i and x - h e_i: the error drops to order h^2");
    }
    if too_far {
        return Err(fail(format!(
            "{what}: expected {}, got {}: the largest error is {} (tolerance {})",
            show(exact),
            show(got),
            fmt(worst),
            fmt(GRADIENT_TOL)
        )))
        .hint("perturb ONE coordinate at a time, on a copy of x: up[i] += h, down[i] -= h");
    }
    Ok(())
}

fn check_central_difference() -> Graded {
    // f(x, y) = x^2 + 3 x y: gradient (2x + 3y, 3x) = (8, 3) at (1, 2).
    let f = |v: &Array1<f64>| v[0] * v[0] + 3.0 * v[0] * v[1];
    let x = array![1.0, 2.0];
    let got = numerical_gradient(f, &x, H);
    gradient_check(
        "numerical_gradient(x^2 + 3xy, at (1, 2), h = 1e-5)",
        &got,
        &array![8.0, 3.0],
        &f,
        &x,
        H,
    )?;
    // f(x) = x^3 at 1 with h = 1e-3: central gives exactly 3 + h^2, one-sided 3 ± 3h + h^2.
    let cube = |v: &Array1<f64>| v[0].powi(3);
    let h = 1e-3;
    let x = array![1.0];
    let got = numerical_gradient(cube, &x, h);
    let what = "numerical_gradient(x^3, at 1, h = 1e-3)";
    gradient_check(what, &got, &array![3.0], &cube, &x, h)?;
    close(
        &format!("{what}, which is 3 + h^2 for central differences"),
        got[0],
        3.0 + h * h,
        1e-9,
    )?;
    pass("central differences: (8, 3) for x^2 + 3xy at (1, 2), 3 + h^2 for x^3 at 1")
}

fn check_matches_analytic() -> Graded {
    // Hidden: f(x) = sum c_i x_i^2 + ln(1 + exp(v.x)) in 5 dimensions (a ridge penalty plus
    // a logistic loss), at a seeded point. Gradient: 2 c_i x_i + sigmoid(v.x) v_i.
    let mut r = rng(61);
    let c = Array1::from_iter((0..5).map(|_| r.gen_range(0.5..2.0)));
    let v = Array1::from_iter((0..5).map(|_| r.gen_range(-1.0..1.0)));
    let x = Array1::from_iter((0..5).map(|_| r.gen_range(-1.5..1.5)));
    let (c2, v2) = (c.clone(), v.clone());
    let f = move |p: &Array1<f64>| (&c2 * p * p).sum() + (1.0 + v2.dot(p).exp()).ln();
    let sigmoid = 1.0 / (1.0 + (-v.dot(&x)).exp());
    let exact = 2.0 * &c * &x + sigmoid * &v;
    let got = numerical_gradient(&f, &x, H);
    let what =
        "numerical_gradient of a hidden 5-dimensional function (ridge + logistic loss), h = 1e-5";
    gradient_check(what, &got, &exact, &f, &x, H)?;
    pass("matches the exact gradient of a 5-dimensional function within 1e-6")
}

/// f(x) = 1/2 x^T A x - b^T x, gradient A x - b, minimum at A^-1 b.
fn quadratic_gradient(a: &Array2<f64>, b: &Array1<f64>) -> impl Fn(&Array1<f64>) -> Array1<f64> {
    let (a, b) = (a.clone(), b.clone());
    move |x: &Array1<f64>| a.dot(x) - &b
}

/// The grader's own iterates of x <- x + sign * lr * grad(x).
fn iterate(
    grad: &impl Fn(&Array1<f64>) -> Array1<f64>,
    start: &Array1<f64>,
    lr: f64,
    steps: usize,
    sign: f64,
) -> Array1<f64> {
    let mut x = start.clone();
    for _ in 0..steps {
        let g = grad(&x);
        x = &x + &(sign * lr * &g);
    }
    x
}

fn check_descent_steps() -> Graded {
    let a = array![[3.0, 1.0], [1.0, 2.0]];
    let b = array![1.0, 1.0];
    let grad = quadratic_gradient(&a, &b);
    let start = array![3.0, -2.0];
    let what = "gradient_descent(quadratic, start (3, -2), learning rate 0.1, 3 steps)";
    let got = gradient_descent(&grad, &start, 0.1, 3);
    let expected = iterate(&grad, &start, 0.1, 3, -1.0);
    if !near(&got, &expected, 1e-12) {
        if near(&got, &iterate(&grad, &start, 0.1, 3, 1.0), 1e-9) {
            return Err(fail(format!(
                "{what} = {}: the steps went uphill, x + lr * grad",
                show(&got)
            )))
            .hint("the gradient points uphill: descent SUBTRACTS it, x - learning_rate * grad(x)");
        }
        for (steps, mistake) in [(2, "one step too few"), (4, "one step too many")] {
            if near(&got, &iterate(&grad, &start, 0.1, steps, -1.0), 1e-9) {
                return Err(fail(format!(
                    "{what} = {}: that is after {steps} steps, {mistake}",
                    show(&got)
                )))
                .hint("`for _ in 0..steps` takes exactly `steps` steps");
            }
        }
    }
    equal(&format!("{what}: number of components"), &got.len(), &2)?;
    all_close(what, &got.to_vec(), &expected.to_vec(), 1e-12)?;
    let zero = gradient_descent(&grad, &start, 0.1, 0);
    equal(
        "gradient_descent with 0 steps: number of components",
        &zero.len(),
        &2,
    )?;
    all_close(
        "gradient_descent with 0 steps (returns start)",
        &zero.to_vec(),
        &start.to_vec(),
        0.0,
    )?;
    pass("exactly `steps` steps of x <- x - lr * grad(x)")
}

fn check_converges() -> Graded {
    // Public: A = [[3, 1], [1, 2]], b = (1, 1): the minimum is A^-1 b = (2 - 1, -1 + 3) / 5.
    // The eigenvalues of A are (5 ± sqrt 5) / 2, so with lr = 0.1 the error shrinks by at
    // least 1 - 0.1 * 1.38 = 0.862 per step: 0.862^200 ~ 1e-13.
    let a = array![[3.0, 1.0], [1.0, 2.0]];
    let b = array![1.0, 1.0];
    let minimum = array![0.2, 0.4];
    let start = array![3.0, -2.0];
    let got = gradient_descent(quadratic_gradient(&a, &b), &start, 0.1, 200);
    let what = "gradient_descent(quadratic, start (3, -2), learning rate 0.1, 200 steps)";
    equal(&format!("{what}: number of components"), &got.len(), &2)?;
    let distance = (&got - &minimum).mapv(|d| d * d).sum().sqrt();
    let start_distance = (&start - &minimum).mapv(|d| d * d).sum().sqrt();
    if distance.is_nan() || distance >= start_distance {
        return Err(fail(format!(
            "{what} ended at {}, {} from the minimum (0.2, 0.4), farther than the start: descent diverged or went uphill",
            show(&got),
            fmt(distance)
        )))
        .hint("step against the gradient: x - learning_rate * grad(x); adding it climbs");
    }
    // Hidden: a 3-dimensional quadratic A = M^T M + I (eigenvalues >= 1) with a known minimum,
    // learning rate 1 / (largest absolute row sum of A) <= 1 / lambda_max.
    let mut r = rng(62);
    let m = Array2::from_shape_simple_fn((3, 3), || r.gen_range(-1.0..1.0));
    let a3 = m.t().dot(&m) + Array2::<f64>::eye(3);
    let minimum3 = array![1.5, -0.5, 2.0];
    let b3 = a3.dot(&minimum3);
    let lr = 1.0
        / a3.rows()
            .into_iter()
            .map(|row| row.mapv(f64::abs).sum())
            .fold(0.0, f64::max);
    let got3 = gradient_descent(quadratic_gradient(&a3, &b3), &Array1::zeros(3), lr, 300);
    equal(
        "gradient_descent on a hidden 3-dimensional quadratic: number of components",
        &got3.len(),
        &3,
    )?;
    let distance3 = (&got3 - &minimum3).mapv(|d| d * d).sum().sqrt();
    let worst = if distance3.is_nan() {
        f64::INFINITY
    } else {
        distance.max(distance3)
    };
    // Distances this small differ between machines in their last digits (rounding): report
    // anything below 1e-12 as 1e-12, so that the same code gets the same report everywhere.
    let reported = worst.max(ROUNDING_FLOOR);
    bar(
        "largest distance to the true minimum over 2 quadratics (1e-12 stands for anything smaller)",
        reported,
        DISTANCE_BAR,
        Goal::AtMost,
    )
}
