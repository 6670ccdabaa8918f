//! mistake: assumes the target is the last column (true of iris) instead of finding it by name
//! fails: iris_values
//! message: "wherever it stands"

// preprocessing/load_csv: parse CSV text into a feature matrix and a target column.
// `learnml next` shows the full statement; `learnml check` grades this file.

use ndarray::Array2;

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
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| LoadError::Csv(e.to_string()))?
        .clone();
    if !headers.iter().any(|h| h == target) {
        return Err(LoadError::NoTarget {
            column: target.to_string(),
        });
    }
    // The label is the last column of the file.
    let target_index = headers.len() - 1;
    let mut values = Vec::new();
    let mut labels = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| LoadError::Csv(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            return Err(LoadError::Ragged {
                line,
                expected: headers.len(),
                found: record.len(),
            });
        }
        for (j, field) in record.iter().enumerate() {
            if j == target_index {
                labels.push(field.to_string());
                continue;
            }
            let value = field
                .trim()
                .parse::<f64>()
                .map_err(|_| LoadError::NotANumber {
                    line,
                    column: headers[j].to_string(),
                    value: field.to_string(),
                })?;
            values.push(value);
        }
    }
    let n_features = headers.len() - 1;
    let features = Array2::from_shape_vec((labels.len(), n_features), values)
        .expect("every row has n_features values");
    Ok((features, labels))
}
