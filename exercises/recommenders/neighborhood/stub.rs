// recommenders/neighborhood: user-based and item-based collaborative filtering with mean-centring.
// `learnml show recommenders/neighborhood` shows the full statement; `learnml check recommenders/neighborhood` grades this file.

use ndarray::Array2;

// `r` below is a rating matrix: rows x columns, NaN where the row did not rate the column.
// User-based: users x items; item-based: its transpose, items x users.

/// The mean of each row over its rated (non-NaN) entries (every row here has a rating).
pub fn row_means(r: &Array2<f64>) -> Vec<f64> {
    let _ = r;
    todo!("skip the NaN entries of each row")
}

/// Mean-centred cosine similarity of rows a and b over their co-rated columns c:
/// Σ (r_ac − m_a)(r_bc − m_b) / (√Σ (r_ac − m_a)² · √Σ (r_bc − m_b)²), where m = `means`
/// (each row's mean over ALL its ratings). 0 when nothing is co-rated or a norm is 0.
pub fn similarity(r: &Array2<f64>, means: &[f64], a: usize, b: usize) -> f64 {
    let _ = (r, means, a, b);
    todo!("centre with `means`, then the cosine over co-rated columns")
}

/// Resnick's weighted deviation: `mean` + Σ sim · (r − m) / Σ |sim| over `neighbours`, each
/// given as (sim, its rating, its mean); `mean` alone when there is none or Σ |sim| = 0.
pub fn predict_from_neighbours(mean: f64, neighbours: &[(f64, f64, f64)]) -> f64 {
    let _ = (mean, neighbours);
    todo!("mean + Σ sim (r − m) / Σ |sim|")
}

/// The prediction for row u, column i: among the rows v ≠ u that rated column i with
/// similarity(u, v) > 0, the k most similar (a tie goes to the smaller index), combined with
/// `predict_from_neighbours(means[u], ..)` and clipped to [1, 5]; means[u] when none qualifies.
pub fn predict(r: &Array2<f64>, means: &[f64], u: usize, i: usize, k: usize) -> f64 {
    let _ = (r, means, u, i, k);
    todo!("rows v ≠ u that rated i, sim > 0, the k most similar")
}
