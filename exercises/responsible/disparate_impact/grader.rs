// Grader of responsible/disparate_impact.

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::{disparate_impact, four_fifths_flags, statistical_parity_difference};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("di_german", di_german),
    ("di_directional", di_directional),
    ("spd_signed", spd_signed),
    ("four_fifths", four_fifths),
];

const TOL: f64 = 1e-9;

/// german_credit: the historical decision (credit_risk = good) and the age groups
/// (0: age < 25, unprivileged; 1: age >= 25, privileged).
fn german() -> (Vec<bool>, Vec<usize>) {
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let risk = table.text_column("credit_risk").expect("credit_risk");
    let age = table.numeric_column("age").expect("age");
    let y = risk.iter().map(|r| *r == Some("good")).collect();
    let groups = age
        .iter()
        .map(|a| usize::from(a.unwrap_or(0.0) >= 25.0))
        .collect();
    (y, groups)
}

/// (members, selected) of one group.
fn counts(y_pred: &[bool], groups: &[usize], group: usize) -> (usize, usize) {
    y_pred
        .iter()
        .zip(groups)
        .filter(|(_, g)| **g == group)
        .fold((0, 0), |(m, s), (p, _)| (m + 1, s + usize::from(*p)))
}

fn rate(y_pred: &[bool], groups: &[usize], group: usize) -> Option<f64> {
    let (m, s) = counts(y_pred, groups, group);
    (m > 0).then(|| s as f64 / m as f64)
}

fn value(
    what: &str,
    got: Option<f64>,
    expected: Option<f64>,
    wrong: &[(f64, &str)],
) -> Result<(), Failed> {
    match (got, expected) {
        (None, None) => Ok(()),
        (Some(g), None) => Err(fail(format!(
            "{what}: expected None (undefined), got Some({})",
            fmt(g)
        ))),
        (None, Some(e)) => Err(fail(format!("{what}: expected Some({}), got None", fmt(e)))),
        (Some(g), Some(e)) => {
            if (g - e).abs() <= TOL {
                return Ok(());
            }
            for &(w, why) in wrong {
                if (g - w).abs() <= TOL && (w - e).abs() > TOL {
                    return Err(fail(format!(
                        "{what}: expected {} (± {}), got {}: {why}",
                        fmt(e),
                        fmt(TOL),
                        fmt(g)
                    )));
                }
            }
            close(what, g, e, TOL)
        }
    }
}

const INVERTED: &str =
    "an inverted ratio (SR_p / SR_u); AIF360's disparate impact is unprivileged over privileged";
const MIN_MAX: &str = "that is fairlearn's min / max ratio, or the inverted ratio; AIF360's disparate impact is SR_u / SR_p and exceeds 1 when the unprivileged group is selected more";

fn di_german() -> Graded {
    let (y, g) = german();
    let (u, p) = (
        rate(&y, &g, 0).unwrap_or(f64::NAN),
        rate(&y, &g, 1).unwrap_or(f64::NAN),
    );
    let got = disparate_impact(&y, &g, 0, 1);
    value(
        "disparate impact of age < 25 vs age >= 25",
        got,
        Some(u / p),
        &[(p / u, INVERTED)],
    )?;
    let verdict = if u / p < 0.8 {
        "below 0.8: fails the four-fifths rule"
    } else {
        "at least 0.8: passes the four-fifths rule"
    };
    pass(format!(
        "disparate impact = {} (SR {} for age < 25 over {} for age >= 25), {verdict}",
        fmt(u / p),
        fmt(u),
        fmt(p)
    ))
}

