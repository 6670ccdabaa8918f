// Grader of foundations/describe.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2, array};

use super::exercise::{column_means, column_quantiles, column_variances, quantile};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("means", check_means),
    ("population_variance", check_population_variance),
    ("sample_variance", check_sample_variance),
    ("median", check_median),
    ("quartiles", check_quartiles),
];

/// Relative tolerance: sums of 178 values of size up to 1e5 (proline's variance) round at
/// about 1e-11 relative, so 1e-9 leaves room for any order of summation.
const REL_TOL: f64 = 1e-9;

fn tolerance(expected: f64) -> f64 {
    REL_TOL * expected.abs().max(1.0)
}

/// The 13 wine features (178 rows), as the grader reads them, with their names.
fn wine() -> (Array2<f64>, Vec<String>) {
    let table = Table::dataset("wine.csv").expect("the grader reads datasets/wine.csv");
    let names = table.columns_except(&["cultivar"]);
    let x = table
        .numeric(&names)
        .expect("wine is numeric without missing values");
    (x, names.iter().map(|s| s.to_string()).collect())
}

fn my_means(x: &Array2<f64>) -> Vec<f64> {
    (0..x.ncols())
        .map(|j| (0..x.nrows()).map(|i| x[[i, j]]).sum::<f64>() / x.nrows() as f64)
        .collect()
}

fn my_variances(x: &Array2<f64>, ddof: usize) -> Vec<f64> {
    let means = my_means(x);
    (0..x.ncols())
        .map(|j| {
            (0..x.nrows())
                .map(|i| (x[[i, j]] - means[j]).powi(2))
                .sum::<f64>()
                / (x.nrows() - ddof) as f64
        })
        .collect()
}

/// Numpy's default quantile (linear, Hyndman & Fan type 7), the grader's own way: the value at
/// fractional 0-based position (n - 1) q of the sorted values.
fn my_quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let position = (v.len() - 1) as f64 * q;
    let below = position.floor() as usize;
    let above = (below + 1).min(v.len() - 1);
    let weight = position - below as f64;
    (1.0 - weight) * v[below] + weight * v[above]
}

fn near(got: &[f64], expected: &[f64]) -> bool {
    got.len() == expected.len()
        && got
            .iter()
            .zip(expected)
            .all(|(g, e)| (g - e).abs() <= tolerance(*e))
}

/// Compare per-column values, naming the column at fault.
fn columns_close(
    what: &str,
    got: &Array1<f64>,
    expected: &[f64],
    names: &[String],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of values (one per column)"),
        &got.len(),
        &expected.len(),
    )?;
    for (j, name) in names.iter().enumerate() {
        close(
            &format!("{what}, column `{name}`"),
            got[j],
            expected[j],
            tolerance(expected[j]),
        )?;
    }
    Ok(())
}

fn check_means() -> Graded {
    let small = array![[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]];
    let got = column_means(&small);
    if got.len() == 3 {
        return Err(fail(
            "column_means of a 3 x 2 matrix gave 3 values: one per ROW",
        ))
        .hint("per-column statistics reduce Axis(0), the row axis: `x.mean_axis(Axis(0))`");
    }
    let names = vec!["first".to_string(), "second".to_string()];
    columns_close(
        "column_means([[1, 10], [2, 20], [3, 60]])",
        &got,
        &[2.0, 30.0],
        &names,
    )?;
    let (x, names) = wine();
    columns_close(
        "column_means(wine)",
        &column_means(&x),
        &my_means(&x),
        &names,
    )?;
    pass("means of the 13 wine columns")
}

/// Check `column_variances(x, ddof)` and name the classic mix-ups.
fn variance_check(ddof: usize) -> Graded {
    let (label, other_label) = match ddof {
        0 => (
            "population variance (ddof = 0, divide by n)",
            "the sample variance (ddof = 1, divide by n - 1)",
        ),
        _ => (
            "sample variance (ddof = 1, divide by n - 1)",
            "the population variance (ddof = 0, divide by n)",
        ),
    };
    let small = array![[1.0], [2.0], [3.0], [4.0]];
    // Mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5: 5 / 4 and 5 / 3.
    let expected_small = if ddof == 0 { 1.25 } else { 5.0 / 3.0 };
    let got = column_variances(&small, ddof);
    let (x, names) = wine();
    let got_wine = column_variances(&x, ddof);
    let expected = my_variances(&x, ddof);
    let got_vec = got_wine.to_vec();
    if near(&got_vec, &my_variances(&x, 1 - ddof)) {
        return Err(fail(format!(
            "column_variances(wine, {ddof}) gave {other_label}, where the {label} was asked"
        )))
        .hint(
            "divide the sum of squared deviations by n - ddof: n for ddof = 0, n - 1 for ddof = 1",
        );
    }
    let stds: Vec<f64> = expected.iter().map(|v| v.sqrt()).collect();
    if near(&got_vec, &stds) {
        return Err(fail(format!("column_variances(wine, {ddof}) gave standard deviations (square roots of the variances)")))
            .hint("the variance is the mean squared deviation itself, without the square root");
    }
    let uncentered: Vec<f64> = (0..x.ncols())
        .map(|j| (0..x.nrows()).map(|i| x[[i, j]].powi(2)).sum::<f64>() / (x.nrows() - ddof) as f64)
        .collect();
    if near(&got_vec, &uncentered) {
        return Err(fail(format!("column_variances(wine, {ddof}) squared the raw values: the column mean was not subtracted")))
            .hint("square the deviations x - mean of the column, not the values");
    }
    columns_close(
        &format!("column_variances([[1], [2], [3], [4]], {ddof})"),
        &got,
        &[expected_small],
        &["only".to_string()],
    )?;
    columns_close(
        &format!("column_variances(wine, {ddof}), the {label}"),
        &got_wine,
        &expected,
        &names,
    )?;
    pass(format!(
        "the {label} of [1, 2, 3, 4] and of the 13 wine columns"
    ))
}

