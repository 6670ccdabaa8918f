// Grader of supervised/roc_auc.

use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;

use super::exercise::{auc, roc_curve};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("curve_public", curve_public),
    ("auc_public", auc_public),
    ("auc_hidden_ties", auc_hidden_ties),
    ("curve_hidden", curve_hidden),
    ("single_class", single_class),
];

const TOLERANCE: f64 = 1e-9;

// Public case: positives score 0.9, 0.8, 0.6; negatives 0.8, 0.4, 0.4 (P = N = 3).
// Thresholds from the top: 0.9 → (0, 1/3); 0.8 (one positive, one negative tied) → (1/3, 2/3);
// 0.6 → (1/3, 1); 0.4 (two negatives) → (1, 1).
// AUC by trapezoids: 1/3 · (1/3 + 2/3) / 2 + 0 + 2/3 · 1 = 5/6.
// By Mann-Whitney: of the 9 (positive, negative) pairs the positive wins 7 and ties 1: 7.5 / 9.
fn public_case() -> (Vec<bool>, Vec<f64>) {
    (
        vec![true, false, true, true, false, false],
        vec![0.9, 0.8, 0.8, 0.6, 0.4, 0.4],
    )
}

fn points(curve: &[(f64, f64)]) -> String {
    let shown: Vec<String> = curve
        .iter()
        .map(|(f, t)| format!("({}, {})", fmt(*f), fmt(*t)))
        .collect();
    format!("[{}]", shown.join(", "))
}

fn curve_public() -> Graded {
    let (truth, scores) = public_case();
    let got = roc_curve(&truth, &scores);
    let third = 1.0 / 3.0;
    let expected = [
        (0.0, 0.0),
        (0.0, third),
        (third, 2.0 * third),
        (third, 1.0),
        (1.0, 1.0),
    ];
    let case = "truth [T, F, T, T, F, F], scores [0.9, 0.8, 0.8, 0.6, 0.4, 0.4]";
    if got.len() > expected.len() && got.len() <= scores.len() + 1 {
        return Err(fail(format!(
            "ROC curve of {case}: {} points {}, expected 5 {}: tied scores (0.8 once each class, 0.4 twice) were split into separate steps",
            got.len(),
            points(&got),
            points(&expected)
        )))
        .hint("samples with the same score cross the threshold together: emit a point only after the last sample of a group of equal scores");
    }
    equal(
        &format!("number of points of the ROC curve of {case}"),
        &got.len(),
        &expected.len(),
    )
    .hint("(0, 0) first, then one point per distinct score (4 here)")?;
    for (k, ((gf, gt), (ef, et))) in got.iter().zip(&expected).enumerate() {
        close(
            &format!("FPR of point {k} of {}", points(&got)),
            *gf,
            *ef,
            TOLERANCE,
        )
        .hint("FPR = FP / N and TPR = TP / P, counting samples with a score ≥ the threshold")?;
        close(
            &format!("TPR of point {k} of {}", points(&got)),
            *gt,
            *et,
            TOLERANCE,
        )?;
    }
    pass(format!("{} (± 1e-9)", points(&expected)))
}

/// AUC as the probability that a random positive outscores a random negative, ties counting
/// one half (the Mann-Whitney U statistic over P·N): independent of any curve.
fn mann_whitney(truth: &[bool], scores: &[f64]) -> f64 {
    let (mut wins, mut pairs) = (0.0, 0.0);
    for (i, &ti) in truth.iter().enumerate() {
        for (j, &tj) in truth.iter().enumerate() {
            if ti && !tj {
                pairs += 1.0;
                if scores[i] > scores[j] {
                    wins += 1.0;
                } else if scores[i] == scores[j] {
                    wins += 0.5;
                }
            }
        }
    }
    wins / pairs
}

