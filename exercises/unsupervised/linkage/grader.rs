// Grader of unsupervised/linkage. The grader's own agglomeration recomputes every cluster
// distance from the points (no update formula), so it is an independent implementation.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::{Linkage, agglomerate};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("small_single", small_single),
    ("small_complete", small_complete),
    ("chains", chains),
    ("hidden_blobs", hidden_blobs),
];

#[allow(clippy::needless_range_loop)] // index pairs (a, b) of a distance matrix
fn reference(x: &Array2<f64>, k: usize, linkage: Linkage) -> Vec<usize> {
    let n = x.nrows();
    let dist: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| sq_dist(x.row(i), x.row(j)).sqrt()).collect())
        .collect();
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut between: Vec<Vec<f64>> = dist.clone();
    while clusters.len() > k {
        let mut best = (0, 1, f64::INFINITY);
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                if between[a][b] < best.2 {
                    best = (a, b, between[a][b]);
                }
            }
        }
        let (a, b, _) = best;
        let moved = clusters.remove(b);
        clusters[a].extend(moved);
        // Recompute the distances of the merged cluster from its points.
        between = (0..clusters.len())
            .map(|p| {
                (0..clusters.len())
                    .map(|q| {
                        let pairs = clusters[p]
                            .iter()
                            .flat_map(|&i| clusters[q].iter().map(move |&j| (i, j)));
                        match linkage {
                            _ if p == q => 0.0,
                            Linkage::Single => {
                                pairs.map(|(i, j)| dist[i][j]).fold(f64::INFINITY, f64::min)
                            }
                            Linkage::Complete => pairs.map(|(i, j)| dist[i][j]).fold(0.0, f64::max),
                        }
                    })
                    .collect()
            })
            .collect();
    }
    let mut labels = vec![0; n];
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            labels[i] = c;
        }
    }
    labels
}

/// Average linkage by the update d(a ∪ b, c) = (d(a, c) + d(b, c)) / 2 (WPGMA): a classic slip.
#[allow(clippy::needless_range_loop)] // index pairs (a, b) of a distance matrix
fn average_linkage(x: &Array2<f64>, k: usize) -> Vec<usize> {
    let n = x.nrows();
    let mut d: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| sq_dist(x.row(i), x.row(j)).sqrt()).collect())
        .collect();
    let mut labels: Vec<usize> = (0..n).collect();
    let mut active = vec![true; n];
    for _ in 0..n.saturating_sub(k) {
        let mut best = (0, 1, f64::INFINITY);
        for a in 0..n {
            for b in a + 1..n {
                if active[a] && active[b] && d[a][b] < best.2 {
                    best = (a, b, d[a][b]);
                }
            }
        }
        let (a, b, _) = best;
        active[b] = false;
        for l in labels.iter_mut() {
            if *l == b {
                *l = a;
            }
        }
        for c in 0..n {
            if active[c] && c != a {
                let merged = (d[a][c] + d[b][c]) / 2.0;
                d[a][c] = merged;
                d[c][a] = merged;
            }
        }
    }
    labels
}

/// The learner's partition against the grader's, naming a swapped or averaged linkage.
fn compare(what: &str, x: &Array2<f64>, k: usize, linkage: Linkage) -> Result<Vec<usize>, Failed> {
    let got = agglomerate(x, k, linkage);
    one_per_row(what, &got, x.nrows())?;
    equal(
        &format!("{what}: number of clusters"),
        &n_distinct(&got),
        &k,
    )
    .hint("merge until exactly k clusters remain")?;
    let expected = reference(x, k, linkage);
    if same_partition(&got, &expected) {
        return Ok(got);
    }
    let other = match linkage {
        Linkage::Single => Linkage::Complete,
        Linkage::Complete => Linkage::Single,
    };
    let swapped = same_partition(&got, &reference(x, k, other));
    let averaged = same_partition(&got, &average_linkage(x, k));
    if swapped || averaged {
        let message = match (swapped, averaged) {
            (true, true) => format!(
                "{what}: you returned the {other:?} linkage clustering where {linkage:?} was asked (here it is also the average linkage one)"
            ),
            (true, false) => format!(
                "{what}: you returned the {other:?} linkage clustering where {linkage:?} was asked"
            ),
            _ => format!(
                "{what}: you returned the average linkage clustering (merged distances averaged, (d(a, c) + d(b, c)) / 2) where {linkage:?} was asked"
            ),
        };
        return Err(fail(message))
            .hint("single = min over pairs of points (update with min), complete = max over pairs (update with max)");
    }
    Err(fail(format!(
        "{what}: the partition differs from the grader's (expected {expected:?} up to renumbering, got {got:?})",
        expected = canonical(&expected),
        got = canonical(&got)
    )))
    .hint("at each step merge the pair of clusters with the smallest linkage distance, then update that cluster's distances to the others")
}

fn small() -> Array2<f64> {
    let line = [0.0, 1.0, 2.1, 3.3, 4.6, 7.0, 7.4];
    Array2::from_shape_fn((line.len(), 2), |(i, j)| if j == 0 { line[i] } else { 0.0 })
}

fn small_single() -> Graded {
    let got = compare(
        "agglomerate(points at x = 0, 1, 2.1, 3.3, 4.6, 7, 7.4; k = 3; Single)",
        &small(),
        3,
        Linkage::Single,
    )?;
    pass(format!(
        "single linkage: {:?} (the chain 0..3.3 stays together, 4.6 is alone)",
        canonical(&got)
    ))
}

fn small_complete() -> Graded {
    let got = compare(
        "agglomerate(points at x = 0, 1, 2.1, 3.3, 4.6, 7, 7.4; k = 3; Complete)",
        &small(),
        3,
        Linkage::Complete,
    )?;
    pass(format!(
        "complete linkage: {:?} (compact groups: the chain is cut)",
        canonical(&got)
    ))
}

/// Two horizontal chains of 60 points, 2 apart vertically, points about 0.17 apart along each.
fn two_chains() -> (Array2<f64>, Vec<usize>) {
    let mut rng = learnml_kit::split::rng(9);
    let mut x = Array2::zeros((120, 2));
    let mut y = Vec::new();
    for i in 0..120 {
        let (chain, t) = (i / 60, (i % 60) as f64 / 59.0);
        x[[i, 0]] = 10.0 * t + 0.03 * normal(&mut rng);
        x[[i, 1]] = 2.0 * chain as f64 + 0.03 * normal(&mut rng);
        y.push(chain);
    }
    (x, y)
}

fn chains() -> Graded {
    let (x, y) = two_chains();
    let single = compare(
        "single linkage on two chains (k = 2)",
        &x,
        2,
        Linkage::Single,
    )?;
    ensure(same_partition(&single, &y), || {
        "single linkage should recover the two chains exactly".into()
    })?;
    let complete = compare(
        "complete linkage on two chains (k = 2)",
        &x,
        2,
        Linkage::Complete,
    )?;
    pass(format!(
        "single linkage recovers the chains (ARI 1); complete linkage cuts them (ARI {})",
        fmt(ari(&complete, &y))
    ))
}

fn hidden_blobs() -> Graded {
    let (x, _) = blobs(&[&[0.0, 0.0], &[4.0, 0.0], &[2.0, 3.5]], 30, 1.0, 10);
    compare(
        "single linkage on hidden blobs (k = 3)",
        &x,
        3,
        Linkage::Single,
    )?;
    compare(
        "complete linkage on hidden blobs (k = 3)",
        &x,
        3,
        Linkage::Complete,
    )?;
    pass("both linkages match on hidden blobs")
}
