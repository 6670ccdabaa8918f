// Grader of responsible/selection_rates.

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::{demographic_parity_difference, demographic_parity_ratio, selection_rates};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("rates_german", rates_german),
    ("rates_edge", rates_edge),
    ("dp_difference", dp_difference),
    ("dp_ratio", dp_ratio),
];

const TOL: f64 = 1e-9;

/// german_credit: a rule-based policy (grant unless the checking account is overdrawn or the
/// credit runs longer than 24 months) and the age groups (0: age < 25, 1: age >= 25).
fn german() -> (Vec<bool>, Vec<usize>) {
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let checking = table
        .text_column("checking_status")
        .expect("checking_status");
    let duration = table
        .numeric_column("duration_months")
        .expect("duration_months");
    let age = table.numeric_column("age").expect("age");
    let y_pred = checking
        .iter()
        .zip(&duration)
        .map(|(c, d)| *c != Some("< 0 DM") && d.unwrap_or(0.0) <= 24.0)
        .collect();
    let groups = age
        .iter()
        .map(|a| usize::from(a.unwrap_or(0.0) >= 25.0))
        .collect();
    (y_pred, groups)
}

/// The grader's own rates: (members, selected) per group.
fn counts(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<(usize, usize)> {
    let mut c = vec![(0, 0); n_groups];
    for (&p, &g) in y_pred.iter().zip(groups) {
        c[g].0 += 1;
        c[g].1 += usize::from(p);
    }
    c
}

fn rates(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    counts(y_pred, groups, n_groups)
        .iter()
        .map(|&(m, s)| (m > 0).then(|| s as f64 / m as f64))
        .collect()
}

fn extremes(r: &[Option<f64>]) -> (f64, f64) {
    let d: Vec<f64> = r.iter().flatten().copied().collect();
    (
        d.iter().copied().fold(f64::INFINITY, f64::min),
        d.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    )
}

/// Compare a value, naming the mistake when `got` matches one of the known wrong answers.
fn value(what: &str, got: f64, expected: f64, wrong: &[(f64, &str)]) -> Result<(), Failed> {
    if expected.is_nan() {
        return ensure(got.is_nan(), || {
            format!(
                "{what}: expected NaN (undefined: every selection rate is 0), got {}",
                fmt(got)
            )
        });
    }
    close_naming(what, got, expected, TOL, wrong)
}

fn compare_rates(
    what: &str,
    got: &[Option<f64>],
    expected: &[Option<f64>],
    by_selected: &[Option<f64>],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of entries (one per group id)"),
        &got.len(),
        &expected.len(),
    )?;
    for (g, (a, e)) in got.iter().zip(expected).enumerate() {
        match (a, e) {
            (Some(a), Some(e)) => {
                let named = by_selected[g].map(|w| (w, "that is the group's share of all selected samples; the selection rate divides by the group's size"));
                value(&format!("{what}, group {g}"), *a, *e, named.as_slice())?
            }
            (None, None) => {}
            (got, None) => {
                return Err(fail(format!(
                    "{what}, group {g}: expected None (the group has no members, so its rate is undefined), got {got:?}"
                )));
            }
            (None, Some(e)) => {
                return Err(fail(format!(
                    "{what}, group {g}: expected Some({}), got None",
                    fmt(*e)
                )));
            }
        }
    }
    Ok(())
}

fn share_of_selected(y_pred: &[bool], groups: &[usize], n_groups: usize) -> Vec<Option<f64>> {
    let total = y_pred.iter().filter(|&&p| p).count().max(1) as f64;
    counts(y_pred, groups, n_groups)
        .iter()
        .map(|&(m, s)| (m > 0).then(|| s as f64 / total))
        .collect()
}

/// Four groups: 0 has 5 members (3 selected), 1 has 4 (0 selected), 2 is empty, 3 has 6 (5 selected).
fn hidden_four() -> (Vec<bool>, Vec<usize>) {
    let groups = vec![3, 0, 1, 0, 3, 3, 1, 0, 3, 1, 0, 3, 0, 1, 3];
    let y_pred = vec![
        true, true, false, false, true, true, false, true, true, false, false, false, true, false,
        true,
    ];
    (y_pred, groups)
}

