// responsible/reweighing: Kamiran & Calders reweighing, a fairness mitigation before training.

/// One weight per sample: weight(g, y) = n_y · n_g / (n · n_{g,y}), where n is the number of
/// samples, n_g the size of group g, n_y the number with label y and n_{g,y} the number with
/// both. `groups[i]` is the group id of sample i, `labels[i]` its label (`true` = positive).
pub fn reweighing(groups: &[usize], labels: &[bool]) -> Vec<f64> {
    let _ = (groups, labels);
    todo!("count n, n_g, n_y and n_(g,y), then weight each sample")
}
