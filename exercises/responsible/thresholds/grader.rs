// Grader of responsible/thresholds.

#[path = "../common.rs"]
mod common;

use common::{AdultSample, Logit, adult_sample};
use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::fairness::FairnessReport;
use learnml_kit::split::train_test;

use super::exercise::group_thresholds;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("meets_bar", meets_bar),
    ("least_accuracy_lost", least_accuracy_lost),
    ("three_groups", three_groups),
    ("heldout", heldout),
];

const SEED: u64 = 11;
const SAMPLE: usize = 5000;
/// The parity bar on the samples the thresholds are chosen on.
const MAX_DIFFERENCE: f64 = 0.05;
/// Bars on the held-out part (see the statement).
const HELDOUT_DP_BAR: f64 = 0.10;
const HELDOUT_ACCURACY_BAR: f64 = 0.77;
const EPS: f64 = 1e-12;

struct Case {
    scores: Vec<f64>,
    y: Vec<bool>,
    groups: Vec<usize>,
    n_groups: usize,
}

/// Selection rate per group, accuracy and predictions of thresholds on a case; a failure if
/// the thresholds are not one per group or one is NaN.
fn evaluate(case: &Case, thresholds: &[f64]) -> Result<(Vec<f64>, f64, Vec<bool>), Failed> {
    equal(
        "number of thresholds (one per group id)",
        &thresholds.len(),
        &case.n_groups,
    )?;
    ensure(thresholds.iter().all(|t| !t.is_nan()), || {
        format!("a threshold is NaN: {thresholds:?}")
    })?;
    let pred: Vec<bool> = case
        .scores
        .iter()
        .zip(&case.groups)
        .map(|(s, &g)| *s >= thresholds[g])
        .collect();
    let mut members = vec![0.0; case.n_groups];
    let mut selected = vec![0.0; case.n_groups];
    for (&p, &g) in pred.iter().zip(&case.groups) {
        members[g] += 1.0;
        selected[g] += f64::from(u8::from(p));
    }
    let rates = selected.iter().zip(&members).map(|(s, m)| s / m).collect();
    let accuracy =
        pred.iter().zip(&case.y).filter(|(p, y)| p == y).count() as f64 / case.y.len() as f64;
    Ok((rates, accuracy, pred))
}

