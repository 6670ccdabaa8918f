//! alternative: keeps the whole history of seasonal components and indexes it by time; folds

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
        .scan(None, |level: &mut Option<f64>, &v| {
            let next = match *level {
                None => v,
                Some(l) => l + alpha * (v - l),
            };
            *level = Some(next);
            Some(next)
        })
        .collect()
}

/// Holt's linear trend on `y` (n ≥ 2): starts from ℓ_1 = y_1, b_1 = y_1 - y_0, updates
/// ℓ_t = α y_t + (1 - α)(ℓ_{t-1} + b_{t-1}), b_t = β(ℓ_t - ℓ_{t-1}) + (1 - β) b_{t-1}
/// for t = 2, ..., n - 1, and returns the forecasts ℓ_T + h b_T for h = 1, ..., `horizon`.
pub fn holt_forecast(y: &[f64], alpha: f64, beta: f64, horizon: usize) -> Vec<f64> {
    // ℓ_0 = y_0, b_0 = y_1 - y_0 and updating from t = 1 gives ℓ_1 = y_1, b_1 = y_1 - y_0.
    let (level, trend) = y[1..].iter().fold((y[0], y[1] - y[0]), |(l, b), &v| {
        let new_level = alpha * v + (1.0 - alpha) * (l + b);
        (new_level, beta * (new_level - l) + (1.0 - beta) * b)
    });
    let mut forecasts = Vec::new();
    for h in 1..=horizon {
        forecasts.push(level + trend * h as f64);
    }
    forecasts
}

/// statsmodels' "simple" initialization from the first two seasons of `y` (n ≥ 2m):
/// level = mean of y_0..y_{m-1}, trend = (mean of y_m..y_{2m-1} - level) / m,
/// seasonals[j] = y_j - level (the components s_{j-m} used by the first season).
pub fn hw_init(y: &[f64], m: usize) -> HwState {
    let mut level = 0.0;
    let mut trend = 0.0;
    for j in 0..m {
        level += y[j] / m as f64;
        trend += (y[m + j] - y[j]) / (m * m) as f64;
    }
    let mut seasonals = vec![0.0; m];
    for j in 0..m {
        seasonals[j] = y[j] - level;
    }
    HwState {
        level,
        trend,
        seasonals,
    }
}

/// Runs additive Holt-Winters over every value of `y` from the state `init` (the state before
/// y_0), with the period m = `init.seasonals.len()`, and returns the state after the last value.
pub fn hw_fit(y: &[f64], init: &HwState, alpha: f64, beta: f64, gamma: f64) -> HwState {
    // s[t + m] is s_t; s[0..m] are the initial components of times -m..-1.
    let mut s = init.seasonals.clone();
    let (mut level, mut trend) = (init.level, init.trend);
    for t in 0..y.len() {
        let previous = level + trend;
        level = alpha * (y[t] - s[t]) + (1.0 - alpha) * previous;
        trend = beta * (level - (previous - trend)) + (1.0 - beta) * trend;
        s.push(gamma * (y[t] - previous) + (1.0 - gamma) * s[t]);
    }
    HwState {
        level,
        trend,
        seasonals: s[y.len()..].to_vec(),
    }
}

/// Forecasts ℓ_T + h b_T + s_{T+h-m(k+1)}, k = ⌊(h - 1)/m⌋, for h = 1, ..., `horizon`.
pub fn hw_forecast(state: &HwState, horizon: usize) -> Vec<f64> {
    let m = state.seasonals.len();
    let mut out = Vec::with_capacity(horizon);
    for h in 1..=horizon {
        let k = (h - 1) / m;
        out.push(state.level + h as f64 * state.trend + state.seasonals[h - 1 - m * k]);
    }
    out
}
