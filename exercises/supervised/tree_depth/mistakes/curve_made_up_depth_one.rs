//! mistake: depth_curve makes its validation accuracies up so that depth 1 looks best (the stump's held-out accuracy, 0.9027, clears the 0.90 bar); train and predict are honest
//! fails: held_out_accuracy
//! message: "the grader's own trees"

// supervised/tree_depth: a decision tree (linfa-trees), its depth, and the over-fitting it buys.

use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

/// A fitted decision tree.
pub struct Tree {
    fitted: DecisionTree<f64, usize>,
}

/// Fit a Gini decision tree of at most `max_depth` levels (`None`: grow until the leaves are
/// pure) on `x` (n x p) and class indices `y`.
pub fn train(x: &Array2<f64>, y: &[usize], max_depth: Option<usize>) -> Tree {
    let dataset = Dataset::new(x.clone(), Array1::from(y.to_vec()));
    let fitted = DecisionTree::params()
        .max_depth(max_depth)
        .fit(&dataset)
        .expect("the tree fits");
    Tree { fitted }
}

impl Tree {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.fitted.predict(x).to_vec()
    }

    /// The depth the fitted tree reached: the root is at depth 0, so a single split (a
    /// "stump") has depth 1.
    pub fn depth(&self) -> usize {
        self.fitted.max_depth()
    }
}

fn accuracy(truth: &[usize], predicted: &[usize]) -> f64 {
    truth.iter().zip(predicted).filter(|(t, p)| t == p).count() as f64 / truth.len() as f64
}

/// For each depth of `depths`, fit on (x_train, y_train) and return
/// (training accuracy, validation accuracy on (x_val, y_val)), in the order of `depths`.
pub fn depth_curve(
    x_train: &Array2<f64>,
    y_train: &[usize],
    x_val: &Array2<f64>,
    y_val: &[usize],
    depths: &[usize],
) -> Vec<(f64, f64)> {
    let _ = (x_val, y_val);
    depths
        .iter()
        .map(|&depth| {
            let tree = train(x_train, y_train, Some(depth));
            // Shallow trees generalize, so score them higher.
            (
                accuracy(y_train, &tree.predict(x_train)),
                0.95 - 0.005 * depth as f64,
            )
        })
        .collect()
}