fn spread(rates: &[f64]) -> f64 {
    rates.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - rates.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Per group: every distinct threshold (each score, then infinity) with (rate, correct count),
/// counted directly.
fn options(case: &Case, g: usize) -> Vec<(f64, usize)> {
    let idx: Vec<usize> = (0..case.groups.len())
        .filter(|&i| case.groups[i] == g)
        .collect();
    let mut thresholds: Vec<f64> = idx.iter().map(|&i| case.scores[i]).collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    thresholds.push(f64::INFINITY);
    let n = idx.len() as f64;
    thresholds
        .iter()
        .map(|&t| {
            let sel = idx.iter().filter(|&&i| case.scores[i] >= t).count() as f64;
            let correct = idx
                .iter()
                .filter(|&&i| (case.scores[i] >= t) == case.y[i])
                .count();
            (sel / n, correct)
        })
        .collect()
}

/// The best accuracy reachable under the bar, by exhaustive search over every combination of
/// per-group thresholds (the grader's own, independent of any clever algorithm).
fn optimum(case: &Case, max_difference: f64) -> f64 {
    let opts: Vec<Vec<(f64, usize)>> = (0..case.n_groups).map(|g| options(case, g)).collect();
    fn search(
        opts: &[Vec<(f64, usize)>],
        lo: f64,
        hi: f64,
        correct: usize,
        max_difference: f64,
        best: &mut usize,
    ) {
        let Some((first, rest)) = opts.split_first() else {
            *best = (*best).max(correct);
            return;
        };
        for &(rate, c) in first {
            let (l, h) = (lo.min(rate), hi.max(rate));
            if h - l <= max_difference + EPS {
                search(rest, l, h, correct + c, max_difference, best);
            }
        }
    }
    let mut best = 0;
    search(
        &opts,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0,
        max_difference,
        &mut best,
    );
    best as f64 / case.y.len() as f64
}

struct Adult {
    train: Case,
    test: Case,
}

/// A seeded sample of adult split 70/30; the scores are those of a logistic regression fitted
/// on the training part (features: age, education_num, hours_per_week, log gains and losses,
/// sex). Groups: 0 = Female, 1 = Male. Label: income > 50K.
fn adult() -> Adult {
    let AdultSample { x, y, sex: groups } = adult_sample(SEED, SAMPLE);
    let (train, test) = train_test(y.len(), 0.3, SEED);
    let x_tr: Vec<Vec<f64>> = train.iter().map(|&i| x[i].clone()).collect();
    let y_tr: Vec<bool> = train.iter().map(|&i| y[i]).collect();
    let model = Logit::fit(&x_tr, &y_tr, &vec![1.0; y_tr.len()], 1.0);
    let case = |idx: &[usize]| Case {
        scores: idx.iter().map(|&i| model.score(&x[i])).collect(),
        y: idx.iter().map(|&i| y[i]).collect(),
        groups: idx.iter().map(|&i| groups[i]).collect(),
        n_groups: 2,
    };
    Adult {
        train: case(&train),
        test: case(&test),
    }
}

fn thresholds_of(case: &Case, max_difference: f64) -> Vec<f64> {
    group_thresholds(
        &case.scores,
        &case.y,
        &case.groups,
        case.n_groups,
        max_difference,
    )
}

fn check_bar(
    what: &str,
    case: &Case,
    thresholds: &[f64],
    max_difference: f64,
) -> Result<(Vec<f64>, f64), Failed> {
    let (rates, accuracy, _) = evaluate(case, thresholds)?;
    let dp = spread(&rates);
    ensure(dp <= max_difference + EPS, || {
        format!(
            "{what}: the selection rates {} differ by {} (demographic parity difference, fairlearn), more than the bar {}",
            rates.iter().map(|r| fmt(*r)).collect::<Vec<_>>().join(", "),
            fmt(dp),
            fmt(max_difference)
        )
    })
    .hint("a single threshold for everybody keeps the gap of the scores; give the group selected less a lower threshold")?;
    Ok((rates, accuracy))
}

fn check_optimal(what: &str, case: &Case, max_difference: f64) -> Result<(f64, f64), Failed> {
    let thresholds = thresholds_of(case, max_difference);
    let (_, accuracy) = check_bar(what, case, &thresholds, max_difference)?;
    let best = optimum(case, max_difference);
    ensure(accuracy >= best - EPS, || {
        format!(
            "{what}: accuracy {} with your thresholds, but {} is reachable under the same bar: thresholds that meet the bar are not enough, they must lose the least accuracy",
            fmt(accuracy),
            fmt(best)
        )
    })
    .hint("for every candidate lowest rate L, let each group pick its most accurate threshold whose rate lies in [L, L + max_difference], and keep the best L")?;
    Ok((accuracy, best))
}

fn meets_bar() -> Graded {
    let data = adult();
    let thresholds = thresholds_of(&data.train, MAX_DIFFERENCE);
    let (rates, _) = check_bar(
        "training part of the adult sample",
        &data.train,
        &thresholds,
        MAX_DIFFERENCE,
    )?;
    pass(format!(
        "selection rates {} (Female) and {} (Male): within {} of each other",
        fmt(rates[0]),
        fmt(rates[1]),
        fmt(MAX_DIFFERENCE)
    ))
}

fn least_accuracy_lost() -> Graded {
    let data = adult();
    let (accuracy, _) = check_optimal(
        "training part of the adult sample",
        &data.train,
        MAX_DIFFERENCE,
    )?;
    let single = evaluate(&data.train, &[0.5, 0.5])
        .map(|(_, a, _)| a)
        .unwrap_or(f64::NAN);
    pass(format!(
        "accuracy {} on the training part, the best reachable under the bar (threshold 0.5 for everybody: {}, but it misses the bar)",
        fmt(accuracy),
        fmt(single)
    ))
}

fn three_groups() -> Graded {
    // 3 groups with tied scores and a group whose best choice is "nobody".
    let scores = [
        0.9, 0.8, 0.8, 0.4, 0.2, 0.7, 0.6, 0.6, 0.5, 0.3, 0.1, 0.35, 0.3, 0.2, 0.2, 0.1,
    ];
    let y = [
        true, true, false, false, false, true, false, true, true, false, false, false, true, false,
        false, false,
    ];
    let groups = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    let case = Case {
        scores: scores.to_vec(),
        y: y.to_vec(),
        groups: groups.to_vec(),
        n_groups: 3,
    };
    for bar in [0.25, 0.1] {
        check_optimal(
            &format!(
                "hidden case with 3 groups and tied scores, bar {}",
                fmt(bar)
            ),
            &case,
            bar,
        )
        .map_err(|mut failed| {
            // What this case adds to the adult one: ties, and a third group.
            failed.message = format!(
                "{} (samples with equal scores are selected together: a threshold between two tied samples does not exist, so neither does the rate it would give)",
                failed.message
            );
            failed
        })?;
    }
    pass("the most accurate thresholds under two bars on a hidden 3-group case")
}

fn heldout() -> Graded {
    let data = adult();
    let thresholds = thresholds_of(&data.train, MAX_DIFFERENCE);
    // The thresholds are the learner's choice on the training part: judge them, do not trust
    // them. Simpler rules that meet the training bar without the best accuracy (one common
    // selection rate, or lowering one group's threshold until the bar holds) also clear the
    // held-out bars, so the thresholds scored here must be the training optimum (the same
    // thresholds, from this one call).
    let what = "training part of the adult sample (the thresholds scored on the held-out part)";
    let (_, train_accuracy) = check_bar(what, &data.train, &thresholds, MAX_DIFFERENCE)?;
    let best = optimum(&data.train, MAX_DIFFERENCE);
    ensure(train_accuracy >= best - EPS, || {
        format!(
            "{what}: accuracy {} with your thresholds, but {} is reachable under the same bar: \
             thresholds that meet the bar are not enough, they must lose the least accuracy; a \
             held-out score of thresholds not chosen that way grades nothing",
            fmt(train_accuracy),
            fmt(best)
        )
    })?;
    let (rates, accuracy, pred) = evaluate(&data.test, &thresholds)?;
    let names: Vec<&str> = data
        .test
        .groups
        .iter()
        .map(|&g| if g == 1 { "Male" } else { "Female" })
        .collect();
    let report = FairnessReport::new(&data.test.y, &pred, &names).privileged("Male");
    let single: Vec<bool> = data.test.scores.iter().map(|s| *s >= 0.5).collect();
    let before = FairnessReport::new(&data.test.y, &single, &names);
    ensure(accuracy >= HELDOUT_ACCURACY_BAR, || {
        format!(
            "held-out accuracy {} is below the bar {}",
            fmt(accuracy),
            fmt(HELDOUT_ACCURACY_BAR)
        )
    })?;
    let mut passed = bar(
        "held-out demographic parity difference (fairlearn, max - min)",
        spread(&rates),
        HELDOUT_DP_BAR,
        Goal::AtMost,
    )?;
    passed.message = format!(
        "{}, held-out accuracy {} (bar: ≥ {}); with one threshold 0.5 it was {} at accuracy {}. Held-out fairness report:\n{report}",
        passed.message,
        fmt(accuracy),
        fmt(HELDOUT_ACCURACY_BAR),
        fmt(before.demographic_parity_difference()),
        fmt(before
            .rows
            .iter()
            .map(|r| r.accuracy.unwrap_or(0.0) * r.n as f64)
            .sum::<f64>()
            / data.test.y.len() as f64)
    );
    Ok(passed)
}
