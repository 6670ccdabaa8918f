// Grader of preprocessing/features.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array2, s};

use super::exercise::{log1p_column, polynomial};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("log1p", log1p),
    ("poly_two", poly_two),
    ("poly_three", poly_three),
    ("interaction_only", interaction_only),
];

/// Fisher-Pearson skewness with population moments: m3 / m2^1.5 (scipy.stats.skew, bias=True).
fn skewness(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let m2 = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m3 = values.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
    m3 / m2.powf(1.5)
}

/// The grader's own expansion: originals, then x_i x_j for (i, j) in lexicographic order.
fn expected(x: &Array2<f64>, interaction_only: bool) -> (Array2<f64>, Vec<String>) {
    let d = x.ncols();
    let mut names: Vec<String> = (1..=d).map(|i| format!("x{i}")).collect();
    let mut pairs = Vec::new();
    for i in 0..d {
        for j in i..d {
            if !(interaction_only && i == j) {
                pairs.push((i, j));
                names.push(if i == j {
                    format!("x{}^2", i + 1)
                } else {
                    format!("x{} x{}", i + 1, j + 1)
                });
            }
        }
    }
    let out = Array2::from_shape_fn((x.nrows(), d + pairs.len()), |(r, c)| {
        if c < d {
            x[[r, c]]
        } else {
            x[[r, pairs[c - d].0]] * x[[r, pairs[c - d].1]]
        }
    });
    (out, names)
}

/// Compare a feature matrix column by column, naming the feature of the first wrong column and
/// the feature the learner's column matches instead, if any.
fn check_features(what: &str, x: &Array2<f64>, interaction_only: bool) -> Result<(), Failed> {
    let (want, names) = expected(x, interaction_only);
    let got = polynomial(x, interaction_only);
    let (n, width) = want.dim();
    if got.dim() == (n, width + 1) && got.column(0).iter().all(|v| *v == 1.0) {
        return Err(fail(format!(
            "{what}: {} columns instead of {width}: the first is a constant 1 (a bias column)",
            width + 1
        )))
        .hint("include_bias=False: no constant column, the model's intercept does that job");
    }
    if interaction_only && got.dim() == (n, width + x.ncols()) {
        return Err(fail(format!(
            "{what}: expected {width} columns ({names:?}), got {}: the squares were included, but interaction_only leaves them out",
            got.ncols()
        )))
        .hint("with interaction_only, only the products x_i x_j with i < j");
    }
    if !interaction_only && got.dim() == (n, width - x.ncols()) {
        return Err(fail(format!(
            "{what}: expected {width} columns ({names:?}), got {}: the squares are missing",
            got.ncols()
        )))
        .hint("i <= j for the full degree-2 expansion; i < j only with interaction_only");
    }
    equal(
        &format!("{what}: shape (rows, features)"),
        &got.dim(),
        &want.dim(),
    )
    .hint(format!("the features are {names:?}"))?;
    for c in 0..width {
        let same = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| {
            a.iter()
                .zip(b)
                .all(|(p, q)| (p - q).abs() <= 1e-9 * q.abs().max(1.0))
        };
        if !same(got.column(c), want.column(c)) {
            let instead = (0..width).find(|&k| same(got.column(c), want.column(k)));
            let message = match instead {
                Some(k) => format!(
                    "{what}: column {c} should be {}, but holds {}",
                    names[c], names[k]
                ),
                None => format!(
                    "{what}: column {c} should be {}, and matches no expected feature",
                    names[c]
                ),
            };
            return Err(fail(message)).hint(format!("the order is {}", names.join(", ")));
        }
    }
    Ok(())
}

