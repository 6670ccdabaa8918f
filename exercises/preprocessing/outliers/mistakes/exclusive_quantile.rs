//! mistake: quantiles at position (n + 1) q - 1 (Excel's QUARTILE.EXC) instead of numpy's (n - 1) q
//! fails: quantiles
//! message: "QUARTILE.EXC"

// preprocessing/outliers: the IQR and z-score rules, and clipping.
// `learnml next` shows the full statement; `learnml check` grades this file.

/// The `q`-quantile (0 <= q <= 1) of `values` (any order, at least one value) by linear
/// interpolation: numpy's default, type 7 of Hyndman & Fan, with h = (n - 1) q on the sorted
/// values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let h = ((n + 1) as f64 * q - 1.0).clamp(0.0, (n - 1) as f64);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Tukey's fences `(Q1 - 1.5 IQR, Q3 + 1.5 IQR)`, with IQR = Q3 - Q1.
pub fn iqr_fences(values: &[f64]) -> (f64, f64) {
    let q1 = quantile(values, 0.25);
    let q3 = quantile(values, 0.75);
    let iqr = q3 - q1;
    (q1 - 1.5 * iqr, q3 + 1.5 * iqr)
}

/// The indices (increasing) of the values strictly outside the IQR fences.
pub fn iqr_outliers(values: &[f64]) -> Vec<usize> {
    let (low, high) = iqr_fences(values);
    (0..values.len())
        .filter(|&i| values[i] < low || values[i] > high)
        .collect()
}

/// The indices (increasing) of the values with |x - mean| / std > `threshold`, std being the
/// population standard deviation (ddof = 0).
pub fn zscore_outliers(values: &[f64], threshold: f64) -> Vec<usize> {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    (0..values.len())
        .filter(|&i| (values[i] - mean).abs() / std > threshold)
        .collect()
}

/// Every value capped into `[low, high]` (low <= high), in the same order.
pub fn clip(values: &[f64], low: f64, high: f64) -> Vec<f64> {
    values.iter().map(|x| x.clamp(low, high)).collect()
}
