//! mistake: keeps the categories in the order they first appear instead of sorting them
//! fails: categories_sorted
//! message: "the order in which they first appear"

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
    let mut categories: Vec<String> = Vec::new();
    for value in values {
        if !categories.iter().any(|c| c == value) {
            categories.push(value.to_string());
        }
    }
    OneHot { categories }
}

/// An `values.len() x categories.len()` matrix of 0.0 / 1.0: row `i` has a 1 in the column of
/// `values[i]`; a category unknown to the encoder gives an all-zero row.
pub fn transform(encoder: &OneHot, values: &[&str]) -> Array2<f64> {
    let mut encoded = Array2::zeros((values.len(), encoder.categories.len()));
    for (i, value) in values.iter().enumerate() {
        if let Ok(j) = encoder
            .categories
            .binary_search_by(|c| c.as_str().cmp(value))
        {
            encoded[[i, j]] = 1.0;
        }
    }
    encoded
}
