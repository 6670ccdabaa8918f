// Shared helpers of the supervised graders: loading the datasets, the grader's own metrics and
// synthetic sets. Each grader includes this file with `#[path = "common.rs"] mod common;`, so
// the learner's code never links it and never sees held-out data.
#![allow(dead_code)]

use learnml_grader::data::Table;
use learnml_grader::grade::{Failed, fail};
use learnml_kit::split;
use ndarray::{Array1, Array2};

/// A dataset's features (every column but `target`, file order) and its target as numbers.
pub fn regression(file: &str, target: &str) -> (Array2<f64>, Array1<f64>) {
    let table = Table::dataset(file).unwrap_or_else(|e| panic!("the grader loads {file}: {e}"));
    let columns = table.columns_except(&[target]);
    let x = table.numeric(&columns).unwrap_or_else(|e| panic!("{e}"));
    let y = table
        .numeric(&[target])
        .unwrap_or_else(|e| panic!("{e}"))
        .column(0)
        .to_owned();
    (x, y)
}

/// A dataset's numeric features and its target as class indices (class names sorted).
pub fn classification(file: &str, target: &str) -> (Array2<f64>, Vec<usize>, Vec<String>) {
    let table = Table::dataset(file).unwrap_or_else(|e| panic!("the grader loads {file}: {e}"));
    let columns = table.columns_except(&[target]);
    let x = table.numeric(&columns).unwrap_or_else(|e| panic!("{e}"));
    let (y, classes) = table.labels(target).unwrap_or_else(|e| panic!("{e}"));
    (x, y, classes)
}

/// Breast cancer with `true` = malignant (the positive class: the one a screening test must find).
pub fn breast_cancer() -> (Array2<f64>, Vec<bool>) {
    let (x, y, classes) = classification("breast_cancer.csv", "diagnosis");
    let malignant = classes
        .iter()
        .position(|c| c == "malignant")
        .expect("a malignant class");
    (x, y.iter().map(|&c| c == malignant).collect())
}

/// A seeded, stratified split of a classification set: (x_train, y_train, x_test, y_test).
pub fn split_classes<T: Clone>(
    x: &Array2<f64>,
    y: &[T],
    key: impl Fn(&T) -> usize,
    test: f64,
    seed: u64,
) -> (Array2<f64>, Vec<T>, Array2<f64>, Vec<T>) {
    let keys: Vec<usize> = y.iter().map(key).collect();
    let (train, held) = split::stratified_train_test(&keys, test, seed);
    (
        split::rows(x, &train),
        split::pick(y, &train),
        split::rows(x, &held),
        split::pick(y, &held),
    )
}

/// A seeded split of a regression set: (x_train, y_train, x_test, y_test).
pub fn split_regression(
    x: &Array2<f64>,
    y: &Array1<f64>,
    test: f64,
    seed: u64,
) -> (Array2<f64>, Array1<f64>, Array2<f64>, Array1<f64>) {
    let (train, held) = split::train_test(x.nrows(), test, seed);
    let y = y.to_vec();
    (
        split::rows(x, &train),
        Array1::from(split::pick(&y, &train)),
        split::rows(x, &held),
        Array1::from(split::pick(&y, &held)),
    )
}

pub fn accuracy<T: PartialEq>(truth: &[T], predicted: &[T]) -> f64 {
    let right = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    right as f64 / truth.len().max(1) as f64
}

/// Per-class F1 (0 where a class has no true and no predicted member: 0/0 read as 0).
pub fn per_class_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> Vec<f64> {
    (0..n_classes)
        .map(|c| {
            let tp = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t == c && p == c)
                .count() as f64;
            let fp = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t != c && p == c)
                .count() as f64;
            let fn_ = truth
                .iter()
                .zip(predicted)
                .filter(|&(&t, &p)| t == c && p != c)
                .count() as f64;
            if tp == 0.0 {
                0.0
            } else {
                2.0 * tp / (2.0 * tp + fp + fn_)
            }
        })
        .collect()
}

pub fn macro_f1(truth: &[usize], predicted: &[usize], n_classes: usize) -> f64 {
    per_class_f1(truth, predicted, n_classes)
        .iter()
        .sum::<f64>()
        / n_classes as f64
}

