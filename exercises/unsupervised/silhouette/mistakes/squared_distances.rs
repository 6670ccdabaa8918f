//! mistake: squared Euclidean distances (as k-means uses), not distances
//! fails: small_case, iris_species
//! message: "squared distances"

// unsupervised/silhouette: the silhouette score by hand.

use ndarray::Array2;

/// The mean silhouette of the clustering `labels` (one per row of `x`, any numbers, at least
/// two distinct ones), with Euclidean distances; a point alone in its cluster scores 0.
pub fn silhouette(x: &Array2<f64>, labels: &[usize]) -> f64 {
    let mut distinct: Vec<usize> = labels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let cluster: Vec<usize> = labels
        .iter()
        .map(|l| distinct.binary_search(l).expect("collected"))
        .collect();
    let n = x.nrows();
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0; distinct.len()];
        let mut counts = vec![0usize; distinct.len()];
        for j in 0..n {
            counts[cluster[j]] += 1;
            if j != i {
                let d: f64 = x
                    .row(i)
                    .iter()
                    .zip(x.row(j).iter())
                    .map(|(u, v)| (u - v) * (u - v))
                    .sum();
                sums[cluster[j]] += d;
            }
        }
        let own = cluster[i];
        if counts[own] == 1 {
            continue; // s(i) = 0 for a singleton
        }
        let a = sums[own] / (counts[own] - 1) as f64;
        let b = (0..distinct.len())
            .filter(|&c| c != own)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        total += (b - a) / a.max(b);
    }
    total / n as f64
}
