// recommenders/matrix_factorization: TODO one line on what the learner writes.
// `learnml show recommenders/matrix_factorization` shows the full statement; `learnml check recommenders/matrix_factorization` grades this file.

/// The arithmetic mean of `values` (never empty).
pub fn mean(values: &[f64]) -> f64 {
    let _ = values;
    todo!("add the values up and divide by how many there are")
}
