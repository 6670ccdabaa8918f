// Grader of unsupervised/anomaly. The grader's log-density uses Gaussian elimination (its own
// determinant and solve), not the given Cholesky.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2, Axis};

use super::exercise::{Gaussian, fit_gaussian, flag, log_density};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("fit_mle", fit_mle),
    ("log_density_value", log_density_value),
    ("correlated_outlier", correlated_outlier),
    ("train_threshold", train_threshold),
    ("penguin_species", penguin_species),
];

fn public_train() -> Array2<f64> {
    ndarray::array![
        [1.0, 2.0],
        [2.0, 3.5],
        [3.0, 3.0],
        [4.0, 5.5],
        [2.5, 2.0],
        [3.5, 4.0]
    ]
}

fn mle(x: &Array2<f64>, ddof: f64) -> (Array1<f64>, Array2<f64>) {
    (x.mean_axis(Axis(0)).expect("rows"), scatter(x, true, ddof))
}

/// (log det A, A^-1 b) by Gaussian elimination with partial pivoting.
fn solve(a: &Array2<f64>, b: &Array1<f64>) -> (f64, Array1<f64>) {
    let d = a.nrows();
    let mut m = a.clone();
    let mut v = b.clone();
    let mut log_det = 0.0;
    for col in 0..d {
        let pivot = (col..d)
            .max_by(|&i, &j| m[[i, col]].abs().total_cmp(&m[[j, col]].abs()))
            .expect("rows");
        if pivot != col {
            for k in 0..d {
                m.swap([col, k], [pivot, k]);
            }
            v.swap(col, pivot);
        }
        log_det += m[[col, col]].abs().ln();
        for r in col + 1..d {
            let f = m[[r, col]] / m[[col, col]];
            for k in col..d {
                m[[r, k]] -= f * m[[col, k]];
            }
            v[r] -= f * v[col];
        }
    }
    let mut x = Array1::zeros(d);
    for r in (0..d).rev() {
        let s: f64 = (r + 1..d).map(|k| m[[r, k]] * x[k]).sum();
        x[r] = (v[r] - s) / m[[r, r]];
    }
    (log_det, x)
}

/// The grader's log-densities, with variants: (constant, log-det factor, quadratic factor).
fn density(
    mean: &Array1<f64>,
    cov: &Array2<f64>,
    x: &Array2<f64>,
    parts: (f64, f64, f64),
) -> Vec<f64> {
    let d = mean.len() as f64;
    x.outer_iter()
        .map(|row| {
            let diff = &row - mean;
            let (log_det, solved) = solve(cov, &diff);
            -0.5 * (parts.0 * d * (2.0 * std::f64::consts::PI).ln()
                + parts.1 * log_det
                + parts.2 * diff.dot(&solved))
        })
        .collect()
}

fn fit_mle() -> Graded {
    let x = public_train();
    let got = fit_gaussian(&x);
    let (mean, cov) = mle(&x, 0.0);
    equal("mean shape", &got.mean.len(), &2)?;
    equal("covariance shape", &got.cov.dim(), &(2, 2))?;
    all_close("mean", &got.mean.to_vec(), &mean.to_vec(), 1e-9)?;
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    if (&got.cov - &mle(&x, 1.0).1).iter().all(|v| v.abs() <= 1e-9) {
        return Err(fail(format!("covariance: expected {:?} (divided by n), got the sample covariance (divided by n - 1)", show(&flat(&cov)))))
            .hint("the maximum-likelihood covariance divides by n");
    }
    all_close("covariance (row-major)", &flat(&got.cov), &flat(&cov), 1e-9)
        .hint("centre the rows, then centred^T centred / n")?;
    pass("mean and MLE covariance of 6 points")
}

