//! mistake: predict uses >= 0, so a point exactly on the boundary is +1
//! fails: predict_sign
//! message: "w·x + b = 0 got +1"

// neural/perceptron: Rosenblatt's perceptron learning rule on a linearly separable set.

use ndarray::{Array1, Array2};

/// Labels of `x` (n x d) under the perceptron `w` (d), `b`: `+1.0` where `w·x + b > 0`,
/// `-1.0` otherwise (a point exactly on the boundary is `-1.0`).
pub fn predict(w: &Array1<f64>, b: f64, x: &Array2<f64>) -> Vec<f64> {
    x.rows()
        .into_iter()
        .map(|row| if row.dot(w) + b >= 0.0 { 1.0 } else { -1.0 })
        .collect()
}

/// Rosenblatt's perceptron rule on `x` (n x d) with labels `y` in {-1, +1}: start from
/// `w = 0`, `b = 0`; visit the rows in order, and on each mistake (`y_i (w·x_i + b) <= 0`)
/// update `w += y_i x_i`, `b += y_i`. Stop after an epoch without mistakes, or after
/// `max_epochs` epochs. Returns `(w, b)`.
pub fn train(x: &Array2<f64>, y: &[f64], max_epochs: usize) -> (Array1<f64>, f64) {
    let mut w = Array1::zeros(x.ncols());
    let mut b = 0.0;
    for _ in 0..max_epochs {
        let mut mistakes = 0;
        for (row, &label) in x.rows().into_iter().zip(y) {
            if label * (row.dot(&w) + b) <= 0.0 {
                w.scaled_add(label, &row);
                b += label;
                mistakes += 1;
            }
        }
        if mistakes == 0 {
            break;
        }
    }
    (w, b)
}