fn log1p() -> Graded {
    let table =
        Table::dataset("winequality_red.csv").expect("the grader reads winequality_red.csv");
    let mut report = Vec::new();
    for name in ["residual_sugar", "chlorides", "total_sulfur_dioxide"] {
        let values = table
            .numeric(&[name])
            .expect("the column parses")
            .column(0)
            .to_vec();
        let got = log1p_column(&values);
        let want: Vec<f64> = values.iter().map(|x| (1.0 + x).ln()).collect();
        equal(
            &format!("{name}: number of values"),
            &got.len(),
            &values.len(),
        )?;
        let natural: Vec<f64> = values.iter().map(|x| x.ln()).collect();
        if got
            .iter()
            .zip(&natural)
            .all(|(a, b)| (a - b).abs() <= 1e-12)
        {
            return Err(fail(format!("{name}: got ln(x), expected ln(1 + x)")))
                .hint("log1p adds 1 first, so 0 maps to 0: `x.ln_1p()`");
        }
        let decimal: Vec<f64> = values.iter().map(|x| (1.0 + x).log10()).collect();
        if got
            .iter()
            .zip(&decimal)
            .all(|(a, b)| (a - b).abs() <= 1e-12)
        {
            return Err(fail(format!(
                "{name}: got log10(1 + x), expected the natural logarithm ln(1 + x)"
            )))
            .hint("`ln_1p`, not `log10`");
        }
        all_close(&format!("log1p of {name}"), &got, &want, 1e-12)
            .hint("ln(1 + x) of each value, in order: `x.ln_1p()`")?;
        let (before, after) = (skewness(&values), skewness(&got));
        ensure(after.abs() < before.abs(), || {
            format!(
                "{name}: the skewness went from {} to {}, it should drop",
                fmt(before),
                fmt(after)
            )
        })
        .hint("ln(1 + x) compresses the long right tail")?;
        report.push(format!("{name} {} -> {}", fmt(before), fmt(after)));
    }
    let tiny = log1p_column(&[0.0, 1e-12]);
    equal(
        "log1p_column([0, 1e-12]): number of values",
        &tiny.len(),
        &2,
    )?;
    // ln(1 + 1e-12) = 1e-12 - 5e-25 + ...: within 1e-20 of 1e-12. (1.0 + 1e-12).ln() gives
    // about 1.0000889e-12, wrong from the 5th digit, because 1 + 1e-12 rounds.
    let naive = (1.0f64 + 1e-12).ln();
    if tiny[1] == naive {
        return Err(fail(format!(
            "log1p_column([0, 1e-12])[1] = {:e}, expected {:e}: that is (1.0 + x).ln(), which loses digits for a tiny x (1 + 1e-12 is rounded before the logarithm)",
            tiny[1], 1e-12
        )))
        .hint("`x.ln_1p()` computes ln(1 + x) without forming 1 + x");
    }
    for (i, (g, e)) in tiny.iter().zip([0.0, 1e-12]).enumerate() {
        ensure((g - e).abs() <= 1e-20, || {
            format!("log1p_column([0, 1e-12])[{i}]: expected {e:e} (± 1e-20), got {g:e}")
        })
        .hint("`ln_1p` keeps tiny values accurate; ln(1.0 + x) loses them")?;
    }
    pass(format!("skewness {}", report.join(", ")))
}

fn poly_two() -> Graded {
    let x = Array2::from_shape_vec((2, 2), vec![2.0, 3.0, 1.0, -1.0]).expect("2 x 2");
    check_features("polynomial([[2, 3], [1, -1]], false)", &x, false)?;
    let got = polynomial(&x, false);
    all_close(
        "first row",
        &got.row(0).to_vec(),
        &[2.0, 3.0, 4.0, 6.0, 9.0],
        0.0,
    )
    .hint("x1, x2, x1^2, x1 x2, x2^2")?;
    pass("[2, 3] -> [2, 3, 4, 6, 9]: x1, x2, x1^2, x1 x2, x2^2")
}

fn poly_three() -> Graded {
    let table = Table::dataset("diabetes.csv").expect("the grader reads diabetes.csv");
    let x = table
        .numeric(&["bmi", "bp", "s5_ltg"])
        .expect("the columns parse");
    let x = x.slice(s![..40, ..]).to_owned();
    check_features("polynomial(diabetes [bmi, bp, s5_ltg], false)", &x, false)?;
    pass("9 features: x1, x2, x3, x1^2, x1 x2, x1 x3, x2^2, x2 x3, x3^2")
}

fn interaction_only() -> Graded {
    let x = Array2::from_shape_vec((2, 2), vec![2.0, 3.0, 1.0, -1.0]).expect("2 x 2");
    check_features("polynomial([[2, 3], [1, -1]], true)", &x, true)?;
    let table = Table::dataset("diabetes.csv").expect("the grader reads diabetes.csv");
    let x = table
        .numeric(&["age", "bmi", "bp", "s6_glu"])
        .expect("the columns parse");
    check_features(
        "polynomial(diabetes [age, bmi, bp, s6_glu], true)",
        &x.slice(s![..40, ..]).to_owned(),
        true,
    )?;
    pass("[2, 3] -> [2, 3, 6]; 4 features give 4 + 6 columns")
}
