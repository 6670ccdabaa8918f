//! alternative: explicit Gini criterion and DecisionTreeParams, predictions through Predict on an ArrayView, the curve built with a for loop and a counting closure

// supervised/tree_depth: a decision tree (linfa-trees), its depth, and the over-fitting it buys.

use linfa::Dataset;
use linfa::traits::{Fit, Predict};
use linfa_trees::{DecisionTree, DecisionTreeParams, SplitQuality};
use ndarray::{Array1, Array2};

/// A fitted decision tree.
pub struct Tree {
    model: DecisionTree<f64, usize>,
}

/// Fit a Gini decision tree of at most `max_depth` levels (`None`: grow until the leaves are
/// pure) on `x` (n x p) and class indices `y`.
pub fn train(x: &Array2<f64>, y: &[usize], max_depth: Option<usize>) -> Tree {
    let params: DecisionTreeParams<f64, usize> = DecisionTree::params()
        .split_quality(SplitQuality::Gini)
        .max_depth(max_depth);
    let targets: Array1<usize> = y.iter().copied().collect();
    let model = params.fit(&Dataset::new(x.to_owned(), targets)).unwrap();
    Tree { model }
}

impl Tree {
    /// One class per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let predicted: Array1<usize> = self.model.predict(&x.view());
        predicted.into_raw_vec_and_offset().0
    }

    /// The depth the fitted tree reached: the root is at depth 0, so a single split (a
    /// "stump") has depth 1.
    pub fn depth(&self) -> usize {
        self.model.max_depth()
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
    let score = |tree: &Tree, x: &Array2<f64>, y: &[usize]| {
        let hits = tree
            .predict(x)
            .iter()
            .zip(y)
            .filter(|(p, t)| p == t)
            .count();
        hits as f64 / y.len() as f64
    };
    let mut curve = Vec::new();
    for &depth in depths {
        let tree = train(x_train, y_train, Some(depth));
        curve.push((score(&tree, x_train, y_train), score(&tree, x_val, y_val)));
    }
    curve
}
