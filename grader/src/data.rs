//! Loading the CSV datasets of `datasets/`, with errors that name the file, the line and the
//! column at fault. Missing values are empty fields (see `datasets/README.md`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use ndarray::Array2;

/// Why a dataset could not be loaded. Every variant names the file; those about one value
/// name its line (1 is the header) and column too.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not handed to this check: list it in the exercise's `datasets`")]
    NotHanded { path: String },
    #[error("{path}: the file is empty: expected a header row")]
    Empty { path: String },
    #[error("{path}: line {line}: expected {expected} fields like the header, found {found}")]
    Ragged {
        path: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("{path}: line {line}: {message}")]
    Malformed {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: no column named `{column}` (the columns are: {available})")]
    NoSuchColumn {
        path: String,
        column: String,
        available: String,
    },
    #[error("{path}: line {line}, column `{column}`: `{value}` is not a number")]
    NotANumber {
        path: String,
        line: u64,
        column: String,
        value: String,
    },
    #[error("{path}: line {line}, column `{column}`: the value is missing")]
    Missing {
        path: String,
        line: u64,
        column: String,
    },
}

/// The datasets a check was handed, read by the harness before the learner's code runs
/// (afterwards no file outside the check's scratch folder can be opened). Private: the
/// learner's file cannot name this crate, and safe code cannot reach a private static.
static HANDED: OnceLock<BTreeMap<String, String>> = OnceLock::new();

/// Read the named files of `dir` into memory for this check (the harness calls this once,
/// before confinement). A file that cannot be read is an error naming it.
pub(crate) fn hand_over(dir: &Path, names: &[String]) -> Result<(), DataError> {
    let mut files = BTreeMap::new();
    for name in names {
        let text = std::fs::read_to_string(dir.join(name)).map_err(|source| DataError::Io {
            path: name.clone(),
            source,
        })?;
        files.insert(name.clone(), text);
    }
    let _ = HANDED.set(files);
    Ok(())
}

/// The text of dataset `name` (for example `"iris.csv"`). In a check, only the datasets the
/// exercise's manifest lists are there; outside one (unit tests), it is read from
/// `datasets/`.
pub fn dataset_text(name: &str) -> Result<String, DataError> {
    match HANDED.get() {
        Some(files) => files
            .get(name)
            .cloned()
            .ok_or_else(|| DataError::NotHanded { path: name.into() }),
        None => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("datasets")
                .join(name);
            std::fs::read_to_string(path).map_err(|source| DataError::Io {
                path: name.into(),
                source,
            })
        }
    }
}

/// A CSV file as text: a header and rows of fields, each row with its line number.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name as given (for error messages).
    pub name: String,
    pub headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Load `datasets/NAME` (for example `Table::dataset("iris.csv")`).
    pub fn dataset(name: &str) -> Result<Table, DataError> {
        Table::parse(name, &dataset_text(name)?)
    }

    /// Load any CSV file with a header row.
    pub fn read(path: &Path) -> Result<Table, DataError> {
        Table::read_as(path, &path.display().to_string())
    }

    fn read_as(path: &Path, name: &str) -> Result<Table, DataError> {
        let text = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: name.into(),
            source,
        })?;
        Table::parse(name, &text)
    }

    /// Parse CSV text; `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Table, DataError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(name, e))?
            .iter()
            .map(str::to_string)
            .collect();
        if headers.is_empty() || headers.iter().all(String::is_empty) {
            return Err(DataError::Empty { path: name.into() });
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(name, e))?;
            let line = record.position().map_or(0, |p| p.line());
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Ok(Table {
            name: name.into(),
            headers,
            rows,
        })
    }

    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The position of a column, or an error listing the columns there are.
    pub fn column_index(&self, column: &str) -> Result<usize, DataError> {
        self.headers
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| DataError::NoSuchColumn {
                path: self.name.clone(),
                column: column.into(),
                available: self.headers.join(", "),
            })
    }

    /// A column as text, `None` where the field is empty (a missing value).
    pub fn text_column(&self, column: &str) -> Result<Vec<Option<&str>>, DataError> {
        let j = self.column_index(column)?;
        Ok(self
            .rows
            .iter()
            .map(|(_, row)| Some(row[j].as_str()).filter(|v| !v.is_empty()))
            .collect())
    }

    /// A numeric column, `None` where the field is empty; a field that is not a number is an
    /// error naming its line and column.
    pub fn numeric_column(&self, column: &str) -> Result<Vec<Option<f64>>, DataError> {
        let j = self.column_index(column)?;
        self.rows
            .iter()
            .map(|(line, row)| {
                let field = row[j].trim();
                if field.is_empty() {
                    return Ok(None);
                }
                field
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| DataError::NotANumber {
                        path: self.name.clone(),
                        line: *line,
                        column: column.into(),
                        value: row[j].clone(),
                    })
            })
            .collect()
    }

    /// Numeric columns as a matrix (rows x columns); a missing value is an error.
    pub fn numeric(&self, columns: &[&str]) -> Result<Array2<f64>, DataError> {
        let mut matrix = Array2::zeros((self.n_rows(), columns.len()));
        for (j, column) in columns.iter().enumerate() {
            for (i, value) in self.numeric_column(column)?.into_iter().enumerate() {
                matrix[[i, j]] = value.ok_or_else(|| DataError::Missing {
                    path: self.name.clone(),
                    line: self.rows[i].0,
                    column: column.to_string(),
                })?;
            }
        }
        Ok(matrix)
    }

    /// Numeric columns as a matrix, with `f64::NAN` where a value is missing.
    pub fn numeric_with_missing(&self, columns: &[&str]) -> Result<Array2<f64>, DataError> {
        let mut matrix = Array2::zeros((self.n_rows(), columns.len()));
        for (j, column) in columns.iter().enumerate() {
            for (i, value) in self.numeric_column(column)?.into_iter().enumerate() {
                matrix[[i, j]] = value.unwrap_or(f64::NAN);
            }
        }
        Ok(matrix)
    }

    /// Every column except those named, in file order (for "all features but the target").
    pub fn columns_except(&self, excluded: &[&str]) -> Vec<&str> {
        self.headers
            .iter()
            .map(String::as_str)
            .filter(|h| !excluded.contains(h))
            .collect()
    }

    /// A categorical column as class indices 0..k, with the class names sorted so the
    /// encoding is the same on every run. A missing value is an error.
    pub fn labels(&self, column: &str) -> Result<(Vec<usize>, Vec<String>), DataError> {
        let values = self.text_column(column)?;
        let mut classes: Vec<String> = values.iter().flatten().map(|v| v.to_string()).collect();
        classes.sort();
        classes.dedup();
        let mut indices = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let value = value.ok_or_else(|| DataError::Missing {
                path: self.name.clone(),
                line: self.rows[i].0,
                column: column.into(),
            })?;
            indices.push(
                classes
                    .iter()
                    .position(|c| c == value)
                    .expect("class was collected"),
            );
        }
        Ok((indices, classes))
    }
}

