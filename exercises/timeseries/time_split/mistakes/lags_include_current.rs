//! mistake: the lag columns are y_t .. y_(t-lags+1): the target itself is a feature (leakage through time)
//! fails: lag_features, honest_estimate
//! message: "leak"

// timeseries/time_split: splits that respect time, lag features and a past-only rolling mean.
// `learnml show timeseries/time_split` shows the full statement; `learnml check timeseries/time_split` grades this file.

use ndarray::{Array1, Array2};

/// scikit-learn's `TimeSeriesSplit(n_splits, gap=gap)` on `n` samples in time order: a list of
/// `n_splits` folds `(train, test)` of indices, in increasing order of time. Each test fold has
/// `n / (n_splits + 1)` samples (integer division); the last one ends at `n`, each one starts
/// where the previous one ended. The training window is everything before the test fold
/// (it grows fold by fold), minus the last `gap` samples. Assume it is never empty.
pub fn time_series_split(n: usize, n_splits: usize, gap: usize) -> Vec<(Vec<usize>, Vec<usize>)> {
    let test_size = n / (n_splits + 1);
    let first_test = n - n_splits * test_size;
    (0..n_splits)
        .map(|k| {
            let start = first_test + k * test_size;
            let train = (0..start - gap).collect();
            let test = (start..start + test_size).collect();
            (train, test)
        })
        .collect()
}

/// Lag features of `series` (length n > lags): a matrix of n - lags rows and `lags` columns,
/// and the targets. Row i describes time t = lags + i: column j is y[t - 1 - j] (y_{t-1} first,
/// y_{t-lags} last), and the target is y[t].
pub fn lag_features(series: &[f64], lags: usize) -> (Array2<f64>, Array1<f64>) {
    let rows = series.len() - lags;
    let x = Array2::from_shape_fn((rows, lags), |(i, j)| series[lags + i - j]);
    let y = Array1::from_iter(series[lags..].iter().copied());
    (x, y)
}

/// The mean of the `window` values before each time t: entry t is the mean of
/// y[t - window], ..., y[t - 1] (never y[t] itself), and NaN for t < window (not enough
/// past). Same length as `series`; pandas' `s.shift(1).rolling(window).mean()`.
pub fn past_rolling_mean(series: &[f64], window: usize) -> Vec<f64> {
    (0..series.len())
        .map(|t| {
            if t < window {
                f64::NAN
            } else {
                series[t - window..t].iter().sum::<f64>() / window as f64
            }
        })
        .collect()
}
