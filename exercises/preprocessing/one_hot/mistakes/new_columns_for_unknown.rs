//! mistake: transform appends a column for each value the encoder has not seen (the test set changes the columns)
//! fails: unknown_category, fitted_on_train
//! message: "the values being transformed added columns"

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
    // New categories get a column of their own, after the fitted ones.
    let mut categories = encoder.categories.clone();
    for value in values {
        if !categories.iter().any(|c| c == value) {
            categories.push(value.to_string());
        }
    }
    let mut encoded = Array2::zeros((values.len(), categories.len()));
    for (i, value) in values.iter().enumerate() {
        let j = categories.iter().position(|c| c == value).unwrap();
        encoded[[i, j]] = 1.0;
    }
    encoded
}
