// Grader of supervised/classification_metrics.

use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;
use rand::Rng;

use super::exercise::{binary_scores, confusion_matrix, macro_f1};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("confusion_public", confusion_public),
    ("binary_public", binary_public),
    ("zero_division", zero_division),
    ("macro_public", macro_public),
    ("hidden_cases", hidden_cases),
];

const TOLERANCE: f64 = 1e-12;

/// A matrix as a list of rows, for messages (ndarray's Debug adds strides and layout).
fn rows(m: &Array2<usize>) -> Vec<Vec<usize>> {
    m.rows().into_iter().map(|r| r.to_vec()).collect()
}

fn confusion_public() -> Graded {
    let truth = [0, 0, 1, 1, 1, 2, 2];
    let predicted = [0, 1, 1, 1, 2, 0, 2];
    // Pairs (t, p): (0,0) (0,1) (1,1) (1,1) (1,2) (2,0) (2,2).
    let expected = vec![vec![1, 1, 0], vec![0, 2, 1], vec![1, 0, 1]];
    let got = confusion_matrix(&truth, &predicted, 3);
    equal("shape of the 3-class confusion matrix", &got.dim(), &(3, 3))?;
    if rows(&got.t().to_owned()) == expected {
        return Err(fail(format!(
            "confusion matrix of truth {truth:?}, predicted {predicted:?}: got {:?}, the transpose of the expected {expected:?}",
            rows(&got)
        )))
        .hint("rows are the true class, columns the predicted class: entry [t, p]");
    }
    equal(
        &format!("confusion matrix of truth {truth:?}, predicted {predicted:?}"),
        &rows(&got),
        &expected,
    )?;
    let absent = confusion_matrix(&[0, 0], &[0, 0], 3);
    equal(
        "shape of the matrix of truth [0, 0], predicted [0, 0] with 3 classes",
        &absent.dim(),
        &(3, 3),
    )
    .hint("the matrix is n_classes x n_classes even when a class never appears")?;
    equal(
        "confusion matrix of truth [0, 0], predicted [0, 0] with 3 classes",
        &rows(&absent),
        &vec![vec![2, 0, 0], vec![0, 0, 0], vec![0, 0, 0]],
    )?;
    pass("rows = truth, columns = prediction; absent classes keep their row and column")
}

/// Truth and predictions with TP = 3, FP = 1, FN = 2, TN = 4.
fn public_binary() -> (Vec<bool>, Vec<bool>) {
    let t = [
        true, true, true, true, true, false, false, false, false, false,
    ];
    let p = [
        true, true, true, false, false, true, false, false, false, false,
    ];
    (t.to_vec(), p.to_vec())
}

fn binary_public() -> Graded {
    let (t, p) = public_binary();
    // precision = 3 / 4, recall = 3 / 5, F1 = 2·3 / (2·3 + 1 + 2) = 2/3.
    let (precision, recall, f1) = binary_scores(&t, &p);
    let case = "TP = 3, FP = 1, FN = 2, TN = 4";
    // The positive class swapped: precision = TN / (TN + FN) = 4/6, recall = TN / (TN + FP) = 4/5.
    if (precision - 4.0 / 6.0).abs() < 1e-9 && (recall - 0.8).abs() < 1e-9 {
        return Err(fail(format!("{case}: got precision {} and recall {}, the scores of class `false`: the positive class is swapped", fmt(precision), fmt(recall))))
            .hint("the positive class is `true`: TP counts truth = true and predicted = true");
    }
    if (precision - 0.6).abs() < 1e-9 && (recall - 0.75).abs() < 1e-9 {
        return Err(fail(format!("{case}: got precision 0.6 and recall 0.75: precision and recall are swapped")))
            .hint("precision = TP / (TP + FP), over what was predicted positive; recall = TP / (TP + FN), over what is truly positive");
    }
    close(&format!("precision ({case})"), precision, 0.75, TOLERANCE)?;
    close(&format!("recall ({case})"), recall, 0.6, TOLERANCE)?;
    close_naming(
        &format!("F1 ({case})"),
        f1,
        2.0 / 3.0,
        TOLERANCE,
        &[(
            (0.75 + 0.6) / 2.0,
            "the arithmetic mean of precision and recall, not their harmonic mean",
        )],
    )
    .hint("F1 is the harmonic mean 2PR / (P + R), not the arithmetic mean")?;
    pass("precision 0.75, recall 0.6, F1 0.6667 (± 1e-12)")
}

fn zero_division() -> Graded {
    // The classic imbalanced trap: 9 negatives, 1 positive, and a model that always says
    // `false` (90 % accurate). Nothing is predicted positive: precision is 0/0.
    let mut t = vec![false; 10];
    t[3] = true;
    let p = vec![false; 10];
    let (precision, recall, f1) = binary_scores(&t, &p);
    ensure(!precision.is_nan() && !f1.is_nan(), || format!("the constant predictor `false` on 1 positive in 10: precision {} and F1 {}: 0/0 must be 0.0, not NaN", fmt(precision), fmt(f1)))
        .hint("test the denominator before dividing; for F1 use 2TP / (2TP + FP + FN)")?;
    all_close(
        "(precision, recall, F1) of the constant predictor `false` (precision 0/0)",
        &[precision, recall, f1],
        &[0.0, 0.0, 0.0],
        TOLERANCE,
    )?;
    // No positive in the truth and none predicted: recall is 0/0 too.
    let (precision, recall, f1) = binary_scores(&[false; 4], &[false; 4]);
    ensure(![precision, recall, f1].iter().any(|v| v.is_nan()), || {
        "no positive in the truth and none predicted: a score is NaN, expected 0.0 for every 0/0"
            .to_string()
    })?;
    all_close(
        "(precision, recall, F1) with no positive in truth or predictions",
        &[precision, recall, f1],
        &[0.0, 0.0, 0.0],
        TOLERANCE,
    )?;
    pass("0/0 gives 0.0: the 90 %-accurate constant predictor scores F1 = 0")
}

