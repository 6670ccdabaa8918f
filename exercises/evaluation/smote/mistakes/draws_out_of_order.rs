//! mistake: draws the gap before the neighbour (i, gap, j instead of the stated i, j, gap)
//! fails: smote_draws
//! message: "the stated order is i, then j, then gap"

// evaluation/smote: balanced class weights, SMOTE, and oversampling the training split only.
// `learnml show evaluation/smote` shows the full statement; `learnml check evaluation/smote` grades this file.

use learnml_kit::split;
use ndarray::{Array2, Axis};
use rand::Rng;

/// scikit-learn's "balanced" class weights: `n / (k * n_c)` for class `c`, where `n` is the
/// number of labels, `k` the number of classes (labels are `0..k`, every class present) and
/// `n_c` the count of class `c`. Returns `k` weights, index = class.
pub fn balanced_class_weights(y: &[usize]) -> Vec<f64> {
    let k = y.iter().max().map_or(0, |m| m + 1);
    let mut counts = vec![0usize; k];
    for &label in y {
        counts[label] += 1;
    }
    let n = y.len() as f64;
    counts.iter().map(|&c| n / (k as f64 * c as f64)).collect()
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
    let rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == minority).collect();
    let points = x.select(Axis(0), &rows);
    let m = points.nrows();
    let neighbours: Vec<Vec<usize>> = (0..m)
        .map(|i| {
            let mut others: Vec<(f64, usize)> = (0..m)
                .filter(|&j| j != i)
                .map(|j| {
                    let d = &points.row(i) - &points.row(j);
                    (d.dot(&d).sqrt(), j)
                })
                .collect();
            others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            others.iter().take(k).map(|&(_, j)| j).collect()
        })
        .collect();
    let mut out = Array2::zeros((n_new, x.ncols()));
    for mut row in out.rows_mut() {
        let i = rng.gen_range(0..m);
        // BUG: the gap is drawn before the neighbour; the stated order is i, j, gap.
        let gap = rng.r#gen::<f64>();
        let j = neighbours[i][rng.gen_range(0..k)];
        let new = &points.row(i) + &((&points.row(j) - &points.row(i)) * gap);
        row.assign(&new);
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
    let train_rows: Vec<usize> = (0..y.len()).filter(|&i| !test[i]).collect();
    let test_rows: Vec<usize> = (0..y.len()).filter(|&i| test[i]).collect();
    let x_train = x.select(Axis(0), &train_rows);
    let mut y_train: Vec<usize> = train_rows.iter().map(|&i| y[i]).collect();
    let n_minority = y_train.iter().filter(|&&c| c == minority).count();
    let n_new = y_train.len() - 2 * n_minority;
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
        y_test: test_rows.iter().map(|&i| y[i]).collect(),
    }
}
