// evaluation/calibration: reference solution.

/// One bin of a reliability diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// How many probabilities fell in the bin.
    pub count: usize,
    /// Mean of the bin's predicted probabilities; `None` when the bin is empty.
    pub mean_predicted: Option<f64>,
    /// Fraction of the bin's labels that are `true`; `None` when the bin is empty.
    pub observed: Option<f64>,
}

/// The bin of `p` (in [0, 1]) among `n_bins` equal-width bins on [0, 1]: bins are [a, b), the
/// index is `⌊p · n_bins⌋`, and `p = 1.0` goes in the last bin (`n_bins - 1`).
pub fn bin_index(p: f64, n_bins: usize) -> usize {
    ((p * n_bins as f64).floor() as usize).min(n_bins - 1)
}

/// The `n_bins` bins of a reliability diagram, in order (bin `k` covers [k/n, (k+1)/n)):
/// count, mean predicted probability and observed frequency of `true` labels. Empty bins have
/// count 0 and `None` for both means. `probs` and `labels` have the same length.
pub fn reliability(probs: &[f64], labels: &[bool], n_bins: usize) -> Vec<Bin> {
    let mut counts = vec![0usize; n_bins];
    let mut sum_p = vec![0.0; n_bins];
    let mut positives = vec![0.0; n_bins];
    for (&p, &y) in probs.iter().zip(labels) {
        let b = bin_index(p, n_bins);
        counts[b] += 1;
        sum_p[b] += p;
        if y {
            positives[b] += 1.0;
        }
    }
    (0..n_bins)
        .map(|b| {
            let n = counts[b] as f64;
            Bin {
                count: counts[b],
                mean_predicted: (counts[b] > 0).then(|| sum_p[b] / n),
                observed: (counts[b] > 0).then(|| positives[b] / n),
            }
        })
        .collect()
}

/// The Brier score: the mean of (p_i - y_i)² with y_i = 1 for `true`, 0 for `false`.
pub fn brier(probs: &[f64], labels: &[bool]) -> f64 {
    let total: f64 = probs
        .iter()
        .zip(labels)
        .map(|(&p, &y)| (p - f64::from(u8::from(y))).powi(2))
        .sum();
    total / probs.len() as f64
}

/// The expected calibration error over `n_bins` bins: the sum over non-empty bins of
/// (count / N) · |observed - mean_predicted|.
pub fn ece(probs: &[f64], labels: &[bool], n_bins: usize) -> f64 {
    let n = probs.len() as f64;
    reliability(probs, labels, n_bins)
        .iter()
        .filter_map(|bin| match (bin.mean_predicted, bin.observed) {
            (Some(conf), Some(freq)) => Some(bin.count as f64 / n * (freq - conf).abs()),
            _ => None,
        })
        .sum()
}