/// Three groups whose extremes are groups 0 and 2 (rates 0.25, 0.75 and 0.5 for group 1).
fn hidden_three() -> (Vec<bool>, Vec<usize>) {
    let groups = vec![0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    let y_pred = vec![
        true, false, false, false, true, true, true, false, true, true, false, false,
    ];
    (y_pred, groups)
}

/// Three group ids, the middle one empty: rates 0.5 (group 0) and 0.75 (group 2). Counting the
/// empty group as rate 0 changes both the difference (0.75 instead of 0.25) and the ratio (0
/// instead of 2/3), which no group of the other cases can hide.
fn hidden_gap() -> (Vec<bool>, Vec<usize>) {
    let groups = vec![0, 2, 0, 2, 0, 2, 0, 2];
    let y_pred = vec![true, true, false, true, true, true, false, false];
    (y_pred, groups)
}

fn rates_german() -> Graded {
    let (y_pred, groups) = german();
    let expected = rates(&y_pred, &groups, 2);
    let got = selection_rates(&y_pred, &groups, 2);
    compare_rates(
        "selection rates (age < 25, age >= 25)",
        &got,
        &expected,
        &share_of_selected(&y_pred, &groups, 2),
    )
    .hint("selected members of the group / members of the group")?;
    pass(format!(
        "selection rate {} for age < 25, {} for age >= 25",
        fmt(expected[0].unwrap_or(f64::NAN)),
        fmt(expected[1].unwrap_or(f64::NAN))
    ))
}

fn rates_edge() -> Graded {
    let (y_pred, groups) = hidden_four();
    let expected = rates(&y_pred, &groups, 4);
    let got = selection_rates(&y_pred, &groups, 4);
    compare_rates("hidden case with 4 group ids (one empty, one never selected)", &got, &expected, &share_of_selected(&y_pred, &groups, 4))
        .hint("return one entry per id in 0..n_groups, even for ids that never occur: None for them, Some(0.0) for a group with members and no selection")?;
    pass("one entry per group id; None for the empty group, Some(0) for the never-selected one")
}

fn dp_difference() -> Graded {
    let (y_pred, groups) = german();
    let r = rates(&y_pred, &groups, 2);
    let (min, max) = extremes(&r);
    let got = demographic_parity_difference(&y_pred, &groups, 2);
    let signed = r[0].unwrap_or(0.0) - r[1].unwrap_or(0.0);
    value(
        "demographic parity difference on german_credit",
        got,
        max - min,
        &[
            (
                min - max,
                "a negated difference: fairlearn's is max - min, unsigned",
            ),
            (
                signed,
                "that is AIF360's signed unprivileged-minus-privileged difference; fairlearn's is unsigned max - min",
            ),
        ],
    )?;
    for (name, (y_pred, groups, n)) in [
        ("hidden case with 3 groups", {
            let (p, g) = hidden_three();
            (p, g, 3)
        }),
        ("hidden case with an empty group", {
            let (p, g) = hidden_four();
            (p, g, 4)
        }),
        ("hidden case with an empty group between two others", {
            let (p, g) = hidden_gap();
            (p, g, 3)
        }),
    ] {
        let r = rates(&y_pred, &groups, n);
        let (min, max) = extremes(&r);
        let got = demographic_parity_difference(&y_pred, &groups, n);
        let first_two = r[0].unwrap_or(0.0) - r[1].unwrap_or(0.0);
        value(
            &format!("demographic parity difference, {name}"),
            got,
            max - min,
            &[
                (
                    first_two.abs(),
                    "that compares the first two groups only; take max - min over all groups",
                ),
                (
                    min - max,
                    "a negated difference: fairlearn's is max - min, unsigned",
                ),
                (
                    max,
                    "the empty group was counted with rate 0; leave groups without members out",
                ),
            ],
        )?;
    }
    pass(format!(
        "demographic parity difference = {} on german_credit (fairlearn, unsigned)",
        fmt(max - min)
    ))
}

fn dp_ratio() -> Graded {
    let (y_pred, groups) = german();
    let r = rates(&y_pred, &groups, 2);
    let (min, max) = extremes(&r);
    let got = demographic_parity_ratio(&y_pred, &groups, 2);
    value(
        "demographic parity ratio on german_credit",
        got,
        min / max,
        &[(
            max / min,
            "an inverted ratio: fairlearn's is min / max, at most 1",
        )],
    )?;
    let (y3, g3) = hidden_three();
    let r3 = rates(&y3, &g3, 3);
    let (min3, max3) = extremes(&r3);
    value(
        "demographic parity ratio, hidden case with 3 groups",
        demographic_parity_ratio(&y3, &g3, 3),
        min3 / max3,
        &[
            (
                r3[0].unwrap_or(0.0) / r3[1].unwrap_or(1.0),
                "that is the ratio of the first two groups only; take min / max over all groups",
            ),
            (
                max3 / min3,
                "an inverted ratio: fairlearn's is min / max, at most 1",
            ),
        ],
    )?;
    let (yg, gg) = hidden_gap();
    let rg = rates(&yg, &gg, 3);
    let (ming, maxg) = extremes(&rg);
    value(
        "demographic parity ratio, hidden case with an empty group between two others",
        demographic_parity_ratio(&yg, &gg, 3),
        ming / maxg,
        &[
            (
                0.0,
                "the empty group was counted with rate 0; leave groups without members out",
            ),
            (
                maxg / ming,
                "an inverted ratio: fairlearn's is min / max, at most 1",
            ),
        ],
    )?;
    let (y4, g4) = hidden_four();
    value(
        "demographic parity ratio, hidden case with an empty group and a never-selected one",
        demographic_parity_ratio(&y4, &g4, 4),
        0.0,
        &[],
    )
    .hint("a group with members and no selection has rate 0, so min / max is 0; the empty group is left out")?;
    let nobody = vec![false; 6];
    let g = vec![0, 1, 0, 1, 0, 1];
    value(
        "demographic parity ratio when nobody is selected",
        demographic_parity_ratio(&nobody, &g, 2),
        f64::NAN,
        &[],
    )
    .hint("min / max is 0 / 0 here: return f64::NAN, as fairlearn does")?;
    pass(format!(
        "demographic parity ratio = {} on german_credit (fairlearn, min / max)",
        fmt(min / max)
    ))
}
