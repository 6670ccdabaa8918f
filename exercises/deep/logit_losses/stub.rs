// deep/logit_losses: cross-entropy and binary cross-entropy on logits, fused and stable.
// `learnml show deep/logit_losses` shows the full statement; `learnml check deep/logit_losses` grades this file.

use ndarray::{Array1, Array2};

/// PyTorch's `CrossEntropyLoss` (mean reduction): `logits` n x k (raw scores, any size),
/// `targets` n class indices in 0..k. L = (1/n) Σ_i [ln Σ_c exp(logits[i, c]) − logits[i, y_i]],
/// with the log-sum-exp computed stably (subtract each row's max first).
pub fn cross_entropy(logits: &Array2<f64>, targets: &[usize]) -> f64 {
    let _ = (logits, targets);
    todo!("the mean over rows of logsumexp(row) − row[y], with the row max subtracted")
}

/// dL/dlogits of `cross_entropy` (n x k): (softmax(logits) − onehot(targets)) / n.
pub fn cross_entropy_backward(logits: &Array2<f64>, targets: &[usize]) -> Array2<f64> {
    let _ = (logits, targets);
    todo!("(softmax − onehot) / n")
}

/// PyTorch's `BCEWithLogitsLoss` (mean reduction): `logits` x and `targets` y in [0, 1], both
/// n long. L = (1/n) Σ_i [max(x, 0) − x·y + ln(1 + exp(−|x|))], the stable form of
/// −[y ln σ(x) + (1 − y) ln(1 − σ(x))].
pub fn bce_with_logits(logits: &Array1<f64>, targets: &Array1<f64>) -> f64 {
    let _ = (logits, targets);
    todo!("the mean of max(x, 0) − x·y + ln(1 + e^(−|x|))")
}

/// dL/dlogits of `bce_with_logits` (n): (σ(x) − y) / n.
pub fn bce_with_logits_backward(logits: &Array1<f64>, targets: &Array1<f64>) -> Array1<f64> {
    let _ = (logits, targets);
    todo!("(σ(x) − y) / n")
}
