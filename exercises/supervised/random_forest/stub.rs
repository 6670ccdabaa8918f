// supervised/random_forest: a random forest (smartcore) against a single decision tree.
// `learnml show supervised/random_forest` shows the full statement; `learnml check supervised/random_forest` grades this file.

use ndarray::Array2;
use smartcore::linalg::basic::matrix::DenseMatrix;

/// A fitted model, as a function from feature rows to one class per row.
pub type Predictor = Box<dyn Fn(&Array2<f64>) -> Vec<u32>>;

/// The same matrix as a smartcore `DenseMatrix` (n x p, entry (i, j) = x[[i, j]]).
pub fn dense(x: &Array2<f64>) -> DenseMatrix<f64> {
    let _ = x;
    todo!("DenseMatrix::new(rows, cols, values, column_major)")
}

/// A single smartcore `DecisionTreeClassifier` (default parameters: Gini, unlimited depth).
pub fn fit_tree(x: &Array2<f64>, y: &[u32]) -> Predictor {
    let _ = (x, y);
    todo!("DecisionTreeClassifier::fit(&dense(x), &y.to_vec(), Default::default())")
}

/// A smartcore `RandomForestClassifier` of `n_trees` trees, seeded with `seed`.
pub fn fit_forest(x: &Array2<f64>, y: &[u32], n_trees: u16, seed: u64) -> Predictor {
    let _ = (x, y, n_trees, seed);
    todo!("RandomForestClassifier::fit with RandomForestClassifierParameters")
}
