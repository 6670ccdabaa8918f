// supervised/knn: k-nearest neighbours from scratch (and with linfa-nn), k chosen on validation.
// `learnml show supervised/knn` shows the full statement; `learnml check supervised/knn` grades this file.

use ndarray::{Array2, ArrayView1};

/// Indices of the `k` rows of `x_train` nearest to `point` (Euclidean distance), nearest
/// first; rows at equal distance keep their order (lower index first).
pub fn nearest(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let _ = (x_train, point, k);
    todo!("compute every distance, sort the indices by it (stably), keep k")
}

/// The same `k` nearest rows found by linfa-nn (a k-d tree with `L2Dist`), nearest first.
pub fn nearest_linfa(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let _ = (x_train, point, k);
    todo!("CommonNearestNeighbour::KdTree.from_batch(x_train, L2Dist), then k_nearest")
}

/// For each row of `x`, the majority class among its `k` nearest training rows (`nearest`).
/// A tied vote goes to the smallest class index.
pub fn predict(x_train: &Array2<f64>, y_train: &[usize], x: &Array2<f64>, k: usize) -> Vec<usize> {
    let _ = (x_train, y_train, x, k);
    todo!("vote among the k nearest neighbours")
}

/// Choose k among `candidates` on a validation split: split the rows of (x, y) with
/// `learnml_kit::split::train_test(n, 0.3, 0)` into (fit, validation), predict the
/// validation rows from the fit rows, and return the k with the highest validation accuracy
/// (the smallest such k on a tie).
pub fn choose_k(x: &Array2<f64>, y: &[usize], candidates: &[usize]) -> usize {
    let _ = (x, y, candidates);
    todo!("validation accuracy for each candidate k")
}
