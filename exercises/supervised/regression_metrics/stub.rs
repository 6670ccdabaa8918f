// supervised/regression_metrics: MAE, RMSE and R², the three numbers of every regression report.
// `learnml show supervised/regression_metrics` shows the full statement; `learnml check supervised/regression_metrics` grades this file.

/// Mean absolute error: the mean of |truth - predicted|. Both slices have the same length n ≥ 1.
pub fn mae(truth: &[f64], predicted: &[f64]) -> f64 {
    let _ = (truth, predicted);
    todo!("mean of the absolute errors")
}

/// Root mean squared error: the square root of the mean of (truth - predicted)², dividing by n.
pub fn rmse(truth: &[f64], predicted: &[f64]) -> f64 {
    let _ = (truth, predicted);
    todo!("square root of the mean squared error")
}

/// Coefficient of determination R² = 1 - SS_res / SS_tot, with SS_res = Σ (truth - predicted)²
/// and SS_tot = Σ (truth - mean(truth))². When `truth` is constant (SS_tot = 0): 1.0 if the
/// predictions are perfect, else 0.0 (scikit-learn's convention).
pub fn r2(truth: &[f64], predicted: &[f64]) -> f64 {
    let _ = (truth, predicted);
    todo!("1 - SS_res / SS_tot, with the constant-truth convention")
}
