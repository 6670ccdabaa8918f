// preprocessing/missing_counts: count the missing values of a CSV per column and per row.
// `learnml show preprocessing/missing_counts` shows the full statement; `learnml check preprocessing/missing_counts` grades this file.

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
    let _ = text;
    todo!("read `text` with the csv crate and count the empty or whitespace-only fields")
}
