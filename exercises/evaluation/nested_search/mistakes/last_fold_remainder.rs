//! mistake: gives every fold n / k rows and the last one the remainder too
//! fails: kfold_sizes
//! message: "wrong fold sizes"

// evaluation/nested_search: k-fold, grid and random search of a ridge penalty, nested CV.
// `learnml show evaluation/nested_search` shows the full statement; `learnml check evaluation/nested_search` grades this file.

use learnml_kit::split;
use ndarray::{Array1, Array2, Axis};
use rand::Rng as _;

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

/// The k test folds of `0..n` (scikit-learn's `KFold(shuffle=True)` sizes): take
/// `order = split::shuffled(n, seed)`; fold f is the next `n / k + 1` entries of `order` when
/// `f < n % k`, else the next `n / k`. Folds in that order; inside a fold, any order.
pub fn kfold(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let order = split::shuffled(n, seed);
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for f in 0..k {
        let size = if f == k - 1 { n - start } else { n / k };
        folds.push(order[start..start + size].to_vec());
        start += size;
    }
    folds
}

/// The rows of `0..n` outside `fold`, in increasing order.
fn complement(n: usize, fold: &[usize]) -> Vec<usize> {
    let mut out_of_fold = vec![true; n];
    for &i in fold {
        out_of_fold[i] = false;
    }
    (0..n).filter(|&i| out_of_fold[i]).collect()
}

/// Cross-validated MSE of ridge with penalty `lambda`: for each fold, fit on the other rows
/// and compute the MSE on the fold; return the mean of the folds' MSEs.
pub fn cv_mse(x: &Array2<f64>, y: &[f64], lambda: f64, folds: &[Vec<usize>]) -> f64 {
    let scores: Vec<f64> = folds
        .iter()
        .map(|fold| {
            let train = complement(x.nrows(), fold);
            let model = ridge_fit(&split::rows(x, &train), &split::pick(y, &train), lambda);
            mse(
                &ridge_predict(&model, &split::rows(x, fold)),
                &split::pick(y, fold),
            )
        })
        .collect();
    scores.iter().sum::<f64>() / scores.len() as f64
}

/// Grid search: the index in `lambdas` of the smallest `cv_mse` over `folds` (the first one on
/// a tie), and that CV MSE.
pub fn grid_search(
    x: &Array2<f64>,
    y: &[f64],
    lambdas: &[f64],
    folds: &[Vec<usize>],
) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (i, &lambda) in lambdas.iter().enumerate() {
        let score = cv_mse(x, y, lambda, folds);
        if score < best.1 {
            best = (i, score);
        }
    }
    best
}

/// `n` penalties drawn log-uniformly in [low, high): with `rng = split::rng(seed)`, draw
/// `u = rng.r#gen::<f64>()` for each in turn and take `10^(log10(low) + u·(log10(high) − log10(low)))`.
pub fn random_lambdas(n: usize, low: f64, high: f64, seed: u64) -> Vec<f64> {
    let mut rng = split::rng(seed);
    let (lo, hi) = (low.log10(), high.log10());
    (0..n)
        .map(|_| 10f64.powf(lo + rng.r#gen::<f64>() * (hi - lo)))
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

/// Nested cross-validation: outer folds `kfold(n, k_outer, seed)`; for outer fold o, its
/// training rows (all the others, in increasing order) are searched with `grid_search` over
/// the inner folds `kfold(n_train, k_inner, seed + 1 + o)` (positions in the training rows);
/// ridge with the chosen penalty is refitted on all the training rows and scored on fold o.
pub fn nested_cv(
    x: &Array2<f64>,
    y: &[f64],
    lambdas: &[f64],
    k_outer: usize,
    k_inner: usize,
    seed: u64,
) -> Nested {
    let mut chosen = Vec::new();
    let mut outer_mse = Vec::new();
    for (o, fold) in kfold(x.nrows(), k_outer, seed).iter().enumerate() {
        let train = complement(x.nrows(), fold);
        let (x_train, y_train) = (split::rows(x, &train), split::pick(y, &train));
        let inner = kfold(train.len(), k_inner, seed + 1 + o as u64);
        let (best, _) = grid_search(&x_train, &y_train, lambdas, &inner);
        let model = ridge_fit(&x_train, &y_train, lambdas[best]);
        chosen.push(lambdas[best]);
        outer_mse.push(mse(
            &ridge_predict(&model, &split::rows(x, fold)),
            &split::pick(y, fold),
        ));
    }
    let estimate = outer_mse.iter().sum::<f64>() / outer_mse.len() as f64;
    Nested {
        chosen,
        outer_mse,
        estimate,
    }
}