fn macro_public() -> Graded {
    // Classes 0, 1, 2 with truth counts 6, 2, 2; class 2 is never predicted.
    let truth = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
    let predicted = [0, 0, 0, 0, 0, 1, 1, 0, 0, 0];
    // Class 0: TP 5, FP 3, FN 1: F1 = 10 / 14. Class 1: TP 1, FP 1, FN 1: F1 = 2 / 4.
    // Class 2: TP 0, FP 0, FN 2: F1 = 0. Macro = (10/14 + 1/2 + 0) / 3.
    let expected = (10.0 / 14.0 + 0.5) / 3.0;
    let got = macro_f1(&truth, &predicted, 3);
    let micro = 0.6; // micro-F1 = accuracy for single-label data: 6 / 10.
    let weighted = (6.0 * 10.0 / 14.0 + 2.0 * 0.5) / 10.0;
    let present_only = (10.0 / 14.0 + 0.5) / 2.0;
    let case = "truth [0,0,0,0,0,0,1,1,2,2], predicted [0,0,0,0,0,1,1,0,0,0]";
    if (got - micro).abs() < 1e-9 {
        return Err(fail(format!("macro-F1 of {case}: expected {}, got 0.6, the micro-average (= accuracy here)", fmt(expected))))
            .hint("macro: compute F1 for each class separately, then take their plain mean; micro pools the counts first");
    }
    if (got - weighted).abs() < 1e-9 {
        return Err(fail(format!(
            "macro-F1 of {case}: expected {}, got {}, the support-weighted average",
            fmt(expected),
            fmt(got)
        )))
        .hint("macro gives every class the same weight, however rare it is");
    }
    if (got - present_only).abs() < 1e-9 {
        return Err(fail(format!("macro-F1 of {case}: expected {}, got {}: class 2 (never predicted) was left out of the mean", fmt(expected), fmt(got))))
            .hint("a class that is never predicted has F1 = 0 and still counts in the mean over n_classes");
    }
    close(&format!("macro-F1 of {case}"), got, expected, TOLERANCE)?;
    pass(format!(
        "macro-F1 = {} (± 1e-12); micro would be 0.6",
        fmt(expected)
    ))
}

fn grader_macro(truth: &[usize], predicted: &[usize], n: usize) -> f64 {
    let mut total = 0.0;
    for c in 0..n {
        let tp = truth
            .iter()
            .zip(predicted)
            .filter(|&(&t, &p)| t == c && p == c)
            .count() as f64;
        let wrong = truth
            .iter()
            .zip(predicted)
            .filter(|&(&t, &p)| (t == c) != (p == c))
            .count() as f64;
        total += if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + wrong)
        };
    }
    total / n as f64
}

fn hidden_cases() -> Graded {
    let mut rng = split::rng(99);
    for case in 0..30 {
        let n_classes = rng.gen_range(2..6);
        let n = if case == 2 { 1 } else { rng.gen_range(2..30) };
        // Some cases draw predictions from fewer classes, so a class is never predicted.
        let predicted_classes = if case % 3 == 0 { 1 } else { n_classes };
        let truth: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n_classes)).collect();
        let predicted: Vec<usize> = (0..n)
            .map(|_| rng.gen_range(0..predicted_classes))
            .collect();
        let mut expected = Array2::<usize>::zeros((n_classes, n_classes));
        for (&t, &p) in truth.iter().zip(&predicted) {
            expected[[t, p]] += 1;
        }
        let t: Vec<bool> = truth.iter().map(|&v| v == 0).collect();
        let p: Vec<bool> = predicted.iter().map(|&v| v == 0).collect();
        let tp = t.iter().zip(&p).filter(|&(&a, &b)| a && b).count() as f64;
        let fp = t.iter().zip(&p).filter(|&(&a, &b)| !a && b).count() as f64;
        let fn_ = t.iter().zip(&p).filter(|&(&a, &b)| a && !b).count() as f64;
        let div = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
        let scores = binary_scores(&t, &p);
        let ok = confusion_matrix(&truth, &predicted, n_classes) == expected
            && (scores.0 - div(tp, tp + fp)).abs() < 1e-9
            && (scores.1 - div(tp, tp + fn_)).abs() < 1e-9
            && (scores.2 - div(2.0 * tp, 2.0 * tp + fp + fn_)).abs() < 1e-9
            && (macro_f1(&truth, &predicted, n_classes)
                - grader_macro(&truth, &predicted, n_classes))
            .abs()
                < 1e-9;
        ensure(ok, || format!("hidden case {} of 30 ({n} sample{}, {n_classes} classes): a matrix or a score is wrong", case + 1, if n == 1 { "" } else { "s" }))
            .hint("hidden cases include classes that are never predicted and a single sample")?;
    }
    pass("30 hidden cases agree (matrix exactly, scores within 1e-9)")
}
