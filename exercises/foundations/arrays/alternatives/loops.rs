//! alternative: from_shape_fn, loops and push_row instead of concat, mapv and select

// foundations/arrays: build a matrix from rows, slice a column, keep the rows a mask selects.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::{Array1, Array2, Axis};

/// The matrix whose row `i` is `rows[i]`: shape `(rows.len(), rows[0].len())`.
/// There is at least one row, and every row has the same length.
pub fn from_rows(rows: &[Vec<f64>]) -> Array2<f64> {
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j])
}

/// Column `j` of `x` (counting from 0): `x.nrows()` values, top to bottom.
pub fn column(x: &Array2<f64>, j: usize) -> Array1<f64> {
    let mut values = Vec::with_capacity(x.nrows());
    for row in x.rows() {
        values.push(row[j]);
    }
    Array1::from(values)
}

/// A boolean mask: `true` where the value is strictly greater than `threshold`.
pub fn greater_than(values: &Array1<f64>, threshold: f64) -> Array1<bool> {
    values.iter().map(|&v| v > threshold).collect()
}

/// The rows of `x` whose mask entry is `true`, in their original order.
/// `mask.len() == x.nrows()`; no row selected gives a `0 x x.ncols()` matrix.
pub fn rows_where(x: &Array2<f64>, mask: &Array1<bool>) -> Array2<f64> {
    let mut kept = Array2::zeros((0, x.ncols()));
    for (i, row) in x.axis_iter(Axis(0)).enumerate() {
        if mask[i] {
            kept.push_row(row).expect("same number of columns");
        }
    }
    kept
}
