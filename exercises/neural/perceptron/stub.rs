// neural/perceptron: Rosenblatt's perceptron learning rule on a linearly separable set.
// `learnml show neural/perceptron` shows the full statement; `learnml check neural/perceptron` grades this file.

use ndarray::{Array1, Array2};

/// Labels of `x` (n x d) under the perceptron `w` (d), `b`: `+1.0` where `w·x + b > 0`,
/// `-1.0` otherwise (a point exactly on the boundary is `-1.0`).
pub fn predict(w: &Array1<f64>, b: f64, x: &Array2<f64>) -> Vec<f64> {
    let _ = (w, b, x);
    todo!("the sign of x_i · w + b for every row, with 0 counted as -1")
}

/// Rosenblatt's perceptron rule on `x` (n x d) with labels `y` in {-1, +1}: start from
/// `w = 0`, `b = 0`; visit the rows in order, and on each mistake (`y_i (w·x_i + b) <= 0`)
/// update `w += y_i x_i`, `b += y_i`. Stop after an epoch without mistakes, or after
/// `max_epochs` epochs. Returns `(w, b)`.
pub fn train(x: &Array2<f64>, y: &[f64], max_epochs: usize) -> (Array1<f64>, f64) {
    let _ = (x, y, max_epochs);
    todo!("epochs of the perceptron rule until one makes no mistake")
}
