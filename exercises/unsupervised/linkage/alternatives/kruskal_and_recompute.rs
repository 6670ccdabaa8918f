//! alternative: single linkage as Kruskal's spanning forest over sorted pairs, complete linkage recomputed from the points, clusters numbered by a row index

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

fn distance(x: &Array2<f64>, i: usize, j: usize) -> f64 {
    let diff = &x.row(i) - &x.row(j);
    diff.dot(&diff).sqrt()
}

/// The cluster of `i`: follow the parents to the root.
fn root(parent: &[usize], mut i: usize) -> usize {
    while parent[i] != i {
        i = parent[i];
    }
    i
}

/// Merge the closest clusters (Euclidean distance, `linkage` between clusters) from n singletons
/// until `k` remain; a cluster number per row of `x` (any numbering).
#[allow(clippy::needless_range_loop)] // index pairs (a, b) of clusters
pub fn agglomerate(x: &Array2<f64>, k: usize, linkage: Linkage) -> Vec<usize> {
    let n = x.nrows();
    let mut parent: Vec<usize> = (0..n).collect();
    match linkage {
        Linkage::Single => {
            // Single linkage is Kruskal's minimum spanning forest: join the closest pairs of
            // points, skipping pairs already in one cluster, until k clusters remain.
            let mut pairs: Vec<(f64, usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .map(|(i, j)| (distance(x, i, j), i, j))
                .collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut clusters = n;
            for (_, i, j) in pairs {
                if clusters <= k {
                    break;
                }
                let (ri, rj) = (root(&parent, i), root(&parent, j));
                if ri != rj {
                    parent[rj] = ri;
                    clusters -= 1;
                }
            }
        }
        Linkage::Complete => {
            // Recompute each cluster distance from its points: the farthest pair.
            let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
            while clusters.len() > k {
                let mut best = (0, 1, f64::INFINITY);
                for a in 0..clusters.len() {
                    for b in a + 1..clusters.len() {
                        let farthest = clusters[a]
                            .iter()
                            .flat_map(|&i| clusters[b].iter().map(move |&j| (i, j)))
                            .map(|(i, j)| distance(x, i, j))
                            .fold(0.0, f64::max);
                        if farthest < best.2 {
                            best = (a, b, farthest);
                        }
                    }
                }
                let merged = clusters.remove(best.1);
                clusters[best.0].extend(merged);
            }
            for cluster in &clusters {
                for &i in cluster {
                    parent[i] = cluster[0];
                }
            }
        }
    }
    // Any numbering will do: the root's row index.
    (0..n).map(|i| root(&parent, i)).collect()
}
