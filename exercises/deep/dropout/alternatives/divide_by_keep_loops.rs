//! alternative: output computed as x / (1 - p) rather than x * mask, indexed loops, no draw at all at p = 0 or p = 1

// deep/dropout: inverted dropout, forward (training and evaluation) and backward.
// `learnml show deep/dropout` shows the full statement; `learnml check deep/dropout` grades this file.

use ndarray::Array2;
use rand::Rng;

/// Inverted dropout of `x` (n x d) with drop probability `p` in [0, 1].
pub fn dropout_forward(
    x: &Array2<f64>,
    p: f64,
    training: bool,
    rng: &mut impl Rng,
) -> (Array2<f64>, Array2<f64>) {
    let (n, d) = x.dim();
    if !training || p == 0.0 {
        return (x.clone(), Array2::ones((n, d)));
    }
    if p >= 1.0 {
        return (Array2::zeros((n, d)), Array2::zeros((n, d)));
    }
    let mut out = Array2::zeros((n, d));
    let mut mask = Array2::zeros((n, d));
    for i in 0..n {
        for j in 0..d {
            let u: f64 = rng.r#gen();
            if u >= p {
                out[[i, j]] = x[[i, j]] / (1.0 - p);
                mask[[i, j]] = 1.0 / (1.0 - p);
            }
        }
    }
    (out, mask)
}

/// The gradient of the loss with respect to the input of dropout.
pub fn dropout_backward(dout: &Array2<f64>, mask: &Array2<f64>) -> Array2<f64> {
    let mut dx = dout.clone();
    dx.zip_mut_with(mask, |g, &m| *g *= m);
    dx
}
