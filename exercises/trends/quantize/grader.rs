// Grader of trends/quantize.
//
// The grader trains a 10-class logistic regression (linfa-logistic) on a stratified 75 % of
// digits.csv (seed 42), quantizes its 64 x 10 weight matrix as one tensor with the learner's
// functions (the 10 intercepts stay f64, as biases usually do), and scores both models on the
// held-out 25 %.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, rows, stratified_train_test};
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rand::Rng as _;

use super::exercise::{dequantize, memory_saved, quantize};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("public_case", public_case),
    ("round_trip", round_trip),
    ("memory", memory),
    ("accuracy_drop", accuracy_drop),
];

/// The largest accuracy the int8 model may lose against the f64 model.
const MAX_DROP: f64 = 0.01;

/// The grader's own symmetric quantization with `levels` steps on each side of zero.
fn reference(w: &[f64], levels: f64) -> (Vec<f64>, f64) {
    let max_abs = w.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let scale = if max_abs > 0.0 { max_abs / levels } else { 1.0 };
    (
        w.iter()
            .map(|v| (v / scale).round().clamp(-levels, levels))
            .collect(),
        scale,
    )
}

fn as_f64(q: &[i8]) -> Vec<f64> {
    q.iter().map(|&v| v as f64).collect()
}

fn public_case() -> Graded {
    let w = [0.5, -1.27, 0.337, 1.0, -0.0061];
    let (q, scale) = quantize(&w);
    // max|w| = 1.27, so scale = 0.01 and q = round(w / 0.01) = [50, −127, 34, 100, −1].
    let (expected_q, expected_scale) = reference(&w, 127.0);
    let wrong_scales = [
        (
            1.27 / 128.0,
            "max|w| / 128: the symmetric convention uses 127 so that −127..127 is symmetric",
        ),
        (
            1.27 / 255.0,
            "max|w| / 255: that is the step of an asymmetric (zero-point) 8-bit range over [−max, max]",
        ),
        (
            1.0 / 127.0,
            "max(w) / 127: the scale must come from the largest absolute value, here |−1.27|",
        ),
        (127.0 / 1.27, "127 / max|w|: the inverted ratio"),
    ];
    for (wrong, name) in wrong_scales {
        if (scale - wrong).abs() < 1e-12 {
            return Err(fail(format!("quantize([0.5, −1.27, 0.337, 1, −0.0061]) gave scale {}, which is {name}; expected {}", fmt(scale), fmt(expected_scale))))
                .hint("scale = max|w| / 127");
        }
    }
    close(
        "scale of quantize([0.5, −1.27, 0.337, 1, −0.0061])",
        scale,
        expected_scale,
        1e-12,
    )
    .hint("scale = max|w| / 127")?;
    equal("number of quantized values", &q.len(), &w.len())?;
    let got = as_f64(&q);
    let expected_ints: Vec<i64> = expected_q.iter().map(|&v| v as i64).collect();
    let truncated: Vec<f64> = w.iter().map(|v| (v / expected_scale).trunc()).collect();
    let floored: Vec<f64> = w.iter().map(|v| (v / expected_scale).floor()).collect();
    if got == truncated && got != expected_q {
        return Err(fail(format!("q = {q:?}: the values were truncated towards zero (0.337 / 0.01 = 33.7 became 33); expected {expected_ints:?}")))
            .hint("round to the nearest level with `f64::round` before casting: `as i8` alone truncates");
    }
    if got == floored && got != expected_q {
        return Err(fail(format!(
            "q = {q:?}: the values were rounded down (floor); expected {expected_ints:?}"
        )))
        .hint("round to the nearest level with `f64::round`");
    }
    all_close("q", &got, &expected_q, 0.0).hint("q = round(w / scale), clamped to [−127, 127]")?;
    let back = dequantize(&q, scale);
    let expected_back: Vec<f64> = expected_q.iter().map(|v| v * expected_scale).collect();
    all_close("dequantize(q, scale)", &back, &expected_back, 1e-12)
        .hint("each value times the scale")?;
    pass("scale 0.01, q = [50, −127, 34, 100, −1], dequantized back to q · scale")
}

