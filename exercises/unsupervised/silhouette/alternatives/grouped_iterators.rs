//! alternative: groups the points by label in a BTreeMap and computes each mean distance with iterators

// unsupervised/silhouette: the silhouette score by hand.

use std::collections::BTreeMap;

use ndarray::Array2;

fn distance(x: &Array2<f64>, i: usize, j: usize) -> f64 {
    let diff = &x.row(i) - &x.row(j);
    diff.dot(&diff).sqrt()
}

/// The mean silhouette of the clustering `labels` (one per row of `x`, any numbers, at least
/// two distinct ones), with Euclidean distances; a point alone in its cluster scores 0.
pub fn silhouette(x: &Array2<f64>, labels: &[usize]) -> f64 {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &label) in labels.iter().enumerate() {
        groups.entry(label).or_default().push(i);
    }
    let scores = (0..x.nrows()).map(|i| {
        let own = &groups[&labels[i]];
        if own.len() == 1 {
            return 0.0;
        }
        let a = own.iter().map(|&j| distance(x, i, j)).sum::<f64>() / (own.len() - 1) as f64;
        let b = groups
            .iter()
            .filter(|(label, _)| **label != labels[i])
            .map(|(_, members)| {
                members.iter().map(|&j| distance(x, i, j)).sum::<f64>() / members.len() as f64
            })
            .fold(f64::INFINITY, f64::min);
        (b - a) / a.max(b)
    });
    scores.sum::<f64>() / x.nrows() as f64
}
