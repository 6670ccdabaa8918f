//! mistake: the fraction of points whose two labels are equal, as if clusters were classes
//! fails: relabelled, small_case
//! message: "fraction of equal labels"

// unsupervised/adjusted_rand: the adjusted Rand index between two labellings.

/// Hubert & Arabie's adjusted Rand index between two labellings of the same points (labels are
/// any numbers; only equality matters); 1 when max index = expected index.
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let same = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    same as f64 / truth.len() as f64
}
