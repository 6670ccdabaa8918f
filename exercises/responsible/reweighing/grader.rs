// Grader of responsible/reweighing.

#[path = "../common.rs"]
mod common;

use common::{Logit, adult_sample};
use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::fairness::FairnessReport;
use learnml_kit::split::train_test;

use super::exercise::reweighing;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("weights_by_hand", weights_by_hand),
    ("base_rate_invariant", base_rate_invariant),
    ("parity_heldout", parity_heldout),
    ("accuracy_heldout", accuracy_heldout),
];

const TOL: f64 = 1e-9;
const SEED: u64 = 7;
const SAMPLE: usize = 6000;
/// Bars on the held-out 30 % of the sample (see the statement for why).
const DP_BAR: f64 = 0.10;
const ACCURACY_BAR: f64 = 0.79;

/// The grader's own Kamiran & Calders weights.
fn expected_weights(groups: &[usize], labels: &[bool]) -> Vec<f64> {
    let n = groups.len() as f64;
    let count = |f: &dyn Fn(usize) -> bool| (0..groups.len()).filter(|&i| f(i)).count() as f64;
    (0..groups.len())
        .map(|i| {
            let (g, y) = (groups[i], labels[i]);
            let n_g = count(&|j| groups[j] == g);
            let n_y = count(&|j| labels[j] == y);
            let n_gy = count(&|j| groups[j] == g && labels[j] == y);
            n_y * n_g / (n * n_gy)
        })
        .collect()
}

fn compare_weights(what: &str, groups: &[usize], labels: &[bool]) -> Result<(), Failed> {
    let expected = expected_weights(groups, labels);
    let got = reweighing(groups, labels);
    equal(
        &format!("{what}: number of weights"),
        &got.len(),
        &expected.len(),
    )?;
    let inverted: Vec<f64> = expected.iter().map(|w| 1.0 / w).collect();
    let n = groups.len() as f64;
    let normalized: Vec<f64> = expected.iter().map(|w| w / n).collect();
    let matches = |w: &[f64]| got.iter().zip(w).all(|(a, b)| (a - b).abs() <= TOL);
    if !matches(&expected) {
        if matches(&inverted) {
            return Err(fail(format!(
                "{what}: every weight is inverted (n · n_(g,y) / (n_y · n_g)): this up-weights the combinations that are already over-represented"
            )));
        }
        let times_n: Vec<f64> = expected.iter().map(|w| w * n).collect();
        if matches(&times_n) {
            return Err(fail(format!(
                "{what}: every weight is n times too large (n_y · n_g / n_(g,y)): divide by n, so that the weights sum to n"
            )));
        }
        let mut distinct = groups.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let k = distinct.len() as f64;
        let balance: Vec<f64> = groups
            .iter()
            .map(|g| n / (k * groups.iter().filter(|h| *h == g).count() as f64))
            .collect();
        if matches(&balance) {
            return Err(fail(format!(
                "{what}: these weights balance the group sizes only (n / (k · n_g)), whatever the labels; Kamiran & Calders weigh each (group, label) combination, n_y · n_g / (n · n_(g,y))"
            )));
        }
        if matches(&normalized) {
            return Err(fail(format!(
                "{what}: the weights sum to 1; Kamiran & Calders' weights are n_y · n_g / (n · n_(g,y)), which sum to n"
            )));
        }
        all_close(what, &got, &expected, TOL)?;
    }
    Ok(())
}

fn weights_by_hand() -> Graded {
    // Group 0: labels [1, 1, 1, 0], group 1: labels [1, 0, 0, 0]; n = 8, n_1 = n_0 = 4, n_g = 4.
    // weight(0, 1) = 4 · 4 / (8 · 3) = 2/3, weight(0, 0) = 4 · 4 / (8 · 1) = 2,
    // weight(1, 1) = 2, weight(1, 0) = 2/3.
    let groups = [0, 0, 0, 0, 1, 1, 1, 1];
    let labels = [true, true, true, false, true, false, false, false];
    let by_hand = [
        2.0 / 3.0,
        2.0 / 3.0,
        2.0 / 3.0,
        2.0,
        2.0,
        2.0 / 3.0,
        2.0 / 3.0,
        2.0 / 3.0,
    ];
    all_close(
        "grader self-check",
        &expected_weights(&groups, &labels),
        &by_hand,
        TOL,
    )?;
    compare_weights("weights of the 8-sample example (group 0: 3 of 4 positive, group 1: 1 of 4)", &groups, &labels)
        .hint("weight(g, y) = n_y · n_g / (n · n_(g,y)): the count expected if group and label were independent, over the count observed")?;
    pass("weights 2/3 for the over-represented combinations, 2 for the under-represented ones")
}

