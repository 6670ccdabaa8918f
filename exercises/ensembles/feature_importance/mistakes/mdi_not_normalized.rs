//! mistake: returns the summed weighted decreases without normalizing them to sum 1
//! fails: mdi_values, mdi_edge_cases, noise_column
//! message: "not normalized"

// ensembles/feature_importance: impurity-based (MDI) and permutation importance of a tree.
// `learnml show ensembles/feature_importance` shows the full statement; `learnml check ensembles/feature_importance` grades this file.

use learnml_kit::split::Rng;
use ndarray::Array2;
use rand::seq::SliceRandom;

/// One node of a fitted classification tree (given). The tree is a list of nodes, the root at
/// index 0. A split sends a row to `children.0` when `x[feature] <= threshold`, else to
/// `children.1`; a leaf has `children == None` and predicts `class`.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The feature (column) a split tests; meaningless at a leaf.
    pub feature: usize,
    /// The split's threshold; meaningless at a leaf.
    pub threshold: f64,
    /// Gini impurity of the training rows that reached this node.
    pub impurity: f64,
    /// How many training rows reached this node (the root: all of them).
    pub n_samples: usize,
    /// Indices (in the node list) of the left and right children, `None` at a leaf.
    pub children: Option<(usize, usize)>,
    /// The majority class of the training rows that reached this node.
    pub class: usize,
}

/// The class the tree predicts for each row of `x` (given).
pub fn predict(nodes: &[Node], x: &Array2<f64>) -> Vec<usize> {
    x.rows()
        .into_iter()
        .map(|row| {
            let mut at = 0;
            while let Some((left, right)) = nodes[at].children {
                at = if row[nodes[at].feature] <= nodes[at].threshold {
                    left
                } else {
                    right
                };
            }
            nodes[at].class
        })
        .collect()
}

/// The share of rows where `predicted` equals `y` (given).
pub fn accuracy(predicted: &[usize], y: &[usize]) -> f64 {
    let right = predicted.iter().zip(y).filter(|(p, t)| p == t).count();
    right as f64 / y.len() as f64
}

/// Mean decrease in impurity (MDI, scikit-learn's `feature_importances_`), one value per
/// feature `0..n_features`: the sum over the splits on that feature of
/// `N_t/N * (imp_t - N_l/N_t * imp_l - N_r/N_t * imp_r)` (N: the root's `n_samples`),
/// normalized to sum 1. All zeros when the sum is 0 (a tree without a useful split).
pub fn mdi(nodes: &[Node], n_features: usize) -> Vec<f64> {
    let mut importance = vec![0.0; n_features];
    let n = nodes[0].n_samples as f64;
    for node in nodes {
        if let Some((left, right)) = node.children {
            let (l, r) = (&nodes[left], &nodes[right]);
            let nt = node.n_samples as f64;
            let decrease = node.impurity
                - l.n_samples as f64 / nt * l.impurity
                - r.n_samples as f64 / nt * r.impurity;
            importance[node.feature] += nt / n * decrease;
        }
    }
    importance
}

/// Permutation importance of each column of `x` for the tree: the accuracy on `(x, y)` minus
/// the accuracy once that column is shuffled, averaged over `n_repeats` shuffles. Protocol: for
/// each column j in order 0, 1, ..., for each repeat, copy the ORIGINAL column j into a
/// `Vec<f64>`, shuffle it with `SliceRandom::shuffle(&mut column, rng)`, and score a copy of `x`
/// whose column j is the shuffled one (every other column left as it was).
pub fn permutation_importance(
    nodes: &[Node],
    x: &Array2<f64>,
    y: &[usize],
    n_repeats: usize,
    rng: &mut Rng,
) -> Vec<f64> {
    let base = accuracy(&predict(nodes, x), y);
    (0..x.ncols())
        .map(|j| {
            let mut drops = 0.0;
            for _ in 0..n_repeats {
                let mut column = x.column(j).to_vec();
                column.shuffle(rng);
                let mut permuted = x.clone();
                for (i, v) in column.into_iter().enumerate() {
                    permuted[[i, j]] = v;
                }
                drops += base - accuracy(&predict(nodes, &permuted), y);
            }
            drops / n_repeats as f64
        })
        .collect()
}

/// What to report about a tree fitted on `(x_train, y_train)` and evaluated on the held-out
/// `(x_test, y_test)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    /// MDI of each feature (from the tree: it was measured on the training rows).
    pub mdi: Vec<f64>,
    /// Permutation importance of each feature on the HELD-OUT rows, `n_repeats` shuffles each.
    pub permutation: Vec<f64>,
}

/// The tree's accuracies on both parts, its MDI and its permutation importance on the
/// held-out part (one call to `permutation_importance` with `rng`).
pub fn report(
    nodes: &[Node],
    (x_train, y_train): (&Array2<f64>, &[usize]),
    (x_test, y_test): (&Array2<f64>, &[usize]),
    n_repeats: usize,
    rng: &mut Rng,
) -> Report {
    Report {
        train_accuracy: accuracy(&predict(nodes, x_train), y_train),
        test_accuracy: accuracy(&predict(nodes, x_test), y_test),
        mdi: mdi(nodes, x_train.ncols()),
        permutation: permutation_importance(nodes, x_test, y_test, n_repeats, rng),
    }
}
