//! mistake: choose_k scores the candidates but returns the largest k instead of the best one
//! fails: held_out_accuracy
//! message: "not chosen on the validation split"

// supervised/knn: k-nearest neighbours from scratch (and with linfa-nn), k chosen on validation.

use learnml_kit::split;
use linfa_nn::distance::L2Dist;
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array2, ArrayView1};

/// Indices of the `k` rows of `x_train` nearest to `point` (Euclidean distance), nearest
/// first; rows at equal distance keep their order (lower index first).
pub fn nearest(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let distances: Vec<f64> = x_train
        .rows()
        .into_iter()
        .map(|row| {
            row.iter()
                .zip(point)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
        })
        .collect();
    let mut order: Vec<usize> = (0..x_train.nrows()).collect();
    // `sort_by` is stable: equal distances keep the lower index first.
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]));
    order.truncate(k);
    order
}

/// The same `k` nearest rows found by linfa-nn (a k-d tree with `L2Dist`), nearest first.
pub fn nearest_linfa(x_train: &Array2<f64>, point: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let index = CommonNearestNeighbour::KdTree
        .from_batch(x_train, L2Dist)
        .expect("a non-empty training set");
    let found = index
        .k_nearest(point, k)
        .expect("the point has the training set's dimension");
    found.into_iter().map(|(_, i)| i).collect()
}

/// For each row of `x`, the majority class among its `k` nearest training rows (`nearest`).
/// A tied vote goes to the smallest class index.
pub fn predict(x_train: &Array2<f64>, y_train: &[usize], x: &Array2<f64>, k: usize) -> Vec<usize> {
    let n_classes = y_train.iter().max().map_or(0, |m| m + 1);
    x.rows()
        .into_iter()
        .map(|row| {
            let mut votes = vec![0usize; n_classes];
            for i in nearest(x_train, row, k) {
                votes[y_train[i]] += 1;
            }
            let most = *votes.iter().max().unwrap_or(&0);
            votes.iter().position(|&v| v == most).unwrap_or(0)
        })
        .collect()
}

/// Choose k among `candidates` on a validation split: split the rows of (x, y) with
/// `learnml_kit::split::train_test(n, 0.3, 0)` into (fit, validation), predict the
/// validation rows from the fit rows, and return the k with the highest validation accuracy
/// (the smallest such k on a tie).
pub fn choose_k(x: &Array2<f64>, y: &[usize], candidates: &[usize]) -> usize {
    let (fit, validation) = split::train_test(x.nrows(), 0.3, 0);
    let (x_fit, y_fit) = (split::rows(x, &fit), split::pick(y, &fit));
    let (x_val, y_val) = (split::rows(x, &validation), split::pick(y, &validation));
    let mut best = (candidates[0], -1.0);
    for &k in candidates {
        let predicted = predict(&x_fit, &y_fit, &x_val, k);
        let right = predicted.iter().zip(&y_val).filter(|(p, t)| p == t).count();
        let accuracy = right as f64 / y_val.len() as f64;
        if accuracy > best.1 {
            best = (k, accuracy);
        }
    }
    // Every k does well on iris: the largest smooths the most.
    let _ = best;
    candidates.iter().copied().max().unwrap_or(1)
}
