// foundations/arrays: build a matrix from rows, slice a column, keep the rows a mask selects.
// `learnml show foundations/arrays` shows the full statement; `learnml check foundations/arrays` grades this file.

use ndarray::{Array1, Array2};

/// The matrix whose row `i` is `rows[i]`: shape `(rows.len(), rows[0].len())`.
/// There is at least one row, and every row has the same length.
pub fn from_rows(rows: &[Vec<f64>]) -> Array2<f64> {
    let _ = rows;
    todo!("build an Array2 from the rows")
}

/// Column `j` of `x` (counting from 0): `x.nrows()` values, top to bottom.
pub fn column(x: &Array2<f64>, j: usize) -> Array1<f64> {
    let _ = (x, j);
    todo!("slice column j")
}

/// A boolean mask: `true` where the value is strictly greater than `threshold`.
pub fn greater_than(values: &Array1<f64>, threshold: f64) -> Array1<bool> {
    let _ = (values, threshold);
    todo!("compare every value with the threshold")
}

/// The rows of `x` whose mask entry is `true`, in their original order.
/// `mask.len() == x.nrows()`; no row selected gives a `0 x x.ncols()` matrix.
pub fn rows_where(x: &Array2<f64>, mask: &Array1<bool>) -> Array2<f64> {
    let _ = (x, mask);
    todo!("keep the rows whose mask entry is true")
}