fn log_density_value() -> Graded {
    let x = public_train();
    let (mean, cov) = mle(&x, 0.0);
    let model = Gaussian {
        mean: mean.clone(),
        cov: cov.clone(),
    };
    let points = ndarray::array![[2.5, 3.0], [0.0, 0.0], [4.0, 2.0]];
    let got = log_density(&model, &points);
    equal("number of log-densities for 3 points", &got.len(), &3)?;
    let expected = density(&mean, &cov, &points, (1.0, 1.0, 1.0));
    let named = [
        (
            (0.0, 1.0, 1.0),
            "without the -d/2 log(2 pi) constant",
            "the normalizing constant -d/2 log(2 pi) belongs to the log-density",
        ),
        (
            (1.0, 0.0, 1.0),
            "without the log det(Sigma) term",
            "include -1/2 log det(Sigma) = -sum log L_ii",
        ),
        (
            (1.0, 1.0, 2.0),
            "with the Mahalanobis term not halved",
            "the whole bracket is multiplied by -1/2",
        ),
        (
            (1.0, 2.0, 1.0),
            "with log det(Sigma) counted twice",
            "log det(Sigma) = 2 sum log L_ii, and the bracket is halved",
        ),
    ];
    if got.iter().zip(&expected).any(|(g, e)| (g - e).abs() > 1e-9) {
        let densities: Vec<f64> = expected.iter().map(|v| v.exp()).collect();
        if got
            .iter()
            .zip(&densities)
            .all(|(g, e)| (g - e).abs() <= 1e-9)
        {
            return Err(fail("these are densities, not log-densities"))
                .hint("return the logarithm: -1/2 [..]");
        }
        for (parts, name, hint) in named {
            let wrong = density(&mean, &cov, &points, parts);
            if got.iter().zip(&wrong).all(|(g, w)| (g - w).abs() <= 1e-9) {
                return Err(fail(format!(
                    "log-densities: expected {:?}, got {:?}: the formula {name}",
                    show(&expected),
                    show(&got)
                )))
                .hint(hint);
            }
        }
    }
    all_close(
        "log-densities of (2.5, 3), (0, 0), (4, 2)",
        &got,
        &expected,
        1e-9,
    )?;
    pass(format!("log-densities {:?}", show(&got)))
}

fn show(v: &[f64]) -> Vec<String> {
    v.iter().map(|x| fmt(*x)).collect()
}

fn correlated_outlier() -> Graded {
    // x ~ N(0, 1), y = x + small noise: (1.5, -1.5) is ordinary per coordinate, not jointly.
    let mut rng = learnml_kit::split::rng(31);
    let train = Array2::from_shape_fn((400, 2), |_| 0.0);
    let mut train = train;
    for i in 0..400 {
        let a = normal(&mut rng);
        train[[i, 0]] = a;
        train[[i, 1]] = a + 0.3 * normal(&mut rng);
    }
    let model = fit_gaussian(&train);
    equal("covariance shape", &model.cov.dim(), &(2, 2))?;
    let points = ndarray::array![[2.5, 2.5], [1.5, -1.5], [0.0, 0.0]];
    let got = log_density(&model, &points);
    equal("number of log-densities", &got.len(), &3)?;
    if !(got[1] < got[0] && got[1] < got[2]) {
        // The same model with its off-diagonal covariance dropped (independent features).
        let mut diagonal = Array2::zeros((2, 2));
        diagonal[[0, 0]] = model.cov[[0, 0]];
        diagonal[[1, 1]] = model.cov[[1, 1]];
        let independent = density(&model.mean, &diagonal, &points, (1.0, 1.0, 1.0));
        if got
            .iter()
            .zip(&independent)
            .all(|(g, w)| (g - w).abs() <= 1e-9)
        {
            return Err(fail(format!(
                "log-densities of (2.5, 2.5), (1.5, -1.5), (0, 0): {:?}, those of a diagonal covariance (independent features): the point against the correlation, (1.5, -1.5), should be least likely",
                show(&got)
            )))
            .hint("use the full covariance matrix (its off-diagonal terms) through its Cholesky factor");
        }
    }
    ensure(got[1] < got[0] && got[1] < got[2], || {
        format!(
            "log-densities of (2.5, 2.5), (1.5, -1.5), (0, 0): {:?}; the point against the correlation, (1.5, -1.5), should be least likely",
            show(&got)
        )
    })
    .hint("use the full covariance matrix (its off-diagonal terms), not one variance per feature")?;
    pass(format!(
        "(1.5, -1.5) is least likely: log-densities {:?}",
        show(&got)
    ))
}

fn adelie_split() -> (Array2<f64>, Array2<f64>, Vec<bool>) {
    let (x, y) = penguins();
    // Species are sorted by name: 0 Adelie, 1 Chinstrap, 2 Gentoo.
    let adelie: Vec<usize> = (0..y.len()).filter(|&i| y[i] == 0).collect();
    let others: Vec<usize> = (0..y.len()).filter(|&i| y[i] != 0).collect();
    let order = learnml_kit::split::shuffled(adelie.len(), 17);
    let train: Vec<usize> = order[..100].iter().map(|&p| adelie[p]).collect();
    let mut test: Vec<usize> = order[100..].iter().map(|&p| adelie[p]).collect();
    let n_normal = test.len();
    test.extend(&others);
    // The test rows reach the learner in a seeded random order (held-out Adelie first would
    // let a learner flag by position); the truth follows the same order.
    let shuffle = learnml_kit::split::shuffled(test.len(), 18);
    let truth = shuffle.iter().map(|&p| p >= n_normal).collect();
    let test: Vec<usize> = shuffle.iter().map(|&p| test[p]).collect();
    (x.select(Axis(0), &train), x.select(Axis(0), &test), truth)
}

