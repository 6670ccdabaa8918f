//! alternative: numpy's own two-sided lerp for the edges, partition_point for bins and ECDFs, iterator windows

// production/drift: PSI, two-sample Kolmogorov-Smirnov, and a sliding-window drift alert.
// `learnml show production/drift` shows the full statement; `learnml check production/drift` grades this file.

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The 9 inner decile edges of `reference` (q = 0.1, 0.2, ..., 0.9), by numpy's default linear
/// interpolation: sort the values, h = (n - 1) q, edge = v[floor(h)] + (h - floor(h)) *
/// (v[floor(h) + 1] - v[floor(h)]) (in this form it is exact when the two values are equal).
/// Returns 9 non-decreasing values.
pub fn decile_edges(reference: &[f64]) -> Vec<f64> {
    let v = sorted(reference);
    let n = v.len();
    (1..=9)
        .map(|k| {
            let h = (n - 1) as f64 * (k as f64 / 10.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let t = h - lo as f64;
            let (a, b) = (v[lo], v[hi]);
            // numpy's _lerp: from the nearer end, so that t = 1 gives b exactly
            if t >= 0.5 {
                b - (b - a) * (1.0 - t)
            } else {
                a + (b - a) * t
            }
        })
        .collect()
}

/// Population stability index of `current` against `reference`: 10 bins from the REFERENCE's
/// deciles, shares e (reference) and a (current) floored at 1e-4, PSI = Σ (a - e) ln(a / e).
pub fn psi(reference: &[f64], current: &[f64]) -> f64 {
    let edges = decile_edges(reference);
    let shares = |sample: &[f64]| -> Vec<f64> {
        let mut counts = [0usize; 10];
        for &x in sample {
            counts[edges.partition_point(|&e| e < x)] += 1;
        }
        counts
            .iter()
            .map(|&c| (c as f64 / sample.len() as f64).max(1e-4))
            .collect()
    };
    let e = shares(reference);
    let a = shares(current);
    e.iter()
        .zip(&a)
        .map(|(&e, &a)| (a - e) * (a / e).ln())
        .sum()
}

/// The two-sample Kolmogorov-Smirnov statistic: D = max over every value of both samples of
/// |F_ref(t) - F_cur(t)|, with right-continuous empirical CDFs F(t) = #{x <= t} / n.
pub fn ks_statistic(reference: &[f64], current: &[f64]) -> f64 {
    let r = sorted(reference);
    let c = sorted(current);
    let ecdf = |v: &[f64], t: f64| v.partition_point(|&x| x <= t) as f64 / v.len() as f64;
    r.iter()
        .chain(&c)
        .map(|&t| (ecdf(&r, t) - ecdf(&c, t)).abs())
        .fold(0.0, f64::max)
}

/// The KS critical value at alpha = 0.05 for samples of sizes n and m:
/// 1.358 sqrt((n + m) / (n m)).
pub fn ks_critical(n: usize, m: usize) -> f64 {
    let (n, m) = (n as f64, m as f64);
    1.358 * ((n + m) / (n * m)).sqrt()
}

/// Slide a window of `w` values over `stream`, starting at 0 and stepping by `s` (every window
/// that fits entirely: start + w <= stream.len()). Returns the start of the first window whose
/// KS statistic against `reference` exceeds `ks_critical(reference.len(), w)`, or None.
pub fn first_alert(reference: &[f64], stream: &[f64], w: usize, s: usize) -> Option<usize> {
    let last = stream.len().checked_sub(w)?;
    let critical = ks_critical(reference.len(), w);
    (0..=last)
        .step_by(s)
        .find(|&start| ks_statistic(reference, &stream[start..start + w]) > critical)
}
