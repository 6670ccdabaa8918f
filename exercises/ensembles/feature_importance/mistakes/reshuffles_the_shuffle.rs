//! mistake: copies the column once and shuffles that copy again at every repeat
//! fails: permutation_values, noise_column
//! message: "shuffled the previous repeat's shuffle"

// ensembles/feature_importance: impurity-based (MDI) and permutation importance of a tree.
// `learnml show ensembles/feature_importance` shows the full statement; `learnml check ensembles/feature_importance` grades this file.

use learnml_kit::split::Rng;
use ndarray::Array2;
use rand::seq::SliceRandom; // `column.shuffle(rng)`

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

/// MDI by a walk from the root (an explicit stack).
pub fn mdi(nodes: &[Node], n_features: usize) -> Vec<f64> {
    let mut imp = vec![0.0; n_features];
    let total = nodes[0].n_samples as f64;
    let mut stack = vec![0usize];
    while let Some(t) = stack.pop() {
        let node = &nodes[t];
        if let Some((l, r)) = node.children {
            let (nl, nr) = (&nodes[l], &nodes[r]);
            let weighted = node.n_samples as f64 * node.impurity
                - nl.n_samples as f64 * nl.impurity
                - nr.n_samples as f64 * nr.impurity;
            imp[node.feature] += weighted / total;
            stack.push(r);
            stack.push(l);
        }
    }
    let sum: f64 = imp.iter().sum();
    if sum > 0.0 {
        imp.iter_mut().for_each(|v| *v /= sum);
    }
    imp
}

/// Permutation importance of each column of `x` (see the statement's protocol).
pub fn permutation_importance(
    nodes: &[Node],
    x: &Array2<f64>,
    y: &[usize],
    n_repeats: usize,
    rng: &mut Rng,
) -> Vec<f64> {
    let base = accuracy(&predict(nodes, x), y);
    let mut out = Vec::with_capacity(x.ncols());
    for j in 0..x.ncols() {
        let mut drops = 0.0;
        let mut column = x.column(j).to_vec();
        for _ in 0..n_repeats {
            column.shuffle(rng);
            let mut shuffled = x.clone();
            shuffled
                .column_mut(j)
                .iter_mut()
                .zip(&column)
                .for_each(|(a, b)| *a = *b);
            drops += base - accuracy(&predict(nodes, &shuffled), y);
        }
        out.push(drops / n_repeats as f64);
    }
    out
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
/// held-out part.
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
