// Grader of unsupervised/silhouette. The grader computes the silhouette with its own code,
// and the classic wrong variants to name them.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::silhouette;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("small_case", small_case),
    ("iris_species", iris_species),
    ("any_label_numbers", any_label_numbers),
    ("singleton", singleton),
];

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Correct,
    /// Squared Euclidean distances.
    Squared,
    /// a(i) divided by the cluster's size, i counted.
    SelfCounted,
    /// b(i) as the mean distance to every point outside the cluster.
    AllOthers,
    /// A singleton scores 1 (a = 0) instead of 0.
    SingletonOne,
}

fn score(x: &Array2<f64>, labels: &[usize], variant: Variant) -> f64 {
    let c = canonical(labels);
    let k = n_distinct(labels);
    let n = x.nrows();
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0; k];
        let mut counts = vec![0.0; k];
        for j in 0..n {
            counts[c[j]] += 1.0;
            if j != i {
                let d = sq_dist(x.row(i), x.row(j));
                sums[c[j]] += if variant == Variant::Squared {
                    d
                } else {
                    d.sqrt()
                };
            }
        }
        let own = c[i];
        if counts[own] == 1.0 {
            total += if variant == Variant::SingletonOne {
                1.0
            } else {
                0.0
            };
            continue;
        }
        let a = sums[own]
            / if variant == Variant::SelfCounted {
                counts[own]
            } else {
                counts[own] - 1.0
            };
        let b = if variant == Variant::AllOthers {
            let (s, m) = (0..k)
                .filter(|&q| q != own)
                .fold((0.0, 0.0), |(s, m), q| (s + sums[q], m + counts[q]));
            s / m
        } else {
            (0..k)
                .filter(|&q| q != own)
                .map(|q| sums[q] / counts[q])
                .fold(f64::INFINITY, f64::min)
        };
        total += (b - a) / a.max(b);
    }
    total / n as f64
}

const NAMED: [(Variant, &str, &str); 4] = [
    (
        Variant::Squared,
        "squared distances",
        "use Euclidean distances: the square root of the sum of squared differences",
    ),
    (
        Variant::SelfCounted,
        "a(i) divided by the cluster's size including i itself",
        "a(i) averages over the other points of the cluster: divide by (size - 1)",
    ),
    (
        Variant::AllOthers,
        "b(i) as the mean distance to all points outside the cluster",
        "b(i) is the smallest, over the other clusters, of the mean distance to that cluster",
    ),
    (
        Variant::SingletonOne,
        "a singleton scored 1 instead of 0",
        "a point alone in its cluster has s(i) = 0 by convention",
    ),
];

fn compare(what: &str, x: &Array2<f64>, labels: &[usize]) -> Result<f64, Failed> {
    let got = silhouette(x, labels);
    name_variant(what, got, x, labels)?;
    close(what, got, score(x, labels, Variant::Correct), 1e-9)?;
    Ok(got)
}

/// Fails naming the classic wrong variant that `got` matches, if any.
fn name_variant(what: &str, got: f64, x: &Array2<f64>, labels: &[usize]) -> Result<(), Failed> {
    let expected = score(x, labels, Variant::Correct);
    if (got - expected).abs() > 1e-9 {
        for (variant, name, hint) in NAMED {
            let wrong = score(x, labels, variant);
            if (wrong - expected).abs() > 1e-9 && (got - wrong).abs() <= 1e-9 {
                return Err(fail(format!(
                    "{what}: expected {}, got {}, which is the silhouette with {name}",
                    fmt(expected),
                    fmt(got)
                )))
                .hint(hint);
            }
        }
    }
    Ok(())
}

fn small_case() -> Graded {
    let x = ndarray::array![
        [0.0, 0.0],
        [0.0, 1.0],
        [1.0, 0.0],
        [4.0, 4.0],
        [5.0, 4.0],
        [4.0, 6.0],
        [2.0, 2.0]
    ];
    let labels = [0, 0, 0, 1, 1, 1, 0];
    let got = compare("silhouette of 7 points in 2 clusters", &x, &labels)?;
    pass(format!("silhouette = {}", fmt(got)))
}

fn iris_species() -> Graded {
    let (x, y) = iris();
    let got = compare("silhouette of iris with the species as clusters", &x, &y)?;
    pass(format!(
        "silhouette of iris's species = {} (setosa is far apart, versicolor and virginica overlap)",
        fmt(got)
    ))
}

fn any_label_numbers() -> Graded {
    let (x, y) = blobs(&[&[0.0, 0.0], &[3.0, 0.0], &[0.0, 3.0]], 15, 1.0, 8);
    let renamed: Vec<usize> = y.iter().map(|&l| [42, 7, 1000][l]).collect();
    // The renamed labels come first and are compared with the grader's own score: a score
    // remembered from a call with labels 0, 1, 2 on the same points cannot answer for them.
    let expected = score(&x, &renamed, Variant::Correct);
    let got = silhouette(&x, &renamed);
    if (got - expected).abs() > 1e-9 {
        name_variant(
            "silhouette of three blobs with labels 42, 7, 1000",
            got,
            &x,
            &renamed,
        )?;
        let plain = silhouette(&x, &y);
        let plain_right = (plain - expected).abs() <= 1e-9;
        return Err(fail(format!(
            "silhouette of three blobs with labels 42, 7, 1000: expected {}, got {}{}: the score must not depend on the label numbers",
            fmt(expected),
            fmt(got),
            if plain_right {
                ", while labels 0, 1, 2 give the right score"
            } else {
                ""
            }
        )))
        .hint("only label equality matters: map the distinct labels to 0..k first");
    }
    compare("silhouette of the same three blobs, labels 0, 1, 2", &x, &y)?;
    pass("the score does not depend on the label numbers")
}

fn singleton() -> Graded {
    let x = ndarray::array![
        [0.0, 0.0],
        [0.5, 0.0],
        [0.0, 0.5],
        [4.0, 4.0],
        [4.5, 4.0],
        [10.0, 0.0]
    ];
    let labels = [0, 0, 0, 1, 1, 2];
    let got = compare(
        "silhouette with the point (10, 0) alone in its cluster",
        &x,
        &labels,
    )?;
    pass(format!(
        "a singleton counts as 0: silhouette = {}",
        fmt(got)
    ))
}
