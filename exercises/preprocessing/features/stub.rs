// preprocessing/features: log transform, polynomial and interaction features.
// `learnml show preprocessing/features` shows the full statement; `learnml check preprocessing/features` grades this file.

use ndarray::Array2;

/// `ln(1 + x)` of every value (values > -1), in the same order.
pub fn log1p_column(values: &[f64]) -> Vec<f64> {
    let _ = values;
    todo!("ln(1 + x) for each value")
}

/// Degree-2 polynomial features of `x` (n x d), scikit-learn's
/// `PolynomialFeatures(degree=2, include_bias=False)` order: the d originals, then x_i x_j for
/// i <= j (i < j when `interaction_only`) in lexicographic order of (i, j).
pub fn polynomial(x: &Array2<f64>, interaction_only: bool) -> Array2<f64> {
    let _ = (x, interaction_only);
    todo!("originals, then the products x_i x_j")
}
