//! mistake: simple smoothing gives weight α to the old level and 1 - α to the new value
//! fails: ses
//! message: "alpha weighs the old level"

// timeseries/holt_winters: exponential smoothing, Holt's linear trend, additive Holt-Winters.
// `learnml show timeseries/holt_winters` shows the full statement; `learnml check timeseries/holt_winters` grades this file.

/// The state of additive Holt-Winters at one time: level ℓ, trend b, and the last `m`
/// seasonal components in time order (for the state after time T: s_{T-m+1}, ..., s_T, so
/// `seasonals[0]` is the one the next observation uses).
#[derive(Debug, Clone, PartialEq)]
pub struct HwState {
    pub level: f64,
    pub trend: f64,
    pub seasonals: Vec<f64>,
}

/// Simple exponential smoothing: the levels ℓ_0, ..., ℓ_{n-1} (as many as `y`, n ≥ 1), with
/// ℓ_0 = y_0 and ℓ_t = α y_t + (1 - α) ℓ_{t-1}. The forecast of every future value is the last.
pub fn ses_levels(y: &[f64], alpha: f64) -> Vec<f64> {
    let mut levels = Vec::with_capacity(y.len());
    let mut level = y[0];
    levels.push(level);
    for &v in &y[1..] {
        level = (1.0 - alpha) * v + alpha * level;
        levels.push(level);
    }
    levels
}

/// Holt's linear trend on `y` (n ≥ 2): starts from ℓ_1 = y_1, b_1 = y_1 - y_0, updates
/// ℓ_t = α y_t + (1 - α)(ℓ_{t-1} + b_{t-1}), b_t = β(ℓ_t - ℓ_{t-1}) + (1 - β) b_{t-1}
/// for t = 2, ..., n - 1, and returns the forecasts ℓ_T + h b_T for h = 1, ..., `horizon`.
pub fn holt_forecast(y: &[f64], alpha: f64, beta: f64, horizon: usize) -> Vec<f64> {
    let mut level = y[1];
    let mut trend = y[1] - y[0];
    for &v in &y[2..] {
        let previous = level;
        level = alpha * v + (1.0 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1.0 - beta) * trend;
    }
    (1..=horizon).map(|h| level + h as f64 * trend).collect()
}

/// statsmodels' "simple" initialization from the first two seasons of `y` (n ≥ 2m):
/// level = mean of y_0..y_{m-1}, trend = (mean of y_m..y_{2m-1} - level) / m,
/// seasonals[j] = y_j - level (the components s_{j-m} used by the first season).
pub fn hw_init(y: &[f64], m: usize) -> HwState {
    let first = y[..m].iter().sum::<f64>() / m as f64;
    let second = y[m..2 * m].iter().sum::<f64>() / m as f64;
    HwState {
        level: first,
        trend: (second - first) / m as f64,
        seasonals: y[..m].iter().map(|v| v - first).collect(),
    }
}

/// Runs additive Holt-Winters over every value of `y` from the state `init` (the state before
/// y_0), with the period m = `init.seasonals.len()`, and returns the state after the last value.
pub fn hw_fit(y: &[f64], init: &HwState, alpha: f64, beta: f64, gamma: f64) -> HwState {
    let mut level = init.level;
    let mut trend = init.trend;
    let mut seasonals = init.seasonals.clone();
    for &v in y {
        let s_old = seasonals.remove(0);
        let new_level = alpha * (v - s_old) + (1.0 - alpha) * (level + trend);
        let new_trend = beta * (new_level - level) + (1.0 - beta) * trend;
        seasonals.push(gamma * (v - level - trend) + (1.0 - gamma) * s_old);
        level = new_level;
        trend = new_trend;
    }
    HwState {
        level,
        trend,
        seasonals,
    }
}

/// Forecasts ℓ_T + h b_T + s_{T+h-m(k+1)}, k = ⌊(h - 1)/m⌋, for h = 1, ..., `horizon`.
pub fn hw_forecast(state: &HwState, horizon: usize) -> Vec<f64> {
    let m = state.seasonals.len();
    (1..=horizon)
        .map(|h| state.level + h as f64 * state.trend + state.seasonals[(h - 1) % m])
        .collect()
}
