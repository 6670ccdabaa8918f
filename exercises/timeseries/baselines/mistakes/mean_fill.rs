//! mistake: fills every gap with the mean of the observed values
//! fails: fill_missing
//! message: "mean fill"

// timeseries/baselines: gap filling, and the naive, seasonal naive and drift forecasts.
// `learnml show timeseries/baselines` shows the full statement; `learnml check timeseries/baselines` grades this file.

/// The series with every missing value (`None`) filled by linear interpolation between the
/// nearest observed values before and after it (by position: the gap of k values between a
/// and b gets a + (b - a) * i / (k + 1), i = 1..=k). A gap at the start takes the first
/// observed value, a gap at the end the last one. At least one value is observed.
pub fn fill_missing(series: &[Option<f64>]) -> Vec<f64> {
    let known: Vec<f64> = series.iter().flatten().copied().collect();
    let mean = known.iter().sum::<f64>() / known.len() as f64;
    series.iter().map(|v| v.unwrap_or(mean)).collect()
}

/// The naive forecast: the last observed value y_T repeated `h` times.
pub fn naive(history: &[f64], h: usize) -> Vec<f64> {
    vec![history[history.len() - 1]; h]
}

/// The seasonal naive forecast with period `m` (history.len() >= m): the value of the same
/// season in the last observed cycle, y_(T+j-m(k+1)) with k = (j - 1) / m, for j = 1..=h.
pub fn seasonal_naive(history: &[f64], m: usize, h: usize) -> Vec<f64> {
    let last_cycle = &history[history.len() - m..];
    (0..h).map(|j| last_cycle[j % m]).collect()
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
    let (history, actual) = series.split_at(series.len() - h);
    let mae = |forecast: Vec<f64>| {
        forecast
            .iter()
            .zip(actual)
            .map(|(f, a)| (f - a).abs())
            .sum::<f64>()
            / h as f64
    };
    Scores {
        naive: mae(naive(history, h)),
        seasonal_naive: mae(seasonal_naive(history, m, h)),
        drift: mae(drift(history, h)),
    }
}
