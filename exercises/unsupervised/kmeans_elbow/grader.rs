// Grader of unsupervised/kmeans_elbow.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use linfa::prelude::*;
use linfa_clustering::KMeans;
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use super::exercise::{elbow, inertia_curve, wine_clusters};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("inertia_is_a_sum", inertia_is_a_sum),
    ("curve_decreases", curve_decreases),
    ("elbow_rule", elbow_rule),
    ("elbow_blobs", elbow_blobs),
    ("wine_ari", wine_ari),
];

const KS: [usize; 7] = [1, 2, 3, 4, 5, 6, 7];

/// Four well-separated blobs of 50 points: k-means with 10 runs finds them exactly.
fn four_blobs() -> (Array2<f64>, Vec<usize>) {
    blobs(
        &[&[0.0, 0.0], &[8.0, 0.0], &[0.0, 8.0], &[8.0, 8.0]],
        50,
        0.7,
        4,
    )
}

fn curve(x: &Array2<f64>) -> Result<Vec<f64>, Failed> {
    let got = inertia_curve(x, &KS, 1);
    equal(
        "number of inertias for ks = [1, ..., 7]",
        &got.len(),
        &KS.len(),
    )
    .hint("one inertia per k of `ks`, in the same order")?;
    Ok(got)
}

fn inertia_is_a_sum() -> Graded {
    let (x, y) = four_blobs();
    let n = x.nrows() as f64;
    let got = curve(&x)?;
    for (k, position, labels) in [(1, 0, vec![0; y.len()]), (4, 3, y.clone())] {
        let expected = within_ss(&x, &labels);
        if (got[position] * n - expected).abs() <= 1e-6 * expected {
            return Err(fail(format!(
                "inertia at k = {k}: expected {} (a sum over the {n} points), got {}, which is the per-point mean",
                fmt(expected),
                fmt(got[position])
            )))
            .hint("linfa's `KMeans::inertia()` is a per-sample mean: multiply by x.nrows()");
        }
        close(
            &format!("inertia at k = {k} (sum of squared distances to the centroids)"),
            got[position],
            expected,
            1e-6 * expected,
        )
        .hint("inertia = sum over points of the squared Euclidean distance to their centroid")?;
    }
    pass(format!(
        "inertia at k = 1: {}, at k = 4: {} (sums of squares)",
        fmt(got[0]),
        fmt(got[3])
    ))
}

/// The grader's own inertia curve: the fit the statement prescribes (linfa's `KMeans`, 10
/// runs, `Xoshiro256Plus::seed_from_u64(seed)`), as a sum of squares.
fn replayed_curve(x: &Array2<f64>, seed: u64) -> Vec<f64> {
    let data = DatasetBase::from(x.clone());
    KS.iter()
        .map(|&k| {
            let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
                .n_runs(10)
                .fit(&data)
                .expect("k-means fits on four blobs");
            let labels: Array1<usize> = model.predict(x);
            within_ss(x, &labels.to_vec())
        })
        .collect()
}

fn curve_decreases() -> Graded {
    let (x, _) = four_blobs();
    let n = x.nrows() as f64;
    let got = curve(&x)?;
    // The values are compared with the grader's own fits, not only with each other: any
    // made-up decreasing numbers would pass a shape check alone.
    let expected = replayed_curve(&x, 1);
    for i in 0..KS.len() {
        if (got[i] * n - expected[i]).abs() <= 1e-6 * expected[i] {
            return Err(fail(format!(
                "inertia at k = {}: expected {} (a sum over the {n} points), got {}, which is the per-point mean",
                KS[i],
                fmt(expected[i]),
                fmt(got[i])
            )))
            .hint("linfa's `KMeans::inertia()` is a per-sample mean: multiply by x.nrows()");
        }
        close(
            &format!(
                "inertia at k = {} (the grader's fit: KMeans with n_runs(10) and the seed's Xoshiro256Plus)",
                KS[i]
            ),
            got[i],
            expected[i],
            1e-6 * expected[i],
        )
        .hint("each k needs its own fit with `KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed)).n_runs(10)`; best-of-10 inertia never rises with k on this data")?;
    }
    for i in 0..KS.len() - 1 {
        ensure(got[i + 1] <= got[i] * (1.0 + 1e-9), || {
            format!(
                "inertia rises from k = {} ({}) to k = {} ({})",
                KS[i],
                fmt(got[i]),
                KS[i + 1],
                fmt(got[i + 1])
            )
        })?;
    }
    pass(format!(
        "inertia falls from {} (k = 1) to {} (k = 7), as in the grader's own fits",
        fmt(got[0]),
        fmt(got[6])
    ))
}

/// The grader's elbow rule.
fn expected_elbow(ks: &[usize], inertias: &[f64], drop: f64) -> usize {
    (0..ks.len() - 1)
        .find(|&i| (inertias[i] - inertias[i + 1]) / inertias[i] < drop)
        .map_or(ks[ks.len() - 1], |i| ks[i])
}

