//! mistake: a forward difference (f(x + h) - f(x)) / h instead of the central one
//! fails: central_difference, matches_analytic
//! message: "one-sided difference"

// foundations/gradients: a numerical gradient by central differences, and gradient descent.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array1;

/// The gradient of `f` at `x` by central differences with step `h`: component `i` is
/// `(f(x + h e_i) - f(x - h e_i)) / (2 h)`, where `e_i` is the i-th unit vector.
pub fn numerical_gradient(f: impl Fn(&Array1<f64>) -> f64, x: &Array1<f64>, h: f64) -> Array1<f64> {
    let mut gradient = Array1::zeros(x.len());
    for i in 0..x.len() {
        let mut up = x.clone();
        up[i] += h;
        gradient[i] = (f(&up) - f(x)) / h;
    }
    gradient
}

/// Gradient descent: start at `start` and take exactly `steps` steps
/// `x <- x - learning_rate * grad(x)`; return the last `x` (`start` itself for 0 steps).
pub fn gradient_descent(
    grad: impl Fn(&Array1<f64>) -> Array1<f64>,
    start: &Array1<f64>,
    learning_rate: f64,
    steps: usize,
) -> Array1<f64> {
    let mut x = start.clone();
    for _ in 0..steps {
        // Downhill: the gradient points uphill, so step against it.
        x = &x - &(learning_rate * grad(&x));
    }
    x
}
