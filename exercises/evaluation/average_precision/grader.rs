// Grader of evaluation/average_precision.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use rand::Rng as _;

use super::exercise::{average_precision, pr_curve};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("curve_public", check_curve_public),
    ("ap_public", check_ap_public),
    ("ap_hidden", check_ap_hidden),
    ("constant_and_random", check_constant_and_random),
    ("rare_positives", check_rare_positives),
];

const TOL: f64 = 1e-9;

// ---------------------------------------------------------------- the grader's own measures

/// The PR curve by counting, threshold by threshold (every distinct score, highest first).
fn my_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let mut distinct: Vec<f64> = scores.to_vec();
    distinct.sort_by(|a, b| b.total_cmp(a));
    distinct.dedup();
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let mut curve = Vec::new();
    for t in distinct {
        let (mut tp, mut predicted) = (0.0, 0.0);
        for (&s, &y) in scores.iter().zip(truth) {
            if s >= t {
                predicted += 1.0;
                if y {
                    tp += 1.0;
                }
            }
        }
        curve.push((tp / positives, tp / predicted));
    }
    curve
}

/// The curve with integer division (`tp / (tp + fp)` on counts, then `as f64`): a precision
/// (or recall) is 1 only when the division is exact, else 0.
fn integer_curve(truth: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let positives = truth.iter().filter(|&&t| t).count();
    my_curve(truth, scores)
        .iter()
        .map(|&(r, p)| {
            let tp = (r * positives as f64).round() as usize;
            let predicted = if tp == 0 {
                0
            } else {
                (tp as f64 / p).round() as usize
            };
            let div = |a: usize, b: usize| a.checked_div(b).unwrap_or(0) as f64;
            (div(tp, positives), div(tp, predicted))
        })
        .collect()
}

/// The step sum over a curve, optionally without its first step (from R_0 = 0).
fn step_sum(curve: &[(f64, f64)], skip_first: bool) -> f64 {
    let mut previous = 0.0;
    let mut ap = 0.0;
    for (k, &(r, p)) in curve.iter().enumerate() {
        if k > 0 || !skip_first {
            ap += (r - previous) * p;
        }
        previous = r;
    }
    ap
}

/// Average precision as the mean, over the positives, of the precision at the threshold equal
/// to that positive's score (ties cross together): the same sum as Σ (R_n - R_{n-1}) P_n.
fn my_ap(truth: &[bool], scores: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut positives = 0.0;
    for (&s, &y) in scores.iter().zip(truth) {
        if !y {
            continue;
        }
        positives += 1.0;
        let (mut tp, mut predicted) = (0.0, 0.0);
        for (&s2, &y2) in scores.iter().zip(truth) {
            if s2 >= s {
                predicted += 1.0;
                if y2 {
                    tp += 1.0;
                }
            }
        }
        total += tp / predicted;
    }
    total / positives
}

/// ROC AUC by Mann-Whitney: P(score of a positive > score of a negative), ties count 1/2.
fn my_roc_auc(truth: &[bool], scores: &[f64]) -> f64 {
    let (mut wins, mut pairs) = (0.0, 0.0);
    for (&sp, _) in scores.iter().zip(truth).filter(|p| *p.1) {
        for (&sn, _) in scores.iter().zip(truth).filter(|p| !*p.1) {
            pairs += 1.0;
            if sp > sn {
                wins += 1.0;
            } else if sp == sn {
                wins += 0.5;
            }
        }
    }
    wins / pairs
}

