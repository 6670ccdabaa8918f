// foundations/describe: per-column mean, variance (population and sample), median, quartiles.
// `learnml show foundations/describe` shows the full statement; `learnml check foundations/describe` grades this file.

use ndarray::{Array1, Array2};

/// The mean of each column of `x` (at least one row): one value per column.
pub fn column_means(x: &Array2<f64>) -> Array1<f64> {
    let _ = x;
    todo!("average each column")
}

/// The variance of each column: the sum of squared deviations from the column mean, divided
/// by `n - ddof` (n = number of rows, n > ddof). `ddof = 0` is the population variance
/// (numpy's `np.var` default); `ddof = 1` the sample variance (pandas' `.var()` default).
pub fn column_variances(x: &Array2<f64>, ddof: usize) -> Array1<f64> {
    let _ = (x, ddof);
    todo!("sum of squared deviations over n - ddof, per column")
}

/// The `q`-quantile (0 <= q <= 1) of `values` (at least one, in any order), by linear
/// interpolation, numpy's default (`method = "linear"`): sort the values into `v`, let
/// `h = (n - 1) q`, `lo = floor(h)`; the answer is `v[lo] + (h - lo) (v[lo + 1] - v[lo])`
/// (just `v[lo]` when `h` is a whole number). The median is `quantile(values, 0.5)`.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let _ = (values, q);
    todo!("sort, then interpolate at position (n - 1) q")
}

/// `quantile(column, q)` for each column of `x`.
pub fn column_quantiles(x: &Array2<f64>, q: f64) -> Array1<f64> {
    let _ = (x, q);
    todo!("apply quantile to every column")
}
