// Grader of trends/transfer.
//
// digits.csv split by class: the representation is fitted on the images of some digits (the
// source, labels unused) and reused for a few-shot task on the other digits (the target):
// `SHOTS` labelled images per class to train on, the rest of the target images to score.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rows, shuffled};
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use linfa_reduction::Pca;
use ndarray::{Array1, Array2, Axis};

use super::exercise::{fit_and_predict, fit_representation};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("representation", representation),
    ("transfer_to_5_9", transfer_to_5_9),
    ("transfer_to_0_4", transfer_to_0_4),
];

const K: usize = 10;
const SHOTS: usize = 10;

fn digits() -> (Array2<f64>, Vec<usize>) {
    let table = Table::dataset("digits.csv").expect("the grader reads digits.csv");
    let columns = table.columns_except(&["digit"]);
    let x = table.numeric(&columns).expect("numeric pixels");
    let y = table
        .numeric_column("digit")
        .expect("digit labels")
        .into_iter()
        .map(|v| v.expect("no missing digit") as usize)
        .collect();
    (x, y)
}

struct Task {
    source: Array2<f64>,
    train_x: Array2<f64>,
    train_y: Vec<usize>,
    test_x: Array2<f64>,
    test_y: Vec<usize>,
}

fn task(source_digits: &[usize], target_digits: &[usize], seed: u64) -> Task {
    let (x, y) = digits();
    let source_idx: Vec<usize> = (0..y.len())
        .filter(|&i| source_digits.contains(&y[i]))
        .collect();
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for &digit in target_digits {
        let members: Vec<usize> = (0..y.len()).filter(|&i| y[i] == digit).collect();
        for (k, position) in shuffled(members.len(), seed + digit as u64)
            .into_iter()
            .enumerate()
        {
            if k < SHOTS {
                train.push(members[position])
            } else {
                test.push(members[position])
            }
        }
    }
    Task {
        source: rows(&x, &source_idx),
        train_x: rows(&x, &train),
        train_y: train.iter().map(|&i| y[i]).collect(),
        test_x: rows(&x, &test),
        test_y: test.iter().map(|&i| y[i]).collect(),
    }
}

fn accuracy(predicted: &[usize], truth: &[usize]) -> f64 {
    predicted.iter().zip(truth).filter(|(p, t)| p == t).count() as f64 / truth.len() as f64
}

/// The same classifier on `columns` of the raw pixels: its predictions.
fn raw_predictions(t: &Task, columns: &[usize]) -> Vec<usize> {
    let train = Dataset::new(
        t.train_x.select(Axis(1), columns),
        Array1::from(t.train_y.clone()),
    );
    let model = MultiLogisticRegression::default()
        .fit(&train)
        .expect("baseline fits");
    let predicted: Array1<usize> = model.predict(&t.test_x.select(Axis(1), columns));
    predicted.to_vec()
}

/// The grader's baseline: the accuracy of the same classifier on `columns` of the raw pixels.
fn raw_baseline(t: &Task, columns: &[usize]) -> f64 {
    accuracy(&raw_predictions(t, columns), &t.test_y)
}

/// The K pixels with the largest variance on the source images.
fn top_variance_pixels(source: &Array2<f64>) -> Vec<usize> {
    let variance = source.var_axis(Axis(0), 1.0);
    let mut order: Vec<usize> = (0..variance.len()).collect();
    order.sort_by(|&a, &b| variance[b].total_cmp(&variance[a]).then(a.cmp(&b)));
    order.truncate(K);
    order
}

/// The sum of the `k` largest eigenvalues of the sample covariance of `x` (divisor n − 1),
/// by orthogonal (subspace) iteration: the variance the best `k`-dimensional projection keeps.
fn top_eigenvalue_sum(x: &Array2<f64>, k: usize) -> f64 {
    let centered = x - &x.mean_axis(Axis(0)).expect("rows");
    let cov = centered.t().dot(&centered) / (x.nrows() as f64 - 1.0);
    let d = cov.nrows();
    // A fixed, full-rank start: column j has a 1 at row j and small distinct values elsewhere.
    let mut q = Array2::from_shape_fn((d, k), |(i, j)| {
        if i == j {
            1.0
        } else {
            ((i * 7 + j * 13) % 17) as f64 / 170.0
        }
    });
    for _ in 0..500 {
        let mut z = cov.dot(&q);
        for j in 0..k {
            for i in 0..j {
                let projection = z.column(i).dot(&z.column(j));
                let previous = z.column(i).to_owned();
                z.column_mut(j).scaled_add(-projection, &previous);
            }
            let norm = z.column(j).dot(&z.column(j)).sqrt();
            z.column_mut(j).mapv_inplace(|v| v / norm);
        }
        q = z;
    }
    q.t().dot(&cov).dot(&q).diag().sum()
}

