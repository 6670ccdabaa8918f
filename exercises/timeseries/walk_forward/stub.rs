// timeseries/walk_forward: TODO one line on what the learner writes.
// `learnml show timeseries/walk_forward` shows the full statement; `learnml check timeseries/walk_forward` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
