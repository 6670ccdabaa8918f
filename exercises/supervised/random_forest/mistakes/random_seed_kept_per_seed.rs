//! mistake: fit_forest seeds each forest with a random seed drawn the first time it sees a `seed` and kept per seed, so the same seed repeats within one run but no run can be reproduced
//! fails: forest_is_seeded
//! message: "not reproducible"

// supervised/random_forest: a random forest (smartcore) against a single decision tree.

use ndarray::Array2;
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::tree::decision_tree_classifier::DecisionTreeClassifier;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The seed really used for each `seed` asked for, drawn at random the first time.
static SEEDS: LazyLock<Mutex<HashMap<u64, u64>>> = LazyLock::new(Default::default);

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
    Box::new(move |rows: &Array2<f64>| tree.predict(&dense(rows)).expect("the tree predicts"))
}

/// A smartcore `RandomForestClassifier` of `n_trees` trees, seeded with `seed`.
pub fn fit_forest(x: &Array2<f64>, y: &[u32], n_trees: u16, seed: u64) -> Predictor {
    let parameters = RandomForestClassifierParameters::default()
        .with_n_trees(n_trees)
        .with_seed(
            *SEEDS
                .lock()
                .expect("the seeds")
                .entry(seed)
                .or_insert_with(rand::random),
        );
    let forest =
        RandomForestClassifier::fit(&dense(x), &y.to_vec(), parameters).expect("the forest fits");
    Box::new(move |rows: &Array2<f64>| forest.predict(&dense(rows)).expect("the forest predicts"))
}
