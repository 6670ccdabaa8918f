// Grader of supervised/regularization.

#[path = "../common.rs"]
mod common;

use learnml_grader::grade::*;
use ndarray::{Array1, Array2, Axis};

use super::exercise::{count_zeros, fit};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("ridge_closed_form", ridge_closed_form),
    ("lasso_optimality", lasso_optimality),
    ("elastic_net_optimality", elastic_net_optimality),
    ("lasso_zeroes_features", lasso_zeroes_features),
];

/// The diabetes training split (80 %, seeded), features standardized on it (mean 0, unit
/// population deviation), the raw target.
fn diabetes() -> (Array2<f64>, Array1<f64>) {
    let (x, y) = common::regression("diabetes.csv", "disease_progression");
    let (x_train, y_train, _, _) = common::split_regression(&x, &y, 0.2, 42);
    (common::standardize(&x_train, &x_train), y_train)
}

/// Optimality (KKT) conditions of the elastic net objective, the grader's independent test of
/// a solution: with r = y - b - x·w and g_j = x_jᵀr / n,
/// b = mean(y - x·w); g_j = penalty·(ρ·sign(w_j) + (1 - ρ)·w_j) where w_j ≠ 0; |g_j| ≤ penalty·ρ
/// where w_j = 0. Returns the largest violation.
fn kkt_violation(
    x: &Array2<f64>,
    y: &Array1<f64>,
    b: f64,
    w: &Array1<f64>,
    penalty: f64,
    rho: f64,
) -> f64 {
    let n = y.len() as f64;
    let r = y - &x.dot(w) - b;
    let mut worst = r.mean().unwrap_or(0.0).abs();
    for (j, column) in x.axis_iter(Axis(1)).enumerate() {
        let g = column.dot(&r) / n;
        let violation = if w[j] != 0.0 {
            (g - penalty * (rho * w[j].signum() + (1.0 - rho) * w[j])).abs()
        } else {
            (g.abs() - penalty * rho).max(0.0)
        };
        worst = worst.max(violation);
    }
    worst
}

/// KKT tolerance: the gradient terms are in target units (the target's deviation is about 77);
/// 1e-3 of one unit is far below any difference between two penalties.
const KKT_TOLERANCE: f64 = 1e-3;

fn optimal(what: &str, penalty: f64, rho: f64) -> Result<(f64, Array1<f64>), Failed> {
    let (x, y) = diabetes();
    let (b, w) = fit(&x, &y, penalty, rho);
    equal(
        &format!("{what}: number of coefficients"),
        &w.len(),
        &x.ncols(),
    )?;
    let violation = kkt_violation(&x, &y, b, &w, penalty, rho);
    ensure(violation <= KKT_TOLERANCE, || {
        format!("{what}: the coefficients are not the optimum of the objective: an optimality condition is off by {} (tolerance {})", fmt(violation), fmt(KKT_TOLERANCE))
    })
    .hint("pass penalty and l1_ratio as given, and lower the solver's tolerance (`.tolerance(1e-10)`, `.max_iterations(10_000)`): the default stops early")?;
    Ok((b, w))
}

fn ridge_closed_form() -> Graded {
    let (x, y) = diabetes();
    let penalty = 1.0;
    let (b, w) = fit(&x, &y, penalty, 0.0);
    equal("ridge: number of coefficients", &w.len(), &x.ncols())?;
    // Closed form on centred columns: (xᵀx / n + penalty·I) w = xᵀ(y - ȳ) / n, b = ȳ.
    let n = y.len() as f64;
    let mean = y.mean().unwrap_or(0.0);
    let mut gram = x.t().dot(&x) / n;
    for j in 0..x.ncols() {
        gram[[j, j]] += penalty;
    }
    let rhs = x.t().dot(&(&y - mean)) / n;
    let expected = solve(gram.clone(), rhs.clone());
    if b == 0.0 {
        return Err(fail(format!("ridge (penalty 1): the intercept is 0, expected the mean of y ({}): the fit has no intercept", fmt(mean))))
            .hint("linfa-elasticnet fits an intercept by default: leave `with_intercept` on");
    }
    close("ridge (penalty 1): intercept", b, mean, 1e-6)
        .hint("with standardized features the intercept is the mean of y")?;
    // The classic wrong models: no penalty at all (least squares), or the lasso instead of ridge.
    let mut plain = gram;
    for j in 0..x.ncols() {
        plain[[j, j]] -= penalty;
    }
    let least_squares = solve(plain, rhs);
    let near =
        |a: &Array1<f64>, e: &Array1<f64>| a.iter().zip(e).all(|(p, q)| (p - q).abs() <= 1e-3);
    if !near(&w, &expected) && near(&w, &least_squares) {
        return Err(fail("ridge (penalty 1, l1_ratio 0): the coefficients are the unpenalized least-squares ones: the penalty was not applied (are penalty and l1_ratio swapped?)"))
            .hint("`.penalty(penalty).l1_ratio(l1_ratio)`: penalty is the strength, l1_ratio the share of L1 (0 for ridge)");
    }
    if !near(&w, &expected) && kkt_violation(&x, &y, b, &w, penalty, 1.0) <= KKT_TOLERANCE {
        return Err(fail(format!("ridge (penalty 1, l1_ratio 0): you fitted the lasso (l1_ratio 1): {} coefficients are exactly 0, and ridge sets none to 0. l1_ratio is the share of the L1 penalty", w.iter().filter(|&&v| v == 0.0).count())))
            .hint("pass l1_ratio as given: 0 is ridge, 1 the lasso");
    }
    all_close(
        "ridge (penalty 1): coefficients",
        &w.to_vec(),
        &expected.to_vec(),
        1e-3,
    )
    .hint("l1_ratio 0 is ridge; lower the tolerance so coordinate descent converges")?;
    pass("ridge equals its closed form (xᵀx/n + λI)⁻¹ xᵀy/n within 1e-3")
}