fn auc_public() -> Graded {
    let (truth, scores) = public_case();
    let got = auc(&truth, &scores);
    let expected = mann_whitney(&truth, &scores);
    if (got - (1.0 - expected)).abs() < TOLERANCE {
        return Err(fail(format!("AUC of the public case: expected {}, got {} = 1 - AUC: the positive class or the score order is swapped", fmt(expected), fmt(got))))
            .hint("walk the scores from the highest down, and count `true` as the positive class");
    }
    if (got - expected).abs() > TOLERANCE && roc_curve(&truth, &scores).len() > 5 {
        return Err(fail(format!(
            "AUC of the public case: expected {}, got {}: the tied scores were taken one sample at a time, so the AUC depends on the order of tied rows",
            fmt(expected),
            fmt(got)
        )))
        .hint("a tie between a positive and a negative is worth half a pair: one diagonal step per group of equal scores");
    }
    // Rectangles instead of trapezoids over the right curve: left heights 1/3·1/3 + 2/3·1 =
    // 7/9, right heights 1/3·2/3 + 2/3·1 = 8/9.
    close_naming(
        "AUC of truth [T, F, T, T, F, F], scores [0.9, 0.8, 0.8, 0.6, 0.4, 0.4]",
        got,
        expected,
        TOLERANCE,
        &[
            (7.0 / 9.0, "the rectangle rule with left heights: a diagonal step (tied scores) needs the trapezoid"),
            (8.0 / 9.0, "the rectangle rule with right heights: a diagonal step (tied scores) needs the trapezoid"),
        ],
    )
    .hint("trapezoid between consecutive points: (x₁ - x₀) · (y₀ + y₁) / 2")?;
    pass("AUC = 5/6 = 0.8333 (± 1e-9), as the Mann-Whitney pair count gives")
}

fn auc_hidden_ties() -> Graded {
    let mut rng = split::rng(5);
    for case in 0..25 {
        let n = rng.gen_range(2..60);
        let mut truth: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.4)).collect();
        truth[0] = true;
        truth[1] = false;
        // Scores on a coarse grid (0, 0.1, ..., 1), so many tie, some across classes.
        let scores: Vec<f64> = truth
            .iter()
            .map(|&t| ((rng.r#gen::<f64>() + if t { 0.3 } else { 0.0 }) * 7.0).round() / 10.0)
            .collect();
        let expected = mann_whitney(&truth, &scores);
        let got = auc(&truth, &scores);
        ensure((got - expected).abs() < TOLERANCE, || format!("hidden case {} of 25 ({n} samples, many tied scores): the AUC is wrong", case + 1))
            .hint("a tie between a positive and a negative is worth half a pair: the diagonal step of a group of equal scores gives exactly that")?;
    }
    pass("25 hidden cases with ties agree with the Mann-Whitney pair count within 1e-9")
}

fn curve_hidden() -> Graded {
    let mut rng = split::rng(6);
    for case in 0..15 {
        let n = rng.gen_range(2..40);
        let mut truth: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.5)).collect();
        truth[0] = true;
        truth[1] = false;
        let scores: Vec<f64> = (0..n).map(|_| (rng.r#gen::<f64>() * 5.0).round()).collect();
        let mut distinct = scores.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let curve = roc_curve(&truth, &scores);
        let sound = curve.len() == distinct.len() + 1
            && curve.first() == Some(&(0.0, 0.0))
            && curve
                .last()
                .is_some_and(|&(f, t)| (f - 1.0).abs() < TOLERANCE && (t - 1.0).abs() < TOLERANCE)
            && curve
                .windows(2)
                .all(|w| w[1].0 >= w[0].0 && w[1].1 >= w[0].1);
        ensure(sound, || {
            format!(
                "hidden case {} of 15 ({n} samples): the curve must start at (0, 0), end at (1, 1), never go down or left, and have one point per distinct score plus one",
                case + 1
            )
        })?;
    }
    pass("15 hidden curves: (0, 0) to (1, 1), monotone, one point per distinct score")
}

fn single_class() -> Graded {
    let got = auc(&[true, true, true], &[0.2, 0.5, 0.9]);
    ensure(got.is_nan(), || format!("AUC with only positives (no negative, FPR = 0/0): expected NaN, got {}", fmt(got)))
        .hint("with a single class in the truth (as in a small cross-validation fold) the ROC curve is undefined: return f64::NAN")?;
    let got = auc(&[false, false], &[0.2, 0.5]);
    ensure(got.is_nan(), || {
        format!("AUC with only negatives: expected NaN, got {}", fmt(got))
    })?;
    pass("a single class gives NaN, not a made-up 0, 0.5 or 1")
}
