//! mistake: keeps a fixed budget of 200 rounds instead of the trees of the best validation round
//! fails: held_out
//! message: "not the one of the best validation round"

// ensembles/gradient_boosting: gradient boosting for regression, shrinkage and early stopping.
// `learnml show ensembles/gradient_boosting` shows the full statement; `learnml check ensembles/gradient_boosting` grades this file.

use ndarray::{Array1, Array2, ArrayView1};

/// A regression tree. Given: do not change it (the grader relies on it being deterministic).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Leaf(f64),
    /// Rows with `x[feature] <= threshold` go left, the others right.
    Split {
        feature: usize,
        threshold: f64,
        left: Box<Tree>,
        right: Box<Tree>,
    },
}

impl Tree {
    /// Least-squares tree of depth at most `max_depth` fitted to the targets `r` (one per row
    /// of `x`): each split (a feature and the midpoint between two consecutive distinct values)
    /// minimizes the summed squared error of its two sides; a leaf predicts the mean of its
    /// targets. A node is a leaf at depth `max_depth`, with one row, or when no split helps.
    pub fn fit(x: &Array2<f64>, r: &[f64], max_depth: usize) -> Tree {
        let rows: Vec<usize> = (0..x.nrows()).collect();
        Self::grow(x, r, &rows, max_depth)
    }

    fn grow(x: &Array2<f64>, r: &[f64], rows: &[usize], depth: usize) -> Tree {
        let n = rows.len() as f64;
        let sum: f64 = rows.iter().map(|&i| r[i]).sum();
        if depth == 0 || rows.len() < 2 {
            return Tree::Leaf(sum / n);
        }
        // The squared error of a side is Σr² - (Σr)²/n: the best split maximizes
        // (Σ_left r)²/n_left + (Σ_right r)²/n_right.
        let mut best: Option<(f64, usize, f64)> = None;
        for feature in 0..x.ncols() {
            let mut order = rows.to_vec();
            order.sort_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]));
            let mut left = 0.0;
            for k in 0..order.len() - 1 {
                left += r[order[k]];
                let (low, high) = (x[[order[k], feature]], x[[order[k + 1], feature]]);
                if low == high {
                    continue;
                }
                let n_left = (k + 1) as f64;
                let score = left * left / n_left + (sum - left).powi(2) / (n - n_left);
                if best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, feature, (low + high) / 2.0));
                }
            }
        }
        match best {
            Some((score, feature, threshold)) if score > sum * sum / n * (1.0 + 1e-12) + 1e-12 => {
                let (left, right): (Vec<usize>, Vec<usize>) =
                    rows.iter().partition(|&&i| x[[i, feature]] <= threshold);
                Tree::Split {
                    feature,
                    threshold,
                    left: Box::new(Self::grow(x, r, &left, depth - 1)),
                    right: Box::new(Self::grow(x, r, &right, depth - 1)),
                }
            }
            _ => Tree::Leaf(sum / n),
        }
    }

    /// The tree's value for one row.
    pub fn predict_row(&self, row: ArrayView1<f64>) -> f64 {
        match self {
            Tree::Leaf(value) => *value,
            Tree::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                if row[*feature] <= *threshold {
                    left.predict_row(row)
                } else {
                    right.predict_row(row)
                }
            }
        }
    }

    /// The tree's value for each row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Array1<f64> {
        x.rows()
            .into_iter()
            .map(|row| self.predict_row(row))
            .collect()
    }
}

/// How to boost; the grader chooses these.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The shrinkage ν applied to every tree, in (0, 1].
    pub learning_rate: f64,
    /// The largest number of trees.
    pub max_rounds: usize,
    /// The depth of each tree.
    pub max_depth: usize,
    /// Early stopping: stop after this many rounds in a row without a new best validation MSE.
    pub patience: usize,
}

/// A boosted model: F(x) = f0 + learning_rate · Σ_m trees[m](x).
#[derive(Debug, Clone)]
pub struct Booster {
    pub f0: f64,
    pub learning_rate: f64,
    pub trees: Vec<Tree>,
}

impl Booster {
    /// F(x) = f0 + learning_rate · Σ_m trees[m](x) for each row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Array1<f64> {
        let mut f = Array1::from_elem(x.nrows(), self.f0);
        for tree in &self.trees {
            f.scaled_add(self.learning_rate, &tree.predict(x));
        }
        f
    }
}

/// Gradient boosting with squared loss for exactly `settings.max_rounds` rounds (no early
/// stopping): f0 = mean of y; round m fits `Tree::fit(x, residuals, max_depth)` to the
/// residuals y - F (the negative gradient of ½(y - F)²) and adds learning_rate · tree to F.
pub fn boost(x: &Array2<f64>, y: &Array1<f64>, settings: &Settings) -> Booster {
    let f0 = y.mean().unwrap_or(0.0);
    let mut f = Array1::from_elem(y.len(), f0);
    let mut trees = Vec::new();
    for _ in 0..settings.max_rounds {
        let residuals = (y - &f).to_vec();
        let tree = Tree::fit(x, &residuals, settings.max_depth);
        f.scaled_add(settings.learning_rate, &tree.predict(x));
        trees.push(tree);
    }
    Booster {
        f0,
        learning_rate: settings.learning_rate,
        trees,
    }
}

/// Like `boost`, with early stopping on the validation set: after each round, the validation
/// MSE of the model so far; stop after `patience` rounds in a row without a new best (strictly
/// smaller) MSE, or at `max_rounds`; return the model of the best round (its first trees only;
/// round 0, f0 alone, counts too).
pub fn boost_early_stopping(
    x: &Array2<f64>,
    y: &Array1<f64>,
    x_val: &Array2<f64>,
    y_val: &Array1<f64>,
    settings: &Settings,
) -> Booster {
    let f0 = y.mean().unwrap_or(0.0);
    let mut f = Array1::from_elem(y.len(), f0);
    let mut f_val = Array1::from_elem(y_val.len(), f0);
    let mse = |f: &Array1<f64>| (y_val - f).mapv(|e| e * e).mean().unwrap_or(0.0);
    let (mut best_mse, mut best_rounds, mut since_best) = (mse(&f_val), 0, 0);
    let mut trees = Vec::new();
    while trees.len() < settings.max_rounds && since_best < settings.patience {
        let residuals = (y - &f).to_vec();
        let tree = Tree::fit(x, &residuals, settings.max_depth);
        f.scaled_add(settings.learning_rate, &tree.predict(x));
        f_val.scaled_add(settings.learning_rate, &tree.predict(x_val));
        trees.push(tree);
        let current = mse(&f_val);
        if current < best_mse {
            (best_mse, best_rounds, since_best) = (current, trees.len(), 0);
        } else {
            since_best += 1;
        }
    }
    // The validation curve is tracked, but a fixed budget of 200 rounds is what gets kept.
    let _ = best_rounds;
    while trees.len() < 200.min(settings.max_rounds) {
        let residuals = (y - &f).to_vec();
        let tree = Tree::fit(x, &residuals, settings.max_depth);
        f.scaled_add(settings.learning_rate, &tree.predict(x));
        trees.push(tree);
    }
    trees.truncate(200);
    Booster {
        f0,
        learning_rate: settings.learning_rate,
        trees,
    }
}
