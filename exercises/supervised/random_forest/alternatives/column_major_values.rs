//! alternative: dense() lists the values column by column (x.t().iter()) and declares them column-major; the models kept in structs behind the closures; parameters built with struct-update syntax

// supervised/random_forest: a random forest (smartcore) against a single decision tree.

use ndarray::Array2;
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_classifier::{
    DecisionTreeClassifier, DecisionTreeClassifierParameters,
};

/// A fitted model, as a function from feature rows to one class per row.
pub type Predictor = Box<dyn Fn(&Array2<f64>) -> Vec<u32>>;

/// The same matrix as a smartcore `DenseMatrix` (n x p, entry (i, j) = x[[i, j]]).
pub fn dense(x: &Array2<f64>) -> DenseMatrix<f64> {
    let by_columns: Vec<f64> = x.t().iter().copied().collect();
    DenseMatrix::new(x.nrows(), x.ncols(), by_columns, true).unwrap()
}

/// A single smartcore `DecisionTreeClassifier` (default parameters: Gini, unlimited depth).
pub fn fit_tree(x: &Array2<f64>, y: &[u32]) -> Predictor {
    let parameters = DecisionTreeClassifierParameters::default();
    let tree: DecisionTreeClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>> =
        DecisionTreeClassifier::fit(&dense(x), &y.to_vec(), parameters).unwrap();
    Box::new(move |rows| tree.predict(&dense(rows)).unwrap())
}

/// A smartcore `RandomForestClassifier` of `n_trees` trees, seeded with `seed`.
pub fn fit_forest(x: &Array2<f64>, y: &[u32], n_trees: u16, seed: u64) -> Predictor {
    let parameters = RandomForestClassifierParameters {
        n_trees,
        seed,
        ..Default::default()
    };
    let forest: RandomForestClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>> =
        RandomForestClassifier::fit(&dense(x), &y.to_vec(), parameters).unwrap();
    Box::new(move |rows| forest.predict(&dense(rows)).unwrap())
}
