// Grader of evaluation/cost_threshold.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2};
use rand::Rng;

use super::exercise::{Costs, bayes_threshold, best_threshold, evaluate_policy, expected_cost};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("expected_cost", check_expected_cost),
    ("bayes_threshold", check_bayes_threshold),
    ("best_threshold", check_best_threshold),
    ("policy", check_policy),
    ("test_cost", check_test_cost),
];

/// German credit's matrix: a bad credit predicted good costs 5, a good one predicted bad 1.
const GERMAN: Costs = Costs {
    false_positive: 1.0,
    false_negative: 5.0,
};

/// (false positives, false negatives, positives, negatives) when predicting positive at p >= t,
/// or at p > t when `strict`.
fn counts(p: &[f64], y: &[bool], t: f64, strict: bool) -> (f64, f64, f64, f64) {
    let (mut fp, mut fneg, mut pos, mut neg) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..p.len() {
        let predicted = if strict { p[i] > t } else { p[i] >= t };
        if y[i] {
            pos += 1.0;
            if !predicted {
                fneg += 1.0;
            }
        } else {
            neg += 1.0;
            if predicted {
                fp += 1.0;
            }
        }
    }
    (fp, fneg, pos, neg)
}

fn cost(p: &[f64], y: &[bool], t: f64, c: &Costs) -> f64 {
    let (fp, fneg, _, _) = counts(p, y, t, false);
    (c.false_positive * fp + c.false_negative * fneg) / p.len() as f64
}

fn candidates() -> Vec<f64> {
    (0..=100).map(|k| k as f64 / 100.0).collect()
}

/// The candidate of lowest cost, the smallest among ties, or the largest when `largest`.
fn grader_best(p: &[f64], y: &[bool], c: &Costs, largest: bool) -> f64 {
    let mut best_t = 0.0;
    let mut best_cost = f64::INFINITY;
    for t in candidates() {
        let v = cost(p, y, t, c);
        if v < best_cost - 1e-12 || (largest && (v - best_cost).abs() <= 1e-12) {
            best_cost = v;
            best_t = t;
        }
    }
    best_t
}

fn compare_cost(
    what: &str,
    got: f64,
    p: &[f64],
    y: &[bool],
    t: f64,
    c: &Costs,
) -> Result<(), Failed> {
    let (fp, fneg, pos, neg) = counts(p, y, t, false);
    let n = p.len() as f64;
    let expected = (c.false_positive * fp + c.false_negative * fneg) / n;
    let (sfp, sfn, _, _) = counts(p, y, t, true);
    let mut wrongs = vec![
        (
            (c.false_positive * fp / neg.max(1.0) + c.false_negative * fneg / pos.max(1.0)) / 2.0,
            "the per-class costs averaged (c_FP·FP/N₋ + c_FN·FN/N₊) / 2: the expected cost is \
             per case, (c_FP·FP + c_FN·FN) / N, so the frequent class weighs more",
        ),
        (
            c.false_positive * fp + c.false_negative * fneg,
            "the total cost, not its mean per case",
        ),
        (
            (c.false_negative * fp + c.false_positive * fneg) / n,
            "the costs swapped: a false positive (predicted positive, actually negative) costs \
             c_FP",
        ),
        (
            (c.false_positive * sfp + c.false_negative * sfn) / n,
            "predicted positive only when p > threshold: the rule is p >= threshold",
        ),
    ];
    wrongs.retain(|(v, _)| (v - expected).abs() > 1e-12);
    close_naming(what, got, expected, 1e-12, &wrongs)
        .hint("mean over the cases of c_FP (false positive), c_FN (false negative) or 0")
}