fn representation() -> Graded {
    let t = task(&[0, 1, 2, 3, 4], &[5, 6, 7, 8, 9], 3);
    let pca = fit_representation(&t.source, K);
    let z: Array2<f64> = pca.predict(&t.source);
    equal(
        "shape of the source images embedded by your PCA",
        &z.dim(),
        &(t.source.nrows(), K),
    )?;
    let means = z.mean_axis(Axis(0)).expect("rows");
    let worst_mean = means.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    ensure(worst_mean < 1e-6, || format!("the embedded source images should have mean 0 in every component; the largest mean is {}", fmt(worst_mean)))
        .hint("PCA centers the data with the mean of the images it was fitted on: fit on `source`")?;
    let variances = z.var_axis(Axis(0), 1.0);
    if variances.iter().all(|v| (v - 1.0).abs() < 1e-6) {
        return Err(fail("every component of the embedding has variance 1: the PCA is whitened".to_string()))
            .hint("the convention here is an unwhitened PCA, which keeps each component's variance: `Pca::params(k)` without `.whiten(true)`");
    }
    let captured = variances.sum();
    let best = top_eigenvalue_sum(&t.source, K);
    let total = t.source.var_axis(Axis(0), 1.0).sum();
    close(
        &format!("variance kept by your {K} components (of {} in total), against the top-{K} eigenvalues of the source covariance", fmt(total)),
        captured,
        best,
        1e-4 * best,
    )
    .hint("fit `Pca::params(k)` on all the source images, with k = the `k` argument")?;
    pass(format!(
        "{K} centered components keeping {} of the variance, the most any {K}-dimensional projection keeps",
        fmt(captured / total)
    ))
}

/// The accuracy the transferred representation must beat: the same classifier on the `K`
/// raw pixels of largest variance on the source images, plus this margin.
const MARGIN: f64 = 0.05;
/// The share of test images on which the learner's predictions must match the statement's
/// pipeline run by the grader on the learner's PCA (the rest allows for numerical noise).
const AGREEMENT: f64 = 0.98;

fn transfer(source_digits: &[usize], target_digits: &[usize], seed: u64) -> Graded {
    let t = task(source_digits, target_digits, seed);
    let pca = fit_representation(&t.source, K);
    let predicted = fit_and_predict(&pca, &t.train_x, &t.train_y, &t.test_x);
    equal(
        "number of predictions (one per test image)",
        &predicted.len(),
        &t.test_y.len(),
    )?;
    // The pipeline of the statement, run by the grader on the learner's own PCA: a learner who
    // refits the representation on the target's images predicts differently.
    let embedded: Array2<f64> = pca.predict(&t.train_x);
    ensure(embedded.iter().all(|v| v.is_finite()), || {
        "your PCA embeds the training images to NaN or infinite values".to_string()
    })?;
    let expected: Array1<usize> = {
        let train = Dataset::new(embedded, Array1::from(t.train_y.clone()));
        let model = MultiLogisticRegression::default()
            .fit(&train)
            .expect("the grader's classifier fits");
        model.predict(&pca.predict(&t.test_x))
    };
    let agreement = accuracy(&predicted, &expected.to_vec());
    if agreement < AGREEMENT {
        // Name the classic departures from the pipeline when the predictions match them.
        let refit = {
            let local = Pca::params(K)
                .fit(&DatasetBase::from(t.train_x.clone()))
                .expect("the grader's PCA on the target fits");
            let local_train: Array2<f64> = local.predict(&t.train_x);
            let local_test: Array2<f64> = local.predict(&t.test_x);
            let train = Dataset::new(local_train, Array1::from(t.train_y.clone()));
            let model = MultiLogisticRegression::default()
                .fit(&train)
                .expect("the grader's classifier fits");
            let predicted: Array1<usize> = model.predict(&local_test);
            predicted.to_vec()
        };
        let raw = raw_predictions(&t, &(0..64).collect::<Vec<_>>());
        let departures = [
            (
                refit,
                "the PCA was refitted on the target's training images: that is not transfer",
            ),
            (
                raw,
                "the classifier was fitted on the 64 raw pixels, not on the PCA embedding",
            ),
        ];
        for (wrong, why) in departures {
            if accuracy(&predicted, &wrong) >= AGREEMENT {
                return Err(fail(format!(
                    "your predictions agree with the statement's pipeline on only {} of the test images: {why}",
                    fmt(agreement)
                )))
                .hint("embed the training and the test images with the PCA you are given (`pca.predict`), then fit MultiLogisticRegression::default() on the embedding");
            }
        }
    }
    ensure(agreement >= AGREEMENT, || {
        format!(
            "your predictions agree with the statement's pipeline (your PCA, then MultiLogisticRegression::default()) on {} of the test images; expected at least {AGREEMENT}",
            fmt(agreement)
        )
    })
    .hint("use the PCA you are given for both the training and the test images (`pca.predict`): refitting it on the target is not transfer")?;
    let got = accuracy(&predicted, &t.test_y);
    let raw_top = raw_baseline(&t, &top_variance_pixels(&t.source));
    let raw_all = raw_baseline(&t, &(0..64).collect::<Vec<_>>());
    let note = format!(
        "; the same classifier on the {K} raw pixels of largest source variance reaches {}, on all 64 pixels {}, chance is 0.2",
        fmt(raw_top),
        fmt(raw_all)
    );
    let name = format!("test accuracy, {SHOTS} labelled images per digit, {K} PCA features");
    bar(&name, got, raw_top + MARGIN, Goal::AtLeast)
    .note(&note)
    .hint("embed both the training and the test images with the PCA fitted on the source (`pca.predict`), and do not refit it on the target")
}

fn transfer_to_5_9() -> Graded {
    transfer(&[0, 1, 2, 3, 4], &[5, 6, 7, 8, 9], 3)
}

fn transfer_to_0_4() -> Graded {
    transfer(&[5, 6, 7, 8, 9], &[0, 1, 2, 3, 4], 5)
}