fn csv_error(name: &str, error: csv::Error) -> DataError {
    let line = error.position().map_or(0, |p| p.line());
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => DataError::Ragged {
            path: name.into(),
            line,
            expected: *expected_len as usize,
            found: *len as usize,
        },
        _ => DataError::Malformed {
            path: name.into(),
            line,
            message: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_row_names_file_and_line() {
        let error = Table::parse("bad.csv", "a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "bad.csv: line 3: expected 2 fields like the header, found 1"
        );
    }

    #[test]
    fn a_file_cut_in_the_middle_of_a_row_is_ragged_at_that_line() {
        let error = Table::parse("cut.csv", "a,b,c\n1,2,3\n4,5").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cut.csv: line 3: expected 3 fields like the header, found 2"
        );
    }

    #[test]
    fn non_number_names_line_column_and_value() {
        let table = Table::parse("bad.csv", "a,b\n1,2\n3,x\n").unwrap();
        let error = table.numeric(&["a", "b"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bad.csv: line 3, column `b`: `x` is not a number"
        );
    }

    #[test]
    fn missing_values_are_errors_or_nan_as_asked() {
        let table = Table::parse("m.csv", "a,b\n1,\n3,4\n").unwrap();
        assert_eq!(
            table.numeric(&["b"]).unwrap_err().to_string(),
            "m.csv: line 2, column `b`: the value is missing"
        );
        let with_missing = table.numeric_with_missing(&["a", "b"]).unwrap();
        assert!(with_missing[[0, 1]].is_nan());
        assert_eq!(with_missing[[1, 1]], 4.0);
    }

    #[test]
    fn unknown_column_lists_the_columns() {
        let table = Table::parse("t.csv", "a,b\n1,2\n").unwrap();
        assert_eq!(
            table.column_index("c").unwrap_err().to_string(),
            "t.csv: no column named `c` (the columns are: a, b)"
        );
    }

    #[test]
    fn empty_file_and_missing_file_are_named() {
        assert!(matches!(
            Table::parse("e.csv", ""),
            Err(DataError::Empty { .. })
        ));
        let error = Table::read(Path::new("/nonexistent/x.csv")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/x.csv: cannot read the file")
        );
    }

    #[test]
    fn labels_are_sorted_and_stable() {
        let table = Table::parse("l.csv", "y\nb\na\nb\n").unwrap();
        assert_eq!(
            table.labels("y").unwrap(),
            (vec![1, 0, 1], vec!["a".to_string(), "b".to_string()])
        );
    }

    #[test]
    fn every_shipped_dataset_loads() {
        for name in [
            "iris.csv",
            "wine.csv",
            "breast_cancer.csv",
            "diabetes.csv",
            "digits.csv",
            "winequality_red.csv",
            "penguins.csv",
            "german_credit.csv",
            "adult.csv",
            "auto_mpg.csv",
        ] {
            let table = Table::dataset(name).unwrap();
            assert!(table.n_rows() >= 150, "{name}");
        }
    }
}
