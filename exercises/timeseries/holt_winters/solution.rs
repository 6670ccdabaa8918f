// timeseries/holt_winters: reference solution.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}
