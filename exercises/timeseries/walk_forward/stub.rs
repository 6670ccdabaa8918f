// timeseries/walk_forward: walk-forward validation with expanding windows, MASE and sMAPE.
// `learnml show timeseries/walk_forward` shows the full statement; `learnml check timeseries/walk_forward` grades this file.

/// The forecast origins of an expanding-window walk-forward evaluation of a series of `n`
/// values. At origin t the model trains on y[..t] (the first t values) and forecasts
/// y[t..t + horizon]. The first origin is `initial`, the next ones every `step`, as long as
/// the whole horizon fits in the series (t + horizon <= n). Increasing.
pub fn origins(n: usize, initial: usize, horizon: usize, step: usize) -> Vec<usize> {
    let _ = (n, initial, horizon, step);
    todo!("initial, initial + step, ... while t + horizon <= n")
}

/// The mean absolute scaled error (Hyndman and Koehler, 2006): the MAE of `forecast` against
/// `actual`, divided by the in-sample MAE of the seasonal naive forecast with lag `m` on the
/// training window, (1 / (T - m)) sum over t = m..T of |train[t] - train[t - m]|.
/// `train.len() > m`, `actual.len() == forecast.len() > 0`.
pub fn mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> f64 {
    let _ = (train, actual, forecast, m);
    todo!("the MAE of the forecast over the in-sample MAE of the lag-m naive")
}

/// The symmetric mean absolute percentage error, in percent (0 to 200):
/// 100 / n * sum of 2 |F - A| / (|A| + |F|), a term with A = F = 0 counting 0.
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let _ = (actual, forecast);
    todo!("mind the 0 / 0 terms")
}

/// The scores of one origin of a walk-forward evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OriginScore {
    pub origin: usize,
    pub mase: f64,
    pub smape: f64,
}

/// Walk-forward evaluation of `forecast` on `series`: at each origin t of
/// `origins(series.len(), initial, horizon, step)`, call `forecast(&series[..t], horizon)`
/// (the model sees nothing from t on), and score its `horizon` values against
/// series[t..t + horizon] with `mase` (scaled on the training window, lag `m`) and `smape`.
pub fn walk_forward(
    series: &[f64],
    initial: usize,
    horizon: usize,
    step: usize,
    m: usize,
    forecast: &mut dyn FnMut(&[f64], usize) -> Vec<f64>,
) -> Vec<OriginScore> {
    let _ = (series, initial, horizon, step, m, forecast);
    todo!("for each origin t: forecast(&series[..t], horizon)")
}
