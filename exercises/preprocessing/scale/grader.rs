// Grader of preprocessing/scale.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2, Axis, array};

use super::exercise::{
    MinMax, Standardizer, fit_min_max, fit_standard, standardize_with_linfa, transform_min_max,
    transform_standard,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("standard_fit", standard_fit),
    ("standard_test", standard_test),
    ("constant_column", constant_column),
    ("min_max", min_max),
    ("linfa_standard", linfa_standard),
];

const SEED: u64 = 5;
const TOLERANCE: f64 = 1e-9;

/// The 13 wine features split 75 / 25 with a fixed seed: (train, test).
fn wine() -> (Array2<f64>, Array2<f64>) {
    let table = Table::dataset("wine.csv").expect("the grader reads wine.csv");
    let x = table
        .numeric(&table.columns_except(&["cultivar"]))
        .expect("wine features parse");
    let (train, test) = split::train_test(x.nrows(), 0.25, SEED);
    (split::rows(&x, &train), split::rows(&x, &test))
}

/// The grader's own statistics, written out: mean, and sqrt(sum (x - mean)^2 / (n - ddof)).
fn mean_std(x: &Array2<f64>, ddof: f64) -> (Vec<f64>, Vec<f64>) {
    let n = x.nrows() as f64;
    let mut means = Vec::new();
    let mut stds = Vec::new();
    for column in x.columns() {
        let mean = column.iter().sum::<f64>() / n;
        let ss: f64 = column.iter().map(|v| (v - mean) * (v - mean)).sum();
        means.push(mean);
        stds.push((ss / (n - ddof)).sqrt());
    }
    (means, stds)
}

fn standardized(x: &Array2<f64>, mean: &[f64], std: &[f64]) -> Array2<f64> {
    Array2::from_shape_fn(x.dim(), |(i, j)| {
        (x[[i, j]] - mean[j]) / if std[j] == 0.0 { 1.0 } else { std[j] }
    })
}

fn min_max_of(x: &Array2<f64>) -> (Vec<f64>, Vec<f64>) {
    let min = x
        .columns()
        .into_iter()
        .map(|c| c.iter().copied().fold(f64::INFINITY, f64::min))
        .collect();
    let max = x
        .columns()
        .into_iter()
        .map(|c| c.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        .collect();
    (min, max)
}

fn min_maxed(x: &Array2<f64>, min: &[f64], max: &[f64]) -> Array2<f64> {
    Array2::from_shape_fn(x.dim(), |(i, j)| {
        let range = max[j] - min[j];
        (x[[i, j]] - min[j]) / if range == 0.0 { 1.0 } else { range }
    })
}

fn near(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= TOLERANCE)
}

fn near_vec(a: &Array1<f64>, b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= TOLERANCE * y.abs().max(1.0))
}

/// Compare a matrix element by element, reporting the first difference with its position.
fn close_to(what: &str, got: &Array2<f64>, want: &Array2<f64>) -> Result<(), Failed> {
    matrix_close(what, got, want, TOLERANCE)
}

fn standard_fit() -> Graded {
    let (train, test) = wine();
    let (mean, std) = mean_std(&train, 0.0);
    let got = fit_standard(&train);
    equal("number of means", &got.mean.len(), &13)?;
    equal("number of scales", &got.scale.len(), &13)?;
    all_close(
        "training means",
        &got.mean.to_vec(),
        &mean,
        TOLERANCE * 2000.0,
    )
    .hint("the mean of each column: `train.mean_axis(Axis(0))`")?;
    if near_vec(&got.scale, &mean_std(&train, 1.0).1) {
        return Err(fail(format!(
            "scale: got the sample standard deviations (divided by n - 1 = {}), expected the population ones (divided by n = {}), as StandardScaler",
            train.nrows() - 1,
            train.nrows()
        )))
        .hint("ddof = 0: `std_axis(Axis(0), 0.0)`");
    }
    if near_vec(&got.scale, &mean_std(&test, 0.0).1) {
        return Err(fail("scale: got the standard deviations of the test rows, but fit_standard was given the training rows")).hint("use the `train` argument");
    }
    if near_vec(
        &got.scale,
        &mean
            .iter()
            .zip(&std)
            .map(|(_, s)| s * s)
            .collect::<Vec<_>>(),
    ) {
        return Err(fail(
            "scale: got the variances; the scale is their square root, the standard deviation",
        ))
        .hint("take the square root of the mean squared deviation");
    }
    all_close(
        "training standard deviations (ddof = 0)",
        &got.scale.to_vec(),
        &std,
        TOLERANCE * 500.0,
    )
    .hint("sqrt(sum of (x - mean)^2 / n) per column: `train.std_axis(Axis(0), 0.0)`")?;
    pass(format!(
        "means and population standard deviations of the {} training rows (proline: mean {}, std {})",
        train.nrows(),
        fmt(mean[12]),
        fmt(std[12])
    ))
}