fn di_directional() -> Graded {
    // Unprivileged group 0 selected 6 of 10, privileged group 1 selected 4 of 10: DI = 1.5.
    let groups: Vec<usize> = (0..20).map(|i| i / 10).collect();
    let y: Vec<bool> = (0..20)
        .map(|i| if i < 10 { i < 6 } else { i < 14 })
        .collect();
    value(
        "disparate impact, hidden case where the unprivileged group is selected more",
        disparate_impact(&y, &groups, 0, 1),
        Some(0.6 / 0.4),
        &[(0.4 / 0.6, MIN_MAX)],
    )?;
    // Roles swapped on the same data: 0.4 / 0.6.
    value(
        "disparate impact, same case with the roles swapped",
        disparate_impact(&y, &groups, 1, 0),
        Some(0.4 / 0.6),
        &[(0.6 / 0.4, INVERTED)],
    )?;
    // The privileged group (1) is never selected: SR_p = 0, the ratio is undefined.
    let y0: Vec<bool> = (0..20).map(|i| i < 3).collect();
    value(
        "disparate impact when the privileged group is never selected",
        disparate_impact(&y0, &groups, 0, 1),
        None,
        &[],
    )
    .hint("SR_p = 0 makes SR_u / SR_p undefined: return None rather than infinity or NaN")?;
    // A group id with no members.
    value(
        "disparate impact when the unprivileged group has no members",
        disparate_impact(&y, &groups, 2, 1),
        None,
        &[],
    )
    .hint("a group with no members has no selection rate: return None")?;
    pass("directional ratio (1.5 when the unprivileged group is favoured); None when undefined")
}

fn spd_signed() -> Graded {
    let (y, g) = german();
    let (u, p) = (
        rate(&y, &g, 0).unwrap_or(f64::NAN),
        rate(&y, &g, 1).unwrap_or(f64::NAN),
    );
    value(
        "statistical parity difference of age < 25 vs age >= 25",
        statistical_parity_difference(&y, &g, 0, 1),
        Some(u - p),
        &[(
            p - u,
            "a negated or unsigned difference: AIF360's is signed, SR_u - SR_p, negative when the unprivileged group is selected less",
        )],
    )?;
    let groups: Vec<usize> = (0..20).map(|i| i / 10).collect();
    let y2: Vec<bool> = (0..20)
        .map(|i| if i < 10 { i < 6 } else { i < 14 })
        .collect();
    value(
        "statistical parity difference, hidden case where the unprivileged group is selected more",
        statistical_parity_difference(&y2, &groups, 0, 1),
        Some(0.2),
        &[(-0.2, "a negated difference: AIF360's is SR_u - SR_p")],
    )?;
    value(
        "statistical parity difference with an empty group",
        statistical_parity_difference(&y2, &groups, 0, 5),
        None,
        &[],
    )?;
    pass(format!(
        "statistical parity difference = {} on german_credit (AIF360, signed)",
        fmt(u - p)
    ))
}

fn four_fifths() -> Graded {
    let (y, g) = german();
    let (u, p) = (counts(&y, &g, 0), counts(&y, &g, 1));
    // Integer test: s_u / m_u < 0.8 * s_p / m_p  <=>  5 s_u m_p < 4 s_p m_u (group 1 is the highest here).
    let mut expected = Vec::new();
    for (id, (m, s), (mo, so)) in [(0, u, p), (1, p, u)] {
        if 5 * s * mo < 4 * so * m {
            expected.push(id);
        }
    }
    equal(
        "groups flagged on german_credit (0: age < 25, 1: age >= 25)",
        &four_fifths_flags(&y, &g, 2),
        &expected,
    )?;
    // Hidden: group rates 0.5, 0.4 (exactly four fifths of 0.5), 0.3, no members, 0.0.
    let mut groups = Vec::new();
    let mut pred = Vec::new();
    for (id, selected) in [(0, 5), (1, 4), (2, 3), (4, 0)] {
        for k in 0..10 {
            groups.push(id);
            pred.push(k < selected);
        }
    }
    let got = four_fifths_flags(&pred, &groups, 5);
    let expected = vec![2, 4];
    if got != expected {
        let why = if got.contains(&1) {
            "group 1's rate is exactly four fifths of the highest (0.4 vs 0.5): the rule flags only rates strictly below 0.8 x highest"
        } else if got.contains(&3) {
            "group 3 has no members: it has no rate and cannot be flagged"
        } else {
            "compare each group's rate with 0.8 x the highest group's rate (not the overall rate, not a difference of 0.2)"
        };
        return Err(fail(format!(
            "groups flagged, hidden case with 5 group ids: expected {expected:?}, got {got:?}: {why}"
        )));
    }
    pass(format!(
        "flags {:?} on german_credit; boundary and empty groups handled",
        four_fifths_flags(&y, &g, 2)
    ))
}
