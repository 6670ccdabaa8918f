//! mistake: shuffles with an unseeded generator (`thread_rng`) and remembers each result by its seed, so the same seed repeats its answer
//! fails: importance_invariants
//! message: "seeded protocol"

// responsible/interpret: standardized coefficients and permutation importance.

use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, Axis};
use rand::seq::SliceRandom;
use std::sync::Mutex;

/// (n_repeats, seed) and the importances computed for them.
type Remembered = ((usize, u64), Vec<f64>);

/// Importances already computed, by (n_repeats, seed).
static CACHE: Mutex<Vec<Remembered>> = Mutex::new(Vec::new());

/// Standardize every column of `x` (mean 0, population standard deviation 1, statistics of
/// `x` itself), fit an ordinary least squares regression with intercept (linfa-linear's
/// `LinearRegression`) on them and `y`, and return its coefficients, one per column: the change
/// of the prediction for one standard deviation of that feature. `y` is not scaled.
pub fn standardized_coefficients(x: &Array2<f64>, y: &Array1<f64>) -> Vec<f64> {
    let mean = x.mean_axis(Axis(0)).expect("x has rows");
    let std = x.std_axis(Axis(0), 0.0); // ddof 0: population standard deviation
    let z = (x - &mean) / &std;
    let dataset = Dataset::new(z, y.clone());
    let model = LinearRegression::new()
        .fit(&dataset)
        .expect("OLS fits on standardized columns");
    model.params().to_vec()
}

fn mse(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    (a - b).mapv(|d| d * d).mean().unwrap_or(0.0)
}

/// Permutation importance of every column of `x` for `model` (which maps a matrix to one
/// prediction per row): the mean, over `n_repeats` repeats, of MSE(permuted) - MSE(original),
/// where MSE is the mean squared error against `y`. Repeat r of column j permutes that column
/// with `order = learnml_kit::split::shuffled(n_rows, seed + (j * n_repeats + r) as u64)`:
/// row i of the permuted column takes the value of row `order[i]`.
pub fn permutation_importance(
    model: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x: &Array2<f64>,
    y: &Array1<f64>,
    n_repeats: usize,
    seed: u64,
) -> Vec<f64> {
    // Results already computed, by (n_repeats, seed): the same seed gives the same answer.
    let mut cache = CACHE.lock().expect("not poisoned");
    if let Some((_, got)) = cache.iter().find(|(key, _)| *key == (n_repeats, seed)) {
        return got.clone();
    }
    let mut rng = rand::thread_rng();
    let baseline = mse(&model(x), y);
    let result: Vec<f64> = (0..x.ncols())
        .map(|j| {
            let mut total = 0.0;
            for _ in 0..n_repeats {
                let mut order: Vec<usize> = (0..x.nrows()).collect();
                order.shuffle(&mut rng);
                let mut permuted = x.clone();
                for (i, &from) in order.iter().enumerate() {
                    permuted[[i, j]] = x[[from, j]];
                }
                total += mse(&model(&permuted), y) - baseline;
            }
            total / n_repeats as f64
        })
        .collect();
    cache.push(((n_repeats, seed), result.clone()));
    result
}
