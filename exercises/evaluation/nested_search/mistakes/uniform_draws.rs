//! mistake: draws the penalties uniformly in [low, high) instead of log-uniformly
//! fails: random_draws
//! message: "drawn uniformly, not log-uniformly"

// evaluation/nested_search: k-fold, grid and random search of a ridge penalty, nested CV.
// `learnml show evaluation/nested_search` shows the full statement; `learnml check evaluation/nested_search` grades this file.

use learnml_kit::split;
use ndarray::{Array1, Array2, Axis};
use rand::Rng as _; // for `rng.r#gen::<f64>()`

/// A fitted ridge regression (given).
#[derive(Debug, Clone)]
pub struct Ridge {
    mean: Array1<f64>,
    std: Array1<f64>,
    coef: Vec<f64>,
    intercept: f64,
}

/// Ridge regression in closed form (given): the columns are standardized with the mean and
/// population standard deviation of `x` itself (a constant column is left at 0), and
/// `(ZᵀZ + λI) β = Zᵀ(y − ȳ)` is solved; the intercept ȳ is not penalized.
pub fn ridge_fit(x: &Array2<f64>, y: &[f64], lambda: f64) -> Ridge {
    let mean = x.mean_axis(Axis(0)).expect("x has rows");
    let std = x
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let z = (x - &mean) / &std;
    let y_mean = y.iter().sum::<f64>() / y.len() as f64;
    let yc = Array1::from_iter(y.iter().map(|v| v - y_mean));
    let p = x.ncols();
    let mut a = z.t().dot(&z) + Array2::<f64>::eye(p) * lambda;
    let mut b = z.t().dot(&yc).to_vec();
    // Gaussian elimination with partial pivoting.
    for c in 0..p {
        let pivot = (c..p)
            .max_by(|&i, &j| a[[i, c]].abs().total_cmp(&a[[j, c]].abs()))
            .unwrap_or(c);
        for j in 0..p {
            a.swap([c, j], [pivot, j]);
        }
        b.swap(c, pivot);
        for r in c + 1..p {
            let f = a[[r, c]] / a[[c, c]];
            for j in c..p {
                a[[r, j]] -= f * a[[c, j]];
            }
            b[r] -= f * b[c];
        }
    }
    let mut coef = vec![0.0; p];
    for c in (0..p).rev() {
        let s: f64 = (c + 1..p).map(|j| a[[c, j]] * coef[j]).sum();
        coef[c] = (b[c] - s) / a[[c, c]];
    }
    Ridge {
        mean,
        std,
        coef,
        intercept: y_mean,
    }
}

/// Predictions of a fitted ridge for the rows of `x` (given).
pub fn ridge_predict(model: &Ridge, x: &Array2<f64>) -> Vec<f64> {
    let z = (x - &model.mean) / &model.std;
    z.rows()
        .into_iter()
        .map(|row| model.intercept + row.iter().zip(&model.coef).map(|(a, b)| a * b).sum::<f64>())
        .collect()
}

/// Mean squared error (given).
pub fn mse(predicted: &[f64], y: &[f64]) -> f64 {
    let sum: f64 = predicted
        .iter()
        .zip(y)
        .map(|(p, t)| (p - t) * (p - t))
        .sum();
    sum / y.len() as f64
}

/// The k test folds of `0..n` (scikit-learn's `KFold(shuffle=True)` sizes).
pub fn kfold(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let order = split::shuffled(n, seed);
    let mut rest: &[usize] = &order;
    (0..k)
        .map(|f| {
            let size = n / k + usize::from(f < n % k);
            let (fold, tail) = rest.split_at(size);
            rest = tail;
            let mut fold = fold.to_vec();
            fold.sort_unstable_by(|a, b| b.cmp(a));
            fold
        })
        .collect()
}

fn complement(n: usize, fold: &[usize]) -> Vec<usize> {
    let mut in_fold = vec![false; n];
    fold.iter().for_each(|&i| in_fold[i] = true);
    (0..n).filter(|&i| !in_fold[i]).collect()
}

/// Cross-validated MSE of ridge with penalty `lambda`: the mean of the folds' MSEs.
pub fn cv_mse(x: &Array2<f64>, y: &[f64], lambda: f64, folds: &[Vec<usize>]) -> f64 {
    let total: f64 = folds
        .iter()
        .map(|fold| {
            let train = complement(x.nrows(), fold);
            let model = ridge_fit(&split::rows(x, &train), &split::pick(y, &train), lambda);
            mse(
                &ridge_predict(&model, &split::rows(x, fold)),
                &split::pick(y, fold),
            )
        })
        .sum();
    total / folds.len() as f64
}

/// Grid search: the index of the smallest `cv_mse` (the first on a tie) and that CV MSE.
pub fn grid_search(
    x: &Array2<f64>,
    y: &[f64],
    lambdas: &[f64],
    folds: &[Vec<usize>],
) -> (usize, f64) {
    let scores: Vec<f64> = lambdas.iter().map(|&l| cv_mse(x, y, l, folds)).collect();
    // scan from the end with <= so that the first minimum wins
    let mut best = scores.len() - 1;
    for i in (0..scores.len()).rev() {
        if scores[i] <= scores[best] {
            best = i;
        }
    }
    (best, scores[best])
}

/// `n` penalties drawn log-uniformly in [low, high).
pub fn random_lambdas(n: usize, low: f64, high: f64, seed: u64) -> Vec<f64> {
    let mut rng = split::rng(seed);
    std::iter::repeat_with(|| rng.r#gen::<f64>())
        .take(n)
        .map(|u| low + u * (high - low))
        .collect()
}

/// The result of nested cross-validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Nested {
    /// The penalty the inner search chose in each outer fold.
    pub chosen: Vec<f64>,
    /// The MSE on each outer test fold of ridge refitted on that fold's training rows.
    pub outer_mse: Vec<f64>,
    /// The mean of `outer_mse`: the estimate of the whole procedure's error.
    pub estimate: f64,
}

/// Nested cross-validation.
pub fn nested_cv(
    x: &Array2<f64>,
    y: &[f64],
    lambdas: &[f64],
    k_outer: usize,
    k_inner: usize,
    seed: u64,
) -> Nested {
    let (chosen, outer_mse): (Vec<f64>, Vec<f64>) = kfold(x.nrows(), k_outer, seed)
        .iter()
        .enumerate()
        .map(|(o, test)| {
            let train = complement(x.nrows(), test);
            let (xt, yt) = (split::rows(x, &train), split::pick(y, &train));
            let inner = kfold(train.len(), k_inner, seed + 1 + o as u64);
            let (best, _) = grid_search(&xt, &yt, lambdas, &inner);
            let model = ridge_fit(&xt, &yt, lambdas[best]);
            let err = mse(
                &ridge_predict(&model, &split::rows(x, test)),
                &split::pick(y, test),
            );
            (lambdas[best], err)
        })
        .unzip();
    let estimate = outer_mse.iter().sum::<f64>() / outer_mse.len() as f64;
    Nested {
        chosen,
        outer_mse,
        estimate,
    }
}
