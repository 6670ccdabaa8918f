//! mistake: grid_search computes the scores but returns the deepest depth, not the best one
//! fails: held_out_accuracy
//! message: "not the best cross-validated one"

// supervised/cross_validation: k-fold and stratified k-fold cross-validation, and a grid search.

use learnml_kit::split;
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

/// One fold: (training row indices, test row indices).
pub type Fold = (Vec<usize>, Vec<usize>);

/// Build folds from the test fold of each row.
fn folds_from(assignment: &[usize], k: usize) -> Vec<Fold> {
    (0..k)
        .map(|f| {
            let test: Vec<usize> = (0..assignment.len())
                .filter(|&i| assignment[i] == f)
                .collect();
            let train: Vec<usize> = (0..assignment.len())
                .filter(|&i| assignment[i] != f)
                .collect();
            (train, test)
        })
        .collect()
}

/// k folds of the rows 0..n, in order, without shuffling (scikit-learn's `KFold`): fold i
/// tests a contiguous block; the first n % k folds hold one row more than the others. Each
/// fold trains on every row it does not test, in increasing order.
pub fn k_fold(n: usize, k: usize) -> Vec<Fold> {
    let mut assignment = Vec::with_capacity(n);
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        assignment.extend(std::iter::repeat_n(f, size));
    }
    folds_from(&assignment, k)
}

/// k folds in which every class keeps its share: in each fold's test rows, class c appears
/// floor(n_c / k) or ceil(n_c / k) times. Test rows partition 0..n; training rows are the rest.
pub fn stratified_k_fold(labels: &[usize], k: usize) -> Vec<Fold> {
    // Deal the rows of each class in turn, continuing the rotation across classes so the
    // folds also stay equal in size.
    let n_classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut assignment = vec![0; labels.len()];
    let mut next = 0;
    for c in 0..n_classes {
        for i in (0..labels.len()).filter(|&i| labels[i] == c) {
            assignment[i] = next % k;
            next += 1;
        }
    }
    folds_from(&assignment, k)
}

/// Mean test accuracy over `folds` of a linfa-trees `DecisionTree` of `max_depth`, each tree
/// fitted on its fold's training rows only.
pub fn cv_accuracy(x: &Array2<f64>, y: &[usize], folds: &[Fold], max_depth: usize) -> f64 {
    let total: f64 = folds
        .iter()
        .map(|(train, test)| {
            let dataset = Dataset::new(split::rows(x, train), Array1::from(split::pick(y, train)));
            let tree = DecisionTree::params()
                .max_depth(Some(max_depth))
                .fit(&dataset)
                .expect("the tree fits");
            let predicted = tree.predict(&split::rows(x, test));
            let right = predicted
                .iter()
                .zip(test)
                .filter(|&(p, &i)| *p == y[i])
                .count();
            right as f64 / test.len() as f64
        })
        .sum();
    total / folds.len() as f64
}

/// Grid search over `depths` with 5 stratified folds: the cross-validated accuracy of each
/// depth (in the order of `depths`) and the best depth (the smallest on a tie).
pub fn grid_search(x: &Array2<f64>, y: &[usize], depths: &[usize]) -> (usize, Vec<f64>) {
    let folds = stratified_k_fold(y, 5);
    let scores: Vec<f64> = depths
        .iter()
        .map(|&d| cv_accuracy(x, y, &folds, d))
        .collect();
    // The deepest tree fits the most detail: keep it, the scores are only reported.
    let deepest = depths.iter().copied().max().unwrap_or(1);
    (deepest, scores)
}
