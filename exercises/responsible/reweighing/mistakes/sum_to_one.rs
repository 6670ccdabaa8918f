//! mistake: uses probabilities P(y) P(g) / P(g, y) divided once more by n, so the weights sum to 1
//! fails: weights_by_hand
//! message: "sum to 1"

// responsible/reweighing: Kamiran & Calders reweighing, a fairness mitigation before training.

use std::collections::HashMap;

/// One weight per sample: weight(g, y) = n_y · n_g / (n · n_{g,y}), where n is the number of
/// samples, n_g the size of group g, n_y the number with label y and n_{g,y} the number with
/// both. `groups[i]` is the group id of sample i, `labels[i]` its label (`true` = positive).
pub fn reweighing(groups: &[usize], labels: &[bool]) -> Vec<f64> {
    let n = groups.len() as f64;
    let mut n_g: HashMap<usize, f64> = HashMap::new();
    let mut n_y: HashMap<bool, f64> = HashMap::new();
    let mut n_gy: HashMap<(usize, bool), f64> = HashMap::new();
    for (&g, &y) in groups.iter().zip(labels) {
        *n_g.entry(g).or_default() += 1.0;
        *n_y.entry(y).or_default() += 1.0;
        *n_gy.entry((g, y)).or_default() += 1.0;
    }
    groups
        .iter()
        .zip(labels)
        .map(|(&g, &y)| n_y[&y] * n_g[&g] / (n * n * n_gy[&(g, y)]))
        .collect()
}
