//! alternative: iterator style, in-bag masks, argmax by a reverse scan keeping the smallest class, all samples drawn before any tree is fitted

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
    std::iter::repeat_with(|| rng.gen_range(0..n))
        .take(n)
        .collect()
}

/// The class with the most votes, the smallest on ties; `None` without any vote.
fn argmax_smallest(counts: &[usize]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for c in (0..counts.len()).rev() {
        if counts[c] > 0 && best.is_none_or(|b| counts[c] >= counts[b]) {
            best = Some(c);
        }
    }
    best
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
    let n = predictions.first().map_or(0, Vec::len);
    let masks: Vec<Vec<bool>> = samples
        .iter()
        .map(|s| {
            let mut m = vec![false; n];
            s.iter().for_each(|&i| m[i] = true);
            m
        })
        .collect();
    (0..n)
        .map(|i| {
            let mut counts = vec![0usize; n_classes];
            masks
                .iter()
                .zip(predictions)
                .filter(|(mask, _)| !mask[i])
                .for_each(|(_, p)| counts[p[i]] += 1);
            argmax_smallest(&counts)
        })
        .collect()
}

/// The out-of-bag error: the share of wrong votes among the rows that have a vote
/// (`Some`); rows without a vote are left out, neither right nor wrong.
/// At least one row has a vote.
pub fn oob_error(votes: &[Option<usize>], y: &[usize]) -> f64 {
    let (wrong, voted) = votes
        .iter()
        .zip(y)
        .filter_map(|(v, t)| v.map(|v| v != *t))
        .fold((0usize, 0usize), |(w, c), bad| (w + bad as usize, c + 1));
    wrong as f64 / voted as f64
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
    let mut rng = split::rng(seed);
    let samples: Vec<Vec<usize>> = (0..n_trees)
        .map(|_| bootstrap_indices(x.nrows(), &mut rng))
        .collect();
    let trees = samples
        .iter()
        .map(|s| {
            let records = x.select(Axis(0), s);
            let targets: Array1<usize> = s.iter().map(|&i| y[i]).collect();
            DecisionTree::params()
                .fit(&Dataset::new(records, targets))
                .expect("a tree fits on a non-empty sample")
        })
        .collect();
    Bag {
        samples,
        trees,
        n_classes: y.iter().max().map_or(0, |m| m + 1),
    }
}

impl Bag {
    /// Each tree's class for each row of `x` (`trees.len()` vectors of `x.nrows()`).
    pub fn tree_predictions(&self, x: &Array2<f64>) -> Vec<Vec<usize>> {
        self.trees
            .iter()
            .map(|t| {
                let p: Array1<usize> = t.predict(x);
                p.to_vec()
            })
            .collect()
    }

    /// The majority vote of all trees for each row of `x` (ties to the smallest class).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let predictions = self.tree_predictions(x);
        (0..x.nrows())
            .map(|i| {
                let mut counts = vec![0usize; self.n_classes];
                predictions.iter().for_each(|p| counts[p[i]] += 1);
                argmax_smallest(&counts).unwrap_or(0)
            })
            .collect()
    }

    /// The out-of-bag error of the bag on its own training set `x`, `y`.
    pub fn oob_error(&self, x: &Array2<f64>, y: &[usize]) -> f64 {
        let votes = out_of_bag_votes(&self.samples, &self.tree_predictions(x), self.n_classes);
        oob_error(&votes, y)
    }
}
