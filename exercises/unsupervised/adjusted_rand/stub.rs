// unsupervised/adjusted_rand: the adjusted Rand index between two labellings, by hand.
// `learnml show unsupervised/adjusted_rand` shows the full statement; `learnml check unsupervised/adjusted_rand` grades this file.

/// Hubert & Arabie's adjusted Rand index between two labellings of the same points (labels are
/// any numbers; only equality matters); 1 when max index = expected index.
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let _ = (truth, predicted);
    todo!("contingency table, pair counts, adjustment for chance")
}