fn check_population_variance() -> Graded {
    variance_check(0)
}

fn check_sample_variance() -> Graded {
    variance_check(1)
}

fn check_median() -> Graded {
    let odd = quantile(&[3.0, 1.0, 2.0], 0.5);
    if odd == 1.0 {
        return Err(fail(
            "quantile([3, 1, 2], 0.5) = 1: the middle of the UNSORTED values",
        ))
        .hint("sort a copy first: `let mut v = values.to_vec(); v.sort_by(f64::total_cmp);`");
    }
    close(
        "quantile([3, 1, 2], 0.5), the median of an odd count",
        odd,
        2.0,
        1e-12,
    )
    .hint("sort, then interpolate at position h = (n - 1) q, counting from 0: for 3 values h = 1, the middle one")?;
    let even = quantile(&[4.0, 1.0, 3.0, 2.0], 0.5);
    if even == 2.0 || even == 3.0 {
        return Err(fail(format!(
            "quantile([4, 1, 3, 2], 0.5) = {}: one of the two middle values, not their mean",
            fmt(even)
        )))
        .hint("with an even count, h = (n - 1) / 2 falls halfway between the two middle values: interpolate");
    }
    close(
        "quantile([4, 1, 3, 2], 0.5), the median of an even count",
        even,
        2.5,
        1e-12,
    )?;
    let (x, names) = wine();
    let expected: Vec<f64> = x
        .columns()
        .into_iter()
        .map(|c| my_quantile(&c.to_vec(), 0.5))
        .collect();
    columns_close(
        "column_quantiles(wine, 0.5), the medians",
        &column_quantiles(&x, 0.5),
        &expected,
        &names,
    )?;
    pass("medians of odd and even counts and of the 13 wine columns")
}

fn check_quartiles() -> Graded {
    let v = [4.0, 2.0, 1.0, 3.0];
    let (q1, q3) = (quantile(&v, 0.25), quantile(&v, 0.75));
    // Linear: h = 3 * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75; h = 2.25 -> 3 + 0.25 = 3.25.
    let named = [
        (
            (1.25, 3.75),
            "the \"exclusive\" method (Excel's QUARTILE.EXC, Minitab, type 6), position (n + 1) q",
        ),
        (
            (2.0, 4.0),
            "an off-by-one position h = n q; numpy's linear method uses h = (n - 1) q",
        ),
        (
            (1.0, 3.0),
            "the value just below the position, without interpolating",
        ),
        (
            (1.5, 3.5),
            "the midpoint of the two neighbours, not a linear interpolation",
        ),
    ];
    for ((a, b), mistake) in named {
        if (q1 - a).abs() < 1e-12 && (q3 - b).abs() < 1e-12 {
            return Err(fail(format!(
                "quartiles of [1, 2, 3, 4]: Q1 = {}, Q3 = {}: that is {mistake}",
                fmt(q1),
                fmt(q3)
            )))
            .hint("numpy's default: sort, h = (n - 1) q, lo = floor(h), answer v[lo] + (h - lo) (v[lo + 1] - v[lo])");
        }
    }
    const LINEAR: &str = "numpy's default (linear): sort, h = (n - 1) q, lo = floor(h), answer v[lo] + (h - lo) (v[lo + 1] - v[lo])";
    close(
        "quantile([4, 2, 1, 3], 0.25) (linear: position 0.75)",
        q1,
        1.75,
        1e-12,
    )
    .hint(LINEAR)?;
    close(
        "quantile([4, 2, 1, 3], 0.75) (linear: position 2.25)",
        q3,
        3.25,
        1e-12,
    )
    .hint(LINEAR)?;
    // Edge cases: the extremes and a single value.
    close(
        "quantile([4, 2, 1, 3], 0) (the minimum)",
        quantile(&v, 0.0),
        1.0,
        1e-12,
    )
    .hint("at q = 0, h = 0: the answer is the smallest value, v[0] of the sorted copy")?;
    close(
        "quantile([4, 2, 1, 3], 1) (the maximum)",
        quantile(&v, 1.0),
        4.0,
        1e-12,
    )
    .hint("at q = 1, h = n - 1 is the last index: there is no v[lo + 1] to interpolate with")?;
    close(
        "quantile([5], 0.3) (a single value)",
        quantile(&[5.0], 0.3),
        5.0,
        1e-12,
    )
    .hint("with one value, h = 0 for every q: there is no neighbour to interpolate with")?;
    let (x, names) = wine();
    for q in [0.25, 0.75] {
        let expected: Vec<f64> = x
            .columns()
            .into_iter()
            .map(|c| my_quantile(&c.to_vec(), q))
            .collect();
        columns_close(
            &format!("column_quantiles(wine, {q})"),
            &column_quantiles(&x, q),
            &expected,
            &names,
        )
        .hint("apply `quantile` to each column: `x.columns().into_iter().map(|c| quantile(&c.to_vec(), q))`")?;
    }
    pass("linear-interpolation quartiles, extremes, a single value, and the wine columns")
}