fn solve(mut a: Array2<f64>, mut b: Array1<f64>) -> Array1<f64> {
    // Gaussian elimination; the ridge matrix is symmetric positive definite, no pivoting needed.
    let n = b.len();
    for k in 0..n {
        for i in k + 1..n {
            let f = a[[i, k]] / a[[k, k]];
            for j in k..n {
                a[[i, j]] -= f * a[[k, j]];
            }
            b[i] -= f * b[k];
        }
    }
    let mut w = Array1::zeros(n);
    for k in (0..n).rev() {
        let s: f64 = (k + 1..n).map(|j| a[[k, j]] * w[j]).sum();
        w[k] = (b[k] - s) / a[[k, k]];
    }
    w
}

fn lasso_optimality() -> Graded {
    for penalty in [0.5, 2.0, 5.0] {
        optimal(
            &format!("lasso (penalty {penalty}, l1_ratio 1)"),
            penalty,
            1.0,
        )?;
    }
    pass(format!(
        "lasso at penalties 0.5, 2, 5 meets the optimality conditions within {}",
        fmt(KKT_TOLERANCE)
    ))
}

fn elastic_net_optimality() -> Graded {
    let (_, w) = optimal("elastic net (penalty 2, l1_ratio 0.5)", 2.0, 0.5)?;
    pass(format!(
        "elastic net meets the optimality conditions; {} of 10 coefficients are 0",
        w.iter().filter(|&&v| v == 0.0).count()
    ))
}

fn lasso_zeroes_features() -> Graded {
    let (x, y) = diabetes();
    // Above penalty_max = max_j |x_jᵀ(y - ȳ)| / n every lasso coefficient is 0.
    let n = y.len() as f64;
    let centred = &y - y.mean().unwrap_or(0.0);
    let penalty_max = x
        .axis_iter(Axis(1))
        .map(|c| (c.dot(&centred) / n).abs())
        .fold(0.0, f64::max);
    let mut counts = Vec::new();
    let penalties = [0.1, 1.0, 4.0, 10.0, 1.01 * penalty_max];
    for &penalty in &penalties {
        let (_, w) = fit(&x, &y, penalty, 1.0);
        equal("number of coefficients", &w.len(), &x.ncols())?;
        let expected = w.iter().filter(|&&v| v == 0.0).count();
        let got = count_zeros(&w);
        if got != expected && got == w.len() - expected {
            return Err(fail(format!("count_zeros of the lasso coefficients at penalty {}: expected {expected}, got {got}, the number of non-zero coefficients", fmt(penalty))))
                .hint("count the coefficients equal to 0.0");
        }
        equal(&format!("count_zeros of the lasso coefficients at penalty {}", fmt(penalty)), &count_zeros(&w), &expected)
            .hint("count coefficients equal to 0.0 exactly: the lasso sets them to exactly zero, unlike ridge")?;
        counts.push(expected);
    }
    let shown = penalties
        .iter()
        .zip(&counts)
        .map(|(p, c)| format!("{}: {c}", fmt(*p)))
        .collect::<Vec<_>>()
        .join(", ");
    equal(
        &format!(
            "zero coefficients just above penalty_max = {}",
            fmt(penalty_max)
        ),
        &counts[counts.len() - 1],
        &10,
    )
    .hint("above penalty_max the L1 term outweighs every feature's correlation with y")?;
    ensure(
        counts.windows(2).all(|w| w[0] <= w[1]) && counts[3] > counts[0],
        || format!("zero coefficients per penalty ({shown}) should grow with the penalty"),
    )?;
    let (_, ridge) = fit(&x, &y, 10.0, 0.0);
    let ridge_zeros = ridge.iter().filter(|&&v| v == 0.0).count();
    ensure(ridge_zeros == 0, || {
        format!(
            "ridge at penalty 10 has {ridge_zeros} zero coefficients: ridge shrinks them but never to exactly 0 (is l1_ratio 0 passed through?)"
        )
    })?;
    pass(format!(
        "zeros per lasso penalty: {shown}; ridge at penalty 10 keeps all 10"
    ))
}