fn standard_test() -> Graded {
    let (train, test) = wine();
    let (mean, std) = mean_std(&train, 0.0);
    let want = standardized(&test, &mean, &std);
    // The grader's own training statistics, so that this check grades `transform_standard` alone.
    let fitted = Standardizer {
        mean: Array1::from(mean.clone()),
        scale: Array1::from(std.clone()),
    };
    let got = transform_standard(&fitted, &test);
    let (test_mean, test_std) = mean_std(&test, 0.0);
    let (_, test_sample_std) = mean_std(&test, 1.0);
    if near(&got, &standardized(&test, &test_mean, &test_std))
        || near(&got, &standardized(&test, &test_mean, &test_sample_std))
    {
        return Err(fail(
            "the test rows were standardized with the test rows' own mean and standard deviation: a leak (the test set shapes its own preprocessing)",
        ))
        .hint("`transform_standard` uses only `scaler.mean` and `scaler.scale`, learned from the training rows");
    }
    close_to("standardized test rows", &got, &want)
        .hint("(x - mean) / scale with the training statistics")?;
    // Training rows: mean 0 and population standard deviation 1 by construction.
    let train_scaled = transform_standard(&fitted, &train);
    let (m, s) = mean_std(&train_scaled, 0.0);
    all_close(
        "column means of the standardized training rows",
        &m,
        &[0.0; 13],
        1e-9,
    )?;
    all_close(
        "column population std of the standardized training rows",
        &s,
        &[1.0; 13],
        1e-9,
    )?;
    // Given statistics are used as they are.
    let given = Standardizer {
        mean: array![1.0, -2.0],
        scale: array![2.0, 0.5],
    };
    let got = transform_standard(&given, &array![[3.0, -2.0], [1.0, 0.0]]);
    close_to(
        "transform_standard with mean [1, -2], scale [2, 0.5] of [[3, -2], [1, 0]]",
        &got,
        &array![[1.0, 0.0], [0.0, 4.0]],
    )?;
    pass(format!(
        "test rows standardized with training statistics (their means are not 0: proline {})",
        fmt(want.column(12).mean().unwrap_or(0.0))
    ))
}

fn constant_column() -> Graded {
    let x = array![[5.0, 1.0], [5.0, 2.0], [5.0, 6.0]];
    let s = fit_standard(&x);
    equal("number of scales", &s.scale.len(), &2)?;
    if s.scale[0] == 0.0 {
        return Err(fail(
            "scale of the constant column [5, 5, 5]: expected 1, got 0: transforming would be a division by zero",
        ))
        .hint("a standard deviation of 0 becomes a scale of 1.0, as StandardScaler");
    }
    close("scale of the constant column [5, 5, 5]", s.scale[0], 1.0, 0.0)
        .hint("a standard deviation of 0 becomes a scale of 1.0, as StandardScaler, so nothing is divided by zero")?;
    let new = array![[5.0, 3.0], [7.0, 3.0]];
    let got = transform_standard(&s, &new);
    equal(
        "shape of the standardized 2 x 2 matrix",
        &got.dim(),
        &(2, 2),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("standardized values of a constant column contain NaN or infinity: {got:?}: a division by zero (its standard deviation is 0)")
    })
    .hint("a standard deviation of 0 becomes a scale of 1.0 in `fit_standard`")?;
    close(
        "standardized 5 of the constant column",
        got[[0, 0]],
        0.0,
        TOLERANCE,
    )
    .hint("(x - mean) / scale with mean 5 and scale 1")?;
    close(
        "standardized 7 of the constant column (5 + 2, scale 1)",
        got[[1, 0]],
        2.0,
        TOLERANCE,
    )
    .hint("with scale 1 the value is only centred: 7 - 5 = 2")?;
    let m = fit_min_max(&x);
    let got = transform_min_max(&m, &new);
    equal(
        "shape of the min-max scaled 2 x 2 matrix",
        &got.dim(),
        &(2, 2),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("min-max values of a constant column contain NaN or infinity: {got:?}: a division by zero (its range is 0)")
    })
    .hint("a range of 0 becomes 1.0")?;
    close(
        "min-max scaled 7 of the constant column (min 5, range 1)",
        got[[1, 0]],
        2.0,
        TOLERANCE,
    )
    .hint("(x - min) / range with min 5 and range 1: 7 - 5 = 2 (values outside the training range are not clipped)")?;
    close(
        "min-max scaled 3 of [1, 2, 6] (min 1, range 5)",
        got[[0, 1]],
        0.4,
        TOLERANCE,
    )
    .hint("(x - min) / (max - min) = (3 - 1) / 5")?;
    pass("a constant column gets scale 1 and range 1: no division by zero")
}

