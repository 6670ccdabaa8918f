//! mistake: rows_where reuses from_rows, which reads rows[0]: an all-false mask panics
//! errors: rows_where
//! message: "index out of bounds"

// foundations/arrays: build a matrix from rows, slice a column, keep the rows a mask selects.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::{Array1, Array2};

/// The matrix whose row `i` is `rows[i]`: shape `(rows.len(), rows[0].len())`.
/// There is at least one row, and every row has the same length.
pub fn from_rows(rows: &[Vec<f64>]) -> Array2<f64> {
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

/// Column `j` of `x` (counting from 0): `x.nrows()` values, top to bottom.
pub fn column(x: &Array2<f64>, j: usize) -> Array1<f64> {
    x.column(j).to_owned()
}

/// A boolean mask: `true` where the value is strictly greater than `threshold`.
pub fn greater_than(values: &Array1<f64>, threshold: f64) -> Array1<bool> {
    values.mapv(|v| v > threshold)
}

/// The rows of `x` whose mask entry is `true`, in their original order.
/// `mask.len() == x.nrows()`; no row selected gives a `0 x x.ncols()` matrix.
pub fn rows_where(x: &Array2<f64>, mask: &Array1<bool>) -> Array2<f64> {
    let kept: Vec<Vec<f64>> = x
        .rows()
        .into_iter()
        .zip(mask)
        .filter(|(_, keep)| **keep)
        .map(|(row, _)| row.to_vec())
        .collect();
    from_rows(&kept)
}
