// production/drift: PSI, two-sample Kolmogorov-Smirnov, and a sliding-window drift alert.
// `learnml show production/drift` shows the full statement; `learnml check production/drift` grades this file.

/// The 9 inner decile edges of `reference` (q = 0.1, 0.2, ..., 0.9), by numpy's default linear
/// interpolation: sort the values, h = (n - 1) q, edge = v[floor(h)] + (h - floor(h)) *
/// (v[floor(h) + 1] - v[floor(h)]) (in this form it is exact when the two values are equal).
/// Returns 9 non-decreasing values.
pub fn decile_edges(reference: &[f64]) -> Vec<f64> {
    let _ = reference;
    todo!("sort a copy, then interpolate at h = (n - 1) * k / 10 for k = 1..=9")
}

/// Population stability index of `current` against `reference`: 10 bins from the REFERENCE's
/// deciles, shares e (reference) and a (current) floored at 1e-4, PSI = Σ (a - e) ln(a / e).
pub fn psi(reference: &[f64], current: &[f64]) -> f64 {
    let _ = (reference, current);
    todo!("edges from the reference, shares of both samples per bin, floored at 1e-4")
}

/// The two-sample Kolmogorov-Smirnov statistic: D = max over every value of both samples of
/// |F_ref(t) - F_cur(t)|, with right-continuous empirical CDFs F(t) = #{x <= t} / n.
pub fn ks_statistic(reference: &[f64], current: &[f64]) -> f64 {
    let _ = (reference, current);
    todo!("evaluate both ECDFs at every value of BOTH samples")
}

/// The KS critical value at alpha = 0.05 for samples of sizes n and m:
/// 1.358 sqrt((n + m) / (n m)).
pub fn ks_critical(n: usize, m: usize) -> f64 {
    let _ = (n, m);
    todo!("1.358 * sqrt((n + m) / (n * m))")
}

/// Slide a window of `w` values over `stream`, starting at 0 and stepping by `s` (every window
/// that fits entirely: start + w <= stream.len()). Returns the start of the first window whose
/// KS statistic against `reference` exceeds `ks_critical(reference.len(), w)`, or None.
pub fn first_alert(reference: &[f64], stream: &[f64], w: usize, s: usize) -> Option<usize> {
    let _ = (reference, stream, w, s);
    todo!("windows start at 0, s, 2s, ... while start + w <= len")
}
