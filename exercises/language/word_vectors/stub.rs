// language/word_vectors: TODO one line on what the learner writes.
// `learnml show language/word_vectors` shows the full statement; `learnml check language/word_vectors` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
