// Grader of preprocessing/leakage.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2, Axis, concatenate};

use super::exercise::{fit, predict};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("held_out_r2", held_out_r2),
    ("imputes_train_median", imputes_train_median),
    ("batch_invariance", batch_invariance),
    ("row_by_row", row_by_row),
];

const FEATURES: [&str; 6] = [
    "cylinders",
    "displacement_cu_in",
    "horsepower",
    "weight_lbs",
    "acceleration_s",
    "model_year",
];
const HORSEPOWER: usize = 2;
const SEED: u64 = 406;
/// Ordinary least squares on these six features reaches R² of about 0.8 on held-out cars;
/// predicting the training mean scores about 0 (slightly below on a test set).
const R2_BAR: f64 = 0.75;

struct Data {
    x: Array2<f64>,
    y: Array1<f64>,
    train: Vec<usize>,
    test: Vec<usize>,
}

/// auto_mpg without the 8 cars whose target is missing; features keep their gaps as NaN.
fn data() -> Data {
    let table = Table::dataset("auto_mpg.csv").expect("the grader reads auto_mpg.csv");
    let mpg = table.numeric_column("mpg").expect("mpg parses");
    let keep: Vec<usize> = (0..mpg.len()).filter(|&i| mpg[i].is_some()).collect();
    let x = table
        .numeric_with_missing(&FEATURES)
        .expect("the features parse");
    let x = split::rows(&x, &keep);
    let y: Array1<f64> = keep.iter().map(|&i| mpg[i].unwrap_or(f64::NAN)).collect();
    let (train, test) = split::train_test(x.nrows(), 0.25, SEED);
    Data { x, y, train, test }
}

fn r2(y: &Array1<f64>, predicted: &Array1<f64>) -> f64 {
    let mean = y.mean().unwrap_or(0.0);
    let ss_res: f64 = y.iter().zip(predicted).map(|(a, b)| (a - b).powi(2)).sum();
    let ss_tot: f64 = y.iter().map(|a| (a - mean).powi(2)).sum();
    1.0 - ss_res / ss_tot
}

fn predictions(
    what: &str,
    x: &Array2<f64>,
    pipeline: &super::exercise::Pipeline,
) -> Result<Array1<f64>, Failed> {
    let got = predict(pipeline, x);
    equal(
        &format!("{what}: number of predictions"),
        &got.len(),
        &x.nrows(),
    )
    .hint("one prediction per row of `x`")?;
    Ok(got)
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn held_out_r2() -> Graded {
    let d = data();
    let pipeline = fit(
        &split::rows(&d.x, &d.train),
        &split::pick(&d.y.to_vec(), &d.train).into(),
    );
    let test_x = split::rows(&d.x, &d.test);
    let test_y: Array1<f64> = split::pick(&d.y.to_vec(), &d.test).into();
    let got = predictions("held-out cars", &test_x, &pipeline)?;
    if let Some(i) = got.iter().position(|v| !v.is_finite()) {
        let missing = test_x.row(i).iter().any(|v| v.is_nan());
        return Err(fail(format!(
            "held-out prediction {i} is {}{}",
            got[i],
            if missing {
                ": that car's horsepower is missing, and the gap reached the model"
            } else {
                ""
            }
        )))
        .hint("impute the NaNs with the training medians before standardizing");
    }
    let train_mean =
        split::pick(&d.y.to_vec(), &d.train).iter().sum::<f64>() / d.train.len() as f64;
    let constant = r2(&test_y, &Array1::from_elem(test_y.len(), train_mean));
    let baseline = format!(
        "predicting the training mean for every car scores {}",
        fmt(constant)
    );
    match bar("R² on held-out cars", r2(&test_y, &got), R2_BAR, Goal::AtLeast) {
        Ok(passed) => Ok(Passed { message: format!("{}; {baseline}", passed.message), ..passed }),
        Err(failed) => Err(Failed {
            message: format!("{}; {baseline}", failed.message),
            hint: Some("impute with training medians, standardize with training statistics, then least squares: `LinearRegression::new().fit(&Dataset::new(x, y))`".into()),
            ..failed
        }),
    }
}

fn imputes_train_median() -> Graded {
    let d = data();
    let train_x = split::rows(&d.x, &d.train);
    let pipeline = fit(&train_x, &split::pick(&d.y.to_vec(), &d.train).into());
    let observed = |x: &Array2<f64>| {
        x.column(HORSEPOWER)
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .collect::<Vec<_>>()
    };
    let train_median = median(observed(&train_x));
    // Every car with a missing horsepower (some are in the test split, some in training).
    let gaps: Vec<usize> = (0..d.x.nrows())
        .filter(|&i| d.x[[i, HORSEPOWER]].is_nan())
        .collect();
    let with_gaps = split::rows(&d.x, &gaps);
    let got = predictions("cars with a missing horsepower", &with_gaps, &pipeline)?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!(
            "predictions for the {} cars whose horsepower is missing: {got:?}: not finite, so the gaps were not filled with the training median (a statistic of this batch, where every horsepower is missing, is NaN)",
            gaps.len()
        )
    })
    .hint("replace each NaN by its column's training median before anything else")?;
    let filled_with = |value: f64| {
        let mut x = with_gaps.clone();
        x.column_mut(HORSEPOWER).fill(value);
        predict(&pipeline, &x)
    };
    let want = filled_with(train_median);
    if !got.iter().zip(&want).all(|(a, b)| same(*a, *b)) {
        let all_median = median(observed(&d.x));
        let train_mean = observed(&train_x).iter().sum::<f64>() / observed(&train_x).len() as f64;
        let message = if got
            .iter()
            .zip(&filled_with(train_mean))
            .all(|(a, b)| same(*a, *b))
        {
            "a missing horsepower was filled with the training mean, not the median".to_string()
        } else if got
            .iter()
            .zip(&filled_with(all_median))
            .all(|(a, b)| same(*a, *b))
        {
            "a missing horsepower was filled with the median of all cars, test ones included: a leak".to_string()
        } else {
            format!(
                "predicting a car whose horsepower is missing should equal predicting it with the training median ({}) filled in; it does not",
                fmt(train_median)
            )
        };
        return Err(fail(message)).hint("the medians are learned in `fit`, from the training rows only, and stored in the pipeline");
    }
    pass(format!(
        "{} cars with a missing horsepower are predicted as if it were the training median {}",
        gaps.len(),
        fmt(train_median)
    ))
}

