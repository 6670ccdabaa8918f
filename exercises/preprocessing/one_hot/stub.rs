// preprocessing/one_hot: one-hot encode a categorical column with a stable category order.
// `learnml show preprocessing/one_hot` shows the full statement; `learnml check preprocessing/one_hot` grades this file.

use ndarray::Array2;

/// What `fit` learned: the categories, one output column each.
#[derive(Debug, Clone, PartialEq)]
pub struct OneHot {
    /// The distinct training values, sorted; column `j` of the encoding is `categories[j]`.
    pub categories: Vec<String>,
}

/// Learn the categories of a column from its training values.
pub fn fit(values: &[&str]) -> OneHot {
    let _ = values;
    todo!("the distinct values, sorted")
}

/// An `values.len() x categories.len()` matrix of 0.0 / 1.0: row `i` has a 1 in the column of
/// `values[i]`; a category unknown to the encoder gives an all-zero row.
pub fn transform(encoder: &OneHot, values: &[&str]) -> Array2<f64> {
    let _ = (encoder, values);
    todo!("one 1.0 per row, in the column of its category")
}
