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
    (0..n).map(|_| rng.gen_range(0..n)).collect()
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
    let mut counts = vec![vec![0usize; n_classes]; n];
    for (sample, predicted) in samples.iter().zip(predictions) {
        let mut in_bag = vec![false; n];
        for &i in sample {
            in_bag[i] = true;
        }
        for i in (0..n).filter(|&i| !in_bag[i]) {
            counts[i][predicted[i]] += 1;
        }
    }
    counts.iter().map(|row| majority(row)).collect()
}

/// The class with the most votes (the smallest on a tie), `None` without any vote.
fn majority(counts: &[usize]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (class, &count) in counts.iter().enumerate() {
        if count > 0 && best.is_none_or(|b| count > counts[b]) {
            best = Some(class);
        }
    }
    best
}

/// The out-of-bag error: the share of wrong votes among the rows that have a vote
/// (`Some`); rows without a vote are left out, neither right nor wrong.
/// At least one row has a vote.
pub fn oob_error(votes: &[Option<usize>], y: &[usize]) -> f64 {
    let voted: Vec<(usize, usize)> = votes
        .iter()
        .zip(y)
        .filter_map(|(v, &t)| v.map(|v| (v, t)))
        .collect();
    let wrong = voted.iter().filter(|(v, t)| v != t).count();
    wrong as f64 / voted.len() as f64
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
    let n_classes = y.iter().max().map_or(0, |m| m + 1);
    let mut samples = Vec::new();
    let mut trees = Vec::new();
    for _ in 0..n_trees {
        let sample = bootstrap_indices(x.nrows(), &mut rng);
        let targets: Array1<usize> = sample.iter().map(|&i| y[i]).collect();
        let data = Dataset::new(x.select(Axis(0), &sample), targets);
        trees.push(DecisionTree::params().fit(&data).expect("a tree fits"));
        samples.push(sample);
    }
    Bag {
        samples,
        trees,
        n_classes,
    }
}

impl Bag {
    /// Each tree's class for each row of `x` (`trees.len()` vectors of `x.nrows()`).
    pub fn tree_predictions(&self, x: &Array2<f64>) -> Vec<Vec<usize>> {
        self.trees
            .iter()
            .map(|tree| {
                let predicted: Array1<usize> = tree.predict(x);
                predicted.to_vec()
            })
            .collect()
    }

    /// The majority vote of all trees for each row of `x` (ties to the smallest class).
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let everything: Vec<Vec<usize>> = vec![Vec::new(); self.trees.len()];
        out_of_bag_votes(&everything, &self.tree_predictions(x), self.n_classes)
            .into_iter()
            .map(|v| v.unwrap_or(0))
            .collect()
    }

    /// The out-of-bag error of the bag on its own training set `x`, `y`.
    pub fn oob_error(&self, x: &Array2<f64>, y: &[usize]) -> f64 {
        let votes = out_of_bag_votes(&self.samples, &self.tree_predictions(x), self.n_classes);
        oob_error(&votes, y)
    }
}
