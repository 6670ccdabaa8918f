//! alternative: plain loops, squared distances, a stable sort (ties keep the index order)

// evaluation/smote: balanced class weights, SMOTE, and oversampling the training split only.
// `learnml show evaluation/smote` shows the full statement; `learnml check evaluation/smote` grades this file.

use learnml_kit::split;
use ndarray::{Array2, Axis};
use rand::Rng;

/// scikit-learn's "balanced" class weights: `n / (k * n_c)` for class `c`, where `n` is the
/// number of labels, `k` the number of classes (labels are `0..k`, every class present) and
/// `n_c` the count of class `c`. Returns `k` weights, index = class.
pub fn balanced_class_weights(y: &[usize]) -> Vec<f64> {
    let mut counts: Vec<f64> = Vec::new();
    for &label in y {
        if counts.len() <= label {
            counts.resize(label + 1, 0.0);
        }
        counts[label] += 1.0;
    }
    let k = counts.len() as f64;
    let mut weights = Vec::new();
    for c in counts {
        weights.push(y.len() as f64 / k / c);
    }
    weights
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
    let mut points: Vec<Vec<f64>> = Vec::new();
    for (i, &label) in y.iter().enumerate() {
        if label == minority {
            points.push(x.row(i).to_vec());
        }
    }
    let m = points.len();
    let mut neighbours = Vec::with_capacity(m);
    for i in 0..m {
        let mut order: Vec<usize> = (0..m).filter(|&j| j != i).collect();
        let squared = |j: usize| -> f64 {
            let mut s = 0.0;
            for (p, q) in points[i].iter().zip(&points[j]) {
                s += (p - q) * (p - q);
            }
            s
        };
        // `sort_by` is stable: equal distances keep the increasing index order.
        order.sort_by(|&a, &b| squared(a).total_cmp(&squared(b)));
        order.truncate(k);
        neighbours.push(order);
    }
    let mut out = Array2::zeros((n_new, x.ncols()));
    for r in 0..n_new {
        let i = rng.gen_range(0..m);
        let j = neighbours[i][rng.gen_range(0..k)];
        let gap: f64 = rng.r#gen();
        for f in 0..x.ncols() {
            out[[r, f]] = points[i][f] + gap * (points[j][f] - points[i][f]);
        }
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
    let (mut train, mut held_out) = (Vec::new(), Vec::new());
    for (i, &t) in test.iter().enumerate() {
        if t {
            held_out.push(i);
        } else {
            train.push(i);
        }
    }
    let x_train = x.select(Axis(0), &train);
    let mut y_train: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    let n_minority = y_train.iter().filter(|&&c| c == minority).count();
    let n_majority = y_train.len() - n_minority;
    let mut rng = split::rng(seed);
    let synthetic = smote(
        &x_train,
        &y_train,
        minority,
        k,
        n_majority - n_minority,
        &mut rng,
    );
    let mut x_all = x_train.clone();
    for r in synthetic.rows() {
        x_all.push_row(r).expect("same number of columns");
        y_train.push(minority);
    }
    Split {
        x_train: x_all,
        y_train,
        x_test: x.select(Axis(0), &held_out),
        y_test: held_out.iter().map(|&i| y[i]).collect(),
    }
}
