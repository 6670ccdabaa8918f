//! alternative: a ring buffer of seasonals with a moving index, rotated at the end; iterators

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
    y.iter()
        .scan(None, |prev: &mut Option<f64>, &v| {
            let level = match *prev {
                None => v,
                Some(l) => l + alpha * (v - l),
            };
            *prev = Some(level);
            Some(level)
        })
        .collect()
}

/// Holt's linear trend on `y` (n ≥ 2): starts from ℓ_1 = y_1, b_1 = y_1 - y_0, updates
/// ℓ_t = α y_t + (1 - α)(ℓ_{t-1} + b_{t-1}), b_t = β(ℓ_t - ℓ_{t-1}) + (1 - β) b_{t-1}
/// for t = 2, ..., n - 1, and returns the forecasts ℓ_T + h b_T for h = 1, ..., `horizon`.
pub fn holt_forecast(y: &[f64], alpha: f64, beta: f64, horizon: usize) -> Vec<f64> {
    let (level, trend) = y[2..].iter().fold((y[1], y[1] - y[0]), |(l, b), &v| {
        let nl = alpha * v + (1.0 - alpha) * (l + b);
        (nl, beta * (nl - l) + (1.0 - beta) * b)
    });
    (1..=horizon).map(|h| level + h as f64 * trend).collect()
}

/// statsmodels' "simple" initialization from the first two seasons of `y` (n ≥ 2m):
/// level = mean of y_0..y_{m-1}, trend = (mean of y_m..y_{2m-1} - level) / m,
/// seasonals[j] = y_j - level (the components s_{j-m} used by the first season).
pub fn hw_init(y: &[f64], m: usize) -> HwState {
    let first: f64 = y[..m].iter().sum::<f64>() / m as f64;
    let second: f64 = y[m..2 * m].iter().sum::<f64>() / m as f64;
    HwState {
        level: first,
        trend: (second - first) / m as f64,
        seasonals: y[..m].iter().map(|v| v - first).collect(),
    }
}

/// Runs additive Holt-Winters over every value of `y` from the state `init` (the state before
/// y_0), with the period m = `init.seasonals.len()`, and returns the state after the last value.
pub fn hw_fit(y: &[f64], init: &HwState, alpha: f64, beta: f64, gamma: f64) -> HwState {
    let m = init.seasonals.len();
    let mut ring = init.seasonals.clone();
    let (mut level, mut trend) = (init.level, init.trend);
    let mut at = 0;
    for &v in y {
        let old = ring[at];
        let new_level = alpha * (v - old) + (1.0 - alpha) * (level + trend);
        let new_trend = beta * (new_level - level) + (1.0 - beta) * trend;
        ring[at] = gamma * (v - level - trend) + (1.0 - gamma) * old;
        level = new_level;
        trend = new_trend;
        at = (at + 1) % m;
    }
    ring.rotate_left(at);
    HwState {
        level,
        trend,
        seasonals: ring,
    }
}

/// Forecasts ℓ_T + h b_T + s_{T+h-m(k+1)}, k = ⌊(h - 1)/m⌋, for h = 1, ..., `horizon`.
pub fn hw_forecast(state: &HwState, horizon: usize) -> Vec<f64> {
    state
        .seasonals
        .iter()
        .cycle()
        .take(horizon)
        .zip(1..)
        .map(|(s, h)| state.level + h as f64 * state.trend + s)
        .collect()
}
