// Grader of responsible/error_rates.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::fairness::FairnessReport;

use super::exercise::{
    GroupRates, equal_opportunity_difference, equalized_odds_difference, group_rates,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("rates_german", rates_german),
    ("rates_undefined", rates_undefined),
    ("equal_opportunity", equal_opportunity),
    ("equalized_odds", equalized_odds),
];

const TOL: f64 = 1e-9;

struct Case {
    y_true: Vec<bool>,
    y_pred: Vec<bool>,
    groups: Vec<usize>,
    n_groups: usize,
}

/// german_credit: y = (credit_risk = good), ŷ = a rule-based policy (grant unless the checking
/// account is overdrawn or the credit runs longer than 24 months), groups 0: age < 25, 1: >= 25.
fn german() -> Case {
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let risk = table.text_column("credit_risk").expect("credit_risk");
    let checking = table
        .text_column("checking_status")
        .expect("checking_status");
    let duration = table
        .numeric_column("duration_months")
        .expect("duration_months");
    let age = table.numeric_column("age").expect("age");
    Case {
        y_true: risk.iter().map(|r| *r == Some("good")).collect(),
        y_pred: checking
            .iter()
            .zip(&duration)
            .map(|(c, d)| *c != Some("< 0 DM") && d.unwrap_or(0.0) <= 24.0)
            .collect(),
        groups: age
            .iter()
            .map(|a| usize::from(a.unwrap_or(0.0) >= 25.0))
            .collect(),
        n_groups: 2,
    }
}

/// Group 0: TPR 2/3, FPR 1/4 (TNR 3/4). Group 1 has no positives: TPR None, FPR 1/2. Group 2
/// has no negatives: TPR 3/4, FPR None. TPR difference 1/12, FPR difference 1/4, so the
/// equalized odds difference is 1/4 (their mean would be 1/6).
fn hidden() -> Case {
    let parts: [(&[u8], &[u8]); 3] = [
        (&[1, 1, 1, 0, 0, 0, 0], &[1, 1, 0, 1, 0, 0, 0]),
        (&[0, 0, 0, 0], &[1, 1, 0, 0]),
        (&[1, 1, 1, 1], &[1, 1, 1, 0]),
    ];
    let mut case = Case {
        y_true: vec![],
        y_pred: vec![],
        groups: vec![],
        n_groups: 3,
    };
    for (g, (y, p)) in parts.iter().enumerate() {
        case.y_true.extend(y.iter().map(|&v| v == 1));
        case.y_pred.extend(p.iter().map(|&v| v == 1));
        case.groups.extend(std::iter::repeat_n(g, y.len()));
    }
    case
}

/// Two groups with the same FPR (1/2) and TPRs 1 and 0: the TPR difference (1) is the larger,
/// so an FPR difference alone (0) fails here, while the other cases have the FPR one larger.
fn tpr_larger() -> Case {
    Case {
        y_true: vec![true, true, false, false, true, true, false, false],
        y_pred: vec![true, true, true, false, false, false, true, false],
        groups: vec![0, 0, 0, 0, 1, 1, 1, 1],
        n_groups: 2,
    }
}

/// The grader's own rates and the classic wrong variants: (TPR, FPR) per group.
fn expected(case: &Case) -> Vec<GroupRates> {
    (0..case.n_groups)
        .map(|g| {
            let (mut tp, mut pos, mut fp, mut neg) = (0, 0, 0, 0);
            for i in (0..case.groups.len()).filter(|&i| case.groups[i] == g) {
                if case.y_true[i] {
                    pos += 1;
                    tp += usize::from(case.y_pred[i]);
                } else {
                    neg += 1;
                    fp += usize::from(case.y_pred[i]);
                }
            }
            let r = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
            GroupRates {
                tpr: r(tp, pos),
                fpr: r(fp, neg),
            }
        })
        .collect()
}

fn spread(v: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = v.clone().fold(f64::NEG_INFINITY, f64::max);
    let min = v.fold(f64::INFINITY, f64::min);
    if max >= min { max - min } else { 0.0 }
}

fn one_rate(
    what: &str,
    got: Option<f64>,
    exp: Option<f64>,
    wrong: &[(Option<f64>, &str)],
) -> Result<(), Failed> {
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= TOL,
        (None, None) => true,
        _ => false,
    };
    if same(got, exp) {
        return Ok(());
    }
    let show = |x: Option<f64>| x.map_or("None".to_string(), |v| format!("Some({})", fmt(v)));
    if exp.is_none() {
        return Err(fail(format!(
            "{what}: expected None, got {}: the denominator is 0 here, so the rate is undefined (not 0, not NaN)",
            show(got)
        )));
    }
    let why = wrong
        .iter()
        .find(|(w, _)| same(got, *w) && !same(*w, exp))
        .map_or(String::new(), |(_, why)| format!(": {why}"));
    Err(fail(format!(
        "{what}: expected {} (± {}), got {}{why}",
        show(exp),
        fmt(TOL),
        show(got)
    )))
}

