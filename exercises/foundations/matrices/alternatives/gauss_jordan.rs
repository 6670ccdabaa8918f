//! alternative: triple-loop product, from_shape_fn transpose, and Gauss-Jordan elimination on the augmented matrix

// foundations/matrices: matrix product, transpose, and solving a linear system by hand.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::{Array1, Array2, Axis, s};

/// The matrix product `a b`: shape `(a.nrows(), b.ncols())`, entry `[i, j]` is the dot
/// product of row `i` of `a` with column `j` of `b`. `a.ncols() == b.nrows()`.
pub fn product(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    for i in 0..a.nrows() {
        for j in 0..b.ncols() {
            for k in 0..a.ncols() {
                c[[i, j]] += a[[i, k]] * b[[k, j]];
            }
        }
    }
    c
}

/// The transpose of `a`: shape `(a.ncols(), a.nrows())`, entry `[j, i]` is `a[i, j]`.
pub fn transpose(a: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.ncols(), a.nrows()), |(j, i)| a[[i, j]])
}

/// The solution `x` of `a x = b` for a square `a` (n x n) and `b` of length n, by Gaussian
/// elimination with partial pivoting. `None` when `a` is singular: when, at some column, the
/// largest available pivot has an absolute value below `SINGULAR`.
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Option<Array1<f64>> {
    let n = b.len();
    // The augmented matrix [a | b], reduced until its left part is the identity.
    let mut m = Array2::zeros((n, n + 1));
    m.slice_mut(s![.., ..n]).assign(a);
    m.column_mut(n).assign(b);
    for k in 0..n {
        let mut p = k;
        for i in k + 1..n {
            if m[[i, k]].abs() > m[[p, k]].abs() {
                p = i;
            }
        }
        if m[[p, k]].abs() < SINGULAR {
            return None;
        }
        if p != k {
            let row_p = m.row(p).to_owned();
            let row_k = m.row(k).to_owned();
            m.row_mut(k).assign(&row_p);
            m.row_mut(p).assign(&row_k);
        }
        let pivot_row = &m.row(k) / m[[k, k]];
        m.row_mut(k).assign(&pivot_row);
        for i in 0..n {
            if i != k {
                let factor = m[[i, k]];
                let reduced = &m.row(i) - &(&pivot_row * factor);
                m.row_mut(i).assign(&reduced);
            }
        }
    }
    Some(m.index_axis(Axis(1), n).to_owned())
}

/// Below this absolute value, a pivot counts as zero.
pub const SINGULAR: f64 = 1e-10;
