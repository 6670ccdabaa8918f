// Grader of preprocessing/load_csv.

use learnml_grader::data::dataset_text;
use learnml_grader::grade::*;

use super::exercise::{LoadError, load};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("iris_shape", iris_shape),
    ("iris_values", iris_values),
    ("ragged_row", ragged_row),
    ("not_a_number", not_a_number),
    ("no_target", no_target),
];

fn iris_text() -> String {
    dataset_text("iris.csv").expect("the grader reads datasets/iris.csv")
}

fn loaded(text: &str, target: &str) -> Result<(ndarray::Array2<f64>, Vec<String>), Failed> {
    load(text, target).map_err(|e| {
        fail(format!(
            "load(iris.csv, \"species\") returned the error {e:?}"
        ))
    })
}

fn iris_shape() -> Graded {
    let (x, y) = loaded(&iris_text(), "species")?;
    equal("feature matrix shape (rows, columns)", &x.dim(), &(150, 4))
        .hint("one row per data line (not the header), one column per feature: every column but the target")?;
    equal("number of labels", &y.len(), &150)?;
    pass("150 x 4 features, 150 labels")
}

fn iris_values() -> Graded {
    let (x, y) = loaded(&iris_text(), "species")?;
    let first: Vec<f64> = x.row(0).to_vec();
    all_close("first row", &first, &[5.1, 3.5, 1.4, 0.2], 1e-12)
        .hint("columns must stay in file order")?;
    let last: Vec<f64> = x.row(x.nrows() - 1).to_vec();
    all_close("last row", &last, &[5.9, 3.0, 5.1, 1.8], 1e-12)?;
    equal("first label", &y[0].as_str(), &"setosa")?;
    equal("last label", &y[y.len() - 1].as_str(), &"virginica")?;
    // A loader that puts the target in the middle of the file must still skip exactly it.
    let moved = "a,label,b\n1,x,2\n3,y,4\n";
    let (x, y) = load(moved, "label")
        .map_err(|e| fail(format!("load of \"a,label,b\" with target \"label\": error {e:?}: the target must be skipped wherever it stands, not assumed to be the last column")))
        .hint("find the target's index in the header with `iter().position(..)` and skip that index in every row")?;
    all_close(
        "features of a file whose target is the middle column (the target must be skipped wherever it stands)",
        &x.iter().copied().collect::<Vec<_>>(),
        &[1.0, 2.0, 3.0, 4.0],
        1e-12,
    )
    .hint("skip the target's index, wherever it is, not the last column")?;
    equal(
        "labels of that file",
        &y,
        &vec!["x".to_string(), "y".to_string()],
    )?;
    pass("values and labels in file order, target skipped wherever it stands")
}

/// The line of an error, when it has one.
fn line_of(e: &LoadError) -> Option<u64> {
    match e {
        LoadError::Ragged { line, .. } | LoadError::NotANumber { line, .. } => Some(*line),
        _ => None,
    }
}

/// The error `load` gave on a broken file, compared with the expected one, naming the classic
/// mistakes: no error at all, the csv crate's own error, a line off by one.
fn expect_error(
    what: &str,
    got: Result<(ndarray::Array2<f64>, Vec<String>), LoadError>,
    expected: LoadError,
) -> Result<(), Failed> {
    let got = match got {
        Ok((x, _)) => {
            return Err(fail(format!(
                "{what}: loaded without an error (a {} x {} matrix), expected {expected:?}: the broken field was accepted silently",
                x.nrows(),
                x.ncols()
            )))
            .hint("never replace a bad field with a default (0, NaN): return the LoadError that names it");
        }
        Err(e) => e,
    };
    if let (LoadError::Csv(message), LoadError::Ragged { .. }) = (&got, &expected) {
        return Err(fail(format!(
            "{what}: expected {expected:?}, got Csv({message:?}): the csv reader's own error for a row of another length, not your Ragged check"
        )))
        .hint("build the reader with `.flexible(true)` so that a short row reaches your own length check");
    }
    if std::mem::discriminant(&got) == std::mem::discriminant(&expected)
        && let (Some(a), Some(b)) = (line_of(&got), line_of(&expected))
        && a.abs_diff(b) == 1
    {
        return Err(fail(format!(
            "{what}: expected {expected:?}, got {got:?}: the line is off by one (the header is line 1, the first data row line 2)"
        )))
        .hint("`record.position().unwrap().line()` is the line of a record, counted the same way");
    }
    equal(what, &Some(got), &Some(expected))
}

fn ragged_row() -> Graded {
    let text = "a,b,label\n1,2,x\n3,y\n5,6,z\n";
    let got = load(text, "label");
    expect_error("load of a file whose line 3 has 2 fields", got, LoadError::Ragged { line: 3, expected: 3, found: 2 })
        .hint("read with `.flexible(true)` and compare each record's length with the header's; the header is line 1")?;
    pass("Ragged { line: 3, expected: 3, found: 2 }")
}

fn not_a_number() -> Graded {
    let text = "a,b,label\n1,2,x\n3,n/a,y\n";
    let got = load(text, "label");
    let expected = LoadError::NotANumber {
        line: 3,
        column: "b".into(),
        value: "n/a".into(),
    };
    expect_error(
        "load of a file with `n/a` in column b, line 3",
        got,
        expected,
    )
    .hint("map the parse error of a feature field to NotANumber { line, column: the header's name, value: the field as written }")?;
    let text = "a,label\n1.5,x\n 2 ,y\n";
    let (x, _) = load(text, "label")
        .map_err(|e| {
            fail(format!(
                "a number with spaces around it (\" 2 \") gave the error {e:?}"
            ))
        })
        .hint("trim a field before parsing it")?;
    close("the value \" 2 \"", x[[1, 0]], 2.0, 0.0).hint("trim a field before parsing it")?;
    pass("NotANumber names line, column and value; spaces around a number are accepted")
}

fn no_target() -> Graded {
    let got = load("a,b\n1,2\n", "species");
    equal(
        "load with target \"species\" of a file without it",
        &got.err(),
        &Some(LoadError::NoTarget {
            column: "species".into(),
        }),
    )
    .hint("look the target up in the header before reading any row: `NoTarget { column: target.to_string() }` when it is missing")?;
    pass("NoTarget { column: \"species\" }")
}
