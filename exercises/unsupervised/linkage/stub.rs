// unsupervised/linkage: agglomerative clustering by hand, single vs complete linkage.
// `learnml show unsupervised/linkage` shows the full statement; `learnml check unsupervised/linkage` grades this file.

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
    let _ = (x, k, linkage);
    todo!("merge the closest pair of clusters until k remain")
}
