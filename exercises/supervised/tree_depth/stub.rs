// supervised/tree_depth: a decision tree (linfa-trees), its depth, and the over-fitting it buys.
// `learnml show supervised/tree_depth` shows the full statement; `learnml check supervised/tree_depth` grades this file.

use ndarray::Array2;

/// A fitted decision tree.
pub struct Tree {
    // Your fields here.
}

/// Fit a Gini decision tree of at most `max_depth` levels (`None`: grow until the leaves are
/// pure) on `x` (n x p) and class indices `y`.
pub fn train(x: &Array2<f64>, y: &[usize], max_depth: Option<usize>) -> Tree {
    let _ = (x, y, max_depth);
    todo!("DecisionTree::params().max_depth(max_depth).fit(&dataset)")
}

impl Tree {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let _ = x;
        todo!("predict with the fitted tree")
    }

    /// The depth the fitted tree reached: the root is at depth 0, so a single split (a
    /// "stump") has depth 1.
    pub fn depth(&self) -> usize {
        todo!("ask the fitted tree")
    }
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
    let _ = (x_train, y_train, x_val, y_val, depths);
    todo!("one (train accuracy, validation accuracy) pair per depth")
}
