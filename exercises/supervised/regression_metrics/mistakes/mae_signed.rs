//! mistake: averages the signed errors, so positive and negative errors cancel
//! fails: mae_public
//! message: "cancelled"

// supervised/regression_metrics: MAE, RMSE and R², the three numbers of every regression report.

/// Mean absolute error: the mean of |truth - predicted|. Both slices have the same length n ≥ 1.
pub fn mae(truth: &[f64], predicted: &[f64]) -> f64 {
    let total: f64 = truth.iter().zip(predicted).map(|(t, p)| t - p).sum();
    total / truth.len() as f64
}

/// Root mean squared error: the square root of the mean of (truth - predicted)², dividing by n.
pub fn rmse(truth: &[f64], predicted: &[f64]) -> f64 {
    let total: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    (total / truth.len() as f64).sqrt()
}

/// Coefficient of determination R² = 1 - SS_res / SS_tot, with SS_res = Σ (truth - predicted)²
/// and SS_tot = Σ (truth - mean(truth))². When `truth` is constant (SS_tot = 0): 1.0 if the
/// predictions are perfect, else 0.0 (scikit-learn's convention).
pub fn r2(truth: &[f64], predicted: &[f64]) -> f64 {
    let mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let ss_res: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    let ss_tot: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}
