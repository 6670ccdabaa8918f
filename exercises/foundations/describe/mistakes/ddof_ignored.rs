//! mistake: ignores ddof and always divides by n (the population variance)
//! fails: sample_variance
//! message: "gave the population variance"

// foundations/describe: per-column mean, variance (population and sample), median, quartiles.

use ndarray::{Array1, Array2, Axis};

/// The mean of each column of `x` (at least one row): one value per column.
pub fn column_means(x: &Array2<f64>) -> Array1<f64> {
    x.mean_axis(Axis(0)).expect("x has at least one row")
}

/// The variance of each column: the sum of squared deviations from the column mean, divided
/// by `n - ddof` (n = number of rows, n > ddof). `ddof = 0` is the population variance
/// (numpy's `np.var` default); `ddof = 1` the sample variance (pandas' `.var()` default).
pub fn column_variances(x: &Array2<f64>, _ddof: usize) -> Array1<f64> {
    // The mean of the squared deviations.
    let deviations = x - &column_means(x);
    deviations.mapv(|d| d * d).mean_axis(Axis(0)).unwrap()
}

/// The `q`-quantile (0 <= q <= 1) of `values` (at least one, in any order), by linear
/// interpolation, numpy's default (`method = "linear"`): sort the values into `v`, let
/// `h = (n - 1) q`, `lo = floor(h)`; the answer is `v[lo] + (h - lo) (v[lo + 1] - v[lo])`
/// (just `v[lo]` when `h` is a whole number). The median is `quantile(values, 0.5)`.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    if lo + 1 >= v.len() {
        return v[v.len() - 1];
    }
    v[lo] + (h - lo as f64) * (v[lo + 1] - v[lo])
}

/// `quantile(column, q)` for each column of `x`.
pub fn column_quantiles(x: &Array2<f64>, q: f64) -> Array1<f64> {
    x.columns()
        .into_iter()
        .map(|c| quantile(&c.to_vec(), q))
        .collect()
}
