// Grader of foundations/arrays.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2};

use super::exercise::{column, from_rows, greater_than, rows_where};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("from_rows", check_from_rows),
    ("column", check_column),
    ("mask", check_mask),
    ("rows_where", check_rows_where),
];

const IRIS_COLUMNS: [&str; 4] = [
    "sepal_length_cm",
    "sepal_width_cm",
    "petal_length_cm",
    "petal_width_cm",
];

/// Iris as the grader reads it: one `Vec` per column, in file order.
fn iris_columns() -> Vec<Vec<f64>> {
    let table = Table::dataset("iris.csv").expect("the grader reads datasets/iris.csv");
    IRIS_COLUMNS
        .iter()
        .map(|c| {
            table
                .numeric_column(c)
                .expect("iris is numeric")
                .into_iter()
                .map(|v| v.expect("iris has no missing value"))
                .collect()
        })
        .collect()
}

/// Iris as a 150 x 4 matrix, built element by element (not with the learner's code).
fn iris_matrix(columns: &[Vec<f64>]) -> Array2<f64> {
    Array2::from_shape_fn((columns[0].len(), columns.len()), |(i, j)| columns[j][i])
}

fn flat(x: &Array2<f64>) -> Vec<f64> {
    x.iter().copied().collect()
}

/// Compare a built matrix with `rows`, naming the transposed mistake.
fn same_as_rows(what: &str, got: &Array2<f64>, rows: &[Vec<f64>]) -> Result<(), Failed> {
    let expected = (rows.len(), rows[0].len());
    if got.dim() == (expected.1, expected.0) && expected.0 != expected.1 {
        return Err(fail(format!(
            "{what}: expected shape {expected:?}, got {:?}: the matrix is transposed",
            got.dim()
        )))
        .hint("each inner Vec is a ROW: the shape is (number of rows, length of a row)");
    }
    equal(
        &format!("{what}: shape (rows, columns)"),
        &got.dim(),
        &expected,
    )?;
    let values: Vec<f64> = rows.concat();
    // The same values poured column by column (column-major, Fortran order).
    let by_columns: Vec<f64> = {
        let mut poured = vec![0.0; values.len()];
        for (k, v) in values.iter().enumerate() {
            let (i, j) = (k % expected.0, k / expected.0);
            poured[i * expected.1 + j] = *v;
        }
        poured
    };
    if expected.0 > 1 && expected.1 > 1 && flat(got) == by_columns && by_columns != values {
        return Err(fail(format!(
            "{what}: the values were filled column by column (column-major order): row 0 is {:?}, expected {:?}",
            got.row(0).to_vec(),
            rows[0]
        )))
        .hint("each inner Vec is a ROW: lay the rows end to end (`rows.concat()`) in a (rows, columns) shape, without swapping axes");
    }
    all_close(
        &format!("{what}: values in row-major order"),
        &flat(got),
        &values,
        0.0,
    )
    .hint("row i of the matrix must hold rows[i], left to right")
}

fn check_from_rows() -> Graded {
    let rows = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]];
    same_as_rows(
        "from_rows([[1, 2, 3], [4, 5, 6]])",
        &from_rows(&rows),
        &rows,
    )?;
    // Hidden edge cases: a single row and a single column.
    let one_row = vec![vec![0.5, -1.0, 2.5, 7.0]];
    same_as_rows(
        "from_rows of a single row of 4 values",
        &from_rows(&one_row),
        &one_row,
    )?;
    let one_column: Vec<Vec<f64>> = (0..5).map(|i| vec![i as f64 * 1.5]).collect();
    same_as_rows(
        "from_rows of 5 rows of 1 value",
        &from_rows(&one_column),
        &one_column,
    )?;
    pass("2 x 3, 1 x 4 and 5 x 1 matrices built row by row")
}

