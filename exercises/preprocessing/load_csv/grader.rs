// Grader of preprocessing/load_csv.

use learnml_grader::data::dataset_text;
use learnml_grader::grade::*;

use crate::exercise::{LoadError, load};

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
        .map_err(|e| fail(format!("load with the target in the middle: error {e:?}")))?;
    all_close(
        "features of a file whose target is the middle column",
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

fn ragged_row() -> Graded {
    let text = "a,b,label\n1,2,x\n3,y\n5,6,z\n";
    let got = load(text, "label");
    equal("load of a file whose line 3 has 2 fields", &got.err(), &Some(LoadError::Ragged { line: 3, expected: 3, found: 2 }))
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
    equal(
        "load of a file with `n/a` in column b, line 3",
        &got.err(),
        &Some(expected),
    )?;
    let text = "a,label\n1.5,x\n 2 ,y\n";
    let (x, _) = load(text, "label")
        .map_err(|e| {
            fail(format!(
                "a number with spaces around it (\" 2 \") gave the error {e:?}"
            ))
        })
        .hint("trim a field before parsing it")?;
    close("the value \" 2 \"", x[[1, 0]], 2.0, 0.0)?;
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
    )?;
    pass("NoTarget { column: \"species\" }")
}
