// unsupervised/kmeans_elbow: k-means with linfa-clustering, the elbow rule, scaling first.
// `learnml show unsupervised/kmeans_elbow` shows the full statement; `learnml check unsupervised/kmeans_elbow` grades this file.

use ndarray::Array2;

/// Total inertia (sum over points of the squared distance to their centroid) of a linfa
/// `KMeans` fit with 10 runs and the rng `Xoshiro256Plus::seed_from_u64(seed)`, one per k of `ks`.
pub fn inertia_curve(x: &Array2<f64>, ks: &[usize], seed: u64) -> Vec<f64> {
    let _ = (x, ks, seed);
    todo!("fit KMeans for each k and return inertia() * n")
}

/// The first `ks[i]` whose next step lowers inertia by a fraction less than `drop`
/// (`(inertias[i] - inertias[i + 1]) / inertias[i] < drop`), else the last k.
pub fn elbow(ks: &[usize], inertias: &[f64], drop: f64) -> usize {
    let _ = (ks, inertias, drop);
    todo!("scan the relative drops")
}

/// Standardize with `train`'s statistics, fit k-means (k = 3) on `train`, and return the
/// cluster (0..3) of each row of `test`.
pub fn wine_clusters(train: &Array2<f64>, test: &Array2<f64>) -> Vec<usize> {
    let _ = (train, test);
    todo!("LinearScaler::standard(), then KMeans with 3 clusters")
}
