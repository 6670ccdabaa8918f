// supervised/cross_validation: k-fold and stratified k-fold cross-validation, and a grid search.
// `learnml show supervised/cross_validation` shows the full statement; `learnml check supervised/cross_validation` grades this file.

use ndarray::Array2;

/// One fold: (training row indices, test row indices).
pub type Fold = (Vec<usize>, Vec<usize>);

/// k folds of the rows 0..n, in order, without shuffling (scikit-learn's `KFold`): fold i
/// tests a contiguous block; the first n % k folds hold one row more than the others. Each
/// fold trains on every row it does not test, in increasing order.
pub fn k_fold(n: usize, k: usize) -> Vec<Fold> {
    let _ = (n, k);
    todo!("contiguous test blocks of size n / k or n / k + 1")
}

/// k folds in which every class keeps its share: in each fold's test rows, class c appears
/// floor(n_c / k) or ceil(n_c / k) times. Test rows partition 0..n; training rows are the rest.
pub fn stratified_k_fold(labels: &[usize], k: usize) -> Vec<Fold> {
    let _ = (labels, k);
    todo!("deal each class's rows over the k folds")
}

/// Mean test accuracy over `folds` of a linfa-trees `DecisionTree` of `max_depth`, each tree
/// fitted on its fold's training rows only.
pub fn cv_accuracy(x: &Array2<f64>, y: &[usize], folds: &[Fold], max_depth: usize) -> f64 {
    let _ = (x, y, folds, max_depth);
    todo!("fit on each fold's training rows, score its test rows, average")
}

/// Grid search over `depths` with 5 stratified folds: the cross-validated accuracy of each
/// depth (in the order of `depths`) and the best depth (the smallest on a tie).
pub fn grid_search(x: &Array2<f64>, y: &[usize], depths: &[usize]) -> (usize, Vec<f64>) {
    let _ = (x, y, depths);
    todo!("cv_accuracy for each depth with stratified_k_fold(y, 5)")
}
