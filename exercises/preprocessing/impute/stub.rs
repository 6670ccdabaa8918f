// preprocessing/impute: mean / median / most-frequent imputation fitted on training rows only.
// `learnml show preprocessing/impute` shows the full statement; `learnml check preprocessing/impute` grades this file.

use ndarray::Array2;

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
    let _ = (train, strategy);
    todo!("the mean or median of each column's non-NaN values")
}

/// A copy of `x` (any number of rows, the training columns) with each NaN of column `j`
/// replaced by `imputer.fill[j]`.
pub fn transform(imputer: &Imputer, x: &Array2<f64>) -> Array2<f64> {
    let _ = (imputer, x);
    todo!("replace the NaNs of each column by its fill value")
}

/// The most frequent value (`None` entries are missing and not counted); ties go to the
/// lexicographically smallest value; `None` when there is no value.
pub fn most_frequent(values: &[Option<&str>]) -> Option<String> {
    let _ = values;
    todo!("count the values and keep the most frequent one")
}
