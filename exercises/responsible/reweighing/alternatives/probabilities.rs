//! alternative: P(g) P(y) / P(g, y) from counts in a BTreeMap, with the probabilities estimated as shares

// responsible/reweighing: Kamiran & Calders reweighing, a fairness mitigation before training.

use std::collections::BTreeMap;

/// One weight per sample: weight(g, y) = n_y · n_g / (n · n_{g,y}), where n is the number of
/// samples, n_g the size of group g, n_y the number with label y and n_{g,y} the number with
/// both. `groups[i]` is the group id of sample i, `labels[i]` its label (`true` = positive).
pub fn reweighing(groups: &[usize], labels: &[bool]) -> Vec<f64> {
    let n = groups.len() as f64;
    let mut joint: BTreeMap<(usize, bool), usize> = BTreeMap::new();
    for (&g, &y) in groups.iter().zip(labels) {
        *joint.entry((g, y)).or_insert(0) += 1;
    }
    let share_of_group = |g: usize| groups.iter().filter(|&&h| h == g).count() as f64 / n;
    let share_of_label = |y: bool| labels.iter().filter(|&&l| l == y).count() as f64 / n;
    groups
        .iter()
        .zip(labels)
        .map(|(&g, &y)| {
            let p_gy = joint[&(g, y)] as f64 / n;
            share_of_group(g) * share_of_label(y) / p_gy
        })
        .collect()
}
