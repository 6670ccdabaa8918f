//! mistake: updates the merged cluster's distances with the average of the two, whatever the linkage
//! fails: small_single
//! message: "average linkage"

// unsupervised/linkage: agglomerative clustering with single and complete linkage.

use ndarray::Array2;

/// How the distance between two clusters is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linkage {
    /// The distance of the closest pair of points, one in each cluster.
    Single,
    /// The distance of the farthest pair of points, one in each cluster.
    Complete,
}

/// Merge the closest clusters (Euclidean distance, `linkage` between clusters) from n singletons
/// until `k` remain; a cluster number per row of `x` (any numbering).
pub fn agglomerate(x: &Array2<f64>, k: usize, linkage: Linkage) -> Vec<usize> {
    let n = x.nrows();
    let mut d = Array2::from_shape_fn((n, n), |(i, j)| {
        x.row(i)
            .iter()
            .zip(x.row(j).iter())
            .map(|(u, v)| (u - v) * (u - v))
            .sum::<f64>()
            .sqrt()
    });
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut active: Vec<bool> = vec![true; n];
    for _ in 0..n.saturating_sub(k) {
        let mut best = (0, 0, f64::INFINITY);
        for a in (0..n).filter(|&a| active[a]) {
            for b in (a + 1..n).filter(|&b| active[b]) {
                if d[[a, b]] < best.2 {
                    best = (a, b, d[[a, b]]);
                }
            }
        }
        let (a, b, _) = best;
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        active[b] = false;
        for c in (0..n).filter(|&c| active[c] && c != a) {
            // Halfway between the two merged clusters' distances.
            let _ = linkage;
            let merged = (d[[a, c]] + d[[b, c]]) / 2.0;
            d[[a, c]] = merged;
            d[[c, a]] = merged;
        }
    }
    let mut labels = vec![0; n];
    for (number, cluster) in members.iter().filter(|m| !m.is_empty()).enumerate() {
        for &i in cluster {
            labels[i] = number;
        }
    }
    labels
}
