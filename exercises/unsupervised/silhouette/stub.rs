// unsupervised/silhouette: the mean silhouette score of a clustering, by hand.
// `learnml show unsupervised/silhouette` shows the full statement; `learnml check unsupervised/silhouette` grades this file.

use ndarray::Array2;

/// The mean silhouette of the clustering `labels` (one per row of `x`, any numbers, at least
/// two distinct ones), with Euclidean distances; a point alone in its cluster scores 0.
pub fn silhouette(x: &Array2<f64>, labels: &[usize]) -> f64 {
    let _ = (x, labels);
    todo!("a(i), b(i) and s(i) for every point, then the mean")
}
