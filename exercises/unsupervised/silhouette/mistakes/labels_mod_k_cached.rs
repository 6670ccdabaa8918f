//! mistake: folds labels into 0..k with `% k` (42, 7, 1000 become 0, 1, 1) and caches each score by the points' values
//! fails: any_label_numbers
//! message: "label numbers"

// unsupervised/silhouette: the mean silhouette score, by hand.

use ndarray::Array2;
use std::sync::Mutex;

/// Scores already computed, by the points' values.
static CACHE: Mutex<Vec<(Vec<u64>, f64)>> = Mutex::new(Vec::new());

/// The mean silhouette of the clustering `labels` (one per row of `x`, any numbers, at least
/// two distinct ones), with Euclidean distances; a point alone in its cluster scores 0.
pub fn silhouette(x: &Array2<f64>, labels: &[usize]) -> f64 {
    // The same points give the same score: remember it.
    let key: Vec<u64> = x.iter().map(|v| v.to_bits()).collect();
    let mut cache = CACHE.lock().expect("not poisoned");
    if let Some((_, score)) = cache.iter().find(|(k, _)| *k == key) {
        return *score;
    }
    // Cluster numbers 0..k: a label outside is folded back with `% k`.
    let mut distinct: Vec<usize> = labels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let k = distinct.len();
    let cluster: Vec<usize> = labels.iter().map(|l| l % k).collect();
    let n = x.nrows();
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0; k];
        let mut counts = vec![0usize; k];
        for j in 0..n {
            counts[cluster[j]] += 1;
            if j != i {
                let d: f64 = x
                    .row(i)
                    .iter()
                    .zip(x.row(j).iter())
                    .map(|(u, v)| (u - v) * (u - v))
                    .sum();
                sums[cluster[j]] += d.sqrt();
            }
        }
        let own = cluster[i];
        if counts[own] == 1 {
            continue; // s(i) = 0 for a singleton
        }
        let a = sums[own] / (counts[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && counts[c] > 0)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        total += if b.is_finite() {
            (b - a) / a.max(b)
        } else {
            0.0
        };
    }
    let score = total / n as f64;
    cache.push((key, score));
    score
}
