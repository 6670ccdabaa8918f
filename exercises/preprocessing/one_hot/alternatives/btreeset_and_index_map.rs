//! alternative: categories through a BTreeSet, transform through a HashMap from category to column and from_shape_fn

// preprocessing/one_hot: one-hot encode a categorical column with a stable category order.
// `learnml next` shows the full statement; `learnml check` grades this file.

use std::collections::{BTreeSet, HashMap};

use ndarray::Array2;

/// What `fit` learned: the categories, one output column each.
#[derive(Debug, Clone, PartialEq)]
pub struct OneHot {
    /// The distinct training values, sorted; column `j` of the encoding is `categories[j]`.
    pub categories: Vec<String>,
}

/// Learn the categories of a column from its training values.
pub fn fit(values: &[&str]) -> OneHot {
    let distinct: BTreeSet<&str> = values.iter().copied().collect();
    OneHot {
        categories: distinct.into_iter().map(String::from).collect(),
    }
}

/// An `values.len() x categories.len()` matrix of 0.0 / 1.0: row `i` has a 1 in the column of
/// `values[i]`; a category unknown to the encoder gives an all-zero row.
pub fn transform(encoder: &OneHot, values: &[&str]) -> Array2<f64> {
    let column: HashMap<&str, usize> = encoder
        .categories
        .iter()
        .enumerate()
        .map(|(j, c)| (c.as_str(), j))
        .collect();
    Array2::from_shape_fn((values.len(), encoder.categories.len()), |(i, j)| {
        if column.get(values[i]) == Some(&j) {
            1.0
        } else {
            0.0
        }
    })
}
