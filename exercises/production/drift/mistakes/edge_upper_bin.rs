//! mistake: puts a value equal to an edge in the upper bin (counts edges <= v)
//! fails: psi
//! message: "lower bin"

// production/drift: PSI, two-sample Kolmogorov-Smirnov, and a sliding-window drift alert.
// `learnml show production/drift` shows the full statement; `learnml check production/drift` grades this file.

/// The 9 inner decile edges of `reference` (q = 0.1, 0.2, ..., 0.9), by numpy's default linear
/// interpolation: sort the values, h = (n - 1) q, edge = v[floor(h)] + (h - floor(h)) *
/// (v[floor(h) + 1] - v[floor(h)]) (in this form it is exact when the two values are equal).
/// Returns 9 non-decreasing values.
pub fn decile_edges(reference: &[f64]) -> Vec<f64> {
    let mut v = reference.to_vec();
    v.sort_by(f64::total_cmp);
    (1..10)
        .map(|k| {
            let h = (v.len() - 1) as f64 * k as f64 / 10.0;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        })
        .collect()
}

/// The share of `values` in each of the 10 bins cut by `edges` (9 edges, outer bins open): a
/// value goes to bin b = the number of edges strictly below it, so a value equal to an edge
/// falls in the lower bin. Each share is floored at 1e-4.
fn shares(values: &[f64], edges: &[f64]) -> Vec<f64> {
    let mut counts = vec![0.0; edges.len() + 1];
    for &v in values {
        counts[edges.iter().filter(|&&e| e <= v).count()] += 1.0;
    }
    counts
        .iter()
        .map(|c| (c / values.len() as f64).max(1e-4))
        .collect()
}

/// Population stability index of `current` against `reference`: 10 bins from the REFERENCE's
/// deciles, shares e (reference) and a (current) floored at 1e-4, PSI = Σ (a - e) ln(a / e).
pub fn psi(reference: &[f64], current: &[f64]) -> f64 {
    let edges = decile_edges(reference);
    let e = shares(reference, &edges);
    let a = shares(current, &edges);
    a.iter().zip(&e).map(|(a, e)| (a - e) * (a / e).ln()).sum()
}

/// The two-sample Kolmogorov-Smirnov statistic: D = max over every value of both samples of
/// |F_ref(t) - F_cur(t)|, with right-continuous empirical CDFs F(t) = #{x <= t} / n.
pub fn ks_statistic(reference: &[f64], current: &[f64]) -> f64 {
    let ecdf = |sample: &[f64], t: f64| {
        sample.iter().filter(|&&x| x <= t).count() as f64 / sample.len() as f64
    };
    reference
        .iter()
        .chain(current)
        .map(|&t| (ecdf(reference, t) - ecdf(current, t)).abs())
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
    let critical = ks_critical(reference.len(), w);
    (0..)
        .map(|k| k * s)
        .take_while(|&start| start + w <= stream.len())
        .find(|&start| ks_statistic(reference, &stream[start..start + w]) > critical)
}