fn base_rate_invariant() -> Graded {
    // Three groups with base rates 0.6, 0.2 and 0.5 and sizes 10, 10, 4; group ids not contiguous.
    let mut groups = Vec::new();
    let mut labels = Vec::new();
    for (g, size, positives) in [(0usize, 10, 6), (5, 10, 2), (2, 4, 2)] {
        for k in 0..size {
            groups.push(g);
            labels.push(k < positives);
        }
    }
    compare_weights("hidden case with 3 groups", &groups, &labels)?;
    let w = reweighing(&groups, &labels);
    let n = groups.len() as f64;
    let overall = labels.iter().filter(|&&y| y).count() as f64 / n;
    for g in [0, 5, 2] {
        let (mut pos, mut tot) = (0.0, 0.0);
        for i in 0..groups.len() {
            if groups[i] == g {
                tot += w[i];
                pos += if labels[i] { w[i] } else { 0.0 };
            }
        }
        close(
            &format!("weighted base rate of group {g} (must equal the overall base rate)"),
            pos / tot,
            overall,
            TOL,
        )?;
    }
    close("sum of the weights (must equal n)", w.iter().sum(), n, 1e-6)?;
    pass(format!(
        "every group's weighted base rate equals the overall base rate {} and the weights sum to n",
        fmt(overall)
    ))
}

struct Outcome {
    report: FairnessReport,
    unweighted: FairnessReport,
    accuracy: f64,
    unweighted_accuracy: f64,
}

/// Fit on the training part with the learner's weights and with unit weights, predict the
/// held-out part (score >= 0.5).
fn held_out() -> Result<Outcome, Failed> {
    let data = adult_sample(SEED, SAMPLE);
    let (train, test) = train_test(data.y.len(), 0.3, SEED);
    let pick = |idx: &[usize]| -> (Vec<Vec<f64>>, Vec<bool>, Vec<usize>) {
        (
            idx.iter().map(|&i| data.x[i].clone()).collect(),
            idx.iter().map(|&i| data.y[i]).collect(),
            idx.iter().map(|&i| data.sex[i]).collect(),
        )
    };
    let (x_tr, y_tr, g_tr) = pick(&train);
    let (x_te, y_te, g_te) = pick(&test);
    let w = reweighing(&g_tr, &y_tr);
    equal(
        "number of weights for the training part",
        &w.len(),
        &y_tr.len(),
    )?;
    ensure(w.iter().all(|v| v.is_finite() && *v >= 0.0), || {
        "some weights are negative, infinite or NaN".to_string()
    })?;
    let names: Vec<&str> = g_te
        .iter()
        .map(|&g| if g == 1 { "Male" } else { "Female" })
        .collect();
    let evaluate = |weights: &[f64]| {
        let model = Logit::fit(&x_tr, &y_tr, weights, 1.0);
        let pred: Vec<bool> = x_te.iter().map(|r| model.score(r) >= 0.5).collect();
        let accuracy =
            pred.iter().zip(&y_te).filter(|(p, y)| p == y).count() as f64 / y_te.len() as f64;
        (
            FairnessReport::new(&y_te, &pred, &names).privileged("Male"),
            accuracy,
        )
    };
    let (report, accuracy) = evaluate(&w);
    let (unweighted, unweighted_accuracy) = evaluate(&vec![1.0; y_tr.len()]);
    Ok(Outcome {
        report,
        unweighted,
        accuracy,
        unweighted_accuracy,
    })
}

fn parity_heldout() -> Graded {
    let o = held_out()?;
    let dp = o.report.demographic_parity_difference();
    let result = bar(
        "held-out demographic parity difference (fairlearn, max - min)",
        dp,
        DP_BAR,
        Goal::AtMost,
    );
    match result {
        Ok(mut passed) => {
            passed.message = format!(
                "{}; without reweighing it is {}. Held-out fairness report with your weights:\n{}",
                passed.message,
                fmt(o.unweighted.demographic_parity_difference()),
                o.report
            );
            Ok(passed)
        }
        Err(failed) => Err(failed).hint("the weights must up-weight the (group, label) combinations that are rarer than independence predicts: check the base-rate invariant first"),
    }
}

fn accuracy_heldout() -> Graded {
    let o = held_out()?;
    let result = bar(
        "held-out accuracy with the weights",
        o.accuracy,
        ACCURACY_BAR,
        Goal::AtLeast,
    );
    match result {
        Ok(mut passed) => {
            passed.message = format!("{}; without reweighing {}", passed.message, fmt(o.unweighted_accuracy));
            Ok(passed)
        }
        Err(failed) => Err(failed).hint("extreme weights can buy parity by predicting one class for everybody: the weights of Kamiran & Calders stay close to 1 when group and label are nearly independent"),
    }
}
