// unsupervised/dbscan_moons: DBSCAN (linfa-clustering) on two moons, where k-means fails.
// `learnml show unsupervised/dbscan_moons` shows the full statement; `learnml check unsupervised/dbscan_moons` grades this file.

use ndarray::Array2;

/// DBSCAN on the standardized rows of `x` (n x 2): a cluster id per row, `None` for noise.
pub fn dbscan_moons(x: &Array2<f64>) -> Vec<Option<usize>> {
    let _ = x;
    todo!("standardize, then Dbscan::params(min_points).tolerance(eps)")
}

/// k-means with k = 2 on the standardized rows of `x`: a cluster (0 or 1) per row.
pub fn kmeans_moons(x: &Array2<f64>) -> Vec<usize> {
    let _ = x;
    todo!("standardize, then KMeans with 2 clusters")
}
