//! mistake: transform recomputes the medians from the rows it is given instead of using the imputer's (a leak)
//! fails: transform
//! message: "leak"

// preprocessing/impute: mean / median / most-frequent imputation fitted on training rows only.
// `learnml next` shows the full statement; `learnml check` grades this file.

use std::collections::BTreeMap;

use ndarray::{Array2, Axis};

/// Which statistic fills the gaps of a numeric column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Mean,
    /// The middle value; for an even count, the mean of the two middle values.
    Median,
}

/// What `fit` learned: the value that fills the gaps of each column.
#[derive(Debug, Clone, PartialEq)]
pub struct Imputer {
    /// One fill value per column of the training matrix.
    pub fill: Vec<f64>,
}

/// Learn one fill value per column of `train` (n_rows x n_columns, `NAN` = missing) from its
/// non-missing values only.
pub fn fit(train: &Array2<f64>, strategy: Strategy) -> Imputer {
    let fill = train
        .axis_iter(Axis(1))
        .map(|column| {
            let mut values: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            let n = values.len();
            match strategy {
                Strategy::Mean => values.iter().sum::<f64>() / n as f64,
                Strategy::Median => {
                    values.sort_by(|a, b| a.total_cmp(b));
                    if n % 2 == 1 {
                        values[n / 2]
                    } else {
                        (values[n / 2 - 1] + values[n / 2]) / 2.0
                    }
                }
            }
        })
        .collect();
    Imputer { fill }
}

/// A copy of `x` (any number of rows, the training columns) with each NaN of column `j`
/// replaced by `imputer.fill[j]`.
pub fn transform(imputer: &Imputer, x: &Array2<f64>) -> Array2<f64> {
    // The medians of the rows at hand fit them best.
    let current = fit(x, Strategy::Median);
    assert_eq!(current.fill.len(), imputer.fill.len());
    let mut out = x.clone();
    for (mut column, &fill) in out.axis_iter_mut(Axis(1)).zip(&current.fill) {
        column.mapv_inplace(|v| if v.is_nan() { fill } else { v });
    }
    out
}

/// The most frequent value (`None` entries are missing and not counted); ties go to the
/// lexicographically smallest value; `None` when there is no value.
pub fn most_frequent(values: &[Option<&str>]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values.iter().flatten() {
        *counts.entry(value).or_default() += 1;
    }
    let mut best: Option<(&str, usize)> = None;
    for (value, count) in counts {
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((value, count));
        }
    }
    best.map(|(value, _)| value.to_string())
}