fn min_max() -> Graded {
    let (train, test) = wine();
    let (min, max) = min_max_of(&train);
    let got = fit_min_max(&train);
    all_close("training minima", &got.min.to_vec(), &min, 0.0)
        .hint("the smallest value of each training column")?;
    all_close("training maxima", &got.max.to_vec(), &max, 0.0)
        .hint("the largest value of each training column")?;
    let given = MinMax {
        min: Array1::from(min.clone()),
        max: Array1::from(max.clone()),
    };
    let got = transform_min_max(&given, &test);
    let (test_min, test_max) = min_max_of(&test);
    if near(&got, &min_maxed(&test, &test_min, &test_max)) {
        return Err(fail(
            "the test rows were scaled with their own minimum and maximum: a leak",
        ))
        .hint("use only `scaler.min` and `scaler.max`");
    }
    let want = min_maxed(&test, &min, &max);
    let clipped = want.mapv(|v| v.clamp(0.0, 1.0));
    if near(&got, &clipped) && !near(&got, &want) {
        return Err(fail(format!(
            "min-max scaled test rows: the values were clipped to [0, 1], but {} test values fall outside the training range and must stay outside [0, 1]",
            want.iter().filter(|v| **v < 0.0 || **v > 1.0).count()
        )))
        .hint("MinMaxScaler does not clip by default: (x - min) / (max - min), whatever comes out");
    }
    close_to("min-max scaled test rows", &got, &want)
        .hint("(x - min) / (max - min) with the training minimum and maximum")?;
    let train_scaled = transform_min_max(&given, &train);
    let lowest = train_scaled.fold_axis(Axis(0), f64::INFINITY, |&a, &b| a.min(b));
    let highest = train_scaled.fold_axis(Axis(0), f64::NEG_INFINITY, |&a, &b| a.max(b));
    all_close(
        "column minima of the scaled training rows",
        &lowest.to_vec(),
        &[0.0; 13],
        TOLERANCE,
    )?;
    all_close(
        "column maxima of the scaled training rows",
        &highest.to_vec(),
        &[1.0; 13],
        TOLERANCE,
    )?;
    let outside = want.iter().filter(|v| **v < 0.0 || **v > 1.0).count();
    pass(format!(
        "training rows span [0, 1]; {outside} test values fall outside it, as they may"
    ))
}

fn linfa_standard() -> Graded {
    let (train, test) = wine();
    let (mean, std) = mean_std(&train, 0.0);
    let got = standardize_with_linfa(&train, &test);
    let (test_mean, test_std) = mean_std(&test, 0.0);
    if near(&got, &standardized(&test, &test_mean, &test_std)) {
        return Err(fail(
            "linfa-standardized test rows: the scaler was fitted on the test rows it transforms: a leak",
        ))
        .hint("fit on a Dataset of `train`, then transform `x`");
    }
    close_to(
        "linfa-standardized test rows",
        &got,
        &standardized(&test, &mean, &std),
    )
    .hint(
        "fit `LinearScaler::standard()` on a Dataset of the training rows, transform the test rows",
    )?;
    pass("linfa's LinearScaler::standard() matches the hand-written scaler (population std)")
}
