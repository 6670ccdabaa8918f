// vision/padding_blur: TODO one line on what the learner writes.
// `learnml show vision/padding_blur` shows the full statement; `learnml check vision/padding_blur` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
