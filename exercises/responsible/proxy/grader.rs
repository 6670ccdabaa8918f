// Grader of responsible/proxy.

use std::collections::BTreeMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::shuffled;

use super::exercise::{cramers_v, strongest_proxy};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("v_by_hand", v_by_hand),
    ("v_edge", v_edge),
    ("proxy_german", proxy_german),
    ("proxy_adult", proxy_adult),
];

const TOL: f64 = 1e-9;
const ADULT_SAMPLE: usize = 4000;
const SEED: u64 = 2024;

/// The grader's own chi² and the numbers of distinct values (r, c).
fn chi2(a: &[&str], b: &[&str]) -> (f64, usize, usize) {
    let mut cells: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut rows: BTreeMap<&str, f64> = BTreeMap::new();
    let mut cols: BTreeMap<&str, f64> = BTreeMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let n = a.len() as f64;
    let mut s = 0.0;
    for (x, rx) in &rows {
        for (y, cy) in &cols {
            let e = rx * cy / n;
            s += (cells.get(&(*x, *y)).copied().unwrap_or(0.0) - e).powi(2) / e;
        }
    }
    (s, rows.len(), cols.len())
}

/// chi² summed over the observed cells only (the classic mistake: empty cells skipped).
fn observed_cells_chi2(a: &[&str], b: &[&str]) -> f64 {
    let mut cells: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut rows: BTreeMap<&str, f64> = BTreeMap::new();
    let mut cols: BTreeMap<&str, f64> = BTreeMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let n = a.len() as f64;
    cells
        .iter()
        .map(|((x, y), o)| {
            let e = rows[x] * cols[y] / n;
            (o - e).powi(2) / e
        })
        .sum()
}

fn v(a: &[&str], b: &[&str]) -> f64 {
    let (s, r, c) = chi2(a, b);
    let k = r.min(c);
    if k < 2 {
        0.0
    } else {
        (s / (a.len() as f64 * (k - 1) as f64)).sqrt()
    }
}

fn check_v(what: &str, a: &[&str], b: &[&str]) -> Result<f64, Failed> {
    let expected = v(a, b);
    let got = cramers_v(a, b);
    if (got - expected).abs() <= TOL {
        return Ok(expected);
    }
    let (s, r, c) = chi2(a, b);
    let n = a.len() as f64;
    let k = r.min(c).max(2);
    let observed_only = (observed_cells_chi2(a, b) / (n * (k - 1) as f64)).sqrt();
    let wrong = [
        (
            observed_only,
            "the cells with count 0 were skipped: chi² sums over every (row value, column value) pair, and an empty cell adds its E",
        ),
        (expected * expected, "that is V²: take the square root"),
        (
            (s / n).sqrt(),
            "that is sqrt(chi² / n) (phi): divide by min(r, c) - 1 too, so that V stays within [0, 1]",
        ),
        (
            (s / (n * (r.max(c) - 1).max(1) as f64)).sqrt(),
            "divided by max(r, c) - 1; Cramér's V uses min(r, c) - 1",
        ),
        (
            s,
            "that is chi² itself: V = sqrt(chi² / (n (min(r, c) - 1)))",
        ),
    ];
    for (w, why) in wrong {
        if (got - w).abs() <= TOL && (w - expected).abs() > TOL {
            return Err(fail(format!(
                "{what}: expected {} (± {}), got {}: {why}",
                fmt(expected),
                fmt(TOL),
                fmt(got)
            )));
        }
    }
    close(what, got, expected, TOL).map(|_| expected)
}

fn v_by_hand() -> Graded {
    // 2 x 2 table [[3, 1], [1, 3]], n = 8: every expected count is 2, chi² = 4 · 1² / 2 = 2,
    // V = sqrt(2 / (8 · 1)) = 0.5.
    let a = ["x", "x", "x", "x", "y", "y", "y", "y"];
    let b = ["p", "p", "p", "q", "p", "q", "q", "q"];
    close(
        "V of the 2 x 2 table [[3, 1], [1, 3]] (chi² = 2, n = 8)",
        v(&a, &b),
        0.5,
        TOL,
    )
    .map_err(|e| fail(format!("grader self-check failed: {}", e.message)))?;
    check_v("Cramér's V of the 2 x 2 table [[3, 1], [1, 3]]", &a, &b)?;
    // A 3 x 3 table where min(r, c) - 1 = 2 matters.
    let a3 = ["a", "a", "a", "a", "b", "b", "b", "c", "c", "c", "c", "c"];
    let b3 = ["u", "u", "u", "v", "v", "v", "w", "w", "w", "w", "u", "v"];
    let v3 = check_v("Cramér's V of a 3 x 3 table", &a3, &b3)?;
    pass(format!(
        "V = 0.5 for [[3, 1], [1, 3]] and {} for the 3 x 3 table",
        fmt(v3)
    ))
}

