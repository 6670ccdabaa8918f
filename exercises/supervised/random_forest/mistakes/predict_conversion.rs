//! mistake: converts the new rows in the predictors with column_major true, unlike dense() used for training
//! fails: tree_held_out, forest_held_out
//! message: "scrambled"

// supervised/random_forest: a random forest (smartcore) against a single decision tree.

use ndarray::Array2;
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_classifier::DecisionTreeClassifier;

/// A fitted model, as a function from feature rows to one class per row.
pub type Predictor = Box<dyn Fn(&Array2<f64>) -> Vec<u32>>;

/// The same matrix as a smartcore `DenseMatrix` (n x p, entry (i, j) = x[[i, j]]).
pub fn dense(x: &Array2<f64>) -> DenseMatrix<f64> {
    // `x.iter()` walks in logical row-major order whatever the memory layout; `false` tells
    // smartcore the values are row-major, not column-major.
    DenseMatrix::new(x.nrows(), x.ncols(), x.iter().copied().collect(), false)
        .expect("the shape matches the values")
}

/// A single smartcore `DecisionTreeClassifier` (default parameters: Gini, unlimited depth).
pub fn fit_tree(x: &Array2<f64>, y: &[u32]) -> Predictor {
    let tree = DecisionTreeClassifier::fit(&dense(x), &y.to_vec(), Default::default())
        .expect("the tree fits");
    Box::new(move |rows: &Array2<f64>| {
        let new = DenseMatrix::new(
            rows.nrows(),
            rows.ncols(),
            rows.iter().copied().collect(),
            true,
        )
        .expect("the shape matches the values");
        tree.predict(&new).expect("the tree predicts")
    })
}

/// A smartcore `RandomForestClassifier` of `n_trees` trees, seeded with `seed`.
pub fn fit_forest(x: &Array2<f64>, y: &[u32], n_trees: u16, seed: u64) -> Predictor {
    let parameters = RandomForestClassifierParameters::default()
        .with_n_trees(n_trees)
        .with_seed(seed);
    let forest =
        RandomForestClassifier::fit(&dense(x), &y.to_vec(), parameters).expect("the forest fits");
    Box::new(move |rows: &Array2<f64>| {
        let new = DenseMatrix::new(
            rows.nrows(),
            rows.ncols(),
            rows.iter().copied().collect(),
            true,
        )
        .expect("the shape matches the values");
        forest.predict(&new).expect("the forest predicts")
    })
}
