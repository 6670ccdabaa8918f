// Grader of unsupervised/dbscan_moons. The moons are generated here with a seed.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::{dbscan_moons, kmeans_moons};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("moons_found", moons_found),
    ("little_noise", little_noise),
    ("other_units", other_units),
    ("noisier_moons", noisier_moons),
    ("kmeans_fails", kmeans_fails),
];

/// The moons in a seeded random order (the generator makes the upper moon first, so labels by
/// position would score 1), with their labels in the same order.
fn shuffled_moons(n: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let (x, y) = moons(n, noise, seed);
    let order = learnml_kit::split::shuffled(n, seed + 100);
    subset(&x, &y, &order)
}

fn clusters(x: &Array2<f64>) -> Result<Vec<Option<usize>>, Failed> {
    let got = dbscan_moons(x);
    one_per_row("dbscan_moons", &got, x.nrows())?;
    Ok(got)
}

fn ari_bar(
    what: &str,
    got: &[Option<usize>],
    y: &[usize],
    at_least: f64,
    specific: Option<&str>,
) -> Graded {
    let score = ari(&with_noise_label(got), y);
    let found = n_distinct(&got.iter().flatten().copied().collect::<Vec<_>>());
    let noise = got.iter().filter(|l| l.is_none()).count();
    let clusters = if found == 1 { "cluster" } else { "clusters" };
    let points = if noise == 1 { "point" } else { "points" };
    let diagnosis = if found == 0 || found > 2 || (noise as f64) > 0.05 * got.len() as f64 {
        "eps is too small (or min_points too large): the moons break into pieces and noise"
    } else if found == 1 {
        "eps is too large (or min_points too small): the two moons merge into one cluster"
    } else {
        "the two clusters are not the two moons"
    };
    let diagnosis = match specific {
        Some(specific) => specific.to_string(),
        None => diagnosis.to_string(),
    };
    bar(
        &format!("adjusted Rand index on {what}"),
        score,
        at_least,
        Goal::AtLeast,
    )
    .map_err(|mut failed| {
        failed.message.push_str(&format!(
            "; your DBSCAN found {found} {clusters} and {noise} noise {points}: {diagnosis}"
        ));
        failed
    })
    .hint("standardize each column, then choose eps a little above the spacing of neighbouring points of a moon (a few hundredths) and well below the gap between the moons (a few tenths)")
}

fn moons_found() -> Graded {
    let (x, y) = shuffled_moons(300, 0.05, 11);
    let got = clusters(&x)?;
    let found = n_distinct(&got.iter().flatten().copied().collect::<Vec<_>>());
    show(Figure::Scatter {
        title: format!("your DBSCAN clusters on the moons (group {found}: noise)"),
        x_label: "x1".into(),
        y_label: "x2".into(),
        points: x.rows().into_iter().map(|r| [r[0], r[1]]).collect(),
        groups: with_noise_label(&got),
    });
    ari_bar("the two moons", &got, &y, 0.95, None)
}

fn little_noise() -> Graded {
    let (x, _) = shuffled_moons(300, 0.05, 11);
    let got = clusters(&x)?;
    let noise = got.iter().filter(|l| l.is_none()).count() as f64 / x.nrows() as f64;
    bar(
        "fraction of points labelled noise",
        noise,
        0.05,
        Goal::AtMost,
    )
    .map_err(|mut failed| {
        failed
            .message
            .push_str(": eps is too small or min_points too large for this density");
        failed
    })
    .hint("a core point needs min_points neighbours within eps (itself included)")
}

fn other_units() -> Graded {
    let (mut x, y) = shuffled_moons(300, 0.05, 11);
    x.column_mut(0).mapv_inplace(|v| v * 1000.0);
    let got = clusters(&x)?;
    // Standardized data does not change with the units: the partition must be the one found
    // on the moons in their own units.
    let (original, _) = shuffled_moons(300, 0.05, 11);
    let unscaled = !same_partition(
        &with_noise_label(&got),
        &with_noise_label(&clusters(&original)?),
    );
    ari_bar(
        "the moons with the first coordinate x 1000",
        &got,
        &y,
        0.95,
        unscaled.then_some(
            "the clusters change with the units of a feature: the features are not standardized (eps is a distance, and in these units the first coordinate dominates it)",
        ),
    )
}

fn noisier_moons() -> Graded {
    let (x, y) = shuffled_moons(400, 0.08, 12);
    let got = clusters(&x)?;
    ari_bar("hidden noisier moons", &got, &y, 0.9, None)
}

fn kmeans_fails() -> Graded {
    let (x, y) = shuffled_moons(300, 0.05, 11);
    let got = kmeans_moons(&x);
    one_per_row("kmeans_moons", &got, x.nrows())?;
    equal("number of k-means clusters", &n_distinct(&got), &2).hint("KMeans with 2 clusters")?;
    // A 2-means solution is a fixed point: every point is nearest to its own cluster's mean
    // (checked on the standardized data, and on the raw data for a learner who skipped it).
    let fixed_point = |data: &Array2<f64>| {
        let labels = canonical(&got);
        let means = Array2::from_shape_fn((2, 2), |(c, j)| {
            let members: Vec<f64> = (0..data.nrows())
                .filter(|&i| labels[i] == c)
                .map(|i| data[[i, j]])
                .collect();
            members.iter().sum::<f64>() / members.len() as f64
        });
        (0..data.nrows())
            .filter(|&i| nearest(data.row(i), &means) != labels[i])
            .count()
    };
    let misplaced = fixed_point(&standardize(&x)).min(fixed_point(&x));
    ensure(misplaced == 0, || {
        let (points, are) = if misplaced == 1 { ("point", "is") } else { ("points", "are") };
        format!("{misplaced} {points} {are} nearer to the other cluster's mean: this is not a converged 2-means clustering")
    })
        .hint("return the labels of linfa's KMeans with 2 clusters, fitted and predicted on the standardized data")?;
    bar(
        "adjusted Rand index of k-means on the moons",
        ari(&got, &y),
        0.6,
        Goal::AtMost,
    )
}
