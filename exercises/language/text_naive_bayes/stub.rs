// language/text_naive_bayes: TODO one line on what the learner writes.
// `learnml show language/text_naive_bayes` shows the full statement; `learnml check language/text_naive_bayes` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
