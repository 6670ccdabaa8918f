// Grader of unsupervised/kmeans_lloyd. The grader replays Lloyd's algorithm with its own code.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::grade::*;
use ndarray::{Array2, Axis};

use super::exercise::{KMeansFit, lloyd};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("seeded_init", seeded_init),
    ("one_update", one_update),
    ("converged_blobs", converged_blobs),
    ("fixed_point_iris", fixed_point_iris),
    ("empty_cluster", empty_cluster),
];

/// The grader's Lloyd: (centroids, labels, iterations), as the statement specifies.
fn reference(
    x: &Array2<f64>,
    k: usize,
    seed: u64,
    max_iter: usize,
    tol: f64,
) -> (Array2<f64>, Vec<usize>, usize) {
    let start = learnml_kit::split::shuffled(x.nrows(), seed);
    let mut centroids = x.select(Axis(0), &start[..k]);
    let mut iterations = 0;
    while iterations < max_iter {
        let labels: Vec<usize> = x.outer_iter().map(|r| nearest(r, &centroids)).collect();
        let mut next = centroids.clone();
        for c in 0..k {
            let members: Vec<usize> = (0..x.nrows()).filter(|&i| labels[i] == c).collect();
            if !members.is_empty() {
                next.row_mut(c).assign(
                    &x.select(Axis(0), &members)
                        .mean_axis(Axis(0))
                        .expect("members"),
                );
            }
        }
        iterations += 1;
        let shift = (0..k)
            .map(|c| sq_dist(next.row(c), centroids.row(c)).sqrt())
            .fold(0.0, f64::max);
        centroids = next;
        if shift <= tol {
            break;
        }
    }
    let labels = x.outer_iter().map(|r| nearest(r, &centroids)).collect();
    (centroids, labels, iterations)
}

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

fn well_formed(fit: &KMeansFit, x: &Array2<f64>, k: usize) -> Result<(), Failed> {
    equal(
        "centroids shape (k, d)",
        &fit.centroids.dim(),
        &(k, x.ncols()),
    )
    .hint("one centroid per row, one column per feature")?;
    one_per_row("labels", &fit.labels, x.nrows())?;
    ensure(fit.labels.iter().all(|&l| l < k), || {
        format!(
            "labels must be in 0..{k}, got {:?}",
            fit.labels.iter().max()
        )
    })?;
    ensure(fit.centroids.iter().all(|v| v.is_finite()), || {
        "a centroid contains NaN or infinity (an empty cluster divided by 0?)".into()
    })
    .hint("a cluster with no points keeps its previous centroid")
}

fn seeded_init() -> Graded {
    let (x, _) = iris();
    let (k, seed) = (3, 7);
    let fit = lloyd(&x, k, seed, 0, 1e-9);
    well_formed(&fit, &x, k)?;
    let (expected, labels, _) = reference(&x, k, seed, 0, 1e-9);
    if fit.centroids == x.select(Axis(0), &[0, 1, 2]) {
        return Err(fail("lloyd(iris, k = 3, seed = 7, max_iter = 0): the centroids are the first 3 rows of iris, which are all setosa"))
            .hint("start at the rows `learnml_kit::split::shuffled(n, seed)[..k]`: the file is sorted by species");
    }
    all_close("starting centroids (row-major)", &flat(&fit.centroids), &flat(&expected), 1e-12)
        .hint("centroid c is row `order[c]` of x, with `order = learnml_kit::split::shuffled(x.nrows(), seed)`")?;
    equal("n_iter with max_iter = 0", &fit.n_iter, &0)?;
    equal(
        "labels against the starting centroids (with max_iter = 0, no assignment happens unless you assign once more at the end)",
        &fit.labels,
        &labels,
    )
    .hint("assign every point to its nearest centroid once more before returning")?;
    pass("seeded start: rows shuffled(150, 7)[..3] of iris, labels against them, n_iter = 0")
}

fn one_update() -> Graded {
    let x = ndarray::array![
        [0.0, 0.0],
        [1.0, 0.0],
        [0.0, 1.0],
        [5.0, 5.0],
        [6.0, 5.0],
        [5.0, 7.0],
        [2.0, 2.0]
    ];
    let (k, seed) = (2, 3);
    let fit = lloyd(&x, k, seed, 1, 0.0);
    well_formed(&fit, &x, k)?;
    let (start, _, _) = reference(&x, k, seed, 0, 0.0);
    let (expected, labels, _) = reference(&x, k, seed, 1, 0.0);
    if fit.centroids == start {
        return Err(fail("with max_iter = 1 the centroids did not move from the seeded start"))
            .hint("one iteration = assign every point, then move every centroid to the mean of its points");
    }
    all_close(
        "centroids after one iteration (row-major)",
        &flat(&fit.centroids),
        &flat(&expected),
        1e-12,
    )
    .hint("a centroid moves to the mean of the points assigned to it in this iteration")?;
    equal("n_iter with max_iter = 1", &fit.n_iter, &1)?;
    let (_, stale, _) = reference(&x, k, seed, 0, 0.0);
    if fit.labels == stale && stale != labels {
        return Err(fail(format!(
            "labels {:?} are those of the assignment before the centroids moved, not against the returned centroids ({labels:?}): assign once more at the end",
            fit.labels
        )))
        .hint("after the loop, `labels = assign(x, &centroids)`");
    }
    equal(
        "labels against the returned centroids",
        &fit.labels,
        &labels,
    )?;
    pass("one iteration: centroids are the means of their points, n_iter = 1")
}

