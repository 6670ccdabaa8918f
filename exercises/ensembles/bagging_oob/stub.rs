// ensembles/bagging_oob: bag decision trees by hand and estimate their error out of bag.
// `learnml show ensembles/bagging_oob` shows the full statement; `learnml check ensembles/bagging_oob` grades this file.

use learnml_kit::split;
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

/// A bootstrap sample of `0..n`: `n` row indices drawn uniformly and independently, WITH
/// replacement, from `rng` (for example `rng.gen_range(0..n)`, `n` times).
pub fn bootstrap_indices(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let _ = (n, rng);
    todo!("n draws of rng.gen_range(0..n)")
}

/// For each of the `n` rows (`n = predictions[m].len()`), the majority vote of the models whose
/// bootstrap sample `samples[m]` does NOT contain the row; `predictions[m][i]` is model m's class
/// (in `0..n_classes`) for row i. Ties go to the smallest class; a row that is in every sample
/// has no out-of-bag model and gets `None`.
pub fn out_of_bag_votes(
    samples: &[Vec<usize>],
    predictions: &[Vec<usize>],
    n_classes: usize,
) -> Vec<Option<usize>> {
    let _ = (samples, predictions, n_classes);
    todo!("count the votes of the models whose sample misses the row")
}

/// The out-of-bag error: the share of wrong votes among the rows that have a vote
/// (`Some`); rows without a vote are left out, neither right nor wrong.
/// At least one row has a vote.
pub fn oob_error(votes: &[Option<usize>], y: &[usize]) -> f64 {
    let _ = (votes, y);
    todo!("wrong votes / rows that have a vote")
}

/// A bag of decision trees: tree m was fitted on the rows `samples[m]` of the training set.
pub struct Bag {
    /// One bootstrap sample (row indices of the training set) per tree.
    pub samples: Vec<Vec<usize>>,
    /// The fitted trees, in the order of their samples.
    pub trees: Vec<DecisionTree<f64, usize>>,
    /// Classes are `0..n_classes` (1 + the largest training label).
    pub n_classes: usize,
}

/// Fit `n_trees` unpruned linfa decision trees (`DecisionTree::params()`: Gini, no depth
/// limit), tree m on the rows of the m-th bootstrap sample drawn from `split::rng(seed)`.
pub fn fit_bag(x: &Array2<f64>, y: &[usize], n_trees: usize, seed: u64) -> Bag {
    let _ = (x, y, n_trees, seed);
    todo!("one bootstrap sample and one DecisionTree per tree")
}

impl Bag {
    /// Each tree's class for each row of `x` (`trees.len()` vectors of `x.nrows()`).
    pub fn tree_predictions(&self, x: &Array2<f64>) -> Vec<Vec<usize>> {
        let _ = x;
        todo!("tree.predict(x) for each tree")
    }

    /// The majority vote of all trees for each row of `x` (ties to the smallest class).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let _ = x;
        todo!("the majority vote of all the trees")
    }

    /// The out-of-bag error of the bag on its own training set `x`, `y`.
    pub fn oob_error(&self, x: &Array2<f64>, y: &[usize]) -> f64 {
        let _ = (x, y);
        todo!("tree predictions on x, then out_of_bag_votes, then oob_error")
    }
}