fn round_trip() -> Graded {
    let mut generator = rng(17);
    let mut tensors: Vec<(String, Vec<f64>)> = Vec::new();
    let gaussian: Vec<f64> = (0..1000)
        .map(|_| generator.r#gen::<f64>() - generator.r#gen::<f64>())
        .collect();
    tensors.push(("1000 random weights".into(), gaussian.clone()));
    let mut outlier = gaussian;
    outlier[123] = -40.0;
    tensors.push(("the same weights with one outlier of −40".into(), outlier));
    tensors.push(("a single weight 3.5".into(), vec![3.5]));
    tensors.push((
        "tiny weights around 1e-6".into(),
        (0..50).map(|i| (i as f64 - 25.0) * 4e-8).collect(),
    ));
    for (what, w) in &tensors {
        let (q, scale) = quantize(w);
        equal(
            &format!("{what}: number of quantized values"),
            &q.len(),
            &w.len(),
        )?;
        ensure(scale.is_finite() && scale > 0.0, || {
            format!("{what}: the scale is {}, not a positive number", fmt(scale))
        })?;
        ensure(q.iter().all(|&v| v != i8::MIN), || {
            format!("{what}: a value is −128; the symmetric range is −127..127")
        })
        .hint("clamp to [−127, 127]")?;
        let back = dequantize(&q, scale);
        equal(
            &format!("{what}: number of dequantized values"),
            &back.len(),
            &w.len(),
        )?;
        let (_, expected_scale) = reference(w, 127.0);
        close(
            &format!("{what}: scale"),
            scale,
            expected_scale,
            1e-12 * expected_scale,
        )?;
        let worst = w
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        ensure(worst <= scale / 2.0 * (1.0 + 1e-9), || {
            format!(
                "{what}: a weight comes back {} away from its value; rounding to the nearest level keeps every error within scale / 2 = {}{}",
                fmt(worst),
                fmt(scale / 2.0),
                if worst <= scale * (1.0 + 1e-9) {
                    " (an error up to a whole step: w / scale was truncated, not rounded)"
                } else {
                    ""
                }
            )
        })
        .hint("round (not truncate) w / scale")?;
        let extreme = w
            .iter()
            .cloned()
            .fold(0.0_f64, |m, v| if v.abs() > m.abs() { v } else { m });
        let i = w.iter().position(|&v| v == extreme).expect("present");
        equal(
            &format!(
                "{what}: the weight of largest magnitude ({}) quantized",
                fmt(extreme)
            ),
            &(q[i].unsigned_abs()),
            &127,
        )?;
    }
    let (q, scale) = quantize(&[0.0, 0.0, 0.0]);
    ensure(scale.is_finite() && scale > 0.0, || {
        format!(
            "quantize of an all-zero tensor gave scale {}: max|w| / 127 = 0 must not be divided by",
            fmt(scale)
        )
    })
    .hint("when max|w| is 0, use scale 1.0 (any positive scale represents zeros exactly)")?;
    equal("quantize([0, 0, 0]).0", &q, &vec![0, 0, 0])?;
    pass("every weight within scale / 2 of its value, the largest at ±127, zeros handled")
}

fn memory() -> Graded {
    let got = memory_saved(640);
    // 640 f64 = 5120 bytes; 640 int8 + one f64 scale = 648 bytes; saved 4472.
    if got == 4480 {
        return Err(fail(
            "memory_saved(640) = 4480: the 8 bytes of the scale are not counted; expected 4472"
                .to_string(),
        ))
        .hint("the int8 tensor needs its f64 scale to be read back: n + 8 bytes");
    }
    if got == 1920 || got == 1912 {
        return Err(fail(format!("memory_saved(640) = {got}: that is against f32 weights; the model's weights are f64 (8 bytes each); expected 4472")))
            .hint("8 n − (n + 8)");
    }
    equal("memory_saved(640) (bytes)", &got, &4472)
        .hint("f64 weights take 8 n bytes; int8 weights take n, plus 8 for the f64 scale")?;
    equal(
        "memory_saved(1) (bytes: one weight costs more quantized)",
        &memory_saved(1),
        &-1,
    )
    .hint("8 · 1 − (1 + 8) = −1: compute in i64, the saving can be negative")?;
    pass("4472 bytes saved on 640 weights; −1 on a single weight")
}

fn accuracy_of(
    weights: &Array2<f64>,
    intercept: &Array1<f64>,
    x: &Array2<f64>,
    y: &[usize],
    classes: &[usize],
) -> f64 {
    let scores = x.dot(weights) + intercept;
    let correct = scores
        .rows()
        .into_iter()
        .zip(y)
        .filter(|(row, truth)| {
            let best = (0..row.len()).fold(0, |b, j| if row[j] > row[b] { j } else { b });
            classes[best] == **truth
        })
        .count();
    correct as f64 / y.len() as f64
}

fn accuracy_drop() -> Graded {
    let table = Table::dataset("digits.csv").expect("the grader reads digits.csv");
    let columns = table.columns_except(&["digit"]);
    let x = table.numeric(&columns).expect("pixels");
    let y: Vec<usize> = table
        .numeric_column("digit")
        .expect("digits")
        .into_iter()
        .map(|v| v.expect("no missing digit") as usize)
        .collect();
    let (train, test) = stratified_train_test(&y, 0.25, 42);
    let train_set = Dataset::new(
        rows(&x, &train),
        Array1::from(train.iter().map(|&i| y[i]).collect::<Vec<_>>()),
    );
    let model = MultiLogisticRegression::default()
        .max_iterations(100)
        .fit(&train_set)
        .expect("the grader's model fits");
    let weights = model.params().clone();
    let intercept = model.intercept().clone();
    let classes: Vec<usize> = model.classes().to_vec();
    let (x_test, y_test) = (
        rows(&x, &test),
        test.iter().map(|&i| y[i]).collect::<Vec<_>>(),
    );
    let flat: Vec<f64> = weights.iter().copied().collect();
    let (q, scale) = quantize(&flat);
    equal("number of quantized weights", &q.len(), &flat.len())?;
    ensure(scale.is_finite() && scale > 0.0, || {
        format!("the scale must be a positive number, got {scale}")
    })?;
    // The grader dequantizes (q · scale) itself: a `dequantize` that returned weights it kept
    // from `quantize` would make any quantizer look lossless.
    let back: Vec<f64> = q.iter().map(|&v| f64::from(v) * scale).collect();
    let quantized = Array2::from_shape_vec(weights.dim(), back).expect("same shape");
    let full = accuracy_of(&weights, &intercept, &x_test, &y_test, &classes);
    let int8 = accuracy_of(&quantized, &intercept, &x_test, &y_test, &classes);
    let (q4, s4) = reference(&flat, 7.0);
    let int4 = accuracy_of(
        &Array2::from_shape_vec(weights.dim(), q4.iter().map(|v| v * s4).collect()).expect("shape"),
        &intercept,
        &x_test,
        &y_test,
        &classes,
    );
    let note = format!(
        "; f64 model {}, int8 model {}, {} bytes of f64 weights become {} (the grader's 4-bit version would score {})",
        fmt(full),
        fmt(int8),
        8 * flat.len(),
        flat.len() + 8,
        fmt(int4)
    );
    bar(
        "test accuracy lost by int8 weights",
        full - int8,
        MAX_DROP,
        Goal::AtMost,
    )
    .note(&note)
    .hint("dequantize must give back q · scale with the same scale quantize used; round to the nearest level")
}