/// The test rows with poisoned rows around them: huge values, negative values and NaNs, whose
/// statistics are nothing like the training data's.
fn poisoned(test_x: &Array2<f64>) -> (Array2<f64>, Vec<usize>) {
    let d = test_x.ncols();
    let poison = |value: f64| Array2::from_elem((3, d), value);
    let nan_rows = Array2::from_shape_fn(
        (4, d),
        |(i, j)| if (i + j) % 2 == 0 { f64::NAN } else { 1e7 },
    );
    let half = test_x.nrows() / 2;
    let batch = concatenate(
        Axis(0),
        &[
            poison(1e9).view(),
            test_x.slice(ndarray::s![..half, ..]),
            nan_rows.view(),
            poison(-5e8).view(),
            test_x.slice(ndarray::s![half.., ..]),
        ],
    )
    .expect("the parts have the same width");
    let positions: Vec<usize> = (0..half)
        .map(|i| 3 + i)
        .chain((half..test_x.nrows()).map(|i| 3 + half + 4 + 3 + (i - half)))
        .collect();
    (batch, positions)
}

/// R² of the pipeline's predictions of its own training rows, predicted in a plain batch: a
/// leaky predict scores as well here as a leak-free one (the batch's statistics are then the
/// training statistics), so a low held-out R² beside a good one here shows a leak.
fn training_r2(d: &Data, pipeline: &super::exercise::Pipeline) -> Result<f64, Failed> {
    let train_x = split::rows(&d.x, &d.train);
    let train_y: Array1<f64> = split::pick(&d.y.to_vec(), &d.train).into();
    let got = predictions("the training rows", &train_x, pipeline)?;
    Ok(r2(&train_y, &got))
}

