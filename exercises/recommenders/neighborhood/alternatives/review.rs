//! alternative: iterator sums, a fold for Resnick's formula, neighbours chosen by k passes of a max search

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
    let pairs: Vec<(f64, f64)> = r
        .row(a)
        .iter()
        .zip(r.row(b).iter())
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (x - means[a], y - means[b]))
        .collect();
    let num: f64 = pairs.iter().map(|(x, y)| x * y).sum();
    let na = pairs.iter().map(|(x, _)| x * x).sum::<f64>().sqrt();
    let nb = pairs.iter().map(|(_, y)| y * y).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        num / (na * nb)
    }
}

/// Resnick's weighted deviation: `mean` + Σ sim · (r − m) / Σ |sim| over `neighbours`, each
/// given as (sim, its rating, its mean); `mean` alone when there is none or Σ |sim| = 0.
pub fn predict_from_neighbours(mean: f64, neighbours: &[(f64, f64, f64)]) -> f64 {
    let (num, den) = neighbours.iter().fold((0.0, 0.0), |(n, d), &(s, r, m)| {
        (n + s * (r - m), d + s.abs())
    });
    if den == 0.0 { mean } else { mean + num / den }
}

/// The prediction for row u, column i: among the rows v ≠ u that rated column i with
/// similarity(u, v) > 0, the k most similar (a tie goes to the smaller index), combined with
/// `predict_from_neighbours(means[u], ..)` and clipped to [1, 5]; means[u] when none qualifies.
pub fn predict(r: &Array2<f64>, means: &[f64], u: usize, i: usize, k: usize) -> f64 {
    let mut candidates: Vec<Option<(f64, usize)>> = (0..r.nrows())
        .filter(|&v| v != u && !r[[v, i]].is_nan())
        .map(|v| (similarity(r, means, u, v), v))
        .filter(|&(s, _)| s > 0.0)
        .map(Some)
        .collect();
    let mut chosen = Vec::new();
    for _ in 0..k {
        // The largest similarity left; on a tie, the first (smaller index) wins.
        let mut best: Option<usize> = None;
        for (pos, c) in candidates.iter().enumerate() {
            if let Some((s, _)) = c {
                match best {
                    Some(b) if candidates[b].map(|x| x.0).unwrap_or(f64::MIN) >= *s => {}
                    _ => best = Some(pos),
                }
            }
        }
        let Some(b) = best else { break };
        let (s, v) = candidates[b].take().expect("a candidate");
        chosen.push((s, r[[v, i]], means[v]));
    }
    if chosen.is_empty() {
        return means[u];
    }
    predict_from_neighbours(means[u], &chosen).clamp(1.0, 5.0)
}
