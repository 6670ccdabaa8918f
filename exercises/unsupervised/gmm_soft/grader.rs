// Grader of unsupervised/gmm_soft.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split::{pick, rows, stratified_train_test};
use ndarray::{Array2, Axis};

use super::exercise::soft_clusters;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("probabilities", probabilities),
    ("penguin_species", penguin_species),
    ("uncertain_midpoint", uncertain_midpoint),
];

/// Penguins split 70/30 by species; the learner's probabilities on the test part.
fn penguin_run() -> Result<(Array2<f64>, Vec<usize>), Failed> {
    let (x, y) = penguins();
    let (train, test) = stratified_train_test(&y, 0.3, 5);
    // The test rows reach the learner in a seeded random order: sorted by index they come
    // species by species, and components by position would match the species.
    let test = pick(&test, &learnml_kit::split::shuffled(test.len(), 6));
    let got = soft_clusters(&rows(&x, &train), &rows(&x, &test), 3, 1);
    equal(
        "shape of soft_clusters(train, test, k = 3, ..) (test rows, k)",
        &got.dim(),
        &(test.len(), 3),
    )
    .hint("one row per test point, one column per component: `predict_proba` on the test rows")?;
    Ok((got, pick(&y, &test)))
}

fn valid_probabilities(p: &Array2<f64>) -> Result<(), Failed> {
    ensure(p.iter().all(|v| v.is_finite()), || {
        "the probabilities contain NaN or infinity".into()
    })?;
    if p.iter().any(|&v| v < 0.0) {
        return Err(fail(format!(
            "a probability is negative ({}): these look like log-probabilities",
            fmt(p.iter().copied().fold(f64::INFINITY, f64::min))
        )))
        .hint("return `predict_proba`, not log-densities");
    }
    let row_sums = p.sum_axis(Axis(1));
    let column_sums = p.sum_axis(Axis(0));
    if let Some((i, s)) = row_sums
        .iter()
        .enumerate()
        .find(|(_, s)| (*s - 1.0).abs() > 1e-6)
    {
        if column_sums.iter().all(|c| (c - 1.0).abs() <= 1e-6) {
            return Err(fail("the columns sum to 1, not the rows: the probabilities are normalized over the points instead of over the components"))
                .hint("each row is P(component | this point) and sums to 1 over the components");
        }
        return Err(fail(format!(
            "row {i} sums to {} (expected 1 ± 1e-6)",
            fmt(*s)
        )));
    }
    Ok(())
}

fn probabilities() -> Graded {
    let (p, _) = penguin_run()?;
    valid_probabilities(&p)?;
    pass("non-negative probabilities, every row summing to 1")
}

fn penguin_species() -> Graded {
    let (p, y) = penguin_run()?;
    valid_probabilities(&p)?;
    let hard: Vec<usize> = p
        .outer_iter()
        .map(|r| (0..r.len()).fold(0, |b, c| if r[c] > r[b] { c } else { b }))
        .collect();
    bar("adjusted Rand index of the most probable components vs species (held-out penguins)", ari(&hard, &y), 0.85, Goal::AtLeast)
        .hint("standardize with the training statistics before fitting, and keep the best of several EM starts (`n_runs(5)`)")
}

fn argmax(p: &Array2<f64>, i: usize) -> usize {
    (0..p.ncols()).fold(0, |b, c| if p[[i, c]] > p[[i, b]] { c } else { b })
}

fn uncertain_midpoint() -> Graded {
    let (train, _) = blobs(&[&[-2.0, 0.0], &[2.0, 0.0]], 200, 1.0, 6);
    // First (so that nothing learnt from another test batch can help): five points of the left
    // blob and the right blob's centre. Scaled with the batch's own statistics (mean x -1.58),
    // (-1, -0.5) lands on the right blob's side; scaled with the training statistics it stays
    // with its blob. The grader knows which blob each point is in: the first five share the
    // component of (-2, 0), the last is in the other.
    let batch = ndarray::array![
        [-2.0, 0.0],
        [-3.0, 0.5],
        [-3.0, -0.5],
        [-2.5, 0.5],
        [-1.0, -0.5],
        [2.0, 0.0]
    ];
    let q = soft_clusters(&train, &batch, 2, 3);
    equal("shape for 6 test points and k = 2", &q.dim(), &(6, 2))?;
    valid_probabilities(&q)?;
    let left = argmax(&q, 0);
    ensure(argmax(&q, 5) != left, || {
        "(-2, 0) and (2, 0), the centres of the two blobs, got the same most probable component"
            .to_string()
    })
    .hint("fit the mixture on the standardized training rows with k components")?;
    if argmax(&q, 4) != left && (1..4).all(|i| argmax(&q, i) == left) {
        return Err(fail(
            "(-1, -0.5), in the blob centred at (-2, 0), went to the component of (2, 0) when given with four other points of its blob: the test rows were standardized with their own statistics (or those of another test batch), not the training ones",
        ))
        .hint("fit the scaler on `train` and transform both parts with it");
    }
    let names = ["(-3, 0.5)", "(-3, -0.5)", "(-2.5, 0.5)", "(-1, -0.5)"];
    for (i, name) in (1..5).zip(names) {
        ensure(argmax(&q, i) == left, || {
            format!(
                "{name}, in the blob centred at (-2, 0), went to another component than (-2, 0)"
            )
        })
        .hint("standardize the test rows with the training statistics, then `predict_proba`")?;
    }
    let test = ndarray::array![[-2.0, 0.0], [2.0, 0.0], [0.0, 0.0]];
    let p = soft_clusters(&train, &test, 2, 3);
    equal("shape for 3 test points and k = 2", &p.dim(), &(3, 2))?;
    valid_probabilities(&p)?;
    let top = |i: usize| p.row(i).iter().copied().fold(0.0, f64::max);
    for (i, name) in [(0, "(-2, 0)"), (1, "(2, 0)")] {
        ensure(top(i) >= 0.95, || {
            format!(
                "at the blob centre {name} the largest probability is {} (expected ≥ 0.95)",
                fmt(top(i))
            )
        })?;
    }
    ensure(argmax(&p, 0) != argmax(&p, 1), || {
        "the two blob centres (-2, 0) and (2, 0) got the same most probable component".to_string()
    })?;
    let one_hot = p.iter().all(|&v| v == 0.0 || v == 1.0);
    ensure(top(2) <= 0.8, || {
        format!(
            "at the midpoint (0, 0) the largest probability is {} (expected ≤ 0.8){}",
            fmt(top(2)),
            if one_hot {
                ": the rows are one-hot, hard assignments, not probabilities"
            } else {
                ""
            }
        )
    })
    .hint("return `predict_proba`, not `predict`")?;
    pass(
        format!(
            "centres: {} and {}; midpoint: {} / {}",
            fmt(top(0)),
            fmt(top(1)),
            fmt(p[[2, 0]]),
            fmt(p[[2, 1]])
        ) + "; test rows scaled with the training statistics",
    )
}