fn converged_blobs() -> Graded {
    let (x, y) = blobs(&[&[0.0, 0.0], &[6.0, 0.0], &[3.0, 5.0]], 40, 0.8, 21);
    let (k, seed, max_iter) = (3, 5, 100);
    let fit = lloyd(&x, k, seed, max_iter, 1e-9);
    well_formed(&fit, &x, k)?;
    let (expected, _, iterations) = reference(&x, k, seed, max_iter, 1e-9);
    ensure(same_partition(&fit.labels, &y), || {
        format!(
            "the clusters differ from the three blobs (ARI {} against the blob labels)",
            fmt(ari(&fit.labels, &y))
        )
    })?;
    all_close(
        "converged centroids (row-major)",
        &flat(&fit.centroids),
        &flat(&expected),
        1e-9,
    )?;
    if fit.n_iter + 1 == iterations {
        return Err(fail(format!(
            "n_iter = {}, expected {iterations}: the final pass, after which no centroid moved more than tol, is not counted",
            fit.n_iter
        )))
        .hint("count every assign + update pass, the last one included");
    }
    ensure(fit.n_iter < max_iter, || {
        format!(
            "n_iter = {} = max_iter: the convergence test never stopped the loop",
            fit.n_iter
        )
    })
    .hint("stop as soon as no centroid moved by more than `tol`")?;
    equal(
        "n_iter (iterations until no centroid moves more than tol)",
        &fit.n_iter,
        &iterations,
    )
    .hint("n_iter counts every assign + update pass, including the one after which no centroid moved more than tol; it also depends on starting at the seeded rows")?;
    pass(format!(
        "three blobs recovered exactly, converged in {iterations} iteration{}",
        if iterations == 1 { "" } else { "s" }
    ))
}

fn fixed_point_iris() -> Graded {
    let (x, _) = iris();
    let (k, seed) = (3, 11);
    let fit = lloyd(&x, k, seed, 300, 0.0);
    well_formed(&fit, &x, k)?;
    for (i, &label) in fit.labels.iter().enumerate() {
        let best = nearest(x.row(i), &fit.centroids);
        let (dl, db) = (
            sq_dist(x.row(i), fit.centroids.row(label)),
            sq_dist(x.row(i), fit.centroids.row(best)),
        );
        ensure(dl <= db + 1e-12, || {
            format!("row {i} has label {label} but centroid {best} is nearer")
        })?;
    }
    let (expected, labels, _) = reference(&x, k, seed, 300, 0.0);
    ensure(same_partition(&fit.labels, &labels), || {
        "on iris (k = 3, seed = 11) the clusters differ from the grader's Lloyd".into()
    })
    .hint("check the seeded start and that every iteration assigns then updates")?;
    all_close(
        "centroids (row-major)",
        &flat(&fit.centroids),
        &flat(&expected),
        1e-9,
    )?;
    pass(format!(
        "fixed point reached in {} iteration{}, within-cluster sum of squares {}",
        fit.n_iter,
        if fit.n_iter == 1 { "" } else { "s" },
        fmt(within_ss(&x, &fit.labels))
    ))
}

fn empty_cluster() -> Graded {
    // Four copies of one point and one far point: a seed whose two starting rows are both
    // copies leaves the second centroid without points (ties go to the lower index).
    let x = ndarray::array![[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [9.0, 9.0]];
    let seed = (0..1000u64)
        .find(|&s| {
            learnml_kit::split::shuffled(5, s)[..2]
                .iter()
                .all(|&i| i < 4)
        })
        .expect("such a seed exists");
    let fit = lloyd(&x, 2, seed, 10, 1e-9);
    well_formed(&fit, &x, 2)?;
    let (expected, _, _) = reference(&x, 2, seed, 10, 1e-9);
    all_close(
        "centroids when a cluster is empty (row-major)",
        &flat(&fit.centroids),
        &flat(&expected),
        1e-12,
    )
    .hint("an empty cluster keeps its previous centroid")?;
    pass("an empty cluster keeps its centroid")
}
