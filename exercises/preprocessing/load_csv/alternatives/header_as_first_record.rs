//! alternative: reads the header as an ordinary first record (has_headers(false)), counts lines with enumerate, and builds the matrix with push_row

// preprocessing/load_csv: parse CSV text into a feature matrix and a target column.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::{Array2, ArrayView1};

/// Why a CSV could not be loaded. Lines count from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The row at `line` has `found` fields where the header has `expected`.
    Ragged {
        line: u64,
        expected: usize,
        found: usize,
    },
    /// The field of `column` at `line` is `value`, which is not a number.
    NotANumber {
        line: u64,
        column: String,
        value: String,
    },
    /// The header has no column named `column`.
    NoTarget { column: String },
    /// The text is not CSV at all (for example, not UTF-8).
    Csv(String),
}

/// Every column except `target` as an `f64` matrix (file order), and `target` as strings.
pub fn load(text: &str, target: &str) -> Result<(Array2<f64>, Vec<String>), LoadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let header = match rows.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(LoadError::Csv(e.to_string())),
        None => return Err(LoadError::Csv("empty file".to_string())),
    };
    let Some(target_index) = header.iter().position(|name| name == target) else {
        return Err(LoadError::NoTarget {
            column: target.to_string(),
        });
    };
    let mut features = Array2::zeros((0, header.len() - 1));
    let mut labels = Vec::new();
    // The header was line 1: the data rows are lines 2, 3, ...
    for (i, record) in rows.enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| LoadError::Csv(e.to_string()))?;
        if record.len() != header.len() {
            return Err(LoadError::Ragged {
                line,
                expected: header.len(),
                found: record.len(),
            });
        }
        let mut row = Vec::with_capacity(header.len() - 1);
        for (j, (name, field)) in header.iter().zip(record.iter()).enumerate() {
            if j == target_index {
                continue;
            }
            match field.trim().parse::<f64>() {
                Ok(value) => row.push(value),
                Err(_) => {
                    return Err(LoadError::NotANumber {
                        line,
                        column: name.to_string(),
                        value: field.to_string(),
                    });
                }
            }
        }
        features
            .push_row(ArrayView1::from(&row))
            .expect("one value per feature");
        labels.push(record[target_index].to_string());
    }
    Ok((features, labels))
}
