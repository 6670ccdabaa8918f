//! mistake: MASE scaled by the seasonal naive's errors out of sample (on the actual values) instead of in-sample
//! fails: mase
//! message: "out of sample"

// timeseries/walk_forward: walk-forward validation with expanding windows, MASE and sMAPE.
// `learnml show timeseries/walk_forward` shows the full statement; `learnml check timeseries/walk_forward` grades this file.

/// The forecast origins of an expanding-window walk-forward evaluation of a series of `n`
/// values. At origin t the model trains on y[..t] (the first t values) and forecasts
/// y[t..t + horizon]. The first origin is `initial`, the next ones every `step`, as long as
/// the whole horizon fits in the series (t + horizon <= n). Increasing.
pub fn origins(n: usize, initial: usize, horizon: usize, step: usize) -> Vec<usize> {
    (initial..)
        .step_by(step)
        .take_while(|t| t + horizon <= n)
        .collect()
}

/// The mean absolute scaled error (Hyndman and Koehler, 2006): the MAE of `forecast` against
/// `actual`, divided by the in-sample MAE of the seasonal naive forecast with lag `m` on the
/// training window, (1 / (T - m)) sum over t = m..T of |train[t] - train[t - m]|.
/// `train.len() > m`, `actual.len() == forecast.len() > 0`.
pub fn mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> f64 {
    let h = actual.len();
    let mae = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| (a - f).abs())
        .sum::<f64>()
        / h as f64;
    let joined: Vec<f64> = train.iter().chain(actual).copied().collect();
    let n = train.len();
    let scale = (n..n + h)
        .map(|t| (joined[t] - joined[t - m]).abs())
        .sum::<f64>()
        / h as f64;
    mae / scale
}

/// The symmetric mean absolute percentage error, in percent (0 to 200):
/// 100 / n * sum of 2 |F - A| / (|A| + |F|), a term with A = F = 0 counting 0.
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let total: f64 = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| {
            let denominator = a.abs() + f.abs();
            if denominator == 0.0 {
                0.0
            } else {
                2.0 * (f - a).abs() / denominator
            }
        })
        .sum();
    100.0 * total / actual.len() as f64
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
    origins(series.len(), initial, horizon, step)
        .into_iter()
        .map(|t| {
            let train = &series[..t];
            let actual = &series[t..t + horizon];
            let predicted = forecast(train, horizon);
            OriginScore {
                origin: t,
                mase: mase(train, actual, &predicted, m),
                smape: smape(actual, &predicted),
            }
        })
        .collect()
}
