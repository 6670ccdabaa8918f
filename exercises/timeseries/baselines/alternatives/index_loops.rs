//! alternative: Hyndman's index formula for the seasonal naive, a single pass with the last observed index for the gaps, loops for the MAE

// timeseries/baselines: gap filling, and the naive, seasonal naive and drift forecasts.
// `learnml show timeseries/baselines` shows the full statement; `learnml check timeseries/baselines` grades this file.

/// The series with every missing value (`None`) filled by linear interpolation between the
/// nearest observed values before and after it (by position: the gap of k values between a
/// and b gets a + (b - a) * i / (k + 1), i = 1..=k). A gap at the start takes the first
/// observed value, a gap at the end the last one. At least one value is observed.
pub fn fill_missing(series: &[Option<f64>]) -> Vec<f64> {
    let n = series.len();
    let mut out = vec![0.0; n];
    let mut previous: Option<usize> = None;
    for i in 0..n {
        let Some(b) = series[i] else { continue };
        out[i] = b;
        match previous {
            None => out[..i].fill(b),
            Some(p) => {
                let a = out[p];
                let width = (i - p) as f64;
                for (k, v) in out.iter_mut().enumerate().take(i).skip(p + 1) {
                    *v = a + (b - a) * (k - p) as f64 / width;
                }
            }
        }
        previous = Some(i);
    }
    if let Some(p) = previous {
        let last = out[p];
        out[p + 1..].fill(last);
    }
    out
}

/// The naive forecast: the last observed value y_T repeated `h` times.
pub fn naive(history: &[f64], h: usize) -> Vec<f64> {
    vec![history[history.len() - 1]; h]
}

/// The seasonal naive forecast with period `m` (history.len() >= m): the value of the same
/// season in the last observed cycle, y_(T+j-m(k+1)) with k = (j - 1) / m, for j = 1..=h.
pub fn seasonal_naive(history: &[f64], m: usize, h: usize) -> Vec<f64> {
    let t = history.len();
    let mut out = Vec::with_capacity(h);
    for j in 1..=h {
        let k = (j - 1) / m;
        // 1-based y_(T + j - m (k + 1)) is 0-based index T + j - m (k + 1) - 1.
        out.push(history[t + j - m * (k + 1) - 1]);
    }
    out
}

/// The drift forecast: y_T + j (y_T - y_1) / (T - 1) for j = 1..=h, the line through the
/// first and last observations extended (history.len() >= 2).
pub fn drift(history: &[f64], h: usize) -> Vec<f64> {
    let t = history.len();
    let slope = (history[t - 1] - history[0]) / (t - 1) as f64;
    (1..=h).map(|j| history[t - 1] + j as f64 * slope).collect()
}

/// The mean absolute errors of the three forecasts on a holdout of the last `h` values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub naive: f64,
    pub seasonal_naive: f64,
    pub drift: f64,
}

/// Hold out the last `h` values of `series`, forecast them from the values before with
/// `naive`, `seasonal_naive` (period `m`) and `drift`, and return the MAE of each.
pub fn holdout_mae(series: &[f64], h: usize, m: usize) -> Scores {
    let t = series.len() - h;
    let history = &series[..t];
    let forecasts = [
        naive(history, h),
        seasonal_naive(history, m, h),
        drift(history, h),
    ];
    let mut maes = [0.0; 3];
    for (mae, forecast) in maes.iter_mut().zip(&forecasts) {
        for j in 0..h {
            *mae += (forecast[j] - series[t + j]).abs();
        }
        *mae /= h as f64;
    }
    Scores {
        naive: maes[0],
        seasonal_naive: maes[1],
        drift: maes[2],
    }
}
