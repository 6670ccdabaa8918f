//! alternative: k_fold from block boundaries, stratified folds dealt per class with the rotation restarting at fold 0 for each class (valid: each class keeps floor/ceil), cv_accuracy with a loop, grid search by an index fold

// supervised/cross_validation: k-fold and stratified k-fold cross-validation, and a grid search.

use learnml_kit::split::{pick, rows};
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

/// One fold: (training row indices, test row indices).
pub type Fold = (Vec<usize>, Vec<usize>);

/// k folds of the rows 0..n, in order, without shuffling (scikit-learn's `KFold`): fold i
/// tests a contiguous block; the first n % k folds hold one row more than the others. Each
/// fold trains on every row it does not test, in increasing order.
pub fn k_fold(n: usize, k: usize) -> Vec<Fold> {
    let (size, extra) = (n / k, n % k);
    let mut folds = Vec::new();
    let mut start = 0;
    for f in 0..k {
        let end = start + size + usize::from(f < extra);
        let test: Vec<usize> = (start..end).collect();
        let train: Vec<usize> = (0..start).chain(end..n).collect();
        folds.push((train, test));
        start = end;
    }
    folds
}

/// k folds in which every class keeps its share: in each fold's test rows, class c appears
/// floor(n_c / k) or ceil(n_c / k) times. Test rows partition 0..n; training rows are the rest.
pub fn stratified_k_fold(labels: &[usize], k: usize) -> Vec<Fold> {
    let mut fold_of = vec![0; labels.len()];
    let mut seen_per_class: Vec<usize> = Vec::new();
    for (i, &c) in labels.iter().enumerate() {
        if c >= seen_per_class.len() {
            seen_per_class.resize(c + 1, 0);
        }
        fold_of[i] = seen_per_class[c] % k;
        seen_per_class[c] += 1;
    }
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..labels.len()).partition(|&i| fold_of[i] == f);
            (train, test)
        })
        .collect()
}

/// Mean test accuracy over `folds` of a linfa-trees `DecisionTree` of `max_depth`, each tree
/// fitted on its fold's training rows only.
pub fn cv_accuracy(x: &Array2<f64>, y: &[usize], folds: &[Fold], max_depth: usize) -> f64 {
    let mut sum = 0.0;
    for (train, test) in folds {
        let targets: Array1<usize> = pick(y, train).into_iter().collect();
        let tree: DecisionTree<f64, usize> = DecisionTree::params()
            .max_depth(Some(max_depth))
            .fit(&Dataset::new(rows(x, train), targets))
            .unwrap();
        let predicted: Array1<usize> = tree.predict(&rows(x, test));
        let truth = pick(y, test);
        let hits = predicted.iter().zip(&truth).filter(|(p, t)| p == t).count();
        sum += hits as f64 / truth.len() as f64;
    }
    sum / folds.len() as f64
}

/// Grid search over `depths` with 5 stratified folds: the cross-validated accuracy of each
/// depth (in the order of `depths`) and the best depth (the smallest on a tie).
pub fn grid_search(x: &Array2<f64>, y: &[usize], depths: &[usize]) -> (usize, Vec<f64>) {
    let folds = stratified_k_fold(y, 5);
    let scores: Vec<f64> = depths
        .iter()
        .map(|&d| cv_accuracy(x, y, &folds, d))
        .collect();
    let best = (1..scores.len()).fold(0, |b, i| if scores[i] > scores[b] { i } else { b });
    (depths[best], scores)
}
