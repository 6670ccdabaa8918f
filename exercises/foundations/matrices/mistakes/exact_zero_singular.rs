//! mistake: calls a matrix singular only when the pivot is exactly 0.0, ignoring SINGULAR: rounding leaves a tiny pivot
//! fails: singular
//! message: "expected None (singular)"

// foundations/matrices: matrix product, transpose, and solving a linear system by hand.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::{Array1, Array2};

/// The matrix product `a b`: shape `(a.nrows(), b.ncols())`, entry `[i, j]` is the dot
/// product of row `i` of `a` with column `j` of `b`. `a.ncols() == b.nrows()`.
pub fn product(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    a.dot(b)
}

/// The transpose of `a`: shape `(a.ncols(), a.nrows())`, entry `[j, i]` is `a[i, j]`.
pub fn transpose(a: &Array2<f64>) -> Array2<f64> {
    a.t().to_owned()
}

/// The solution `x` of `a x = b` for a square `a` (n x n) and `b` of length n, by Gaussian
/// elimination with partial pivoting. `None` when `a` is singular: when, at some column, the
/// largest available pivot has an absolute value below `SINGULAR`.
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Option<Array1<f64>> {
    let _ = SINGULAR;
    let n = b.len();
    // Work on copies: the caller's `a` and `b` stay as they were.
    let mut m = a.clone();
    let mut y = b.clone();
    for k in 0..n {
        // Partial pivoting: bring up the row (at or below k) with the largest |m[i, k]|.
        let p = (k..n).max_by(|&i, &j| m[[i, k]].abs().total_cmp(&m[[j, k]].abs()))?;
        if m[[p, k]] == 0.0 {
            return None;
        }
        if p != k {
            for j in 0..n {
                m.swap([k, j], [p, j]);
            }
            y.swap(k, p);
        }
        // Eliminate: subtract a multiple of row k from every row below it.
        for i in k + 1..n {
            let factor = m[[i, k]] / m[[k, k]];
            for j in k..n {
                m[[i, j]] -= factor * m[[k, j]];
            }
            y[i] -= factor * y[k];
        }
    }
    // Back substitution on the upper triangular system, last unknown first.
    let mut x = Array1::zeros(n);
    for i in (0..n).rev() {
        let known: f64 = (i + 1..n).map(|j| m[[i, j]] * x[j]).sum();
        x[i] = (y[i] - known) / m[[i, i]];
    }
    Some(x)
}

/// Below this absolute value, a pivot counts as zero.
pub const SINGULAR: f64 = 1e-10;
