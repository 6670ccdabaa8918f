// unsupervised/kmeans_lloyd: k-means by hand (Lloyd's algorithm) with a seeded start.
// `learnml show unsupervised/kmeans_lloyd` shows the full statement; `learnml check unsupervised/kmeans_lloyd` grades this file.

use ndarray::Array2;

/// The result of k-means.
#[derive(Debug, Clone)]
pub struct KMeansFit {
    /// One centroid per row: shape (k, d).
    pub centroids: Array2<f64>,
    /// The nearest centroid of each row of `x` (0..k), against `centroids`.
    pub labels: Vec<usize>,
    /// Iterations done (assign + update), 0 when `max_iter` is 0.
    pub n_iter: usize,
}

/// Lloyd's algorithm on `x` (n rows, d columns) with `k` clusters, started at the rows
/// `learnml_kit::split::shuffled(n, seed)[..k]`, stopping after `max_iter` iterations or when no
/// centroid moves by more than `tol`.
pub fn lloyd(x: &Array2<f64>, k: usize, seed: u64, max_iter: usize, tol: f64) -> KMeansFit {
    let _ = (x, k, seed, max_iter, tol);
    todo!("seeded start, then assign / update until the centroids stop moving")
}
