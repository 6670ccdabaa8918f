// Grader of preprocessing/missing_counts.

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::{MissingReport, missing_counts};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("penguins_columns", penguins_columns),
    ("penguins_rows", penguins_rows),
    ("auto_mpg", auto_mpg),
    ("whitespace_fields", whitespace_fields),
];

fn dataset_text(name: &str) -> String {
    learnml_grader::data::dataset_text(name).expect("the grader reads its dataset")
}

/// The grader's own count, through the kit's CSV reader: a field is missing when it is empty
/// or whitespace only.
fn expected(name: &str, text: &str) -> MissingReport {
    let table = Table::parse(name, text).expect("the grader's file parses");
    let columns: Vec<Vec<bool>> = table
        .headers
        .iter()
        .map(|h| {
            let values = table.text_column(h).expect("the column exists");
            values
                .iter()
                .map(|v| v.is_none_or(|v| v.trim().is_empty()))
                .collect()
        })
        .collect();
    let per_column = table
        .headers
        .iter()
        .zip(&columns)
        .map(|(h, c)| (h.clone(), c.iter().filter(|m| **m).count()))
        .collect();
    let rows_with_missing = (0..table.n_rows())
        .filter(|&i| columns.iter().any(|c| c[i]))
        .count();
    MissingReport {
        per_column,
        rows_with_missing,
    }
}

fn compare_columns(file: &str, got: &MissingReport, want: &MissingReport) -> Result<(), Failed> {
    let got_names: Vec<&str> = got.per_column.iter().map(|(n, _)| n.as_str()).collect();
    let want_names: Vec<&str> = want.per_column.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted_names = want_names.clone();
    sorted_names.sort_unstable();
    if got_names == sorted_names && sorted_names != want_names {
        return Err(fail(format!(
            "{file}: column names in alphabetical order, not header order: got {got_names:?}, expected {want_names:?}"
        )))
        .hint("a map sorted by name (BTreeMap) loses the header order: keep a Vec of counts indexed like the header");
    }
    let with_gaps: Vec<&str> = want
        .per_column
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(n, _)| n.as_str())
        .collect();
    if got_names.len() < want_names.len() && got_names.iter().all(|n| with_gaps.contains(n)) {
        return Err(fail(format!(
            "{file}: only the columns with gaps were listed ({got_names:?}): every column must be there, with 0 when it has no gap (expected {want_names:?})"
        )))
        .hint("start with one counter per header column, all 0");
    }
    equal(&format!("{file}: column names, in header order"), &got_names, &want_names)
        .hint("one entry per header column, in the order of the header, including columns without gaps (count 0)")?;
    equal(
        &format!("{file}: missing values per column"),
        &got.per_column,
        &want.per_column,
    )
    .hint("a field is missing when `field.trim().is_empty()`")?;
    Ok(())
}

fn compare_rows(file: &str, got: &MissingReport, want: &MissingReport) -> Result<(), Failed> {
    let cells: usize = want.per_column.iter().map(|(_, c)| c).sum();
    if got.rows_with_missing == cells && cells != want.rows_with_missing {
        return Err(fail(format!(
            "{file}: rows with a missing value: expected {}, got {}, which is the number of missing cells: a row with several gaps was counted several times",
            want.rows_with_missing, got.rows_with_missing
        )))
        .hint("count a row once if any of its fields is missing (`any`), not once per missing field");
    }
    equal(
        &format!("{file}: rows with at least one missing value"),
        &got.rows_with_missing,
        &want.rows_with_missing,
    )
}

fn penguins_columns() -> Graded {
    let text = dataset_text("penguins.csv");
    let got = missing_counts(&text);
    compare_columns("penguins.csv", &got, &expected("penguins.csv", &text))?;
    pass("the four measurements miss 2 values each, sex 11, the other columns none")
}

fn penguins_rows() -> Graded {
    let text = dataset_text("penguins.csv");
    let want = expected("penguins.csv", &text);
    compare_rows("penguins.csv", &missing_counts(&text), &want)?;
    pass(format!(
        "{} incomplete rows: dropping them would lose {} of {} penguins",
        want.rows_with_missing, want.rows_with_missing, 344
    ))
}

fn auto_mpg() -> Graded {
    let text = dataset_text("auto_mpg.csv");
    let want = expected("auto_mpg.csv", &text);
    let got = missing_counts(&text);
    compare_columns("auto_mpg.csv", &got, &want)?;
    compare_rows("auto_mpg.csv", &got, &want)?;
    pass("mpg (the target) misses 8 values, horsepower 6; 14 incomplete rows")
}

fn whitespace_fields() -> Graded {
    // Column a: "\t" is missing; b: " " is missing, "NA" is a value; c: the empty last field.
    let text = "a,b,c\n1, ,x\n\t,2,\n3,4,5\n 0 ,NA,y\n";
    let want = expected("hidden.csv", text);
    let got = missing_counts(text);
    let untrimmed = vec![
        ("a".to_string(), 0),
        ("b".to_string(), 0),
        ("c".to_string(), 1),
    ];
    if got.per_column == untrimmed {
        return Err(fail(format!(
            "hidden file: per column expected {:?}, got {:?}: whitespace-only fields (\" \", \"\\t\") were not counted as missing",
            want.per_column, got.per_column
        )))
        .hint("test `field.trim().is_empty()`, not `field.is_empty()`");
    }
    let na_counted = vec![
        ("a".to_string(), 1),
        ("b".to_string(), 2),
        ("c".to_string(), 1),
    ];
    if got.per_column == na_counted {
        return Err(fail(format!(
            "hidden file: per column expected {:?}, got {:?}: the text `NA` was counted as missing, but in this course only empty or whitespace-only fields are",
            want.per_column, got.per_column
        )))
        .hint("do not guess missing-value markers: `NA` is a value here");
    }
    compare_columns("hidden file", &got, &want)?;
    compare_rows("hidden file", &got, &want)?;
    pass("\" \" and \"\\t\" are missing, \" 0 \" and \"NA\" are values")
}
