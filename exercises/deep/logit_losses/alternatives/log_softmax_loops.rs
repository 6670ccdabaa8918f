//! alternative: log_softmax first (one helper for both directions), loops over examples, BCE through a softplus helper

// deep/logit_losses: cross-entropy and binary cross-entropy on logits, fused and stable.

use ndarray::{Array1, Array2};

/// ln(1 + e^t) without overflow: t + ln(1 + e^(−t)) for t > 0.
fn softplus(t: f64) -> f64 {
    if t > 0.0 {
        t + (-t).exp().ln_1p()
    } else {
        t.exp().ln_1p()
    }
}

/// Row-wise log-softmax: z − m − ln Σ exp(z − m).
fn log_softmax(logits: &Array2<f64>) -> Array2<f64> {
    let mut out = logits.clone();
    for mut row in out.rows_mut() {
        let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_total = row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        row.mapv_inplace(|v| v - m - log_total);
    }
    out
}

/// PyTorch's `CrossEntropyLoss` (mean reduction): `logits` n x k (raw scores, any size),
/// `targets` n class indices in 0..k. L = (1/n) Σ_i [ln Σ_c exp(logits[i, c]) − logits[i, y_i]],
/// with the log-sum-exp computed stably (subtract each row's max first).
pub fn cross_entropy(logits: &Array2<f64>, targets: &[usize]) -> f64 {
    let log_p = log_softmax(logits);
    let mut total = 0.0;
    for (i, &y) in targets.iter().enumerate() {
        total -= log_p[[i, y]];
    }
    total / targets.len() as f64
}

/// dL/dlogits of `cross_entropy` (n x k): (softmax(logits) − onehot(targets)) / n.
pub fn cross_entropy_backward(logits: &Array2<f64>, targets: &[usize]) -> Array2<f64> {
    let n = targets.len() as f64;
    let mut grad = log_softmax(logits).mapv(f64::exp);
    for (i, &y) in targets.iter().enumerate() {
        grad[[i, y]] -= 1.0;
    }
    grad.mapv(|v| v / n)
}

/// PyTorch's `BCEWithLogitsLoss` (mean reduction): `logits` x and `targets` y in [0, 1], both
/// n long. L = (1/n) Σ_i [max(x, 0) − x·y + ln(1 + exp(−|x|))], the stable form of
/// −[y ln σ(x) + (1 − y) ln(1 − σ(x))].
pub fn bce_with_logits(logits: &Array1<f64>, targets: &Array1<f64>) -> f64 {
    // −ln σ(x) = softplus(−x) and −ln(1 − σ(x)) = softplus(x).
    let mut total = 0.0;
    for (&x, &y) in logits.iter().zip(targets) {
        total += y * softplus(-x) + (1.0 - y) * softplus(x);
    }
    total / logits.len() as f64
}

/// dL/dlogits of `bce_with_logits` (n): (σ(x) − y) / n.
pub fn bce_with_logits_backward(logits: &Array1<f64>, targets: &Array1<f64>) -> Array1<f64> {
    let n = logits.len() as f64;
    Array1::from_shape_fn(logits.len(), |i| {
        let x = logits[i];
        let s = if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            x.exp() / (1.0 + x.exp())
        };
        (s - targets[i]) / n
    })
}
