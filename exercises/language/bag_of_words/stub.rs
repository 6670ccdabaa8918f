// language/bag_of_words: TODO one line on what the learner writes.
// `learnml show language/bag_of_words` shows the full statement; `learnml check language/bag_of_words` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
