// evaluation/smote: balanced class weights, SMOTE, and oversampling the training split only.
// `learnml show evaluation/smote` shows the full statement; `learnml check evaluation/smote` grades this file.

use learnml_kit::split;
#[allow(unused_imports)]
use ndarray::{Array2, Axis};
#[allow(unused_imports)]
use rand::Rng;

/// scikit-learn's "balanced" class weights: `n / (k * n_c)` for class `c`, where `n` is the
/// number of labels, `k` the number of classes (labels are `0..k`, every class present) and
/// `n_c` the count of class `c`. Returns `k` weights, index = class.
pub fn balanced_class_weights(y: &[usize]) -> Vec<f64> {
    let _ = y;
    todo!("count each class, then n / (k * n_c)")
}

/// SMOTE: `n_new` synthetic rows of class `minority`, from the rows of `x` whose label in `y`
/// is `minority` (call them `m_0..m_{m-1}`, in the order of `x`). For each new row, in order:
/// `i = rng.gen_range(0..m)`, then `j = rng.gen_range(0..k)` picks the j-th of the k nearest
/// minority rows of `m_i` (Euclidean, `m_i` itself excluded, ties by the smaller index), then
/// `gap = rng.r#gen::<f64>()`, and the new row is `m_i + gap * (neighbour - m_i)`.
/// Returns an `n_new x d` matrix. `k` is less than the number of minority rows.
pub fn smote(
    x: &Array2<f64>,
    y: &[usize],
    minority: usize,
    k: usize,
    n_new: usize,
    rng: &mut split::Rng,
) -> Array2<f64> {
    let _ = (x, y, minority, k, n_new, rng);
    todo!("rank the minority neighbours of each minority row, then draw i, j and gap per new row")
}

/// The two parts of a split: training rows (the originals, then the synthetic ones) and the
/// untouched test rows.
pub struct Split {
    pub x_train: Array2<f64>,
    pub y_train: Vec<usize>,
    pub x_test: Array2<f64>,
    pub y_test: Vec<usize>,
}

/// Split first, then oversample: rows with `test[i] == true` form the test part, the others the
/// training part (both in the order of `x`). Then add SMOTE rows of class `minority` built from
/// the TRAINING rows only (`k` neighbours, `rng = split::rng(seed)`), as many as it takes for
/// the minority to match the other class's count in training (two classes), appended after the
/// original training rows with label `minority`. The test part stays exactly as it was.
pub fn split_then_smote(
    x: &Array2<f64>,
    y: &[usize],
    test: &[bool],
    minority: usize,
    k: usize,
    seed: u64,
) -> Split {
    let _ = (x, y, test, minority, k, seed);
    todo!("split by the mask first, then call smote on the training part only")
}
