// vision/sobel_edges: TODO one line on what the learner writes.
// `learnml show vision/sobel_edges` shows the full statement; `learnml check vision/sobel_edges` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
