//! mistake: unwraps the category's position, so an unknown category panics instead of giving a zero row
//! errors: unknown_category, fitted_on_train
//! message: "unwrap()"

// preprocessing/one_hot: one-hot encode a categorical column with a stable category order.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array2;

/// What `fit` learned: the categories, one output column each.
#[derive(Debug, Clone, PartialEq)]
pub struct OneHot {
    /// The distinct training values, sorted; column `j` of the encoding is `categories[j]`.
    pub categories: Vec<String>,
}

/// Learn the categories of a column from its training values.
pub fn fit(values: &[&str]) -> OneHot {
    let mut categories: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    categories.sort();
    categories.dedup();
    OneHot { categories }
}

/// An `values.len() x categories.len()` matrix of 0.0 / 1.0: row `i` has a 1 in the column of
/// `values[i]`; a category unknown to the encoder gives an all-zero row.
pub fn transform(encoder: &OneHot, values: &[&str]) -> Array2<f64> {
    let mut encoded = Array2::zeros((values.len(), encoder.categories.len()));
    for (i, value) in values.iter().enumerate() {
        let j = encoder
            .categories
            .binary_search_by(|c| c.as_str().cmp(value))
            .unwrap();
        encoded[[i, j]] = 1.0;
    }
    encoded
}
