// evaluation/recalibration: TODO one line on what the learner writes.
// `learnml show evaluation/recalibration` shows the full statement; `learnml check evaluation/recalibration` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