fn check_expected_cost() -> Graded {
    // Probabilities [0.9, 0.6, 0.5, 0.3, 0.2, 0.1], labels [1, 0, 1, 1, 0, 0], threshold 0.5,
    // costs FP 1, FN 5: predicted positive 0.9, 0.6, 0.5 → one FP (0.6), one FN (0.3):
    // (1 + 5) / 6 = 1. With p > 0.5 instead, 0.5 is an extra FN: (1 + 10) / 6.
    let p = [0.9, 0.6, 0.5, 0.3, 0.2, 0.1];
    let y = [true, false, true, true, false, false];
    compare_cost(
        "expected_cost of [0.9, 0.6, 0.5, 0.3, 0.2, 0.1], labels [1, 0, 1, 1, 0, 0], threshold 0.5, FP 1, FN 5",
        expected_cost(&p, &y, 0.5, &GERMAN),
        &p,
        &y,
        0.5,
        &GERMAN,
    )?;
    let mut rng = split::rng(808);
    for case in 0..6 {
        let n = 20 + 30 * case;
        let base = rng.gen_range(0.15..0.6);
        let mut p = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let v: f64 = if rng.gen_range(0..5) == 0 {
                rng.gen_range(0..=20) as f64 / 20.0
            } else {
                rng.r#gen()
            };
            p.push(v);
            y.push(rng.r#gen::<f64>() < base + (1.0 - base) * v * 0.5);
        }
        let t = rng.gen_range(0..=20) as f64 / 20.0;
        let c = Costs {
            false_positive: rng.gen_range(1..4) as f64,
            false_negative: rng.gen_range(4..11) as f64,
        };
        compare_cost(
            &format!(
                "expected_cost of seeded case {} ({n} cases, threshold {t}, FP {}, FN {})",
                case + 1,
                c.false_positive,
                c.false_negative
            ),
            expected_cost(&p, &y, t, &c),
            &p,
            &y,
            t,
            &c,
        )?;
    }
    pass("hand case (1) and 6 seeded cases within 1e-12")
}

fn check_bayes_threshold() -> Graded {
    let cases = [(1.0, 5.0), (1.0, 1.0), (2.0, 3.0), (10.0, 1.0), (0.5, 4.5)];
    for (fp, fneg) in cases {
        let c = Costs {
            false_positive: fp,
            false_negative: fneg,
        };
        // Predict positive when the expected cost of doing so, (1 - p)·c_FP, is at most that
        // of predicting negative, p·c_FN: p >= c_FP / (c_FP + c_FN).
        let expected = fp / (fp + fneg);
        close_naming(
            &format!("bayes_threshold(FP {fp}, FN {fneg})"),
            bayes_threshold(&c),
            expected,
            1e-12,
            &[
                (
                    fneg / (fp + fneg),
                    "the costs swapped: c_FN / (c_FP + c_FN) is the threshold when a false \
                     positive is the expensive error",
                ),
                (
                    fp / fneg,
                    "the ratio c_FP / c_FN: the threshold is c_FP / (c_FP + c_FN)",
                ),
                (0.5, "0.5, the threshold of equal costs"),
            ],
        )
        .hint("predicting positive costs (1 - p)·c_FP on average, negative costs p·c_FN")?;
    }
    pass("5 cost matrices; German credit's (FP 1, FN 5) gives 1/6")
}