fn compare(what: &str, case: &Case) -> Result<(), Failed> {
    let exp = expected(case);
    let got = group_rates(&case.y_true, &case.y_pred, &case.groups, case.n_groups);
    equal(
        &format!("{what}: number of entries (one per group id)"),
        &got.len(),
        &exp.len(),
    )?;
    for g in 0..exp.len() {
        let (e, r) = (exp[g], got[g]);
        let n = case.groups.iter().filter(|&&x| x == g).count() as f64;
        let tp = (0..case.groups.len())
            .filter(|&i| case.groups[i] == g && case.y_true[i] && case.y_pred[i])
            .count() as f64;
        let fp = (0..case.groups.len())
            .filter(|&i| case.groups[i] == g && !case.y_true[i] && case.y_pred[i])
            .count() as f64;
        let predicted = tp + fp;
        one_rate(
            &format!("{what}, TPR of group {g}"),
            r.tpr,
            e.tpr,
            &[
                (
                    e.fpr.map(|f| 1.0 - f),
                    "that is the TNR: the positive class is swapped; the positive class is `true`",
                ),
                (
                    (n > 0.0).then(|| tp / n),
                    "TP divided by the group size; TPR divides by the group's actual positives",
                ),
                (
                    (predicted > 0.0).then(|| tp / predicted),
                    "that is the precision (TP / predicted positives); TPR divides by actual positives",
                ),
            ],
        )?;
        one_rate(
            &format!("{what}, FPR of group {g}"),
            r.fpr,
            e.fpr,
            &[
                (
                    e.tpr.map(|t| 1.0 - t),
                    "that is the FNR: the positive class is swapped; the positive class is `true`",
                ),
                (
                    (n > 0.0).then(|| fp / n),
                    "FP divided by the group size; FPR divides by the group's actual negatives",
                ),
                (
                    (predicted > 0.0).then(|| fp / predicted),
                    "FP / predicted positives is the false discovery rate; FPR divides by actual negatives",
                ),
            ],
        )?;
    }
    Ok(())
}

fn value(what: &str, got: f64, expected: f64, wrong: &[(f64, &str)]) -> Result<(), Failed> {
    close_naming(what, got, expected, TOL, wrong)
}

fn report(case: &Case) -> FairnessReport {
    let names: Vec<&str> = case
        .groups
        .iter()
        .map(|&g| if g == 0 { "age < 25" } else { "age >= 25" })
        .collect();
    FairnessReport::new(&case.y_true, &case.y_pred, &names).privileged("age >= 25")
}

fn rates_german() -> Graded {
    let case = german();
    compare("german_credit (group 0: age < 25, 1: age >= 25)", &case)?;
    pass(format!(
        "per-group rates match the fairness report:\n{}",
        report(&case)
    ))
}

fn rates_undefined() -> Graded {
    compare("hidden case with 3 groups", &hidden())?;
    pass("None for the TPR of a group without positives and the FPR of a group without negatives")
}

fn equal_opportunity() -> Graded {
    for (name, case) in [
        ("german_credit", german()),
        ("hidden case with 3 groups", hidden()),
    ] {
        let e = expected(&case);
        let tpr = spread(e.iter().filter_map(|r| r.tpr));
        let fpr = spread(e.iter().filter_map(|r| r.fpr));
        let signed = e[0].tpr.unwrap_or(0.0) - e[1].tpr.unwrap_or(0.0);
        let none_as_zero = spread(e.iter().map(|r| r.tpr.unwrap_or(0.0)));
        let got =
            equal_opportunity_difference(&case.y_true, &case.y_pred, &case.groups, case.n_groups);
        value(
            &format!("equal opportunity difference, {name}"),
            got,
            tpr,
            &[
                (
                    fpr,
                    "that is the FPR difference; equal opportunity compares TPRs",
                ),
                (
                    -tpr,
                    "a negated difference: fairlearn's is max - min, unsigned",
                ),
                (
                    signed,
                    "a signed group 0 - group 1 difference (AIF360's style); fairlearn's is max - min",
                ),
                (
                    none_as_zero,
                    "an undefined TPR was counted as 0; leave groups without positives out",
                ),
            ],
        )?;
    }
    let e = expected(&german());
    pass(format!(
        "equal opportunity difference = {} on german_credit (fairlearn, max - min TPR)",
        fmt(spread(e.iter().filter_map(|r| r.tpr)))
    ))
}

fn equalized_odds() -> Graded {
    for (name, case) in [
        ("german_credit", german()),
        ("hidden case with 3 groups", hidden()),
        ("hidden case where the TPRs differ more", tpr_larger()),
    ] {
        let e = expected(&case);
        let tpr = spread(e.iter().filter_map(|r| r.tpr));
        let fpr = spread(e.iter().filter_map(|r| r.fpr));
        let got =
            equalized_odds_difference(&case.y_true, &case.y_pred, &case.groups, case.n_groups);
        let none_as_zero = spread(e.iter().map(|r| r.tpr.unwrap_or(0.0)))
            .max(spread(e.iter().map(|r| r.fpr.unwrap_or(0.0))));
        // The smaller difference is the TPR or the FPR difference alone: one message says both,
        // since the value cannot tell which the code computed.
        let (smaller, which) = if tpr <= fpr {
            (
                tpr,
                "the TPR difference alone (equal opportunity), the smaller of the two differences here",
            )
        } else {
            (
                fpr,
                "the FPR difference alone, the smaller of the two differences here",
            )
        };
        let smaller_message = format!(
            "that equals {which}; fairlearn takes the larger of the TPR and FPR differences"
        );
        value(
            &format!("equalized odds difference, {name}"),
            got,
            tpr.max(fpr),
            &[
                (
                    (tpr + fpr) / 2.0,
                    "the mean of the two differences (like AIF360's average odds); fairlearn takes their maximum",
                ),
                (smaller, &smaller_message),
                (
                    none_as_zero,
                    "an undefined rate was counted as 0; leave a group out of the TPR difference when it has no positives, and out of the FPR difference when it has no negatives",
                ),
            ],
        )?;
    }
    let e = expected(&german());
    let v = spread(e.iter().filter_map(|r| r.tpr)).max(spread(e.iter().filter_map(|r| r.fpr)));
    pass(format!(
        "equalized odds difference = {} on german_credit (fairlearn, max of TPR and FPR differences)",
        fmt(v)
    ))
}
