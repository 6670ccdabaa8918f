//! alternative: quantile as a weighted mean of the two neighbours, one-pass (Welford) z-scores, clip with max/min, outliers by enumerate

// preprocessing/outliers: the IQR and z-score rules, and clipping.
// `learnml next` shows the full statement; `learnml check` grades this file.

/// The `q`-quantile (0 <= q <= 1) of `values` (any order, at least one value) by linear
/// interpolation: numpy's default, type 7 of Hyndman & Fan, with h = (n - 1) q on the sorted
/// values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let h = (v.len() - 1) as f64 * q;
    let below = h.floor() as usize;
    if below + 1 >= v.len() {
        return v[below];
    }
    let weight = h - below as f64;
    (1.0 - weight) * v[below] + weight * v[below + 1]
}

/// Tukey's fences `(Q1 - 1.5 IQR, Q3 + 1.5 IQR)`, with IQR = Q3 - Q1.
pub fn iqr_fences(values: &[f64]) -> (f64, f64) {
    let (q1, q3) = (quantile(values, 0.25), quantile(values, 0.75));
    let reach = 1.5 * (q3 - q1);
    (q1 - reach, q3 + reach)
}

/// The indices (increasing) of the values strictly outside the IQR fences.
pub fn iqr_outliers(values: &[f64]) -> Vec<usize> {
    let (low, high) = iqr_fences(values);
    values
        .iter()
        .enumerate()
        .filter(|&(_, &x)| !(low..=high).contains(&x))
        .map(|(i, _)| i)
        .collect()
}

/// The indices (increasing) of the values with |x - mean| / std > `threshold`, std being the
/// population standard deviation (ddof = 0).
pub fn zscore_outliers(values: &[f64], threshold: f64) -> Vec<usize> {
    // Welford's one-pass mean and sum of squared deviations.
    let (mut mean, mut m2) = (0.0, 0.0);
    for (k, &x) in values.iter().enumerate() {
        let delta = x - mean;
        mean += delta / (k + 1) as f64;
        m2 += delta * (x - mean);
    }
    let std = (m2 / values.len() as f64).sqrt();
    values
        .iter()
        .enumerate()
        .filter(|&(_, &x)| ((x - mean) / std).abs() > threshold)
        .map(|(i, _)| i)
        .collect()
}

/// Every value capped into `[low, high]` (low <= high), in the same order.
pub fn clip(values: &[f64], low: f64, high: f64) -> Vec<f64> {
    values.iter().map(|&x| x.max(low).min(high)).collect()
}
