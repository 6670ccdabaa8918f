// Grader of preprocessing/one_hot.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;

use super::exercise::{OneHot, fit, transform};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("categories_sorted", categories_sorted),
    ("encode_penguins", encode_penguins),
    ("unknown_category", unknown_category),
    ("fitted_on_train", fitted_on_train),
];

const SEED: u64 = 77;

/// The training values of a penguins column (a seeded 75 % split).
fn train_values(column: &str) -> Vec<String> {
    let table = Table::dataset("penguins.csv").expect("the grader reads penguins.csv");
    let values: Vec<String> = table
        .text_column(column)
        .expect("the column exists")
        .into_iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect();
    let (train, _) = split::train_test(values.len(), 0.25, SEED);
    split::pick(&values, &train)
}

fn as_strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// The grader's own encoding: sorted distinct categories, one 1.0 per known value.
fn expected_encoding(categories: &[String], values: &[&str]) -> Array2<f64> {
    Array2::from_shape_fn((values.len(), categories.len()), |(i, j)| {
        f64::from(categories[j] == values[i])
    })
}

fn first_seen(values: &[&str]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !seen.iter().any(|s| s == v) {
            seen.push(v.to_string());
        }
    }
    seen
}

fn check_categories(what: &str, values: &[&str]) -> Result<Vec<String>, Failed> {
    let mut want: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    want.sort();
    want.dedup();
    let got = fit(values).categories;
    if got != want && got == first_seen(values) {
        return Err(fail(format!(
            "{what}: expected {want:?}, got {got:?}, the order in which they first appear: that order changes with the rows, so the columns would too"
        )))
        .hint("sort the categories");
    }
    if got.len() > want.len() {
        return Err(fail(format!(
            "{what}: expected the {} categories {want:?}, got {} entries: duplicates kept",
            want.len(),
            got.len()
        )))
        .hint("`dedup()` after `sort()`");
    }
    equal(what, &got, &want).hint("the distinct values, sorted: `sort()` then `dedup()`")?;
    Ok(want)
}

fn categories_sorted() -> Graded {
    let island = train_values("island");
    let islands = check_categories("fit(training islands).categories", &as_strs(&island))?;
    let species = train_values("species");
    check_categories("fit(training species).categories", &as_strs(&species))?;
    // The first value seen is "dream", but the sorted order starts with b.
    check_categories(
        "fit([\"dream\", \"b\", \"dream\", \"a b\", \"b\"]).categories",
        &["dream", "b", "dream", "a b", "b"],
    )?;
    pass(format!("islands {islands:?}; species sorted as well"))
}

fn encode_penguins() -> Graded {
    for column in ["island", "species"] {
        let values = train_values(column);
        let values = as_strs(&values);
        let mut categories: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        categories.sort();
        categories.dedup();
        let encoder = OneHot {
            categories: categories.clone(),
        };
        let got = transform(&encoder, &values);
        let want = expected_encoding(&categories, &values);
        if got.dim() != want.dim() && got.t() == want {
            return Err(fail(format!(
                "{column}: the matrix is transposed: expected {:?} (rows, categories), got {:?}",
                want.dim(),
                got.dim()
            )))
            .hint("rows are values, columns are categories");
        }
        equal(
            &format!("shape of the {column} encoding (rows, categories)"),
            &got.dim(),
            &want.dim(),
        )
        .hint("one row per value, one column per category of the encoder")?;
        for (i, value) in values.iter().enumerate() {
            let row: Vec<f64> = got.row(i).to_vec();
            all_close(&format!("{column} row {i} ({value})"), &row, &want.row(i).to_vec(), 0.0)
                .hint("a 1.0 in the column of the row's category (its position in `categories`), 0.0 elsewhere")?;
        }
    }
    pass("every row has exactly one 1.0, in its category's column")
}

/// More columns than the encoder has categories: the values being transformed added some.
fn added_columns(what: &str, got: &Array2<f64>, encoder: &OneHot) -> Result<(), Failed> {
    if got.ncols() > encoder.categories.len() {
        return Err(fail(format!(
            "{what}: {} columns for the encoder's {} categories {:?}: the values being transformed added columns",
            got.ncols(),
            encoder.categories.len(),
            encoder.categories
        )))
        .hint("`transform` uses the fitted categories only: refitting on the values it receives leaks the test set and changes the columns the model was trained with");
    }
    Ok(())
}

fn unknown_category() -> Graded {
    let encoder = OneHot {
        categories: vec!["Biscoe".into(), "Dream".into(), "Torgersen".into()],
    };
    let values = ["Dream", "Anvers", "Torgersen", "dream", ""];
    let got = transform(&encoder, &values);
    added_columns(
        "transform([Dream, Anvers, Torgersen, dream, \"\"])",
        &got,
        &encoder,
    )?;
    equal(
        "shape of transform([Dream, Anvers, Torgersen, dream, \"\"])",
        &got.dim(),
        &(5, 3),
    )
    .hint("the encoder's categories fix the columns: unknown values never add one")?;
    let want = expected_encoding(&encoder.categories, &values);
    for (i, value) in values.iter().enumerate() {
        if !encoder.categories.iter().any(|c| c == value) && got.row(i).iter().any(|v| *v != 0.0) {
            return Err(fail(format!(
                "row {i} ({value:?}) is {:?}: {value:?} is not one of the encoder's categories {:?} (they are case-sensitive), so its row must be all zeros",
                got.row(i).to_vec(),
                encoder.categories
            )))
            .hint("encode only an exact match of a category; an unknown value leaves its row at zero");
        }
        all_close(&format!("row {i} ({value:?})"), &got.row(i).to_vec(), &want.row(i).to_vec(), 0.0).hint(
            "an unknown category (here Anvers, the lowercase dream, the empty value) gives an all-zero row, like scikit-learn's handle_unknown=\"ignore\"; categories are case-sensitive",
        )?;
    }
    pass("Anvers, dream and \"\" give all-zero rows; known categories are encoded")
}

fn fitted_on_train() -> Graded {
    // Fitting sees only b and c; the test batch brings a and d.
    let encoder = fit(&["c", "b", "c"]);
    equal(
        "fit([c, b, c]).categories",
        &encoder.categories,
        &vec!["b".to_string(), "c".to_string()],
    )
    .hint("the distinct values, sorted: `sort()` then `dedup()`")?;
    let got = transform(&encoder, &["a", "b", "d", "c"]);
    added_columns(
        "transform([a, b, d, c]) with categories [b, c]",
        &got,
        &encoder,
    )?;
    equal("shape of transform([a, b, d, c]) with categories [b, c]", &got.dim(), &(4, 2))
        .hint("`transform` uses the fitted categories only: refitting on the values it receives leaks the test set and changes the columns")?;
    let want = expected_encoding(&encoder.categories, &["a", "b", "d", "c"]);
    all_close(
        "transform([a, b, d, c]), row by row",
        &got.iter().copied().collect::<Vec<_>>(),
        &want.iter().copied().collect::<Vec<_>>(),
        0.0,
    )
    .hint("b and c are encoded in their fitted columns; a and d, unknown to the encoder, give all-zero rows")?;
    pass("the columns come from fit alone: [[0, 0], [1, 0], [0, 0], [0, 1]]")
}