/// The classic wrong answers, each computed from the grader's curve.
fn wrong_aps(truth: &[bool], scores: &[f64]) -> Vec<(f64, &'static str)> {
    let curve = my_curve(truth, scores);
    let n = truth.len() as f64;
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let mut trapezoid_from_1 = 0.0;
    let mut trapezoid_inside = 0.0;
    let mut per_n = 0.0;
    let mut interpolated = 0.0;
    let mut previous = (0.0, 1.0);
    for (k, &(r, p)) in curve.iter().enumerate() {
        trapezoid_from_1 += (r - previous.0) * (p + previous.1) / 2.0;
        if k > 0 {
            trapezoid_inside += (r - previous.0) * (p + previous.1) / 2.0;
        }
        // recall steps by tp_in_group / P, so tp_in_group = ΔR * P
        per_n += (r - previous.0) * positives * p / n;
        let best_later = curve[k..].iter().map(|q| q.1).fold(0.0, f64::max);
        interpolated += (r - previous.0) * best_later;
        previous = (r, p);
    }
    let negated: Vec<f64> = scores.iter().map(|s| -s).collect();
    vec![
        (
            trapezoid_from_1,
            "the trapezoid rule (linear interpolation between points), not the step sum",
        ),
        (
            trapezoid_inside,
            // One point (a constant scorer): both wrong sums are 0, name both.
            if (trapezoid_inside - step_sum(&curve, true)).abs() <= TOL {
                "the trapezoid rule between the curve's points, not the step sum; or the first \
                 step is missing (the sum starts from R_0 = 0, so the first point pays R_1 * P_1)"
            } else {
                "the trapezoid rule between the curve's points, not the step sum"
            },
        ),
        (
            per_n,
            "divided by the number of predictions n instead of the number of positives",
        ),
        (
            interpolated,
            "interpolated precision (the best precision at this recall or higher), not sklearn's",
        ),
        (
            ungrouped_ap(truth, scores, false),
            "ties not grouped: one step per sample, in row order",
        ),
        (
            ungrouped_ap(truth, scores, true),
            "ties not grouped: one step per sample, in reverse row order",
        ),
        (
            my_ap(truth, &negated),
            "scores sorted from the lowest up (a higher score must mean more positive)",
        ),
        (
            step_sum(&curve, true),
            "the first step is missing: the sum starts from R_0 = 0, so the first point pays \
             R_1 * P_1 (a loop over pairs of points skips it)",
        ),
        (
            step_sum(&integer_curve(truth, scores), false),
            "integer division: tp / (tp + fp) on integer counts is 0 or 1; convert to f64 \
             before dividing",
        ),
    ]
}

/// AP with a step for every sample, ties kept in row order (or reversed).
fn ungrouped_ap(truth: &[bool], scores: &[f64], reversed: bool) -> f64 {
    let mut order: Vec<usize> = (0..truth.len()).collect();
    if reversed {
        order.reverse();
    }
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let (mut tp, mut ap) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1.0;
            ap += tp / (k + 1) as f64 / positives;
        }
    }
    ap
}

fn check_ap(what: &str, truth: &[bool], scores: &[f64]) -> Result<f64, Failed> {
    let got = average_precision(truth, scores);
    close_naming(
        what,
        got,
        my_ap(truth, scores),
        TOL,
        &wrong_aps(truth, scores),
    )
    .hint("AP = Σ (R_n - R_{n-1}) * P_n over the curve's points, starting from R_0 = 0")?;
    Ok(got)
}

