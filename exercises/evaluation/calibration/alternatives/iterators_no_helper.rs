//! alternative: bins found by comparing with the edges k / n, one pass of fold, ECE computed without calling reliability

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
    // The last k whose lower edge k / n is at most p.
    (1..n_bins)
        .take_while(|&k| k as f64 / n_bins as f64 <= p)
        .last()
        .unwrap_or(0)
}

/// The `n_bins` bins of a reliability diagram, in order (bin `k` covers [k/n, (k+1)/n)):
/// count, mean predicted probability and observed frequency of `true` labels. Empty bins have
/// count 0 and `None` for both means. `probs` and `labels` have the same length.
pub fn reliability(probs: &[f64], labels: &[bool], n_bins: usize) -> Vec<Bin> {
    let sums = probs.iter().zip(labels).fold(
        vec![(0usize, 0.0f64, 0usize); n_bins],
        |mut acc, (&p, &y)| {
            let cell = &mut acc[bin_index(p, n_bins)];
            cell.0 += 1;
            cell.1 += p;
            cell.2 += usize::from(y);
            acc
        },
    );
    sums.into_iter()
        .map(|(count, sum_p, pos)| match count {
            0 => Bin {
                count,
                mean_predicted: None,
                observed: None,
            },
            _ => Bin {
                count,
                mean_predicted: Some(sum_p / count as f64),
                observed: Some(pos as f64 / count as f64),
            },
        })
        .collect()
}

/// The Brier score: the mean of (p_i - y_i)² with y_i = 1 for `true`, 0 for `false`.
pub fn brier(probs: &[f64], labels: &[bool]) -> f64 {
    let mut total = 0.0;
    for i in 0..probs.len() {
        let y = if labels[i] { 1.0 } else { 0.0 };
        total += (probs[i] - y) * (probs[i] - y);
    }
    total / probs.len() as f64
}

/// The expected calibration error over `n_bins` bins: the sum over non-empty bins of
/// (count / N) · |observed - mean_predicted|.
pub fn ece(probs: &[f64], labels: &[bool], n_bins: usize) -> f64 {
    // Σ_b (n_b / N) |freq_b - conf_b| = Σ_b |Σ_{i in b} (y_i - p_i)| / N.
    let mut residual = vec![0.0; n_bins];
    for (&p, &y) in probs.iter().zip(labels) {
        residual[bin_index(p, n_bins)] += f64::from(u8::from(y)) - p;
    }
    residual.iter().map(|r| r.abs()).sum::<f64>() / probs.len() as f64
}