/// The learner's predictions must be one per test row: checked before any indexing.
pub fn one_per_row<T>(predicted: &[T], rows: usize) -> Result<(), Failed> {
    if predicted.len() == rows {
        Ok(())
    } else {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        Err(fail(format!(
            "predict returned {} for {}: expected one per row",
            plural(predicted.len(), "prediction"),
            plural(rows, "row")
        )))
    }
}

/// Standardize columns with the mean and population standard deviation of `fit_on`
/// (a constant column is only centred).
pub fn standardize(fit_on: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let mean = fit_on.mean_axis(ndarray::Axis(0)).expect("rows");
    let std = fit_on
        .std_axis(ndarray::Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    (x - &mean) / &std
}

/// Two concentric noisy circles (radius 1 and 0.5 plus Gaussian noise of `noise`): class
/// `true` is the inner circle. No line separates them.
pub fn circles(n: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<bool>) {
    use rand::Rng;
    let mut rng = split::rng(seed);
    let mut x = Array2::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let inner = i % 2 == 1;
        let radius = if inner { 0.5 } else { 1.0 };
        let angle = rng.r#gen::<f64>() * std::f64::consts::TAU;
        x[[i, 0]] = radius * angle.cos() + noise * gaussian(&mut rng);
        x[[i, 1]] = radius * angle.sin() + noise * gaussian(&mut rng);
        y.push(inner);
    }
    (x, y)
}

/// Two interleaving half moons plus Gaussian noise; class `true` is the lower moon.
pub fn moons(n: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<bool>) {
    use rand::Rng;
    let mut rng = split::rng(seed);
    let mut x = Array2::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let lower = i % 2 == 1;
        let t = rng.r#gen::<f64>() * std::f64::consts::PI;
        let (a, b) = if lower {
            (1.0 - t.cos(), 0.5 - t.sin())
        } else {
            (t.cos(), t.sin())
        };
        x[[i, 0]] = a + noise * gaussian(&mut rng);
        x[[i, 1]] = b + noise * gaussian(&mut rng);
        y.push(lower);
    }
    (x, y)
}

/// A standard normal draw (Box-Muller), so the sets depend on nothing but the seeded RNG.
pub fn gaussian(rng: &mut split::Rng) -> f64 {
    use rand::Rng;
    let u: f64 = 1.0 - rng.r#gen::<f64>();
    let v: f64 = rng.r#gen::<f64>();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Least squares by Householder QR on [1 | X] (the grader's own solver, independent of the
/// normal equation): returns (intercept, coefficients).
pub fn least_squares(x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
    let (n, p) = x.dim();
    let m = p + 1;
    let mut a = Array2::ones((n, m));
    a.slice_mut(ndarray::s![.., 1..]).assign(x);
    let mut b = y.clone();
    for k in 0..m {
        let norm = a
            .column(k)
            .slice(ndarray::s![k..])
            .mapv(|v| v * v)
            .sum()
            .sqrt();
        if norm == 0.0 {
            continue;
        }
        let alpha = if a[[k, k]] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (k..n).map(|i| a[[i, k]]).collect();
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|t| t * t).sum();
        if vnorm2 == 0.0 {
            continue;
        }
        for j in k..m {
            let dot: f64 = (k..n).map(|i| v[i - k] * a[[i, j]]).sum();
            let f = 2.0 * dot / vnorm2;
            for i in k..n {
                a[[i, j]] -= f * v[i - k];
            }
        }
        let dot: f64 = (k..n).map(|i| v[i - k] * b[i]).sum();
        let f = 2.0 * dot / vnorm2;
        for i in k..n {
            b[i] -= f * v[i - k];
        }
    }
    let mut w = vec![0.0; m];
    for k in (0..m).rev() {
        let s: f64 = (k + 1..m).map(|j| a[[k, j]] * w[j]).sum();
        w[k] = (b[k] - s) / a[[k, k]];
    }
    (w[0], Array1::from(w[1..].to_vec()))
}

pub fn predict_linear(x: &Array2<f64>, intercept: f64, coefficients: &Array1<f64>) -> Array1<f64> {
    x.dot(coefficients) + intercept
}

/// R² = 1 - SS_res / SS_tot.
pub fn r2(truth: &Array1<f64>, predicted: &Array1<f64>) -> f64 {
    let mean = truth.mean().unwrap_or(0.0);
    let ss_res: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    let ss_tot: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    1.0 - ss_res / ss_tot
}

pub fn rmse(truth: &Array1<f64>, predicted: &Array1<f64>) -> f64 {
    let n = truth.len().max(1) as f64;
    (truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}