fn check_best_threshold() -> Graded {
    // Probabilities [0.05, 0.12, 0.3, 0.45, 0.8], labels [0, 1, 0, 1, 1], FP 1, FN 5: every
    // threshold in (0.05, 0.12] predicts the last four positive, one FP: cost 1/5, the lowest.
    // The candidates 0.06 to 0.12 tie; the smallest, 0.06, is the answer (0.12 the largest).
    let p = [0.05, 0.12, 0.3, 0.45, 0.8];
    let y = [false, true, false, true, true];
    let mut cases = vec![(p.to_vec(), y.to_vec(), GERMAN)];
    let mut rng = split::rng(919);
    for case in 0..5 {
        let n = 40 + 40 * case;
        let mut p = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let v: f64 = rng.r#gen();
            p.push(v);
            y.push(rng.r#gen::<f64>() < v);
        }
        let c = Costs {
            false_positive: rng.gen_range(1..4) as f64,
            false_negative: rng.gen_range(1..8) as f64,
        };
        cases.push((p, y, c));
    }
    for (i, (p, y, c)) in cases.iter().enumerate() {
        let got = best_threshold(p, y, c);
        let expected = grader_best(p, y, c, false);
        let largest = grader_best(p, y, c, true);
        let what = if i == 0 {
            "best_threshold of [0.05, 0.12, 0.3, 0.45, 0.8], labels [0, 1, 0, 1, 1], FP 1, FN 5"
                .to_string()
        } else {
            format!(
                "best_threshold of seeded case {i} ({} cases, FP {}, FN {})",
                p.len(),
                c.false_positive,
                c.false_negative
            )
        };
        if !got.is_finite() || (got - expected).abs() > 1e-12 {
            let why = if (got - largest).abs() <= 1e-12 {
                ": the largest of the tied candidates; the rule keeps the smallest"
            } else if (got - 0.5).abs() <= 1e-12 {
                ": 0.5, the default threshold, ignores the costs"
            } else if (got - c.false_positive / (c.false_positive + c.false_negative)).abs()
                <= 1e-12
            {
                ": the Bayes threshold, not the best candidate on these cases"
            } else {
                ""
            };
            let got_cost = cost(p, y, got, c);
            return Err(fail(format!(
                "{what}: expected {} (cost {}), got {} (cost {}){why}",
                fmt(expected),
                fmt(cost(p, y, expected, c)),
                fmt(got),
                fmt(got_cost)
            )))
            .hint("loop over candidates() in order and replace the best only on a strictly lower cost");
        }
    }
    pass("hand case with tied candidates (0.06) and 5 seeded cases")
}

/// German credit split 500 / 250 / 250 (train, validation, test), positive class bad, and the
/// probabilities of a logistic regression fitted on the training rows.
struct Probs {
    val: (Vec<f64>, Vec<bool>),
    test: (Vec<f64>, Vec<bool>),
}

