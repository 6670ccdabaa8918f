// Grader of unsupervised/adjusted_rand. Expected values come from the grader's own ARI
// (common.rs); the unadjusted Rand index and the plain accuracy are computed to name them.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::grade::*;

use super::exercise::adjusted_rand_index;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("small_case", small_case),
    ("relabelled", relabelled),
    ("iris_kmeans", iris_kmeans),
    ("symmetric_and_degenerate", symmetric_and_degenerate),
];

fn accuracy(a: &[usize], b: &[usize]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// The ARI with the expected index computed in integers (truncated), a classic slip.
fn ari_integer_expected(truth: &[usize], predicted: &[usize]) -> f64 {
    let (a, b) = (canonical(truth), canonical(predicted));
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0u64; kb]; ka];
    for (&i, &j) in a.iter().zip(&b) {
        table[i][j] += 1;
    }
    let c2 = |m: u64| m * m.saturating_sub(1) / 2;
    let index: u64 = table.iter().flatten().map(|&c| c2(c)).sum();
    let rows: u64 = table.iter().map(|r| c2(r.iter().sum())).sum();
    let cols: u64 = (0..kb).map(|j| c2(table.iter().map(|r| r[j]).sum())).sum();
    let expected = rows * cols / c2(a.len() as u64);
    let max = (rows + cols) as f64 / 2.0;
    (index as f64 - expected as f64) / (max - expected as f64)
}

fn compare(what: &str, truth: &[usize], predicted: &[usize]) -> Result<f64, Failed> {
    let got = adjusted_rand_index(truth, predicted);
    let expected = ari(truth, predicted);
    if (got - expected).abs() > 1e-9 {
        if (got - rand_index(truth, predicted)).abs() <= 1e-9 {
            return Err(fail(format!(
                "{what}: expected {}, got {}, the unadjusted Rand index",
                fmt(expected),
                fmt(got)
            )))
            .hint("subtract the index expected by chance and divide by (max - expected)");
        }
        if (got - ari_integer_expected(truth, predicted)).abs() <= 1e-9 {
            return Err(fail(format!(
                "{what}: expected {}, got {}: the expected index was truncated by an integer division",
                fmt(expected),
                fmt(got)
            )))
            .hint("compute the pair counts in f64: sum_i C(a_i) * sum_j C(b_j) / C(n) is rarely a whole number");
        }
        if (got - accuracy(truth, predicted)).abs() <= 1e-9 {
            return Err(fail(format!(
                "{what}: expected {}, got {}, the fraction of equal labels",
                fmt(expected),
                fmt(got)
            )))
            .hint("cluster numbers are arbitrary: compare pairs of points, not label values");
        }
    }
    close(what, got, expected, 1e-9)?;
    Ok(got)
}

fn small_case() -> Graded {
    let truth = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
    let predicted = [0, 0, 1, 1, 1, 1, 2, 2, 0, 2];
    let got = compare(
        &format!("ARI(truth = {truth:?}, predicted = {predicted:?})"),
        &truth,
        &predicted,
    )?;
    pass(format!("ARI = {}", fmt(got)))
}

fn relabelled() -> Graded {
    let (_, y) = iris();
    let renamed: Vec<usize> = y.iter().map(|&l| [7, 3, 11][l]).collect();
    let got = adjusted_rand_index(&y, &renamed);
    if (got - accuracy(&y, &renamed)).abs() <= 1e-9 {
        return Err(fail(format!("ARI(species, species renamed 0→7, 1→3, 2→11): expected 1, got {}, the fraction of equal labels", fmt(got))))
            .hint("cluster numbers are arbitrary: compare pairs of points, not label values");
    }
    close(
        "ARI(species, species renamed 0→7, 1→3, 2→11)",
        got,
        1.0,
        1e-12,
    )
    .hint("only label equality matters: map each labelling's values to 0..k first")?;
    pass("a relabelled copy scores 1")
}

fn iris_kmeans() -> Graded {
    let (x, y) = iris();
    // A k-means clustering of iris: Lloyd's algorithm from rows 0, 50 and 100.
    let mut centroids = x.select(ndarray::Axis(0), &[0, 50, 100]);
    let mut labels = vec![0; x.nrows()];
    for _ in 0..50 {
        labels = x.outer_iter().map(|r| nearest(r, &centroids)).collect();
        for c in 0..3 {
            let members: Vec<usize> = (0..x.nrows()).filter(|&i| labels[i] == c).collect();
            centroids.row_mut(c).assign(
                &x.select(ndarray::Axis(0), &members)
                    .mean_axis(ndarray::Axis(0))
                    .expect("members"),
            );
        }
    }
    let got = compare("ARI(iris species, k-means clusters)", &y, &labels)?;
    let noisy: Vec<usize> = (0..y.len())
        .map(|i| if i % 7 == 0 { (y[i] + 1) % 3 } else { y[i] })
        .collect();
    compare(
        "ARI(iris species, species with every 7th label changed)",
        &y,
        &noisy,
    )?;
    pass(format!(
        "ARI of k-means on iris = {} (versicolor and virginica overlap)",
        fmt(got)
    ))
}

fn symmetric_and_degenerate() -> Graded {
    let a = [0, 0, 1, 1, 1, 2, 2, 3];
    let b = [1, 1, 1, 0, 0, 0, 2, 2];
    let ab = adjusted_rand_index(&a, &b);
    let ba = adjusted_rand_index(&b, &a);
    close("ARI(b, a) - ARI(a, b)", ba - ab, 0.0, 1e-12)
        .hint("the formula is symmetric in rows and columns of the contingency table")?;
    compare("ARI(a, b)", &a, &b)?;
    let got = adjusted_rand_index(&[4, 4, 4, 4], &[9, 9, 9, 9]);
    ensure(got == 1.0, || format!("ARI of two labellings that both put all 4 points in one cluster: expected 1 (by convention, max = expected), got {}", fmt(got)))
        .hint("when max == expected the formula is 0/0: return 1.0, as scikit-learn does")?;
    pass("symmetric, and 1 in the one-cluster case")
}
