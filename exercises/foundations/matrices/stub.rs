// foundations/matrices: matrix product, transpose, and solving a linear system by hand.
// `learnml show foundations/matrices` shows the full statement; `learnml check foundations/matrices` grades this file.

use ndarray::{Array1, Array2};

/// The matrix product `a b`: shape `(a.nrows(), b.ncols())`, entry `[i, j]` is the dot
/// product of row `i` of `a` with column `j` of `b`. `a.ncols() == b.nrows()`.
pub fn product(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let _ = (a, b);
    todo!("multiply the matrices")
}

/// The transpose of `a`: shape `(a.ncols(), a.nrows())`, entry `[j, i]` is `a[i, j]`.
pub fn transpose(a: &Array2<f64>) -> Array2<f64> {
    let _ = a;
    todo!("swap rows and columns")
}

/// The solution `x` of `a x = b` for a square `a` (n x n) and `b` of length n, by Gaussian
/// elimination with partial pivoting. `None` when `a` is singular: when, at some column, the
/// largest available pivot has an absolute value below `SINGULAR`.
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Option<Array1<f64>> {
    let _ = (a, b, SINGULAR);
    todo!("eliminate below each pivot, then substitute back")
}

/// Below this absolute value, a pivot counts as zero.
pub const SINGULAR: f64 = 1e-10;
