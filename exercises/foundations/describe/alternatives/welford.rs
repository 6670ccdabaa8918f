//! alternative: loops over rows, Welford's one-pass variance, and quantiles as a weighted mean of the two neighbours

// foundations/describe: per-column mean, variance (population and sample), median, quartiles.

use ndarray::{Array1, Array2};

/// The mean of each column of `x` (at least one row): one value per column.
pub fn column_means(x: &Array2<f64>) -> Array1<f64> {
    let mut sums = Array1::zeros(x.ncols());
    for row in x.rows() {
        sums += &row;
    }
    sums / x.nrows() as f64
}

/// The variance of each column: the sum of squared deviations from the column mean, divided
/// by `n - ddof` (n = number of rows, n > ddof). `ddof = 0` is the population variance
/// (numpy's `np.var` default); `ddof = 1` the sample variance (pandas' `.var()` default).
pub fn column_variances(x: &Array2<f64>, ddof: usize) -> Array1<f64> {
    x.columns()
        .into_iter()
        .map(|column| {
            // Welford: update the mean and the sum of squared deviations one value at a time.
            let (mut mean, mut squares) = (0.0, 0.0);
            for (k, &value) in column.iter().enumerate() {
                let delta = value - mean;
                mean += delta / (k + 1) as f64;
                squares += delta * (value - mean);
            }
            squares / (column.len() - ddof) as f64
        })
        .collect()
}

/// The `q`-quantile (0 <= q <= 1) of `values` (at least one, in any order), by linear
/// interpolation, numpy's default (`method = "linear"`).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    (1.0 - weight) * sorted[below] + weight * sorted[above]
}

/// `quantile(column, q)` for each column of `x`.
pub fn column_quantiles(x: &Array2<f64>, q: f64) -> Array1<f64> {
    Array1::from_iter(x.columns().into_iter().map(|column| {
        let values: Vec<f64> = column.iter().copied().collect();
        quantile(&values, q)
    }))
}
