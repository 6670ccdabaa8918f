//! alternative: groups samples by distinct score in a Vec of (score, positives, negatives), sorted with sort_unstable_by; AUC as the Mann-Whitney sum over the groups, not the trapezoid

// supervised/roc_auc: the ROC curve and the area under it, with tied scores handled.

fn groups(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64, f64)> {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(truth.iter().copied()).collect();
    pairs.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut groups: Vec<(f64, f64, f64)> = Vec::new();
    for (score, positive) in pairs {
        match groups.last_mut() {
            Some(group) if group.0 == score => {}
            _ => groups.push((score, 0.0, 0.0)),
        }
        let group = groups.last_mut().expect("just pushed");
        if positive {
            group.1 += 1.0;
        } else {
            group.2 += 1.0;
        }
    }
    groups
}

/// The ROC curve as (false positive rate, true positive rate) points: (0, 0) first, then one
/// point per distinct score, from the highest score down (samples with equal scores cross the
/// threshold together: one step), ending at (1, 1). `true` is the positive class and a higher
/// score means "more positive". Both classes are present.
pub fn roc_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let p = truth.iter().filter(|&&t| t).count() as f64;
    let n = truth.len() as f64 - p;
    let mut curve = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    for (_, pos, neg) in groups(truth, scores) {
        tp += pos;
        fp += neg;
        curve.push((fp / n, tp / p));
    }
    curve
}

/// The area under the ROC curve by the trapezoid rule, in [0, 1]. `f64::NAN` when `truth`
/// holds a single class (the curve is undefined).
pub fn auc(truth: &[bool], scores: &[f64]) -> f64 {
    let p = truth.iter().filter(|&&t| t).count() as f64;
    let n = truth.len() as f64 - p;
    if p == 0.0 || n == 0.0 {
        return f64::NAN;
    }
    // Each negative of a group is beaten by every positive above it, tied with those beside.
    let mut positives_above = 0.0;
    let mut wins = 0.0;
    for (_, pos, neg) in groups(truth, scores) {
        wins += neg * (positives_above + pos / 2.0);
        positives_above += pos;
    }
    wins / (p * n)
}
