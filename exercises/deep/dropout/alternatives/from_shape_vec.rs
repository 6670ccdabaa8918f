//! alternative: iterators: the draws collected into a Vec (row-major), the mask and output built with `mapv` and `Zip`

// deep/dropout: inverted dropout, forward (training and evaluation) and backward.
// `learnml show deep/dropout` shows the full statement; `learnml check deep/dropout` grades this file.

use ndarray::{Array2, Zip};
use rand::Rng;

/// Inverted dropout of `x` (n x d) with drop probability `p` in [0, 1] (PyTorch's convention:
/// `nn.Dropout(p)` drops each unit with probability p). Returns `(output, mask)`.
pub fn dropout_forward(
    x: &Array2<f64>,
    p: f64,
    training: bool,
    rng: &mut impl Rng,
) -> (Array2<f64>, Array2<f64>) {
    if !training {
        return (x.to_owned(), Array2::from_elem(x.dim(), 1.0));
    }
    if p >= 1.0 {
        return (Array2::zeros(x.dim()), Array2::zeros(x.dim()));
    }
    let draws: Vec<f64> = (0..x.len()).map(|_| rng.r#gen::<f64>()).collect();
    let draws = Array2::from_shape_vec(x.dim(), draws).expect("n * d draws");
    let mask = draws.mapv(|u| f64::from(u8::from(u >= p)) / (1.0 - p));
    let output = Zip::from(x).and(&mask).map_collect(|a, m| a * m);
    (output, mask)
}

/// The gradient of the loss with respect to the input of dropout: dout ⊙ mask.
pub fn dropout_backward(dout: &Array2<f64>, mask: &Array2<f64>) -> Array2<f64> {
    Zip::from(dout).and(mask).map_collect(|g, m| g * m)
}
