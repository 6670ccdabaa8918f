// preprocessing/outliers: the IQR and z-score rules, and clipping.
// `learnml show preprocessing/outliers` shows the full statement; `learnml check preprocessing/outliers` grades this file.

/// The `q`-quantile (0 <= q <= 1) of `values` (any order, at least one value) by linear
/// interpolation: numpy's default, type 7 of Hyndman & Fan, with h = (n - 1) q on the sorted
/// values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let _ = (values, q);
    todo!("sort, then interpolate between the values around position (n - 1) q")
}

/// Tukey's fences `(Q1 - 1.5 IQR, Q3 + 1.5 IQR)`, with IQR = Q3 - Q1.
pub fn iqr_fences(values: &[f64]) -> (f64, f64) {
    let _ = values;
    todo!("the quartiles, then the fences")
}

/// The indices (increasing) of the values strictly outside the IQR fences.
pub fn iqr_outliers(values: &[f64]) -> Vec<usize> {
    let _ = values;
    todo!("indices of the values below the low fence or above the high fence")
}

/// The indices (increasing) of the values with |x - mean| / std > `threshold`, std being the
/// population standard deviation (ddof = 0).
pub fn zscore_outliers(values: &[f64], threshold: f64) -> Vec<usize> {
    let _ = (values, threshold);
    todo!("z-scores with the population standard deviation")
}

/// Every value capped into `[low, high]` (low <= high), in the same order.
pub fn clip(values: &[f64], low: f64, high: f64) -> Vec<f64> {
    let _ = (values, low, high);
    todo!("cap each value")
}