fn v_edge() -> Graded {
    // Perfect association through 4 categories mapped onto 2 values: V = 1.
    let status = [
        "single", "married", "divorced", "widowed", "single", "married", "divorced", "single",
    ];
    let sex = ["m", "f", "f", "m", "m", "f", "f", "m"];
    check_v(
        "hidden case: a column that determines the other",
        &status,
        &sex,
    )
    .hint("when one column determines the other, V is 1")?;
    // Independence: every combination equally often, V = 0.
    let a = ["x", "x", "y", "y", "z", "z", "x", "x", "y", "y", "z", "z"];
    let b = ["p", "q", "p", "q", "p", "q", "p", "q", "p", "q", "p", "q"];
    check_v("hidden case: independent columns", &a, &b)?;
    let constant = ["k"; 8];
    let got = cramers_v(&constant, &sex);
    ensure(got == 0.0, || {
        format!(
            "hidden case: a constant column: expected 0 (min(r, c) - 1 = 0, V is defined as 0 here), got {}",
            fmt(got)
        )
    })?;
    pass("V = 1 for a perfect proxy, 0 for independent columns and for a constant column")
}

/// The categorical columns of a table except `excluded`, as text (`?` for a missing value).
fn categorical(table: &Table, excluded: &[&str]) -> Vec<(String, Vec<String>)> {
    table
        .columns_except(excluded)
        .into_iter()
        .filter(|c| table.numeric_column(c).is_err())
        .map(|c| {
            let values = table
                .text_column(c)
                .expect("column exists")
                .iter()
                .map(|v| v.unwrap_or("?").to_string())
                .collect();
            (c.to_string(), values)
        })
        .collect()
}

fn find(table_name: &str, columns: Vec<(String, Vec<String>)>, sensitive: Vec<String>) -> Graded {
    let views: Vec<Vec<&str>> = columns
        .iter()
        .map(|(_, c)| c.iter().map(String::as_str).collect())
        .collect();
    let s: Vec<&str> = sensitive.iter().map(String::as_str).collect();
    let mut scores: Vec<(f64, usize)> = views
        .iter()
        .enumerate()
        .map(|(j, c)| (v(c, &s), j))
        .collect();
    // Largest V first; the first column on ties.
    scores.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let best = scores[0].1;
    let got = strongest_proxy(&views, &s);
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let top = scores
        .iter()
        .take(3)
        .map(|(v, j)| format!("{} (V = {})", names[*j], fmt(*v)))
        .collect::<Vec<_>>()
        .join(", ");
    if got != best {
        let got_name = names
            .get(got)
            .map_or(format!("index {got}, out of range"), |n| n.to_string());
        return Err(fail(format!(
            "strongest proxy of sex in {table_name}: expected column {best} `{}`, got {got_name}",
            names[best]
        )))
        .hint("return the index of the column with the largest cramers_v(column, sensitive)");
    }
    pass(format!(
        "`{}` is the strongest proxy of the dropped `sex` in {table_name}; the top three: {top}",
        names[best]
    ))
}

/// A tie built on purpose: columns 1 and 2 are the same column under other labels, both with
/// V = 0.5 exactly (the table [[3, 1], [1, 3]]: every term of chi² is 0.5, so the sum is exact
/// in any order); column 0 is independent of the sensitive column (V = 0). The first one wins.
fn tie() -> Result<(), Failed> {
    let sensitive = ["m", "m", "m", "m", "f", "f", "f", "f"];
    let columns = vec![
        vec!["a", "b", "a", "b", "a", "b", "a", "b"],
        vec!["x", "x", "x", "y", "x", "y", "y", "y"],
        vec!["p", "p", "p", "q", "p", "q", "q", "q"],
    ];
    let got = strongest_proxy(&columns, &sensitive);
    match got {
        1 => Ok(()),
        2 => Err(fail(
            "hidden tie (columns 1 and 2 both have V = 0.5): expected column 1, got 2: you kept the last column on ties; the first one wins (compare with `>`, not `>=`)",
        )),
        _ => Err(fail(format!(
            "hidden tie (columns 1 and 2 both have V = 0.5, column 0 has V = 0): expected column 1, got {got}"
        ))),
    }
}

fn proxy_german() -> Graded {
    tie()?;
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let sex = table
        .text_column("sex")
        .expect("sex")
        .iter()
        .map(|v| v.unwrap_or("?").to_string())
        .collect();
    find(
        "german_credit",
        categorical(&table, &["sex", "credit_risk"]),
        sex,
    )
}

fn proxy_adult() -> Graded {
    let table = Table::dataset("adult.csv").expect("the grader reads adult.csv");
    let rows = &shuffled(table.n_rows(), SEED)[..ADULT_SAMPLE];
    let sample = |column: Vec<String>| rows.iter().map(|&i| column[i].clone()).collect::<Vec<_>>();
    let sex: Vec<String> = table
        .text_column("sex")
        .expect("sex")
        .iter()
        .map(|v| v.unwrap_or("?").to_string())
        .collect();
    let columns = categorical(&table, &["sex", "income"])
        .into_iter()
        .map(|(n, c)| (n, sample(c)))
        .collect();
    find(
        &format!("a {ADULT_SAMPLE}-row sample of adult"),
        columns,
        sample(sex),
    )
}
