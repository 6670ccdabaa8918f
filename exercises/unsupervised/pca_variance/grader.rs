// Grader of unsupervised/pca_variance. Expected shares are the eigenvalues of the covariance
// matrix (the grader's own Jacobi routine) over its trace, never linfa's output.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::{components_for, total_variance, variance_shares};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("total_variance", total_variance_check),
    ("shares_iris", shares_iris),
    ("shares_digits", shares_digits),
    ("components_95", components_95),
];

/// Eigenvalues of the sample covariance over their sum (the trace), largest first.
fn true_shares(x: &Array2<f64>) -> Vec<f64> {
    let values = sym_eigenvalues(&scatter(x, true, 1.0));
    let total: f64 = values.iter().sum();
    values.iter().map(|v| v / total).collect()
}

fn total_variance_check() -> Graded {
    let (x, _) = iris();
    let n = x.nrows() as f64;
    let got = total_variance(&x);
    let expected = scatter(&x, true, 1.0).diag().sum();
    let uncentred = scatter(&x, false, 1.0).diag().sum();
    let tolerance = 1e-9 * expected;
    if (got - expected).abs() > tolerance {
        if (got - uncentred).abs() <= 1e-6 * uncentred
            || (got - uncentred * (n - 1.0) / n).abs() <= 1e-6 * uncentred
        {
            return Err(fail(format!("total variance of iris: expected {}, got {}: the columns were not centred", fmt(expected), fmt(got))))
                .hint("variance is the mean squared deviation from the column's mean: subtract the mean first (PCA without centering measures distance from 0, not spread)");
        }
        if (got - expected * (n - 1.0) / n).abs() <= tolerance {
            return Err(fail(format!("total variance of iris: expected {} (divided by n - 1), got {}, the population variance (divided by n)", fmt(expected), fmt(got))))
                .hint("use the sample variance, n - 1, the convention of the covariance matrix whose eigenvalues PCA reports: `var_axis(Axis(0), 1.0)`");
        }
    }
    close(
        "total variance of iris (sum of the sample variances)",
        got,
        expected,
        tolerance,
    )?;
    pass(format!("total variance of iris = {}", fmt(got)))
}

fn shares(x: &Array2<f64>, name: &str, k: usize) -> Graded {
    let n = x.nrows() as f64;
    let got = variance_shares(x, k);
    let expected: Vec<f64> = true_shares(x)[..k].to_vec();
    equal(
        &format!("number of shares for {k} components on {name}"),
        &got.len(),
        &k,
    )?;
    let sum: f64 = got.iter().sum();
    let kept: f64 = expected.iter().sum();
    if (sum - 1.0).abs() < 1e-6 && (kept - 1.0).abs() > 1e-3 {
        return Err(fail(format!(
            "the shares of {k} components on {name} sum to 1, but {k} components keep only {} of the total variance",
            fmt(kept)
        )))
        .hint("explained_variance_ratio() divides by the kept components' variance only: divide by total_variance(x) instead");
    }
    let linfa_bug = (n - 1.0) / (k as f64 - 1.0);
    if k > 1 && (got[0] - expected[0] * linfa_bug).abs() <= 1e-3 * expected[0] * linfa_bug {
        return Err(fail(format!(
            "share of the first component on {name}: expected {}, got {}, which is {} times too large",
            fmt(expected[0]),
            fmt(got[0]),
            fmt(linfa_bug)
        )))
        .hint("linfa 0.8.1's explained_variance() divides by (components - 1), not n - 1: use singular_values()^2 / (n - 1)");
    }
    all_close(
        &format!("shares of the total variance, {k} components of {name}"),
        &got,
        &expected,
        1e-4,
    )
    .hint("share = singular value² / (n - 1) / total_variance(x)")?;
    pass(format!(
        "{k} components of {name} keep {} of the variance: {:?}",
        fmt(sum),
        got.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
    ))
}

fn shares_iris() -> Graded {
    let (x, _) = iris();
    shares(&x, "iris", 2)
}

fn shares_digits() -> Graded {
    let (x, _) = digits();
    shares(&x, "digits", 10)
}

fn expected_count(x: &Array2<f64>, fraction: f64) -> usize {
    let mut kept = 0.0;
    for (i, share) in true_shares(x).iter().enumerate() {
        kept += share;
        if kept >= fraction {
            return i + 1;
        }
    }
    x.ncols()
}

fn components_95() -> Graded {
    let (iris_x, _) = iris();
    let (digits_x, _) = digits();
    let (wine_x, _) = wine();
    let wine_std = standardize(&wine_x);
    // The count is only as right as the shares: all components must keep all the variance.
    let all: f64 = variance_shares(&iris_x, iris_x.ncols()).iter().sum();
    close("sum of the shares of all 4 components of iris", all, 1.0, 1e-6)
        .hint("all components together keep the total variance: fix variance_shares first (singular value² / (n - 1) / total_variance)")?;
    let mut found = Vec::new();
    for (name, x, fraction) in [
        ("iris", &iris_x, 0.95),
        ("digits", &digits_x, 0.95),
        ("hidden standardized data", &wine_std, 0.8),
    ] {
        let got = components_for(x, fraction);
        let expected = expected_count(x, fraction);
        let what = format!(
            "components for {} % of the variance of {name}",
            fraction * 100.0
        );
        if got + 1 == expected || got == expected + 1 {
            return Err(fail(format!("{what}: expected {expected}, got {got} (off by one)")))
                .hint("the count is the position (from 0) at which the running sum first reaches the fraction, plus 1; `>=` not `>`");
        }
        equal(&what, &got, &expected).hint("accumulate the shares of the total variance, not explained_variance_ratio() of a truncated PCA")?;
        found.push(format!("{name}: {got}"));
    }
    pass(format!("components needed: {}", found.join(", ")))
}
