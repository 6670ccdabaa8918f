//! alternative: counts the pairs directly (together in both, in one only, apart in both) and uses the 2 x 2 pair-confusion form of the ARI

// unsupervised/adjusted_rand: the adjusted Rand index between two labellings.

/// Hubert & Arabie's adjusted Rand index between two labellings of the same points (labels are
/// any numbers; only equality matters); 1 when max index = expected index.
pub fn adjusted_rand_index(truth: &[usize], predicted: &[usize]) -> f64 {
    let n = truth.len();
    // both: together in both; only_truth / only_predicted: together in one; neither: apart.
    let (mut both, mut only_truth, mut only_predicted, mut neither) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..n {
        for j in i + 1..n {
            match (truth[i] == truth[j], predicted[i] == predicted[j]) {
                (true, true) => both += 1.0,
                (true, false) => only_truth += 1.0,
                (false, true) => only_predicted += 1.0,
                (false, false) => neither += 1.0,
            }
        }
    }
    let denominator: f64 = (both + only_truth) * (only_truth + neither)
        + (both + only_predicted) * (only_predicted + neither);
    if denominator == 0.0 {
        return 1.0;
    }
    2.0 * (both * neither - only_truth * only_predicted) / denominator
}
