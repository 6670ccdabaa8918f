//! mistake: the stable BCE written with ln(1 + e^(−x)) instead of ln(1 + e^(−|x|)), which counts −x twice for negative logits (and overflows at −1000)
//! fails: bce_value
//! message: "without the absolute value"

// deep/logit_losses: cross-entropy and binary cross-entropy on logits, fused and stable.
// `learnml show deep/logit_losses` shows the full statement; `learnml check deep/logit_losses` grades this file.

use ndarray::{Array1, Array2, Axis};

/// PyTorch's `CrossEntropyLoss` (mean reduction): `logits` n x k (raw scores, any size),
/// `targets` n class indices in 0..k. L = (1/n) Σ_i [ln Σ_c exp(logits[i, c]) − logits[i, y_i]],
/// with the log-sum-exp computed stably (subtract each row's max first).
pub fn cross_entropy(logits: &Array2<f64>, targets: &[usize]) -> f64 {
    let n = targets.len() as f64;
    let total: f64 = logits
        .axis_iter(Axis(0))
        .zip(targets)
        .map(|(row, &y)| {
            let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
            lse - row[y]
        })
        .sum();
    total / n
}

/// dL/dlogits of `cross_entropy` (n x k): (softmax(logits) − onehot(targets)) / n.
pub fn cross_entropy_backward(logits: &Array2<f64>, targets: &[usize]) -> Array2<f64> {
    let n = targets.len() as f64;
    let mut grad = logits.clone();
    for (mut row, &y) in grad.axis_iter_mut(Axis(0)).zip(targets) {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let total = row.sum();
        row /= total;
        row[y] -= 1.0;
    }
    grad / n
}

/// PyTorch's `BCEWithLogitsLoss` (mean reduction): `logits` x and `targets` y in [0, 1], both
/// n long. L = (1/n) Σ_i [max(x, 0) − x·y + ln(1 + exp(−|x|))], the stable form of
/// −[y ln σ(x) + (1 − y) ln(1 − σ(x))].
pub fn bce_with_logits(logits: &Array1<f64>, targets: &Array1<f64>) -> f64 {
    let n = logits.len() as f64;
    logits
        .iter()
        .zip(targets)
        .map(|(&x, &y)| x.max(0.0) - x * y + (-x).exp().ln_1p())
        .sum::<f64>()
        / n
}

/// dL/dlogits of `bce_with_logits` (n): (σ(x) − y) / n.
pub fn bce_with_logits_backward(logits: &Array1<f64>, targets: &Array1<f64>) -> Array1<f64> {
    let n = logits.len() as f64;
    let sigmoid = logits.mapv(|x| 1.0 / (1.0 + (-x).exp()));
    (sigmoid - targets) / n
}
