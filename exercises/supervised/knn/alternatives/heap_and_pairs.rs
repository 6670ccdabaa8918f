//! alternative: sorts (distance, index) pairs with sort_unstable_by (the index breaks ties explicitly), votes in a BTreeMap, choose_k with max_by over (accuracy, Reverse(k)); the k-d tree's (point, index) pairs read by reference

// supervised/knn: k-nearest neighbours from scratch (and with linfa-nn), k chosen on validation.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use learnml_kit::split::{pick, rows, train_test};
use linfa_nn::distance::L2Dist;
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array2, ArrayView1};

/// Indices of the `k` rows of `x_train` nearest to `point` (Euclidean distance), nearest
/// first; rows at equal distance keep their order (lower index first).
pub fn nearest(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = x_train
        .outer_iter()
        .enumerate()
        .map(|(i, row)| ((&row - &point).mapv(|d| d * d).sum().sqrt(), i))
        .collect();
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    pairs.into_iter().take(k).map(|(_, i)| i).collect()
}

/// The same `k` nearest rows found by linfa-nn (a k-d tree with `L2Dist`), nearest first.
pub fn nearest_linfa(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let index = CommonNearestNeighbour::KdTree
        .from_batch(x_train, L2Dist)
        .unwrap();
    let found = index.k_nearest(point, k).unwrap();
    found.iter().map(|&(_, i)| i).collect()
}

/// For each row of `x`, the majority class among its `k` nearest training rows (`nearest`).
/// A tied vote goes to the smallest class index.
pub fn predict(x_train: &Array2<f64>, y_train: &[usize], x: &Array2<f64>, k: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(x.nrows());
    for row in x.outer_iter() {
        let mut votes: BTreeMap<usize, usize> = BTreeMap::new();
        for i in nearest(x_train, row, k) {
            *votes.entry(y_train[i]).or_default() += 1;
        }
        // Largest count, then the smallest class: BTreeMap iterates classes in order.
        let class = votes
            .iter()
            .max_by_key(|&(&c, &v)| (v, Reverse(c)))
            .map_or(0, |(&c, _)| c);
        out.push(class);
    }
    out
}

/// Choose k among `candidates` on a validation split: split the rows of (x, y) with
/// `learnml_kit::split::train_test(n, 0.3, 0)` into (fit, validation), predict the
/// validation rows from the fit rows, and return the k with the highest validation accuracy
/// (the smallest such k on a tie).
pub fn choose_k(x: &Array2<f64>, y: &[usize], candidates: &[usize]) -> usize {
    let (fit, validation) = train_test(x.nrows(), 0.3, 0);
    let (x_fit, y_fit) = (rows(x, &fit), pick(y, &fit));
    let (x_val, y_val) = (rows(x, &validation), pick(y, &validation));
    candidates
        .iter()
        .map(|&k| {
            let right = predict(&x_fit, &y_fit, &x_val, k)
                .iter()
                .zip(&y_val)
                .filter(|(p, t)| p == t)
                .count();
            (right, Reverse(k))
        })
        .max()
        .map(|(_, Reverse(k))| k)
        .expect("at least one candidate")
}