fn train_threshold() -> Graded {
    let (train, _, _) = adelie_split();
    for fraction in [0.05, 0.1] {
        let got = flag(&train, &train, fraction);
        one_per_row("flag(train, train, fraction)", &got, train.nrows())?;
        let flagged = got.iter().filter(|&&f| f).count();
        let expected = (fraction * train.nrows() as f64).floor() as usize;
        if flagged == expected + 1 {
            return Err(fail(format!("flag(train, train, {fraction}) flagged {flagged} of {} training points, expected {expected}: the point at the threshold itself is flagged (`<=` instead of `<`)", train.nrows())))
                .hint("flag strictly below the threshold (`<`), the threshold being the floor(fraction * n)-th smallest, counting from 0");
        }
        equal(
            &format!("training points flagged by flag(train, train, {fraction}) (100 points)"),
            &flagged,
            &expected,
        )?;
    }
    pass("5 and 10 of 100 training points flagged at fractions 0.05 and 0.1")
}

fn penguin_species() -> Graded {
    let (train, test, truth) = adelie_split();
    let fraction = 0.02;
    let got = flag(&train, &test, fraction);
    one_per_row("flag(train, test, 0.02)", &got, test.nrows())?;
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let negatives = truth.len() as f64 - positives;
    let caught = got.iter().zip(&truth).filter(|&(&g, &t)| g && t).count() as f64;
    let false_alarms = got.iter().zip(&truth).filter(|&(&g, &t)| g && !t).count() as f64;
    let balanced = 0.5 * (caught / positives + 1.0 - false_alarms / negatives);
    let flagged = got.iter().filter(|&&g| g).count();
    let graded = bar(
        "balanced accuracy of the flags (other species vs held-out Adelie)",
        balanced,
        0.9,
        Goal::AtLeast,
    );
    if graded.is_err() && flagged == (fraction * test.nrows() as f64).floor() as usize {
        return graded
            .map_err(|mut failed| {
                failed.message.push_str(&format!(
                    "; exactly floor(0.02 x {} test rows) = {flagged} flagged: the threshold was taken from the test log-densities, not the training ones",
                    test.nrows()
                ));
                failed
            })
            .hint("take the threshold from the training log-densities");
    }
    let passed = graded.hint("fit on the training rows only, with the full covariance, and flag test rows below the training threshold")?;
    // The threshold is the learner's choice: judge it, do not trust it. Far-off species are
    // flagged by many thresholds (the smallest training log-density, fraction ignored, also
    // clears the bar), so the flags must be the stated rule's: the grader fits the Gaussian
    // itself and takes the floor(0.02 n)-th smallest training log-density. A row within 1e-6
    // of that threshold may go either way (rounding).
    let (mean, cov) = mle(&train, 0.0);
    let mut scores = density(&mean, &cov, &train, (1.0, 1.0, 1.0));
    scores.sort_by(f64::total_cmp);
    let rank = (fraction * train.nrows() as f64).floor() as usize;
    let threshold = scores[rank];
    let test_scores = density(&mean, &cov, &test, (1.0, 1.0, 1.0));
    let expected: Vec<bool> = test_scores.iter().map(|&v| v < threshold).collect();
    let expected_count = expected.iter().filter(|&&f| f).count();
    if let Some(i) = (0..test.nrows())
        .find(|&i| got[i] != expected[i] && (test_scores[i] - threshold).abs() > 1e-6)
    {
        return Err(fail(format!(
            "flag(train, test, 0.02) flags {flagged} of {} test rows, the stated rule {expected_count}: test row {i} has log-density {} against the threshold {} (the 100 training log-densities sorted, index {}), so it should {}be flagged, and you {} it: these are not the flags of the stated rule (the full-covariance Gaussian fitted on the training rows, that threshold), and a balanced accuracy of other flags grades nothing",
            test.nrows(),
            fmt(test_scores[i]),
            fmt(threshold),
            rank,
            if expected[i] { "" } else { "not " },
            if got[i] { "flagged" } else { "did not flag" }
        )))
        .hint("the threshold is the floor(fraction * n)-th smallest training log-density (from 0), whatever the fraction");
    }
    Ok(passed)
}