fn german() -> Result<Probs, Failed> {
    let table = Table::dataset("german_credit.csv").map_err(|e| fail(e.to_string()))?;
    let numeric_cols = [
        "duration_months",
        "credit_amount",
        "installment_rate",
        "residence_since",
        "age",
        "existing_credits",
        "num_dependents",
    ];
    let categorical = [
        "checking_status",
        "credit_history",
        "purpose",
        "savings",
        "employment_since",
        "personal_status",
        "other_debtors",
        "property",
        "other_installment_plans",
        "housing",
        "job",
        "telephone",
        "foreign_worker",
    ];
    let numeric = table
        .numeric(&numeric_cols)
        .map_err(|e| fail(e.to_string()))?;
    let n = table.n_rows();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for j in 0..numeric.ncols() {
        columns.push(numeric.column(j).to_vec());
    }
    for name in categorical {
        let (codes, classes) = table.labels(name).map_err(|e| fail(e.to_string()))?;
        for k in 1..classes.len() {
            columns.push(
                codes
                    .iter()
                    .map(|&c| if c == k { 1.0 } else { 0.0 })
                    .collect(),
            );
        }
    }
    let x = Array2::from_shape_fn((n, columns.len()), |(i, j)| columns[j][i]);
    let risk = table
        .text_column("credit_risk")
        .map_err(|e| fail(e.to_string()))?;
    let y: Vec<bool> = risk.iter().map(|r| *r == Some("bad")).collect();
    let order = split::shuffled(n, 31);
    let (train, rest) = order.split_at(500);
    let (val, test) = rest.split_at(250);
    // Standardize every column with the training rows' mean and deviation.
    let xt = split::rows(&x, train);
    let mean = xt
        .mean_axis(ndarray::Axis(0))
        .unwrap_or_else(|| Array1::zeros(x.ncols()));
    let std = xt
        .std_axis(ndarray::Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let z = |rows: &[usize]| (split::rows(&x, rows) - &mean) / &std;
    let zt = z(train);
    let t: Array1<f64> = split::pick(&y, train)
        .iter()
        .map(|&v| if v { 1.0 } else { 0.0 })
        .collect();
    let mut w = Array1::<f64>::zeros(x.ncols());
    let mut b = 0.0;
    let m = zt.nrows() as f64;
    for _ in 0..800 {
        let r = (zt.dot(&w) + b).mapv(|v| 1.0 / (1.0 + (-v).exp())) - &t;
        let step = 0.3 * (zt.t().dot(&r) / m + 0.05 * &w);
        w = w - step;
        b -= 0.3 * r.sum() / m;
    }
    let prob = |rows: &[usize]| {
        (z(rows).dot(&w) + b)
            .mapv(|v| 1.0 / (1.0 + (-v).exp()))
            .to_vec()
    };
    Ok(Probs {
        val: (prob(val), split::pick(&y, val)),
        test: (prob(test), split::pick(&y, test)),
    })
}

const TUNED_ON_TEST: &str = "tuned on the test set. The test cost of a threshold chosen on \
                             the test cases is optimistic: choose on the validation cases, then \
                             measure once on the test cases";

const POOLED: &str = "chosen on the validation and test cases pooled: the test cases must not \
                      influence the choice, or their cost is no longer an honest estimate";

/// The validation and test cases in one list (what a learner who pools them chooses on).
fn pooled(vp: &[f64], vy: &[bool], tp: &[f64], ty: &[bool]) -> (Vec<f64>, Vec<bool>) {
    (
        vp.iter().chain(tp).copied().collect(),
        vy.iter().chain(ty).copied().collect(),
    )
}

fn check_policy() -> Graded {
    let pr = german()?;
    let (vp, vy) = &pr.val;
    let (tp, ty) = &pr.test;
    let got = evaluate_policy(vp, vy, tp, ty, &GERMAN);
    ensure(
        got.threshold.is_finite() && got.test_cost.is_finite(),
        || format!("the policy must hold finite numbers, got {got:?}"),
    )?;
    let expected = grader_best(vp, vy, &GERMAN, false);
    let on_test = grader_best(tp, ty, &GERMAN, false);
    let (pp, py) = pooled(vp, vy, tp, ty);
    let on_both = grader_best(&pp, &py, &GERMAN, false);
    if (got.threshold - expected).abs() > 1e-12 {
        let why = if (got.threshold - on_test).abs() <= 1e-12 && (on_test - expected).abs() > 1e-12
        {
            format!(": {TUNED_ON_TEST}")
        } else if (got.threshold - on_both).abs() <= 1e-12 && (on_both - expected).abs() > 1e-12 {
            format!(": {POOLED}")
        } else if (got.threshold - 0.5).abs() <= 1e-12 {
            ": 0.5, the default threshold, ignores the costs".to_string()
        } else {
            String::new()
        };
        return Err(fail(format!(
            "threshold chosen for German credit (FP 1, FN 5): expected {} (best candidate on the 250 \
             validation cases), got {}{why}",
            fmt(expected),
            fmt(got.threshold)
        )))
        .hint("best_threshold on val_probs and val_labels");
    }
    let expected_cost = cost(tp, ty, expected, &GERMAN);
    close_naming(
        "test cost of the chosen threshold",
        got.test_cost,
        expected_cost,
        1e-12,
        &[(
            cost(vp, vy, expected, &GERMAN),
            "the validation cost: report the cost on the test cases",
        )],
    )?;
    pass(format!(
        "threshold {} chosen on validation, test cost {} per case",
        fmt(expected),
        fmt(expected_cost)
    ))
}

const BAR: f64 = 0.6;

fn check_test_cost() -> Graded {
    let pr = german()?;
    let (vp, vy) = &pr.val;
    let (tp, ty) = &pr.test;
    // The test labels the learner gets here are shuffled: a threshold chosen on the validation
    // cases does not depend on them, one tuned on them is chosen on noise. The grader measures
    // the returned threshold on the true test labels itself; the returned test_cost is unused.
    let hidden = split::pick(ty, &split::shuffled(ty.len(), 6));
    let got = evaluate_policy(vp, vy, tp, &hidden, &GERMAN);
    ensure((0.0..=1.0).contains(&got.threshold), || {
        format!("the threshold must be in [0, 1], got {}", got.threshold)
    })?;
    let curve = |p: &[f64], y: &[bool]| -> Vec<[f64; 2]> {
        candidates()
            .iter()
            .map(|&t| [t, cost(p, y, t, &GERMAN)])
            .collect()
    };
    show(Figure::Lines {
        title: "mean cost per case against the threshold (FP 1, FN 5)".into(),
        x_label: "threshold".into(),
        y_label: "cost per case".into(),
        series: vec![
            Series {
                name: "validation".into(),
                points: curve(vp, vy),
            },
            Series {
                name: "test".into(),
                points: curve(tp, ty),
            },
        ],
        target: Some(BAR),
    });
    // The grader measures the learner's threshold itself on the test cases.
    let value = cost(tp, ty, got.threshold, &GERMAN);
    let half = cost(tp, ty, 0.5, &GERMAN);
    let all_bad = cost(tp, ty, 0.0, &GERMAN);
    let all_good = cost(tp, ty, 1.1, &GERMAN);
    let bayes = cost(tp, ty, 1.0 / 6.0, &GERMAN);
    let expected = grader_best(vp, vy, &GERMAN, false);
    let on_hidden = grader_best(tp, &hidden, &GERMAN, false);
    let (pp, py) = pooled(vp, vy, tp, &hidden);
    let on_both = grader_best(&pp, &py, &GERMAN, false);
    let matches = |t: f64| (got.threshold - t).abs() <= 1e-12 && (t - expected).abs() > 1e-12;
    let named = if matches(on_hidden) {
        format!(
            ": {TUNED_ON_TEST} (this check hands evaluate_policy the test labels shuffled, so a \
             threshold tuned on them is tuned on noise)"
        )
    } else if matches(on_both) {
        format!(": {POOLED} (this check hands evaluate_policy the test labels shuffled)")
    } else if (got.threshold - 0.5).abs() <= 1e-12 {
        ": 0.5, the default threshold, ignores the costs".to_string()
    } else {
        String::new()
    };
    let leaky = matches(on_hidden) || matches(on_both);
    // The threshold is the learner's choice: judge it, do not trust it. Any threshold from
    // about 0.05 to 0.3 (the Bayes threshold 1/6 among them) clears the bar on the test cases,
    // so the returned one must cost what the best candidate costs on the validation cases.
    let val_best = cost(vp, vy, expected, &GERMAN);
    let val_got = cost(vp, vy, got.threshold, &GERMAN);
    let not_chosen = !leaky && val_got > val_best + 1e-12;
    let named = if not_chosen && named.is_empty() {
        let which = if (got.threshold - 1.0 / 6.0).abs() <= 1e-12 {
            " (the Bayes threshold 1/6 assumes calibrated probabilities; the policy picks the \
             candidate of lowest validation cost)"
        } else {
            ""
        };
        format!(
            ": threshold {} costs {} per case on the validation cases, the best candidate {} \
             costs {}: not chosen on the validation cases{which}",
            fmt(got.threshold),
            fmt(val_got),
            fmt(expected),
            fmt(val_best)
        )
    } else {
        named
    };
    let graded = bar("test cost per case", value, BAR, Goal::AtMost)
        .note(&named)
        .note(&format!(
            "; threshold 0.5: {}, always bad: {}, always good: {}, Bayes threshold 1/6: {}",
            fmt(half),
            fmt(all_bad),
            fmt(all_good),
            fmt(bayes)
        ));
    // A threshold that depends on the test labels, or is not the validation choice, fails even
    // when it happens to reach the bar.
    match graded {
        Ok(passed) if leaky || not_chosen => Err(Failed {
            message: passed.message,
            hint: None,
            metric: passed.metric,
        }),
        other => other,
    }
}
