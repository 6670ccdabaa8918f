//! mistake: measures SS_tot around the predictions' mean (the arguments' roles swapped)
//! fails: r2_public
//! message: "the arguments are swapped"

// supervised/regression_metrics: MAE, RMSE and R², the three numbers of every regression report.

/// Mean absolute error: the mean of |truth - predicted|. Both slices have the same length n ≥ 1.
pub fn mae(truth: &[f64], predicted: &[f64]) -> f64 {
    let total: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).abs())
        .sum();
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
    let mean = predicted.iter().sum::<f64>() / predicted.len() as f64;
    let ss_res: f64 = truth
        .iter()
        .zip(predicted)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    let ss_tot: f64 = predicted.iter().map(|p| (p - mean).powi(2)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}
