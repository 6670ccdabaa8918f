// preprocessing/load_csv: parse CSV text into a feature matrix and a target column.
// `learnml show preprocessing/load_csv` shows the full statement; `learnml check preprocessing/load_csv` grades this file.

use ndarray::Array2;

/// Why a CSV could not be loaded. Lines count from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The row at `line` has `found` fields where the header has `expected`.
    Ragged {
        line: u64,
        expected: usize,
        found: usize,
    },
    /// The field of `column` at `line` is `value`, which is not a number.
    NotANumber {
        line: u64,
        column: String,
        value: String,
    },
    /// The header has no column named `column`.
    NoTarget { column: String },
    /// The text is not CSV at all (for example, not UTF-8).
    Csv(String),
}

/// Every column except `target` as an `f64` matrix (file order), and `target` as strings.
pub fn load(text: &str, target: &str) -> Result<(Array2<f64>, Vec<String>), LoadError> {
    let _ = (text, target);
    todo!("parse `text` with the csv crate")
}
