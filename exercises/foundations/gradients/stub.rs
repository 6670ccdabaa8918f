// foundations/gradients: a numerical gradient by central differences, and gradient descent.
// `learnml show foundations/gradients` shows the full statement; `learnml check foundations/gradients` grades this file.

use ndarray::Array1;

/// The gradient of `f` at `x` by central differences with step `h`: component `i` is
/// `(f(x + h e_i) - f(x - h e_i)) / (2 h)`, where `e_i` is the i-th unit vector.
pub fn numerical_gradient(f: impl Fn(&Array1<f64>) -> f64, x: &Array1<f64>, h: f64) -> Array1<f64> {
    let _ = (f, x, h);
    todo!("nudge each coordinate by +h and -h")
}

/// Gradient descent: start at `start` and take exactly `steps` steps
/// `x <- x - learning_rate * grad(x)`; return the last `x` (`start` itself for 0 steps).
pub fn gradient_descent(
    grad: impl Fn(&Array1<f64>) -> Array1<f64>,
    start: &Array1<f64>,
    learning_rate: f64,
    steps: usize,
) -> Array1<f64> {
    let _ = (grad, start, learning_rate, steps);
    todo!("step against the gradient, `steps` times")
}
