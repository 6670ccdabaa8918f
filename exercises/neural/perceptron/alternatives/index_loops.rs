//! alternative: explicit loops over a plain Vec of weights, and a `loop` that counts its epochs

// neural/perceptron: Rosenblatt's perceptron learning rule on a linearly separable set.

use ndarray::{Array1, Array2};

/// Labels of `x` (n x d) under the perceptron `w` (d), `b`: `+1.0` where `w·x + b > 0`,
/// `-1.0` otherwise (a point exactly on the boundary is `-1.0`).
pub fn predict(w: &Array1<f64>, b: f64, x: &Array2<f64>) -> Vec<f64> {
    let mut labels = Vec::with_capacity(x.nrows());
    for row in x.rows() {
        let mut score = b;
        for (wj, xj) in w.iter().zip(row) {
            score += wj * xj;
        }
        labels.push(if score > 0.0 { 1.0 } else { -1.0 });
    }
    labels
}

/// Rosenblatt's perceptron rule on `x` (n x d) with labels `y` in {-1, +1}: start from
/// `w = 0`, `b = 0`; visit the rows in order, and on each mistake (`y_i (w·x_i + b) <= 0`)
/// update `w += y_i x_i`, `b += y_i`. Stop after an epoch without mistakes, or after
/// `max_epochs` epochs. Returns `(w, b)`.
pub fn train(x: &Array2<f64>, y: &[f64], max_epochs: usize) -> (Array1<f64>, f64) {
    let mut w = vec![0.0; x.ncols()];
    let mut b = 0.0;
    let mut epoch = 0;
    loop {
        if epoch == max_epochs {
            break;
        }
        epoch += 1;
        let mut clean = true;
        for (row, &label) in x.rows().into_iter().zip(y) {
            let score: f64 = b + w.iter().zip(row).map(|(wj, xj)| wj * xj).sum::<f64>();
            if label * score <= 0.0 {
                for (wj, xj) in w.iter_mut().zip(row) {
                    *wj += label * xj;
                }
                b += label;
                clean = false;
            }
        }
        if clean {
            break;
        }
    }
    (Array1::from(w), b)
}
