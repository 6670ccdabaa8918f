//! alternative: plain for loops, RMSE as the square root of a running mean, R² as 1 - MSE / population variance of the truth

// supervised/regression_metrics: MAE, RMSE and R², the three numbers of every regression report.

/// Mean absolute error: the mean of |truth - predicted|. Both slices have the same length n ≥ 1.
pub fn mae(truth: &[f64], predicted: &[f64]) -> f64 {
    let mut total = 0.0;
    for i in 0..truth.len() {
        total += (truth[i] - predicted[i]).abs();
    }
    total / truth.len() as f64
}

fn mse(truth: &[f64], predicted: &[f64]) -> f64 {
    let mut mean = 0.0;
    for (i, (t, p)) in truth.iter().zip(predicted).enumerate() {
        let e2 = (t - p) * (t - p);
        mean += (e2 - mean) / (i + 1) as f64;
    }
    mean
}

/// Root mean squared error: the square root of the mean of (truth - predicted)², dividing by n.
pub fn rmse(truth: &[f64], predicted: &[f64]) -> f64 {
    mse(truth, predicted).sqrt()
}

/// Coefficient of determination R² = 1 - SS_res / SS_tot, with SS_res = Σ (truth - predicted)²
/// and SS_tot = Σ (truth - mean(truth))². When `truth` is constant (SS_tot = 0): 1.0 if the
/// predictions are perfect, else 0.0 (scikit-learn's convention).
pub fn r2(truth: &[f64], predicted: &[f64]) -> f64 {
    let n = truth.len() as f64;
    let mean = truth.iter().sum::<f64>() / n;
    let variance = truth.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / n;
    let error = mse(truth, predicted);
    match (variance == 0.0, error == 0.0) {
        (true, true) => 1.0,
        (true, false) => 0.0,
        (false, _) => 1.0 - error / variance,
    }
}
