//! mistake: counts in a BTreeMap keyed by column name, so the columns come out in alphabetical order
//! fails: penguins_columns, auto_mpg
//! message: "alphabetical order, not header order"

// preprocessing/missing_counts: count the missing values of a CSV per column and per row.
// `learnml next` shows the full statement; `learnml check` grades this file.

use std::collections::BTreeMap;

/// Where the gaps of a CSV file are.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingReport {
    /// One `(column name, number of missing values)` per column, in header order.
    pub per_column: Vec<(String, usize)>,
    /// The number of data rows with at least one missing value (each row counted once).
    pub rows_with_missing: usize,
}

/// Count the missing fields of CSV `text` (header row first). A field is missing when it is
/// empty or whitespace only; anything else (including `NA`) is a value.
pub fn missing_counts(text: &str) -> MissingReport {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut counts: BTreeMap<String, usize> = headers.iter().map(|h| (h.to_string(), 0)).collect();
    let mut rows_with_missing = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let mut any = false;
        for (name, field) in headers.iter().zip(record.iter()) {
            if field.trim().is_empty() {
                *counts.get_mut(name).unwrap() += 1;
                any = true;
            }
        }
        if any {
            rows_with_missing += 1;
        }
    }
    MissingReport {
        per_column: counts.into_iter().collect(),
        rows_with_missing,
    }
}
