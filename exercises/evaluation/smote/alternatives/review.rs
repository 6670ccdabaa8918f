//! alternative: iterators, true Euclidean distances, an unstable sort on (distance, index)

// evaluation/smote: balanced class weights, SMOTE, and oversampling the training split only.
// `learnml show evaluation/smote` shows the full statement; `learnml check evaluation/smote` grades this file.

use learnml_kit::split;
use ndarray::{Array2, Axis};
use rand::Rng;

/// scikit-learn's "balanced" class weights: `n / (k * n_c)` for class `c`, where `n` is the
/// number of labels, `k` the number of classes (labels are `0..k`, every class present) and
/// `n_c` the count of class `c`. Returns `k` weights, index = class.
pub fn balanced_class_weights(y: &[usize]) -> Vec<f64> {
    let k = y.iter().copied().max().map_or(0, |m| m + 1);
    let n = y.len() as f64;
    (0..k)
        .map(|c| {
            let n_c = y.iter().filter(|&&label| label == c).count() as f64;
            n / (k as f64 * n_c)
        })
        .collect()
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
    let rows: Vec<usize> = (0..y.len()).filter(|&r| y[r] == minority).collect();
    let m = x.select(Axis(0), &rows);
    let count = m.nrows();
    let neighbours: Vec<Vec<usize>> = (0..count)
        .map(|a| {
            let mut ranked: Vec<(f64, usize)> = (0..count)
                .filter(|&b| b != a)
                .map(|b| {
                    let d = m
                        .row(a)
                        .iter()
                        .zip(m.row(b).iter())
                        .map(|(p, q)| (p - q) * (p - q))
                        .sum::<f64>()
                        .sqrt();
                    (d, b)
                })
                .collect();
            ranked.sort_unstable_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
            ranked.into_iter().take(k).map(|(_, b)| b).collect()
        })
        .collect();
    let d = x.ncols();
    let mut out = Array2::<f64>::zeros((n_new, d));
    for mut new_row in out.rows_mut() {
        let i = rng.gen_range(0..count);
        let j = rng.gen_range(0..k);
        let gap = rng.r#gen::<f64>();
        let base = m.row(i);
        let other = m.row(neighbours[i][j]);
        new_row.assign(&(&base + &((&other - &base) * gap)));
    }
    out
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
    let (test_rows, train_rows): (Vec<usize>, Vec<usize>) = (0..y.len()).partition(|&r| test[r]);
    let x_train = x.select(Axis(0), &train_rows);
    let mut y_train: Vec<usize> = train_rows.iter().map(|&r| y[r]).collect();
    let n_min = y_train.iter().filter(|&&c| c == minority).count();
    let n_new = (y_train.len() - n_min).saturating_sub(n_min);
    let synthetic = smote(
        &x_train,
        &y_train,
        minority,
        k,
        n_new,
        &mut split::rng(seed),
    );
    y_train.extend(std::iter::repeat_n(minority, n_new));
    Split {
        x_train: ndarray::concatenate![Axis(0), x_train, synthetic],
        y_train,
        x_test: x.select(Axis(0), &test_rows),
        y_test: test_rows.iter().map(|&r| y[r]).collect(),
    }
}
