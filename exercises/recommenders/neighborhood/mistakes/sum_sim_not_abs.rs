//! mistake: divides by Σ sim instead of Σ |sim|
//! fails: weighted_deviation
//! message: "instead of Σ |sim|"

// recommenders/neighborhood: user-based and item-based collaborative filtering with mean-centring.
// `learnml show recommenders/neighborhood` shows the full statement; `learnml check recommenders/neighborhood` grades this file.

use ndarray::Array2;

// `r` below is a rating matrix: rows x columns, NaN where the row did not rate the column.
// User-based: users x items; item-based: its transpose, items x users.

/// The mean of each row over its rated (non-NaN) entries (every row here has a rating).
pub fn row_means(r: &Array2<f64>) -> Vec<f64> {
    r.rows()
        .into_iter()
        .map(|row| {
            let rated: Vec<f64> = row.iter().copied().filter(|x| !x.is_nan()).collect();
            rated.iter().sum::<f64>() / rated.len() as f64
        })
        .collect()
}

/// Mean-centred cosine similarity of rows a and b over their co-rated columns c:
/// Σ (r_ac − m_a)(r_bc − m_b) / (√Σ (r_ac − m_a)² · √Σ (r_bc − m_b)²), where m = `means`
/// (each row's mean over ALL its ratings). 0 when nothing is co-rated or a norm is 0.
pub fn similarity(r: &Array2<f64>, means: &[f64], a: usize, b: usize) -> f64 {
    let (mut dot, mut norm_a, mut norm_b) = (0.0, 0.0, 0.0);
    for (&x, &y) in r.row(a).iter().zip(r.row(b)) {
        if x.is_nan() || y.is_nan() {
            continue;
        }
        let (p, q) = (x - means[a], y - means[b]);
        dot += p * q;
        norm_a += p * p;
        norm_b += q * q;
    }
    if norm_a > 0.0 && norm_b > 0.0 {
        dot / (norm_a.sqrt() * norm_b.sqrt())
    } else {
        0.0
    }
}

/// Resnick's weighted deviation: `mean` + Σ sim · (r − m) / Σ |sim| over `neighbours`, each
/// given as (sim, its rating, its mean); `mean` alone when there is none or Σ |sim| = 0.
pub fn predict_from_neighbours(mean: f64, neighbours: &[(f64, f64, f64)]) -> f64 {
    let num: f64 = neighbours.iter().map(|&(s, r, m)| s * (r - m)).sum();
    let den: f64 = neighbours.iter().map(|&(s, _, _)| s).sum();
    if den != 0.0 { mean + num / den } else { mean }
}

/// The prediction for row u, column i: among the rows v ≠ u that rated column i with
/// similarity(u, v) > 0, the k most similar (a tie goes to the smaller index), combined with
/// `predict_from_neighbours(means[u], ..)` and clipped to [1, 5]; means[u] when none qualifies.
pub fn predict(r: &Array2<f64>, means: &[f64], u: usize, i: usize, k: usize) -> f64 {
    let mut candidates: Vec<(f64, usize)> = (0..r.nrows())
        .filter(|&v| v != u && !r[[v, i]].is_nan())
        .map(|v| (similarity(r, means, u, v), v))
        .filter(|&(s, _)| s > 0.0)
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let neighbours: Vec<(f64, f64, f64)> = candidates
        .iter()
        .take(k)
        .map(|&(s, v)| (s, r[[v, i]], means[v]))
        .collect();
    predict_from_neighbours(means[u], &neighbours).clamp(1.0, 5.0)
}
