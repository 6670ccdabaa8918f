//! alternative: log1p by Goldberg's compensated formula; polynomial features from a list of index pairs and from_shape_fn

// preprocessing/features: log transform, polynomial and interaction features.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array2;

/// `ln(1 + x)` of every value (values > -1), in the same order.
pub fn log1p_column(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .map(|&x| {
            // Goldberg (1991): the rounding of u = 1 + x cancels in ln(u) x / (u - 1).
            let u = 1.0 + x;
            if u == 1.0 { x } else { u.ln() * x / (u - 1.0) }
        })
        .collect()
}

/// Degree-2 polynomial features of `x` (n x d), scikit-learn's
/// `PolynomialFeatures(degree=2, include_bias=False)` order: the d originals, then x_i x_j for
/// i <= j (i < j when `interaction_only`) in lexicographic order of (i, j).
pub fn polynomial(x: &Array2<f64>, interaction_only: bool) -> Array2<f64> {
    let d = x.ncols();
    let pairs: Vec<(usize, usize)> = (0..d)
        .flat_map(|i| (i..d).map(move |j| (i, j)))
        .filter(|&(i, j)| !(interaction_only && i == j))
        .collect();
    Array2::from_shape_fn((x.nrows(), d + pairs.len()), |(r, c)| {
        if c < d {
            x[[r, c]]
        } else {
            let (i, j) = pairs[c - d];
            x[[r, i]] * x[[r, j]]
        }
    })
}
