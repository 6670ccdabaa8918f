//! alternative: centred least squares (intercept recovered from the means), loops, a window

// timeseries/autoregression: the autocorrelation function and an AR(p) model by least squares.
// `learnml show timeseries/autoregression` shows the full statement; `learnml check timeseries/autoregression` grades this file.

use std::collections::VecDeque;

use ndarray::{Array1, Array2};

/// An autoregressive model: ŷ_t = intercept + Σ_j coefs[j] · y_{t-1-j} (coefs[0] is φ_1,
/// the weight of the previous value).
#[derive(Debug, Clone, PartialEq)]
pub struct ArModel {
    pub intercept: f64,
    pub coefs: Array1<f64>,
}

/// The sample autocorrelations r_0, ..., r_{max_lag} of `y` (statsmodels' `acf`).
pub fn acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let autocovariance = |k: usize| -> f64 {
        y.iter()
            .zip(&y[k..])
            .map(|(a, b)| (a - mean) * (b - mean))
            .sum::<f64>()
            / n
    };
    let c0 = autocovariance(0);
    let mut out = Vec::new();
    for k in 0..=max_lag {
        out.push(autocovariance(k) / c0);
    }
    out
}

/// The lag matrix: x[[t - p, j]] = y_{t-1-j}, targets y_t, for t = p..n-1.
pub fn lag_matrix(y: &[f64], p: usize) -> (Array2<f64>, Array1<f64>) {
    let mut data = Vec::new();
    let mut target = Vec::new();
    for t in p..y.len() {
        for lag in 1..=p {
            data.push(y[t - lag]);
        }
        target.push(y[t]);
    }
    let x = Array2::from_shape_vec((target.len(), p), data).expect("rows of p lags");
    (x, Array1::from(target))
}

/// AR(p) with an intercept by least squares: regress the centred target on the centred lags,
/// then intercept = mean(target) - Σ φ_j mean(lag j).
pub fn fit_ar(y: &[f64], p: usize) -> ArModel {
    let (x, target) = lag_matrix(y, p);
    let rows = x.nrows() as f64;
    let x_means: Vec<f64> = (0..p).map(|j| x.column(j).sum() / rows).collect();
    let y_mean = target.sum() / rows;
    let xc = Array2::from_shape_fn(x.dim(), |(i, j)| x[[i, j]] - x_means[j]);
    let yc = target.mapv(|v| v - y_mean);
    let coefs = solve(xc.t().dot(&xc), xc.t().dot(&yc));
    let intercept = y_mean - (0..p).map(|j| coefs[j] * x_means[j]).sum::<f64>();
    ArModel { intercept, coefs }
}

/// Recursive forecasts, keeping the last p values (most recent at the front) in a window.
pub fn forecast_ar(model: &ArModel, history: &[f64], horizon: usize) -> Vec<f64> {
    let p = model.coefs.len();
    let mut window: VecDeque<f64> = history.iter().rev().take(p).copied().collect();
    let mut out = Vec::with_capacity(horizon);
    for _ in 0..horizon {
        let next = model.intercept
            + model
                .coefs
                .iter()
                .zip(&window)
                .map(|(phi, v)| phi * v)
                .sum::<f64>();
        window.push_front(next);
        window.pop_back();
        out.push(next);
    }
    out
}

/// Fits on `y[..n_train]` only and forecasts the rest recursively.
pub fn backtest(y: &[f64], n_train: usize, p: usize) -> Vec<f64> {
    let (train, test) = y.split_at(n_train);
    let model = fit_ar(train, p);
    forecast_ar(&model, train, test.len())
}

/// Given: solves the square system a · x = b by Gaussian elimination with partial pivoting.
pub fn solve(mut a: Array2<f64>, mut b: Array1<f64>) -> Array1<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[[i, col]].abs().total_cmp(&a[[j, col]].abs()))
            .unwrap_or(col);
        for k in 0..n {
            a.swap([col, k], [pivot, k]);
        }
        b.swap(col, pivot);
        for row in col + 1..n {
            let factor = a[[row, col]] / a[[col, col]];
            for k in col..n {
                a[[row, k]] -= factor * a[[col, k]];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = Array1::zeros(n);
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[[row, k]] * x[k]).sum();
        x[row] = (b[row] - rest) / a[[row, row]];
    }
    x
}