/// Compare `elbow(ks, inertias, drop)` with the rule, naming the classic wrong answers.
fn compare_elbow(what: &str, ks: &[usize], inertias: &[f64], drop: f64) -> Result<(), Failed> {
    let expected = expected_elbow(ks, inertias, drop);
    let got = elbow(ks, inertias, drop);
    if got != expected && ks.iter().position(|&k| k == expected) == Some(got) {
        return Err(fail(format!(
            "{what}: expected k = {expected}, got {got}, its position in ks"
        )))
        .hint("return `ks[i]`, not `i`");
    }
    if let Some(i) = ks.iter().position(|&k| k == expected)
        && i + 1 < ks.len()
        && got == ks[i + 1]
        && got != expected
    {
        return Err(fail(format!(
            "{what}: expected k = {expected}, got {got}, the k after the elbow (ks[i + 1])"
        )))
        .hint("the elbow is ks[i], the k from which one more cluster stops paying");
    }
    equal(what, &got, &expected)
        .hint("the first ks[i] with (inertias[i] - inertias[i + 1]) / inertias[i] < drop; the last k when no drop is that small")
}

fn elbow_rule() -> Graded {
    let cases: [(&[usize], &[f64], f64); 3] = [
        (
            &[1, 2, 3, 4, 5, 6],
            &[100.0, 40.0, 10.0, 9.0, 8.5, 8.2],
            0.2,
        ),
        (&[2, 4, 6, 8], &[50.0, 20.0, 15.0, 14.0], 0.2),
        (&[1, 2, 3], &[9.0, 3.0, 1.0], 0.1),
    ];
    for (ks, inertias, drop) in cases {
        compare_elbow(
            &format!("elbow(ks = {ks:?}, inertias = {inertias:?}, drop = {drop})"),
            ks,
            inertias,
            drop,
        )?;
    }
    pass("the elbow rule gives k = 3, k = 6 and the last k (no small drop) on the three curves")
}

/// Three well-separated blobs of 50 points.
fn three_blobs() -> (Array2<f64>, Vec<usize>) {
    blobs(&[&[0.0, 0.0], &[9.0, 1.0], &[3.0, 9.0]], 50, 0.8, 5)
}

fn elbow_blobs() -> Graded {
    // `elbow` runs on inertia curves the grader computes itself (its own seeded fits), never on
    // the learner's: a wrong elbow rule would otherwise pass with a curve made up to suit it.
    for (name, (x, _), true_k) in [("four", four_blobs(), 4), ("three", three_blobs(), 3)] {
        let inertias = replayed_curve(&x, 1);
        let shown: Vec<String> = inertias.iter().map(|&v| fmt(v)).collect();
        ensure(expected_elbow(&KS, &inertias, 0.2) == true_k, || {
            format!("the grader's curve of {name} blobs does not bend at k = {true_k}")
        })?;
        compare_elbow(
            &format!(
                "elbow(ks = {KS:?}, the grader's inertias of {name} blobs [{}], drop = 0.2)",
                shown.join(", ")
            ),
            &KS,
            &inertias,
            0.2,
        )?;
    }
    // A hand-made curve whose elbow is known: ks not 1, 2, 3, ..., the rule meets the drop
    // at ks[2] = 5.
    compare_elbow(
        "elbow(ks = [2, 3, 5, 8], inertias = [400, 150, 60, 55], drop = 0.25)",
        &[2, 3, 5, 8],
        &[400.0, 150.0, 60.0, 55.0],
        0.25,
    )?;
    pass(
        "on the grader's own inertia curves, the elbow of four blobs is k = 4, of three blobs k = 3",
    )
}

fn raw_kmeans(train: &Array2<f64>, test: &Array2<f64>) -> Vec<usize> {
    let model = KMeans::params_with_rng(3, Xoshiro256Plus::seed_from_u64(0))
        .n_runs(10)
        .fit(&DatasetBase::from(train.clone()))
        .expect("k-means fits on raw wine");
    let labels: Array1<usize> = model.predict(test);
    labels.to_vec()
}

fn wine_ari() -> Graded {
    let (x, y) = wine();
    let (train, test) = learnml_kit::split::stratified_train_test(&y, 0.3, 2024);
    // The test rows reach the learner in a seeded random order: sorted by index they come
    // cultivar by cultivar, and clusters numbered by position would match the cultivars.
    let test = learnml_kit::split::pick(&test, &learnml_kit::split::shuffled(test.len(), 2025));
    let (x_train, x_test) = (
        learnml_kit::split::rows(&x, &train),
        learnml_kit::split::rows(&x, &test),
    );
    let y_test = learnml_kit::split::pick(&y, &test);
    let got = wine_clusters(&x_train, &x_test);
    one_per_row("wine_clusters(train, test)", &got, x_test.nrows())?;
    let score = ari(&got, &y_test);
    let graded = bar(
        "adjusted Rand index of the test clusters vs the cultivars",
        score,
        0.75,
        Goal::AtLeast,
    );
    if graded.is_err() {
        let raw = raw_kmeans(&x_train, &x_test);
        if ari(&got, &raw) > 0.9 {
            return graded
                .map_err(|mut failed| {
                    failed.message.push_str(&format!(
                        "; these are the clusters of unscaled features (unscaled k-means scores {}): proline (hundreds to thousands) dominates every distance",
                        fmt(ari(&raw, &y_test))
                    ));
                    failed
                })
                .hint("standardize with the training statistics (LinearScaler::standard()) first");
        }
    }
    graded.hint("standardize with the training statistics (LinearScaler::standard()) before k-means, and predict the test rows with the fitted model")
}
