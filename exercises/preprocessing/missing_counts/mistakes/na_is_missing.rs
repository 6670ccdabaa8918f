//! mistake: also counts the text NA as missing, guessing a marker the statement says is a value
//! fails: whitespace_fields
//! message: "`NA` was counted as missing"

// preprocessing/missing_counts: count the missing values of a CSV per column and per row.
// `learnml next` shows the full statement; `learnml check` grades this file.

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
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let mut counts = vec![0usize; headers.len()];
    let mut rows_with_missing = 0;
    for record in reader.records().flatten() {
        let mut any = false;
        for (j, field) in record.iter().enumerate().take(headers.len()) {
            if field.trim().is_empty() || field.trim() == "NA" {
                counts[j] += 1;
                any = true;
            }
        }
        if any {
            rows_with_missing += 1;
        }
    }
    MissingReport {
        per_column: headers.into_iter().zip(counts).collect(),
        rows_with_missing,
    }
}
