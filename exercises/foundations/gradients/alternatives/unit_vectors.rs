//! alternative: the gradient as from_shape_fn over unit vectors e_i; descent updates x in place with scaled_add

// foundations/gradients: a numerical gradient by central differences, and gradient descent.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array1;

/// The gradient of `f` at `x` by central differences with step `h`: component `i` is
/// `(f(x + h e_i) - f(x - h e_i)) / (2 h)`, where `e_i` is the i-th unit vector.
pub fn numerical_gradient(f: impl Fn(&Array1<f64>) -> f64, x: &Array1<f64>, h: f64) -> Array1<f64> {
    Array1::from_shape_fn(x.len(), |i| {
        let mut step = Array1::zeros(x.len());
        step[i] = h;
        (f(&(x + &step)) - f(&(x - &step))) / (2.0 * h)
    })
}

/// Gradient descent: start at `start` and take exactly `steps` steps
/// `x <- x - learning_rate * grad(x)`; return the last `x` (`start` itself for 0 steps).
pub fn gradient_descent(
    grad: impl Fn(&Array1<f64>) -> Array1<f64>,
    start: &Array1<f64>,
    learning_rate: f64,
    steps: usize,
) -> Array1<f64> {
    let mut x = start.to_owned();
    (0..steps).for_each(|_| {
        let g = grad(&x);
        x.scaled_add(-learning_rate, &g);
    });
    x
}
