// Grader of preprocessing/impute.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array2, array};

use super::exercise::{Strategy, fit, most_frequent, transform};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("mean_train_only", mean_train_only),
    ("median_train_only", median_train_only),
    ("median_even", median_even),
    ("transform", transform_check),
    ("most_frequent", most_frequent_check),
];

const MEASUREMENTS: [&str; 4] = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
];
const SEED: u64 = 2024;
const TOLERANCE: f64 = 1e-9;

fn penguins() -> Table {
    Table::dataset("penguins.csv").expect("the grader reads penguins.csv")
}

/// All 344 rows of the four measurements (NaN = missing) and the training rows' indices.
fn measurements() -> (Array2<f64>, Vec<usize>) {
    let x = penguins()
        .numeric_with_missing(&MEASUREMENTS)
        .expect("penguins measurements parse");
    let (train, _test) = split::train_test(x.nrows(), 0.25, SEED);
    (x, train)
}

/// The grader's own statistic of the non-NaN values of a column.
fn statistic(values: impl Iterator<Item = f64>, strategy: Strategy) -> f64 {
    let mut v: Vec<f64> = values.filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match strategy {
        Strategy::Mean => v.iter().sum::<f64>() / n as f64,
        Strategy::Median if n % 2 == 1 => v[n / 2],
        Strategy::Median => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

fn column_statistics(x: &Array2<f64>, strategy: Strategy) -> Vec<f64> {
    x.columns()
        .into_iter()
        .map(|c| statistic(c.iter().copied(), strategy))
        .collect()
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= TOLERANCE * y.abs().max(1.0))
}

fn check_fit(strategy: Strategy) -> Result<Vec<f64>, Failed> {
    let (x, train) = measurements();
    let train_x = split::rows(&x, &train);
    let want = column_statistics(&train_x, strategy);
    let got = fit(&train_x, strategy).fill;
    let name = format!("{strategy:?}");
    equal(
        "number of fill values (one per column)",
        &got.len(),
        &want.len(),
    )?;
    if got.iter().any(|v| v.is_nan()) {
        return Err(fail(format!(
            "{name} fill values: expected {:?}, got {:?}: NaN went into the statistic",
            want.iter().map(|v| fmt(*v)).collect::<Vec<_>>(),
            got.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
        )))
        .hint("filter the missing values out first: `.filter(|v| !v.is_nan())`; any arithmetic with NaN gives NaN");
    }
    let all_rows = column_statistics(&x, strategy);
    if near(&got, &all_rows) && !near(&got, &want) {
        return Err(fail(format!(
            "{name} fill values: got the statistics of all 344 rows, but `fit` was given only the {} training rows",
            train.len()
        )))
        .hint("compute each statistic from `train`, the matrix `fit` receives");
    }
    if strategy == Strategy::Median {
        // The classic slip: NaN kept in the count, sorted to the end by `total_cmp`.
        let with_nan: Vec<f64> = train_x
            .columns()
            .into_iter()
            .map(|c| {
                let mut v: Vec<f64> = c.to_vec();
                v.sort_by(f64::total_cmp);
                let n = v.len();
                if n % 2 == 1 {
                    v[n / 2]
                } else {
                    0.5 * (v[n / 2 - 1] + v[n / 2])
                }
            })
            .collect();
        if near(&got, &with_nan) && !near(&got, &want) {
            return Err(fail(format!(
                "Median fill values: expected {:?}, got {:?}: the missing values were counted, which shifts the middle",
                want.iter().map(|v| fmt(*v)).collect::<Vec<_>>(),
                got.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
            )))
            .hint("filter the NaNs out before sorting and counting");
        }
    }
    let other = column_statistics(
        &train_x,
        if strategy == Strategy::Mean {
            Strategy::Median
        } else {
            Strategy::Mean
        },
    );
    if near(&got, &other) && !near(&got, &want) {
        return Err(fail(format!(
            "{name} fill values: got the {} instead",
            if strategy == Strategy::Mean {
                "median"
            } else {
                "mean"
            }
        )))
        .hint("match on `strategy`");
    }
    all_close(
        &format!("{name} fill values of {MEASUREMENTS:?}"),
        &got,
        &want,
        TOLERANCE * 10_000.0,
    )
    .hint("the statistic of the non-missing training values of each column")?;
    Ok(want)
}

fn mean_train_only() -> Graded {
    let want = check_fit(Strategy::Mean)?;
    pass(format!(
        "training means {:?}",
        want.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
    ))
}

fn median_train_only() -> Graded {
    let want = check_fit(Strategy::Median)?;
    pass(format!(
        "training medians {:?}",
        want.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
    ))
}

fn median_even() -> Graded {
    // Column 0 keeps {1, 3, 4, 10}: median (3 + 4) / 2 = 3.5. Column 1 keeps {2, 5, 8}: 5.
    let x = array![
        [1.0, 2.0],
        [f64::NAN, 8.0],
        [3.0, f64::NAN],
        [10.0, f64::NAN],
        [4.0, 5.0]
    ];
    let got = fit(&x, Strategy::Median).fill;
    equal("number of fill values", &got.len(), &2)?;
    if got[0] == 3.0 || got[0] == 4.0 {
        return Err(fail(format!(
            "median of {{1, 3, 4, 10}} (an even count): expected 3.5, got {}: the {} middle value alone",
            fmt(got[0]),
            if got[0] == 3.0 { "lower" } else { "upper" }
        )))
        .hint("with an even count n, average v[n/2 - 1] and v[n/2] of the sorted values");
    }
    close("median of {1, 3, 4, 10} (NaN skipped)", got[0], 3.5, 1e-12)
        .hint("skip the NaNs, sort, then average the two middle values of an even count")?;
    close("median of {2, 8, 5} (NaNs skipped)", got[1], 5.0, 1e-12)
        .hint("sort the values before taking the middle one")?;
    pass("3.5 for {1, 3, 4, 10}, 5 for {2, 5, 8}")
}

fn transform_check() -> Graded {
    let (x, train) = measurements();
    let train_x = split::rows(&x, &train);
    let imputer = fit(&train_x, Strategy::Median);
    let fill = column_statistics(&train_x, Strategy::Median);
    // Every row goes through transform: the test rows, and rows 4 and 272, which miss all four.
    let got = transform(&imputer, &x);
    equal("shape of transform(all 344 rows)", &got.dim(), &x.dim())?;
    // The leak: a fill value recomputed from the rows being transformed (all 344), not the
    // imputer's training statistic.
    let near_value = |a: f64, b: f64| (a - b).abs() <= TOLERANCE * b.abs().max(1.0);
    for strategy in [Strategy::Median, Strategy::Mean] {
        let leaked = column_statistics(&x, strategy);
        for ((i, j), &value) in x.indexed_iter() {
            if value.is_nan()
                && near_value(got[[i, j]], leaked[j])
                && !near_value(leaked[j], fill[j])
            {
                return Err(fail(format!(
                    "transformed row {i}, column {}: got {}, the {} of the {} rows being transformed, not the imputer's training value {}: a leak (statistics of the data being transformed)",
                    MEASUREMENTS[j],
                    fmt(got[[i, j]]),
                    if strategy == Strategy::Median { "median" } else { "mean" },
                    x.nrows(),
                    fmt(fill[j])
                )))
                .hint("`transform` must only apply `imputer.fill[j]`: never recompute a statistic from `x`");
            }
        }
    }
    for ((i, j), &value) in x.indexed_iter() {
        let expected = if value.is_nan() { fill[j] } else { value };
        close(
            &format!("transformed row {i}, column {}", MEASUREMENTS[j]),
            got[[i, j]],
            expected,
            TOLERANCE * expected.abs().max(1.0),
        )
        .hint(if value.is_nan() {
            "a missing value becomes the training statistic of its column"
        } else {
            "values that are present must come out unchanged"
        })?;
    }
    // A hand-made imputer: transform must use the given fill values, not recompute them.
    let given = super::exercise::Imputer {
        fill: vec![-1.0, 100.0],
    };
    let small = array![[f64::NAN, 2.0], [3.0, f64::NAN], [f64::NAN, f64::NAN]];
    let got = transform(&given, &small);
    let expected = [-1.0, 2.0, 3.0, 100.0, -1.0, 100.0];
    if got.dim() == (3, 2) && got[[0, 0]] == 3.0 && got[[1, 1]] == 2.0 {
        return Err(fail(format!(
            "transform of [[NaN, 2], [3, NaN], [NaN, NaN]] with fill [-1, 100] gave {:?}: the gaps were filled from the rows being transformed (a leak), not with the imputer's fill values",
            got.iter().map(|v| fmt(*v)).collect::<Vec<_>>()
        )))
        .hint("use `imputer.fill[j]` for column j");
    }
    all_close(
        "transform of [[NaN, 2], [3, NaN], [NaN, NaN]] with fill [-1, 100]",
        &got.iter().copied().collect::<Vec<_>>(),
        &expected,
        0.0,
    )
    .hint(
        "use `imputer.fill[j]` for column j: statistics of the rows being transformed would leak",
    )?;
    pass("gaps filled with the training medians, other values untouched")
}

fn most_frequent_check() -> Graded {
    let table = penguins();
    let sex = table.text_column("sex").expect("penguins has a sex column");
    let (train, _) = split::train_test(sex.len(), 0.25, SEED);
    let train_sex = split::pick(&sex, &train);
    let males = train_sex.iter().filter(|v| **v == Some("male")).count();
    let females = train_sex.iter().filter(|v| **v == Some("female")).count();
    let want = if males > females { "male" } else { "female" };
    equal(
        "most_frequent(training values of penguins' sex)",
        &most_frequent(&train_sex),
        &Some(want.to_string()),
    )
    .hint("count each value (skipping `None`) and return the one with the largest count")?;
    // Missing values are the most frequent entry here, and "b" and "a" tie: the answer is "a".
    let tie = [Some("b"), None, Some("a"), None, Some("b"), Some("a"), None];
    let got = most_frequent(&tie);
    if got.is_none() {
        return Err(fail("most_frequent([b, -, a, -, b, a, -]): expected Some(\"a\"), got None: the missing values were counted as a category"))
            .hint("skip the `None` entries: `values.iter().flatten()`");
    }
    if got.as_deref() == Some("b") {
        return Err(fail("most_frequent([b, -, a, -, b, a, -]): expected Some(\"a\"), got Some(\"b\"): the tie between a and b (2 each) went to b, but ties go to the lexicographically smallest value"))
            .hint("among the values with the highest count, return the lexicographically smallest");
    }
    equal(
        "most_frequent([b, -, a, -, b, a, -])",
        &got,
        &Some("a".to_string()),
    )?;
    equal(
        "most_frequent of only missing values",
        &most_frequent(&[None, None]),
        &None,
    )?;
    pass(format!(
        "{want} ({males} males, {females} females in training); ties go to the smallest value"
    ))
}
