//! mistake: the decimal logarithm log10(1 + x)
//! fails: log1p
//! message: "log10(1 + x)"

// preprocessing/features: log transform, polynomial and interaction features.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array2;

/// `ln(1 + x)` of every value (values > -1), in the same order.
pub fn log1p_column(values: &[f64]) -> Vec<f64> {
    values.iter().map(|x| (1.0 + x).log10()).collect()
}

/// Degree-2 polynomial features of `x` (n x d), scikit-learn's
/// `PolynomialFeatures(degree=2, include_bias=False)` order: the d originals, then x_i x_j for
/// i <= j (i < j when `interaction_only`) in lexicographic order of (i, j).
pub fn polynomial(x: &Array2<f64>, interaction_only: bool) -> Array2<f64> {
    let (n, d) = x.dim();
    let mut values = Vec::new();
    for row in x.rows() {
        values.extend(row.iter());
        for i in 0..d {
            let start = if interaction_only { i + 1 } else { i };
            for j in start..d {
                values.push(row[i] * row[j]);
            }
        }
    }
    let pairs = if interaction_only {
        d * d.saturating_sub(1) / 2
    } else {
        d * (d + 1) / 2
    };
    let width = d + pairs;
    Array2::from_shape_vec((n, width), values).expect("every row has the same width")
}
