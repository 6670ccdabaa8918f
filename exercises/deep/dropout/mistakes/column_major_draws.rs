//! mistake: draws the uniforms column by column (j outer, i inner) instead of in row-major order
//! fails: mask_from_rng
//! message: "column-major"

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
    if !training {
        return (x.clone(), Array2::ones(x.dim()));
    }
    let (n, d) = x.dim();
    let scale = if p < 1.0 { 1.0 / (1.0 - p) } else { 0.0 };
    let mut mask = Array2::zeros((n, d));
    for j in 0..d {
        for i in 0..n {
            if rng.r#gen::<f64>() >= p {
                mask[[i, j]] = scale;
            }
        }
    }
    (x * &mask, mask)
}

/// The gradient of the loss with respect to the input of dropout.
pub fn dropout_backward(dout: &Array2<f64>, mask: &Array2<f64>) -> Array2<f64> {
    dout * mask
}
