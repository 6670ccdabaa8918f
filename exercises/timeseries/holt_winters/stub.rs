// timeseries/holt_winters: TODO one line on what the learner writes.
// `learnml show timeseries/holt_winters` shows the full statement; `learnml check timeseries/holt_winters` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
