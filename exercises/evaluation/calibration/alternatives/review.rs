//! alternative: truncation by `as usize` for the bin, one pass accumulating per-bin sums, ECE as Σ |Σ y − Σ p| / N without computing the bins' means

// evaluation/calibration: reliability bins, Brier score and expected calibration error.

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
    // p · n is never negative here, so truncation toward zero is the floor.
    let k = (p * n_bins as f64) as usize;
    if k >= n_bins { n_bins - 1 } else { k }
}

/// The `n_bins` bins of a reliability diagram, in order (bin `k` covers [k/n, (k+1)/n)):
/// count, mean predicted probability and observed frequency of `true` labels. Empty bins have
/// count 0 and `None` for both means. `probs` and `labels` have the same length.
pub fn reliability(probs: &[f64], labels: &[bool], n_bins: usize) -> Vec<Bin> {
    let sums = bin_sums(probs, labels, n_bins);
    sums.into_iter()
        .map(|(count, sum_p, sum_y)| {
            let n = count as f64;
            Bin {
                count,
                mean_predicted: (count > 0).then(|| sum_p / n),
                observed: (count > 0).then(|| sum_y / n),
            }
        })
        .collect()
}

/// The Brier score: the mean of (p_i - y_i)² with y_i = 1 for `true`, 0 for `false`.
pub fn brier(probs: &[f64], labels: &[bool]) -> f64 {
    let mut total = 0.0;
    for i in 0..probs.len() {
        let y = if labels[i] { 1.0 } else { 0.0 };
        total += (probs[i] - y).powi(2);
    }
    total / probs.len() as f64
}

/// The expected calibration error over `n_bins` bins: the sum over non-empty bins of
/// (count / N) · |observed - mean_predicted|.
pub fn ece(probs: &[f64], labels: &[bool], n_bins: usize) -> f64 {
    // (n_b / N) · |Σ y / n_b − Σ p / n_b| = |Σ y − Σ p| / N; empty bins add 0.
    let n = probs.len() as f64;
    bin_sums(probs, labels, n_bins)
        .iter()
        .map(|&(_, sum_p, sum_y)| (sum_y - sum_p).abs())
        .sum::<f64>()
        / n
}

/// Per bin: (count, sum of p, number of true labels).
fn bin_sums(probs: &[f64], labels: &[bool], n_bins: usize) -> Vec<(usize, f64, f64)> {
    let mut sums = vec![(0usize, 0.0f64, 0.0f64); n_bins];
    for (&p, &y) in probs.iter().zip(labels) {
        let s = &mut sums[bin_index(p, n_bins)];
        s.0 += 1;
        s.1 += p;
        s.2 += f64::from(u8::from(y));
    }
    sums
}