/// The test predictions of the first call must be good ones: a later call that repeats them
/// (a cache kept by predict) would otherwise hide a leak. Fails when they score below the bar
/// while the pipeline predicts its own training rows well.
fn first_call_r2(
    d: &Data,
    pipeline: &super::exercise::Pipeline,
    first: &Array1<f64>,
    how: &str,
    why: &str,
) -> Result<(), Failed> {
    let test_y: Array1<f64> = split::pick(&d.y.to_vec(), &d.test).into();
    let held_out = r2(&test_y, first);
    if held_out >= R2_BAR {
        return Ok(());
    }
    let own = training_r2(d, pipeline)?;
    if own >= R2_BAR {
        return Err(fail(format!(
            "{how}, the test rows score R² {} on held-out cars, while the same pipeline scores {} on its own training rows (a leak-free pipeline scores about 0.8 on both), and the later call gave exactly the same predictions, as if predict repeated the answers it gave first: `predict` computes statistics from the rows it is given ({why}). That is test-set leakage: a prediction must depend only on its own row and the training data",
            fmt(held_out),
            fmt(own)
        )))
        .hint("compute medians, means and scales in `fit`, store them in `Pipeline`, and only apply them in `predict`");
    }
    Ok(())
}

fn batch_invariance() -> Graded {
    let d = data();
    let pipeline = fit(
        &split::rows(&d.x, &d.train),
        &split::pick(&d.y.to_vec(), &d.train).into(),
    );
    let test_x = split::rows(&d.x, &d.test);
    // The poisoned batch comes first, so that its predictions cannot be answers kept from the
    // plain test batch; they are also judged by their own R² (first_call_r2).
    let (batch, positions) = poisoned(&test_x);
    let mixed = predictions("the poisoned batch", &batch, &pipeline)?;
    let alone = predictions("the test batch", &test_x, &pipeline)?;
    let moved = positions
        .iter()
        .enumerate()
        .filter(|&(k, &p)| !same(mixed[p], alone[k]))
        .count();
    if moved > 0 {
        let k = positions
            .iter()
            .enumerate()
            .position(|(k, &p)| !same(mixed[p], alone[k]))
            .unwrap_or(0);
        return Err(fail(format!(
            "adding 10 poisoned rows (values of 1e9, -5e8 and NaN) to the batch changed {moved} of the {} test predictions (test row {k}: {} in the test batch, {} in the poisoned batch): `predict` computes statistics (a median, mean or standard deviation) from the rows it is given. That is test-set leakage: a prediction must depend only on its own row and the training data",
            alone.len(),
            fmt(alone[k]),
            fmt(mixed[positions[k]])
        )))
        .hint("compute medians, means and scales in `fit`, store them in `Pipeline`, and only apply them in `predict`");
    }
    let first: Array1<f64> = positions.iter().map(|&p| mixed[p]).collect();
    first_call_r2(
        &d,
        &pipeline,
        &first,
        "predicted first, inside a batch padded with 10 poisoned rows (values of 1e9, -5e8 and NaN)",
        "statistics of a poisoned batch are nothing like the training data's",
    )?;
    pass(format!(
        "the {} test predictions are unchanged inside a batch padded with poisoned rows",
        alone.len()
    ))
}

fn row_by_row() -> Graded {
    let d = data();
    let pipeline = fit(
        &split::rows(&d.x, &d.train),
        &split::pick(&d.y.to_vec(), &d.train).into(),
    );
    let test_x = split::rows(&d.x, &d.test);
    // The rows alone come first, so that they cannot get answers kept from the batch; they are
    // also judged by their own R² (first_call_r2).
    let mut alone = Vec::with_capacity(test_x.nrows());
    for i in 0..test_x.nrows() {
        let one = predictions(
            &format!("test row {i} alone"),
            &test_x.slice(ndarray::s![i..i + 1, ..]).to_owned(),
            &pipeline,
        )?;
        alone.push(one[0]);
    }
    let batch = predictions("the test batch", &test_x, &pipeline)?;
    for i in 0..test_x.nrows() {
        ensure(same(alone[i], batch[i]), || {
            format!(
                "test row {i}: predicted alone {}, in the batch {}: `predict` depends on the other rows of its batch (test-set leakage); a batch of one row has no spread, so statistics taken from the batch break (a standard deviation of 0, a median of the row itself)",
                fmt(alone[i]),
                fmt(batch[i])
            )
        })
        .hint("`predict` must use only the statistics stored by `fit`")?;
    }
    first_call_r2(
        &d,
        &pipeline,
        &Array1::from(alone),
        "predicted one row at a time, before any batch",
        "a batch of one row has no spread: a standard deviation of 0, a median of the row itself",
    )?;
    pass(format!(
        "each of the {} test rows gets the same prediction alone as in the batch",
        test_x.nrows()
    ))
}
