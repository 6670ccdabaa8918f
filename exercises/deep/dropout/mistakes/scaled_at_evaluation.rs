//! mistake: the original, non-inverted dropout: kept units unscaled in training, output x (1 - p) at evaluation
//! fails: evaluation
//! message: "non-inverted"

// deep/dropout: inverted dropout, forward (training and evaluation) and backward.
// `learnml show deep/dropout` shows the full statement; `learnml check deep/dropout` grades this file.

use ndarray::Array2;
use rand::Rng;

/// Inverted dropout of `x` (n x d) with drop probability `p` in [0, 1] (PyTorch's convention:
/// `nn.Dropout(p)` drops each unit with probability p).
///
/// Training (`training = true`): draw one `rng.r#gen::<f64>()` per entry of `x`, in row-major
/// order (row 0 left to right, then row 1...); the entry is dropped when the draw is `< p`.
/// Kept entries are scaled by 1 / (1 - p). Returns `(output, mask)`, both n x d, where
/// `mask[[i, j]]` is the factor x[[i, j]] was multiplied by: 0 (dropped) or 1 / (1 - p) (kept),
/// so that `output = x ⊙ mask`. At p = 1 every entry is dropped: output and mask all 0 (no NaN).
///
/// Evaluation (`training = false`): the identity, `output = x` and `mask` all 1, no draw.
pub fn dropout_forward(
    x: &Array2<f64>,
    p: f64,
    training: bool,
    rng: &mut impl Rng,
) -> (Array2<f64>, Array2<f64>) {
    if !training {
        return (x * (1.0 - p), Array2::from_elem(x.dim(), 1.0 - p));
    }
    let scale = 1.0;
    let mut mask = Array2::zeros(x.dim());
    // `iter_mut` visits the entries in row-major order, one draw each.
    for m in mask.iter_mut() {
        if rng.r#gen::<f64>() >= p {
            *m = scale;
        }
    }
    (x * &mask, mask)
}

/// The gradient of the loss with respect to the input of dropout, given `dout` (n x d), the
/// gradient with respect to its output, and the `mask` its forward pass returned.
pub fn dropout_backward(dout: &Array2<f64>, mask: &Array2<f64>) -> Array2<f64> {
    dout * mask
}
