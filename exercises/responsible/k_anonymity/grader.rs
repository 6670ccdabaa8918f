// Grader of responsible/k_anonymity.

use std::collections::BTreeMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::{age_band, k_anonymity, smallest_width};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("k_by_hand", k_by_hand),
    ("k_edge", k_edge),
    ("bands", bands),
    ("generalize_german", generalize_german),
];

const WIDTHS: [u32; 7] = [1, 2, 5, 10, 20, 40, 80];

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|v| v.to_string()).collect())
        .collect()
}

/// The grader's own class sizes over the quasi-identifiers.
fn class_sizes(rows: &[Vec<String>], quasi: &[usize]) -> Vec<usize> {
    let mut classes: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for row in rows {
        *classes
            .entry(quasi.iter().map(|&j| row[j].clone()).collect())
            .or_default() += 1;
    }
    classes.into_values().collect()
}

fn check_k(what: &str, rows: &[Vec<String>], quasi: &[usize]) -> Result<usize, Failed> {
    let sizes = class_sizes(rows, quasi);
    let expected = sizes.iter().copied().min().unwrap_or(0);
    let got = k_anonymity(rows, quasi);
    if got != expected {
        let all_columns: Vec<usize> = (0..rows.first().map_or(0, Vec::len)).collect();
        let why = if !sizes.is_empty() && got + 1 == expected {
            ": one less than the smallest class: a row counts itself, k is the number of rows in its class (not the other rows)"
        } else if got == sizes.len() {
            ": that is the number of equivalence classes; k is the size of the smallest one"
        } else if got == sizes.iter().copied().max().unwrap_or(0) {
            ": that is the size of the largest class; k is the size of the smallest one"
        } else if got
            == class_sizes(rows, &all_columns)
                .into_iter()
                .min()
                .unwrap_or(0)
        {
            ": the rows were grouped on every column; group them on the quasi-identifiers only (the sensitive column is not known to an attacker)"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: expected k = {expected}, got {got}{why}"
        )));
    }
    Ok(expected)
}

fn k_by_hand() -> Graded {
    // Quasi-identifiers (0, 1); column 2 is sensitive. Classes (a, 1) x4 and (b, 2) x4: k = 4.
    // Grouped on every column it would be 1 ((b, 2, x) alone); counting the other rows, 3; the
    // number of classes is 2: each mistake gives its own number.
    let eight = table(&[
        &["a", "1", "x"],
        &["a", "1", "x"],
        &["a", "1", "x"],
        &["a", "1", "x"],
        &["b", "2", "x"],
        &["b", "2", "y"],
        &["b", "2", "y"],
        &["b", "2", "y"],
    ]);
    check_k(
        "k of an 8-row table over its first two columns",
        &eight,
        &[0, 1],
    )?;
    // Quasi-identifiers zip (0) and age band (1); diagnosis (2) is the sensitive column.
    // Classes: (130**, 20-29) x3, (130**, 30-39) x2, (148**, 20-29) x4: k = 2.
    let rows = table(&[
        &["130**", "20-29", "flu"],
        &["130**", "20-29", "cancer"],
        &["130**", "20-29", "flu"],
        &["130**", "30-39", "hepatitis"],
        &["130**", "30-39", "flu"],
        &["148**", "20-29", "flu"],
        &["148**", "20-29", "cancer"],
        &["148**", "20-29", "flu"],
        &["148**", "20-29", "flu"],
    ]);
    let k = check_k("k of a 9-row table over (zip, age band)", &rows, &[0, 1])?;
    ensure(k == 2, || {
        format!("grader self-check: k should be 2 by hand, computed {k}")
    })?;
    pass(
        "k = 4 for an 8-row table; k = 2 for the 9-row one, whose smallest class, (130**, 30-39), has 2 rows",
    )
}