fn check_column() -> Graded {
    let columns = iris_columns();
    let iris = iris_matrix(&columns);
    let got = column(&iris, 2);
    if got.len() == 4 {
        return Err(fail(format!(
            "column(iris, 2): expected 150 values (one per flower), got {}: that is row 2, not column 2",
            got.len()
        )))
        .hint("`x.row(i)` is a row; a column is `x.column(j)`");
    }
    equal("column(iris, 2): number of values", &got.len(), &150)?;
    for other in [1, 3] {
        if got.to_vec() == columns[other] {
            return Err(fail(format!(
                "column(iris, 2) returned column {other} ({})",
                IRIS_COLUMNS[other]
            )))
            .hint("columns count from 0: column 2 is the third one, petal length");
        }
    }
    all_close(
        "column(iris, 2) (petal length, cm)",
        &got.to_vec(),
        &columns[2],
        0.0,
    )?;
    let first = column(&iris, 0);
    all_close(
        "column(iris, 0) (sepal length, cm)",
        &first.to_vec(),
        &columns[0],
        0.0,
    )?;
    pass("column 2 of iris is petal length, all 150 values in order; column 0 too")
}

fn check_mask() -> Graded {
    let values = Array1::from(vec![1.0, 5.0, 5.5, 7.0, -2.0]);
    let got = greater_than(&values, 5.0);
    let expected = vec![false, false, true, true, false];
    equal(
        "greater_than([1, 5, 5.5, 7, -2], 5): length",
        &got.len(),
        &expected.len(),
    )?;
    let got = got.to_vec();
    if got == vec![false, true, true, true, false] {
        return Err(fail("greater_than([1, 5, 5.5, 7, -2], 5) gave true for 5 itself: that is `>=`, the mask asks for `>`"))
            .hint("strictly greater: 5 > 5 is false");
    }
    if got.iter().zip(&expected).all(|(g, e)| g != e) {
        return Err(fail(format!("greater_than([1, 5, 5.5, 7, -2], 5): expected {expected:?}, got {got:?}: the mask is inverted")))
            .hint("true marks the values ABOVE the threshold");
    }
    equal("greater_than([1, 5, 5.5, 7, -2], 5)", &got, &expected)?;
    // Hidden edge case: nothing above the threshold.
    let none = greater_than(&Array1::from(vec![0.1, 0.2]), 1.0).to_vec();
    equal("greater_than([0.1, 0.2], 1)", &none, &vec![false, false])?;
    pass("true exactly where value > threshold (5 > 5 is false)")
}

fn check_rows_where() -> Graded {
    let columns = iris_columns();
    let iris = iris_matrix(&columns);
    // The grader's own mask: petal length > 5 cm.
    let kept: Vec<usize> = (0..150).filter(|&i| columns[2][i] > 5.0).collect();
    let mask = Array1::from_iter((0..150).map(|i| columns[2][i] > 5.0));
    let got = rows_where(&iris, &mask);
    let expected_rows: Vec<Vec<f64>> = kept.iter().map(|&i| iris.row(i).to_vec()).collect();
    if got.nrows() == 150 - kept.len() && got.ncols() == 4 {
        return Err(fail(format!(
            "rows_where(iris, petal length > 5): expected {} rows, got {}: the rows where the mask is FALSE",
            kept.len(),
            got.nrows()
        )))
        .hint("keep row i when mask[i] is true");
    }
    equal(
        "rows_where(iris, petal length > 5): shape",
        &got.dim(),
        &(kept.len(), 4),
    )
    .hint("one row per true entry of the mask, every column kept")?;
    same_as_rows("rows_where(iris, petal length > 5)", &got, &expected_rows)
        .hint("keep the rows in their original order")?;
    // Hidden edge cases: an all-false mask and an all-true mask.
    let none = rows_where(&iris, &Array1::from_elem(150, false));
    equal(
        "rows_where with an all-false mask: shape",
        &none.dim(),
        &(0, 4),
    )
    .hint("`x.select(Axis(0), &[])` gives an empty matrix that keeps its 4 columns")?;
    let all = rows_where(&iris, &Array1::from_elem(150, true));
    equal(
        "rows_where with an all-true mask: shape",
        &all.dim(),
        &(150, 4),
    )?;
    all_close(
        "rows_where with an all-true mask",
        &flat(&all),
        &flat(&iris),
        0.0,
    )?;
    pass(format!(
        "{} flowers with petal length > 5 cm, in order; empty and full masks handled",
        kept.len()
    ))
}
