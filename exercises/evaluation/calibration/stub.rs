// evaluation/calibration: reliability bins, Brier score and expected calibration error.
// `learnml show evaluation/calibration` shows the full statement; `learnml check evaluation/calibration` grades this file.

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
    let _ = (p, n_bins);
    todo!("multiply by the number of bins and round down; mind p = 1")
}

/// The `n_bins` bins of a reliability diagram, in order (bin `k` covers [k/n, (k+1)/n)):
/// count, mean predicted probability and observed frequency of `true` labels. Empty bins have
/// count 0 and `None` for both means. `probs` and `labels` have the same length.
pub fn reliability(probs: &[f64], labels: &[bool], n_bins: usize) -> Vec<Bin> {
    let _ = (probs, labels, n_bins);
    todo!("accumulate count, sum of p and number of true labels per bin")
}

/// The Brier score: the mean of (p_i - y_i)² with y_i = 1 for `true`, 0 for `false`.
pub fn brier(probs: &[f64], labels: &[bool]) -> f64 {
    let _ = (probs, labels);
    todo!("the mean squared difference between probability and label")
}

/// The expected calibration error over `n_bins` bins: the sum over non-empty bins of
/// (count / N) · |observed - mean_predicted|.
pub fn ece(probs: &[f64], labels: &[bool], n_bins: usize) -> f64 {
    let _ = (probs, labels, n_bins);
    todo!("weight each bin's gap by its share of the cases")
}