fn k_edge() -> Graded {
    let distinct = table(&[&["a", "1"], &["b", "1"], &["c", "2"]]);
    check_k(
        "hidden case: every row unique on the quasi-identifiers",
        &distinct,
        &[0, 1],
    )?;
    let same = table(&[
        &["a", "1", "x"],
        &["a", "1", "y"],
        &["a", "1", "z"],
        &["a", "1", "x"],
    ]);
    check_k(
        "hidden case: every row the same on the quasi-identifiers",
        &same,
        &[0, 1],
    )?;
    check_k(
        "hidden case: quasi-identifiers in a different order",
        &same,
        &[1, 0],
    )?;
    let got = k_anonymity(&[], &[0]);
    let why = match got {
        0 => "",
        usize::MAX => {
            ": usize::MAX is the start of a min fold over no class; a table without rows has k = 0"
        }
        _ => ": a table without rows has no class, so k = 0",
    };
    ensure(got == 0, || {
        format!("k of a table without rows: expected 0, got {got}{why}")
    })
    .hint("an empty table has no class: `.min().unwrap_or(0)`")?;
    pass("k = 1 when every row is unique, k = n when all agree, 0 for an empty table")
}

fn bands() -> Graded {
    for (age, width, expected) in [
        (37, 10, "30-39"),
        (40, 10, "40-49"),
        (19, 5, "15-19"),
        (25, 1, "25-25"),
        (74, 80, "0-79"),
        (0, 20, "0-19"),
    ] {
        let got = age_band(age, width);
        let lo = age / width * width;
        if got == format!("{lo}-{}", lo + width) {
            return Err(fail(format!(
                "age_band({age}, {width}): expected {expected:?}, got {got:?}: the upper end is lo + width - 1, both ends included (a band of width 10 holds 10 ages)"
            )));
        }
        equal(&format!("age_band({age}, {width})"), &got.as_str(), &expected)
            .hint("lo = age / width * width with integer division, hi = lo + width - 1; both ends are included in the band")?;
    }
    pass("bands of every width, both ends included")
}

/// german_credit as a released table: age, sex, housing (quasi-identifiers) and credit_risk.
fn german() -> Vec<Vec<String>> {
    let t = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let cols: Vec<Vec<String>> = ["age", "sex", "housing", "credit_risk"]
        .iter()
        .map(|c| {
            t.text_column(c)
                .expect("column")
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect()
        })
        .collect();
    (0..t.n_rows())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect()
}

fn expected_width(rows: &[Vec<String>], quasi: &[usize], k: usize) -> Option<(u32, usize)> {
    WIDTHS.iter().find_map(|&w| {
        let generalized: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                let age: u32 = r[0].parse().unwrap_or(0);
                let lo = age / w * w;
                r[0] = format!("{lo}-{}", lo + w - 1);
                r
            })
            .collect();
        let reached = class_sizes(&generalized, quasi)
            .into_iter()
            .min()
            .unwrap_or(0);
        (reached >= k).then_some((w, reached))
    })
}

fn generalize_german() -> Graded {
    let rows = german();
    let quasi = [0, 1, 2];
    let raw_k = check_k("k of german_credit over (age, sex, housing)", &rows, &quasi)?;
    let k = 5;
    let expected = expected_width(&rows, &quasi, k);
    let got = smallest_width(&rows, &quasi, 0, k, &WIDTHS);
    equal(&format!("smallest age band width (of {WIDTHS:?}) that makes german_credit {k}-anonymous over (age, sex, housing)"), &got, &expected.map(|e| e.0))
        .hint("try the widths in ascending order: band the age column, measure k over the quasi-identifiers, stop at the first width that reaches k")?;
    // Hidden: a table where even one band for all ages leaves a unique (sex, housing) row.
    let mut lonely = rows[..30].to_vec();
    lonely.push(vec![
        "33".into(),
        "other".into(),
        "boat".into(),
        "good".into(),
    ]);
    equal("hidden case where no width is enough", &smallest_width(&lonely, &quasi, 0, k, &WIDTHS), &None)
        .hint("generalizing age cannot help a row that is unique on the other quasi-identifiers: return None")?;
    let (width, reached) = expected.unwrap_or((0, 0));
    pass(format!(
        "raw ages give k = {raw_k}; bands of {width} years give k = {reached} ≥ {k}. k-anonymity says nothing about the sensitive column: a class whose rows share one credit_risk still discloses it (l-diversity)"
    ))
}
