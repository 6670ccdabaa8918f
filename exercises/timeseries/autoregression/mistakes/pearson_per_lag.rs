//! mistake: the ACF as the Pearson correlation of y[k..] with y[..n - k] (pandas' autocorr)
//! fails: acf
//! message: "Pearson correlation"

// timeseries/autoregression: the autocorrelation function and an AR(p) model by least squares.
// `learnml show timeseries/autoregression` shows the full statement; `learnml check timeseries/autoregression` grades this file.

use ndarray::{Array1, Array2, s};

/// An autoregressive model: ŷ_t = intercept + Σ_j coefs[j] · y_{t-1-j} (coefs[0] is φ_1,
/// the weight of the previous value).
#[derive(Debug, Clone, PartialEq)]
pub struct ArModel {
    pub intercept: f64,
    pub coefs: Array1<f64>,
}

/// The sample autocorrelations r_0, ..., r_{max_lag} of `y` (n > max_lag, not constant), with
/// statsmodels' `acf` estimator: with ȳ the mean of the whole series,
/// r_k = Σ_{t=k}^{n-1} (y_t - ȳ)(y_{t-k} - ȳ) / Σ_{t=0}^{n-1} (y_t - ȳ)², so r_0 = 1.
pub fn acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    (0..=max_lag)
        .map(|k| {
            // Correlate the series with itself shifted by k.
            let (a, b) = (&y[k..], &y[..n - k]);
            let (ma, mb) = (mean(a), mean(b));
            let cov: f64 = a.iter().zip(b).map(|(x, z)| (x - ma) * (z - mb)).sum();
            let va: f64 = a.iter().map(|x| (x - ma) * (x - ma)).sum();
            let vb: f64 = b.iter().map(|z| (z - mb) * (z - mb)).sum();
            cov / (va * vb).sqrt()
        })
        .collect()
}

/// The lag matrix of an AR(p) regression: one row per t = p, ..., n - 1, with
/// x[[t - p, j]] = y_{t-1-j} (column 0 is lag 1, column p - 1 is lag p), and the targets y_t.
/// Shapes (n - p, p) and (n - p).
pub fn lag_matrix(y: &[f64], p: usize) -> (Array2<f64>, Array1<f64>) {
    let rows = y.len() - p;
    let x = Array2::from_shape_fn((rows, p), |(i, j)| y[i + p - 1 - j]);
    let target = Array1::from_iter(y[p..].iter().copied());
    (x, target)
}

/// AR(p) with an intercept, by ordinary least squares on the lag matrix of `y`:
/// minimises Σ_t (y_t - c - Σ_j φ_j y_{t-j})² over t = p..n-1 (normal equations, [`solve`]).
pub fn fit_ar(y: &[f64], p: usize) -> ArModel {
    let (lags, target) = lag_matrix(y, p);
    let mut design = Array2::ones((lags.nrows(), p + 1));
    design.slice_mut(s![.., 1..]).assign(&lags);
    let beta = solve(design.t().dot(&design), design.t().dot(&target));
    ArModel {
        intercept: beta[0],
        coefs: beta.slice(s![1..]).to_owned(),
    }
}

/// Recursive forecasts of the `horizon` values after `history` (at least p values): each
/// forecast is computed from the previous p values, its own earlier forecasts included.
pub fn forecast_ar(model: &ArModel, history: &[f64], horizon: usize) -> Vec<f64> {
    let p = model.coefs.len();
    let mut values = history[history.len() - p..].to_vec();
    for _ in 0..horizon {
        let last = values.len() - 1;
        let next = model.intercept
            + (0..p)
                .map(|j| model.coefs[j] * values[last - j])
                .sum::<f64>();
        values.push(next);
    }
    values[p..].to_vec()
}

/// A holdout evaluation: fits AR(p) on `y[..n_train]` only and forecasts the remaining
/// `y.len() - n_train` values recursively from the end of the training part.
pub fn backtest(y: &[f64], n_train: usize, p: usize) -> Vec<f64> {
    let train = &y[..n_train];
    forecast_ar(&fit_ar(train, p), train, y.len() - n_train)
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