/// Compare a learner's curve with the grader's, naming the classic mistakes.
fn compare_curve(what: &str, truth: &[bool], scores: &[f64]) -> Result<(), Failed> {
    let got = pr_curve(truth, scores);
    let expected = my_curve(truth, scores);
    if got.len() == truth.len() && got.len() != expected.len() {
        return Err(fail(format!(
            "{what}: {} points, one per sample: ties not grouped (expected one point per \
             distinct score: {})",
            got.len(),
            expected.len()
        )))
        .hint("push a point only when the next score differs from the current one");
    }
    equal(
        &format!("{what}: number of points (one per distinct score)"),
        &got.len(),
        &expected.len(),
    )?;
    let near = |a: &[(f64, f64)], b: &[(f64, f64)]| {
        a.iter()
            .zip(b)
            .all(|(p, q)| (p.0 - q.0).abs() <= TOL && (p.1 - q.1).abs() <= TOL)
    };
    if near(&got, &expected) {
        return Ok(());
    }
    let swapped: Vec<(f64, f64)> = expected.iter().map(|&(r, p)| (p, r)).collect();
    if near(&got, &swapped) {
        return Err(fail(format!(
            "{what}: the points are (precision, recall); the convention is (recall, precision)"
        )));
    }
    if near(&got, &integer_curve(truth, scores)) {
        return Err(fail(format!(
            "{what}: every recall and precision is 0 or 1: integer division (tp / (tp + fp) on \
             integer counts); convert to f64 before dividing"
        )))
        .hint("`tp as f64 / (tp + fp) as f64`, or count in f64 from the start");
    }
    let negated: Vec<f64> = scores.iter().map(|s| -s).collect();
    if near(&got, &my_curve(truth, &negated)) {
        return Err(fail(format!(
            "{what}: the curve walks the scores from the lowest score up; a higher score means \
             more positive, so start at the highest"
        )))
        .hint("sort by descending score: `scores[b].total_cmp(&scores[a])`");
    }
    for (k, (g, e)) in got.iter().zip(&expected).enumerate() {
        close(&format!("{what}: recall of point {k}"), g.0, e.0, TOL)?;
        close(&format!("{what}: precision of point {k}"), g.1, e.1, TOL)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- cases

/// The public case: 10 samples, 4 positives, ties at 0.8 (a positive and a negative) and at
/// 0.6 (a positive and two negatives).
fn public() -> (Vec<bool>, Vec<f64>) {
    let truth = [
        true, true, false, false, true, false, false, true, false, false,
    ];
    let scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.3, 0.2, 0.1];
    (truth.to_vec(), scores.to_vec())
}

/// Seeded cases with few distinct scores, so that ties mix positives and negatives.
fn hidden(count: usize, seed: u64) -> Vec<(Vec<bool>, Vec<f64>)> {
    let mut r = rng(seed);
    (0..count)
        .map(|_| {
            let n = r.gen_range(8..40);
            let levels = r.gen_range(3..9);
            let mut truth: Vec<bool> = (0..n).map(|_| r.gen_range(0.0..1.0) < 0.3).collect();
            truth[0] = true;
            truth[1] = false;
            let scores = (0..n)
                .map(|i| {
                    let lift = if truth[i] { 2 } else { 0 };
                    (r.gen_range(0..levels) + lift) as f64 / 10.0
                })
                .collect();
            (truth, scores)
        })
        .collect()
}

// ---------------------------------------------------------------- checks

fn check_curve_public() -> Graded {
    let (truth, scores) = public();
    compare_curve("pr_curve of the public case", &truth, &scores)?;
    for (c, (truth, scores)) in hidden(15, 31).iter().enumerate() {
        compare_curve(&format!("hidden case {c} (ties)"), truth, scores)?;
    }
    pass(
        "the public curve (7 distinct scores, 7 points) and 15 hidden curves with ties, each \
         point (recall, precision) within 1e-9",
    )
}

fn check_ap_public() -> Graded {
    let (truth, scores) = public();
    // By hand: points (R, P) = (.25, 1), (.5, 2/3), (.5, 1/2), (.75, 3/7), (1, 1/2), (1, 4/9),
    // (1, 2/5): AP = .25 * (1 + 2/3 + 3/7 + 1/2) = 0.6488...
    let by_hand = 0.25 * (1.0 + 2.0 / 3.0 + 3.0 / 7.0 + 0.5);
    let got = check_ap("average_precision of the public case", &truth, &scores)?;
    close("average_precision of the public case", got, by_hand, TOL)?;
    pass(format!(
        "AP of the public case = 0.25 * (1 + 2/3 + 3/7 + 1/2) = {}",
        fmt(by_hand)
    ))
}

fn check_ap_hidden() -> Graded {
    for (c, (truth, scores)) in hidden(25, 47).iter().enumerate() {
        check_ap(
            &format!("average_precision, hidden case {c} (ties)"),
            truth,
            scores,
        )?;
    }
    pass("25 hidden cases with ties: AP within 1e-9 of the grader's")
}

fn check_constant_and_random() -> Graded {
    // A constant scorer: all 50 samples tie, 7 positives spread among them.
    let truth: Vec<bool> = (0..50).map(|i| i % 7 == 3).collect();
    let constant = vec![0.5; 50];
    compare_curve("pr_curve of a constant scorer", &truth, &constant)?;
    let got = check_ap("average_precision of a constant scorer", &truth, &constant)?;
    close(
        "average_precision of a constant scorer (= the prevalence 7/50)",
        got,
        0.14,
        TOL,
    )?;
    // Random scorers: 5000 samples, 100 positives, uniform scores.
    let (mut aps, mut aucs) = (0.0, 0.0);
    let seeds = 8;
    for seed in 0..seeds {
        let mut r = rng(900 + seed);
        let truth: Vec<bool> = (0..5000).map(|i| i % 50 == 0).collect();
        let scores: Vec<f64> = (0..5000).map(|_| r.r#gen::<f64>()).collect();
        aps += check_ap(
            &format!("average_precision of random scorer {seed}"),
            &truth,
            &scores,
        )?;
        aucs += my_roc_auc(&truth, &scores);
    }
    pass(format!(
        "a constant scorer's AP is the prevalence 0.14; {seeds} random scorers on 2 % positives: \
         mean AP {} (about the prevalence 0.02) while mean ROC AUC is {} (about 0.5)",
        fmt(aps / seeds as f64),
        fmt(aucs / seeds as f64)
    ))
}

fn check_rare_positives() -> Graded {
    let table = Table::dataset("sensor_anomaly.csv")
        .map_err(|e| fail(format!("the grader could not read sensor_anomaly.csv: {e}")))?;
    let humidity: Vec<f64> = table
        .numeric_column("humidity_pct")
        .map_err(|e| fail(format!("sensor_anomaly.csv: {e}")))?
        .into_iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    let truth: Vec<bool> = table
        .text_column("label")
        .map_err(|e| fail(format!("sensor_anomaly.csv: {e}")))?
        .iter()
        .map(|l| *l == Some("anomaly"))
        .collect();
    let expected_curve = my_curve(&truth, &humidity);
    let got_curve = pr_curve(&truth, &humidity);
    let valid = got_curve.len() == expected_curve.len()
        && got_curve.iter().all(|p| p.0.is_finite() && p.1.is_finite());
    let shown = if valid { &got_curve } else { &expected_curve };
    let prevalence = truth.iter().filter(|&&t| t).count() as f64 / truth.len() as f64;
    show(Figure::Lines {
        title: "precision-recall curve: humidity as the anomaly score (target: prevalence)".into(),
        x_label: "recall".into(),
        y_label: "precision".into(),
        series: vec![Series {
            name: if valid {
                "your pr_curve"
            } else {
                "the grader's curve"
            }
            .into(),
            points: shown.iter().map(|&(r, p)| [r, p]).collect(),
        }],
        target: Some(prevalence),
    });
    compare_curve("pr_curve of humidity on sensor_anomaly", &truth, &humidity)?;
    let ap = check_ap(
        "average_precision of humidity on sensor_anomaly",
        &truth,
        &humidity,
    )?;
    let auc = my_roc_auc(&truth, &humidity);
    let at_90 = expected_curve
        .iter()
        .find(|p| p.0 >= 0.9)
        .map_or(f64::NAN, |p| p.1);
    pass(format!(
        "humidity as a score for the 149 anomalies among 18914 readings: ROC AUC {} looks \
         excellent, AP {} (prevalence {}); to catch 90 % of the anomalies, precision falls \
         to {}: the false alarms that ROC AUC hides among 18765 normal readings",
        fmt(auc),
        fmt(ap),
        fmt(prevalence),
        fmt(at_90)
    ))
}
