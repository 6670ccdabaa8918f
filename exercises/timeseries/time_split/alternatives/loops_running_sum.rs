//! alternative: plain loops, and the rolling mean kept as a running sum (add the newest, drop the oldest)

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
    let mut folds = Vec::with_capacity(n_splits);
    let mut start = n - n_splits * test_size;
    while start < n {
        let train: Vec<usize> = (0..start - gap).collect();
        let test: Vec<usize> = (start..start + test_size).collect();
        folds.push((train, test));
        start += test_size;
    }
    folds
}

/// Lag features of `series` (length n > lags): a matrix of n - lags rows and `lags` columns,
/// and the targets. Row i describes time t = lags + i: column j is y[t - 1 - j] (y_{t-1} first,
/// y_{t-lags} last), and the target is y[t].
pub fn lag_features(series: &[f64], lags: usize) -> (Array2<f64>, Array1<f64>) {
    let n = series.len();
    let mut x = Array2::zeros((n - lags, lags));
    let mut y = Array1::zeros(n - lags);
    for t in lags..n {
        for j in 1..=lags {
            x[[t - lags, j - 1]] = series[t - j];
        }
        y[t - lags] = series[t];
    }
    (x, y)
}

/// The mean of the `window` values before each time t: entry t is the mean of
/// y[t - window], ..., y[t - 1] (never y[t] itself), and NaN for t < window (not enough
/// past). Same length as `series`; pandas' `s.shift(1).rolling(window).mean()`.
pub fn past_rolling_mean(series: &[f64], window: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; series.len()];
    let mut sum = 0.0;
    for t in 0..series.len() {
        if t >= window {
            out[t] = sum / window as f64;
            sum -= series[t - window];
        }
        sum += series[t];
    }
    out
}
