// Grader of production/online_learning.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng;

use super::exercise::{Logistic, Running, Scaler, prequential};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("welford", check_welford),
    ("merge", check_merge),
    ("scaler", check_scaler),
    ("sgd_step", check_sgd_step),
    ("prequential", check_prequential),
    ("adult_stream", check_adult_stream),
];

const OFFSET: f64 = 1e9;

/// Deviations around a small mean, drawn from `rng`.
fn deviations(rng: &mut split::Rng, n: usize, center: f64) -> Vec<f64> {
    (0..n).map(|_| center + rng.gen_range(-3.0..3.0)).collect()
}

/// Mean and m2 (sum of squared deviations) by two passes. At the offset, `x - OFFSET` is
/// exact (Sterbenz), so the grader works on the small deviations and adds the offset back.
fn two_pass(values: &[f64], offset: f64) -> (f64, f64) {
    let n = values.len() as f64;
    let mut sum = 0.0;
    for v in values {
        sum += v - offset;
    }
    let mean = sum / n;
    let mut m2 = 0.0;
    for v in values {
        m2 += (v - offset - mean) * (v - offset - mean);
    }
    (offset + mean, m2)
}

fn rel(expected: f64, r: f64) -> f64 {
    r * expected.abs().max(1.0)
}

/// Compares a summary's mean and variances with the grader's two-pass values.
fn summary_close(
    what: &str,
    got: &Running,
    values: &[f64],
    offset: f64,
    wrong_variance: &[(f64, &str)],
) -> Result<(), Failed> {
    let n = values.len();
    equal(&format!("{what}: count()"), &got.count(), &(n as u64))?;
    let (mean, m2) = if n == 0 {
        (0.0, 0.0)
    } else {
        two_pass(values, offset)
    };
    // Welford at an offset of 1e9 loses about 1e-7 per value (1e-4 over 1000 values): 1e-11
    // relative on the mean (0.01 at 1e9) and 1e-5 on the variance leave room for any stable
    // algorithm.
    close(
        &format!("{what}: mean()"),
        got.mean(),
        mean,
        rel(mean, 1e-11) + 1e-9,
    )?;
    let population = if n == 0 { 0.0 } else { m2 / n as f64 };
    let mut named = vec![(
        m2 / (n as f64 - 1.0),
        "gave the sample variance (n - 1); variance() is the population one (n)",
    )];
    named.extend_from_slice(wrong_variance);
    close_naming(
        &format!("{what}: variance() (population, ddof = 0)"),
        got.variance(),
        population,
        rel(population, 1e-5),
        &named,
    )?;
    if n >= 2 {
        let sample = m2 / (n - 1) as f64;
        close_naming(
            &format!("{what}: sample_variance() (ddof = 1)"),
            got.sample_variance(),
            sample,
            rel(sample, 1e-5),
            &[(
                population,
                "gave the population variance (n); sample_variance() divides by n - 1",
            )],
        )?;
    }
    Ok(())
}

fn pushed(values: &[f64]) -> Running {
    let mut r = Running::new();
    for &v in values {
        r.push(v);
    }
    r
}

fn check_welford() -> Graded {
    let mut rng = split::rng(7);
    let empty = Running::new();
    summary_close("an empty summary", &empty, &[], 0.0, &[])?;
    for (case, &n) in [1, 2, 10, 1000].iter().enumerate() {
        let small = deviations(&mut rng, n, 5.0);
        // The classic slip m2 += δ² squares the deviation from the old mean (δ · δ) instead
        // of multiplying it by the deviation from the new one.
        let (mut mean, mut old_delta_m2) = (0.0, 0.0);
        for (k, &v) in small.iter().enumerate() {
            let delta = v - mean;
            mean += delta / (k + 1) as f64;
            old_delta_m2 += delta * delta;
        }
        summary_close(
            &format!("case {case}: {n} values near 5"),
            &pushed(&small),
            &small,
            0.0,
            &[(
                old_delta_m2 / n as f64,
                "m2 += δ² uses the deviation from the old mean twice; Welford's update is \
                 m2 += δ · (x - new mean)",
            )],
        )
        .hint("δ = x - mean; mean += δ / n; m2 += δ · (x - new mean)")?;
        let shifted: Vec<f64> = small.iter().map(|v| v + OFFSET).collect();
        summary_close(
            &format!("case {case}: the same {n} values plus 1e9"),
            &pushed(&shifted),
            &shifted,
            OFFSET,
            &[],
        )
        .map_err(|mut f| {
            f.message.push_str(
                ": right near 5 but wrong at 1e9: catastrophic cancellation, as in the naive \
                 formula (Σx² - n·mean²), which subtracts two nearly equal numbers of \
                 about n·1e18 whose difference is a few units per value",
            );
            f
        })
        .hint("keep the mean and m2 = Σ (x - mean)² up to date with Welford's update")?;
    }
    pass("mean and variances match two-pass values for 0 to 1000 values, also at an offset of 1e9")
}

fn check_merge() -> Graded {
    let mut rng = split::rng(8);
    for (case, &(na, nb, offset)) in [
        (300, 200, OFFSET),
        (5, 1, 0.0),
        (0, 7, OFFSET),
        (9, 0, 0.0),
        (1, 1, 0.0),
        (0, 0, 0.0),
    ]
    .iter()
    .enumerate()
    {
        let a: Vec<f64> = deviations(&mut rng, na, 2.0)
            .iter()
            .map(|v| v + offset)
            .collect();
        // The second stream sits higher, so the between-streams term matters.
        let b: Vec<f64> = deviations(&mut rng, nb, 7.0)
            .iter()
            .map(|v| v + offset)
            .collect();
        let all: Vec<f64> = a.iter().chain(&b).copied().collect();
        let merged = pushed(&a).merge(&pushed(&b));
        let what = format!("case {case}: merge of {na} and {nb} values (offset {offset:e})");
        equal(
            &format!("{what}: count()"),
            &merged.count(),
            &((na + nb) as u64),
        )?;
        let (mean_a, m2_a) = if na > 0 {
            two_pass(&a, offset)
        } else {
            (0.0, 0.0)
        };
        let (mean_b, m2_b) = if nb > 0 {
            two_pass(&b, offset)
        } else {
            (0.0, 0.0)
        };
        let (mean, m2) = if na + nb > 0 {
            two_pass(&all, offset)
        } else {
            (0.0, 0.0)
        };
        // Two empty summaries merge into an empty one (mean and variance 0, no 0 / 0).
        let n = ((na + nb) as f64).max(1.0);
        close_naming(
            &format!("{what}: mean()"),
            merged.mean(),
            mean,
            rel(mean, 1e-11) + 1e-9,
            &[(
                (mean_a + mean_b) / 2.0,
                "the plain average of the two means: weigh each by its count",
            )],
        )?;
        close_naming(
            &format!("{what}: variance()"),
            merged.variance(),
            m2 / n,
            rel(m2 / n, 1e-5),
            &[(
                (m2_a + m2_b) / n,
                "m2_a + m2_b misses the between-streams term δ² n_a n_b / n (δ = mean_b - mean_a)",
            )],
        )?;
    }
    pass("merged summaries equal the summary of both streams (6 cases, empty sides, offset 1e9)")
}

fn check_scaler() -> Graded {
    let mut rng = split::rng(9);
    let d = 4;
    let mut scaler = Scaler::new(d);
    let mut seen: Vec<Vec<f64>> = Vec::new();
    for step in 0..12 {
        // Feature 2 is constant: its standardized value is always 0.
        let x = vec![
            rng.gen_range(-5.0..5.0),
            100.0 + rng.gen_range(0.0..50.0),
            3.0,
            rng.gen_range(0.0..1.0) * step as f64,
        ];
        let got = scaler.transform(&x);
        equal(
            &format!("transform after {step} rows: length"),
            &got.len(),
            &d,
        )?;
        for j in 0..d {
            let column: Vec<f64> = seen.iter().map(|r| r[j]).collect();
            let (expected, sample) = if column.len() < 2 {
                (0.0, 0.0)
            } else {
                let (mean, m2) = two_pass(&column, 0.0);
                let n = column.len() as f64;
                let std = (m2 / n).sqrt();
                if std == 0.0 {
                    (0.0, 0.0)
                } else {
                    ((x[j] - mean) / std, (x[j] - mean) / (m2 / (n - 1.0)).sqrt())
                }
            };
            let with_x = {
                let mut c = column.clone();
                c.push(x[j]);
                let (mean, m2) = two_pass(&c, 0.0);
                let std = (m2 / c.len() as f64).sqrt();
                if c.len() < 2 || std == 0.0 {
                    0.0
                } else {
                    (x[j] - mean) / std
                }
            };
            close_naming(
                &format!("transform after {step} rows: feature {j}"),
                got[j],
                expected,
                1e-9,
                &[
                    (
                        sample,
                        "divided by the sample standard deviation; the convention here is the \
                         population one (ddof = 0, scikit-learn's StandardScaler)",
                    ),
                    (
                        with_x,
                        "the statistics include the row being transformed: use only the rows \
                         seen before it",
                    ),
                ],
            )
            .hint("z_j = (x_j - mean_j) / sqrt(variance_j), and 0 before 2 rows or when the variance is 0")?;
        }
        scaler.update(&x);
        seen.push(x);
    }
    pass("standardized rows match after 0 to 11 rows (population std, 0 for a constant feature)")
}

fn sigmoid(s: f64) -> f64 {
    1.0 / (1.0 + (-s).exp())
}

fn check_sgd_step() -> Graded {
    let mut rng = split::rng(10);
    for case in 0..5 {
        let d = 1 + case;
        let weights: Vec<f64> = (0..d).map(|_| rng.gen_range(-2.0..2.0)).collect();
        let bias = rng.gen_range(-1.0..1.0);
        let z: Vec<f64> = (0..d).map(|_| rng.gen_range(-2.0..2.0)).collect();
        let y = case % 2 == 0;
        let lr = rng.gen_range(0.05..0.5);
        let mut model = Logistic {
            weights: weights.clone(),
            bias,
        };
        let s = bias + weights.iter().zip(&z).map(|(w, v)| w * v).sum::<f64>();
        let p = sigmoid(s);
        let what = format!("case {case}: {d} features, y = {y}, lr = {}", fmt(lr));
        close_naming(
            &format!("{what}: predict_proba"),
            model.predict_proba(&z),
            p,
            1e-12,
            &[(1.0 - p, "gave σ(-s), the probability of the other class")],
        )?;
        model.sgd_step(&z, y, lr);
        equal(
            &format!("{what}: weights after sgd_step: length"),
            &model.weights.len(),
            &d,
        )?;
        let error = p - if y { 1.0 } else { 0.0 };
        let mut expected: Vec<f64> = weights
            .iter()
            .zip(&z)
            .map(|(w, v)| w - lr * error * v)
            .collect();
        let mut ascent: Vec<f64> = weights
            .iter()
            .zip(&z)
            .map(|(w, v)| w + lr * error * v)
            .collect();
        expected.push(bias - lr * error);
        ascent.push(bias + lr * error);
        let mut got = model.weights.clone();
        got.push(model.bias);
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12);
        ensure(!near(&got, &ascent) || near(&ascent, &expected), || {
            format!(
                "{what}: the step went up the gradient (w + lr (p - y) z): the gradient's sign \
                 is flipped, which makes the log loss grow"
            )
        })?;
        all_close(
            &format!("{what}: [weights..., bias] after sgd_step"),
            &got,
            &expected,
            1e-12,
        )
        .hint(
            "w_j -= lr · (p - y) · z_j and bias -= lr · (p - y), with p computed before the step",
        )?;
    }
    for s in [-800.0, 800.0] {
        let p = Logistic {
            weights: vec![1.0],
            bias: 0.0,
        }
        .predict_proba(&[s]);
        ensure(p.is_finite() && (0.0..=1.0).contains(&p), || {
            format!("predict_proba with w·z + b = {s}: expected a probability in [0, 1], got {p}")
        })?;
    }
    pass("probabilities and SGD steps match σ(w·z + b) and w -= lr (p - y) z on 5 cases")
}

/// The grader's prequential loop; `variant` reorders it as the classic mistakes do.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    Correct,
    TrainFirst,
    WholeStream,
    CurrentRow,
    RawRow,
}

fn my_prequential(rows: &[Vec<f64>], labels: &[bool], lr: f64, order: Order) -> Vec<f64> {
    let d = rows[0].len();
    let n = rows.len() as f64;
    let mut weights = vec![0.0; d];
    let mut bias = 0.0;
    let mut seen: Vec<&[f64]> = Vec::new();
    let stats = |seen: &[&[f64]], j: usize| -> Option<(f64, f64)> {
        let column: Vec<f64> = seen.iter().map(|r| r[j]).collect();
        if column.len() < 2 {
            return None;
        }
        let (mean, m2) = two_pass(&column, 0.0);
        let std = (m2 / column.len() as f64).sqrt();
        (std > 0.0).then_some((mean, std))
    };
    let whole: Vec<(f64, f64)> = (0..d)
        .map(|j| {
            let mean = rows.iter().map(|r| r[j]).sum::<f64>() / n;
            let var = rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n;
            (mean, var.sqrt())
        })
        .collect();
    let mut out = Vec::new();
    for (x, &y) in rows.iter().zip(labels) {
        if order == Order::CurrentRow {
            seen.push(x.as_slice());
        }
        let z: Vec<f64> = (0..d)
            .map(|j| {
                let s = if order == Order::WholeStream {
                    Some(whole[j])
                } else {
                    stats(&seen, j)
                };
                s.map_or(0.0, |(mean, std)| (x[j] - mean) / std)
            })
            .collect();
        let proba =
            |w: &[f64], b: f64| sigmoid(b + w.iter().zip(&z).map(|(a, v)| a * v).sum::<f64>());
        let p = proba(&weights, bias);
        // Training on the raw row also computes the step's p from the raw row.
        let trained_on = if order == Order::RawRow { x } else { &z };
        let p_step = sigmoid(
            bias + weights
                .iter()
                .zip(trained_on)
                .map(|(a, v)| a * v)
                .sum::<f64>(),
        );
        let error = p_step - if y { 1.0 } else { 0.0 };
        for (w, v) in weights.iter_mut().zip(trained_on) {
            *w -= lr * error * v;
        }
        bias -= lr * error;
        out.push(if order == Order::TrainFirst {
            proba(&weights, bias)
        } else {
            p
        });
        if order != Order::CurrentRow {
            seen.push(x.as_slice());
        }
    }
    out
}

/// A drifting stream of 3 features whose label follows a logistic rule.
fn stream(rng: &mut split::Rng, n: usize) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for t in 0..n {
        let drift = t as f64 / n as f64 * 10.0;
        let x = vec![
            rng.gen_range(-1.0..1.0) * 3.0 + drift,
            rng.gen_range(0.0..100.0),
            rng.gen_range(-1.0..1.0),
        ];
        let s = 0.8 * (x[0] - drift) - 0.03 * (x[1] - 50.0) + 2.0 * x[2];
        labels.push(rng.gen_range(0.0..1.0) < sigmoid(s));
        rows.push(x);
    }
    (rows, labels)
}

fn check_prequential() -> Graded {
    let mut rng = split::rng(12);
    for (case, &(n, lr)) in [(200, 0.1), (3, 0.5), (60, 0.05)].iter().enumerate() {
        let (rows, labels) = stream(&mut rng, n);
        let got = prequential(&rows, &labels, lr);
        let what = format!("case {case}: prequential({n} rows, lr = {lr})");
        equal(&format!("{what}: number of probabilities"), &got.len(), &n)?;
        let expected = my_prequential(&rows, &labels, lr, Order::Correct);
        // `<=` is false for NaN, so a NaN anywhere is a difference.
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9);
        if near(&got, &expected) {
            continue;
        }
        let first = (0..n)
            .find(|&i| {
                let gap = (got[i] - expected[i]).abs();
                gap.is_nan() || gap > 1e-9
            })
            .unwrap_or(0);
        for (order, why) in [
            (
                Order::TrainFirst,
                "the model was trained on the row before predicting it: the prediction has seen \
                 its label (test, then train)",
            ),
            (
                Order::WholeStream,
                "standardized with statistics of the whole stream, future rows included: use \
                 only the rows seen so far",
            ),
            (
                Order::CurrentRow,
                "the scaler was updated with the row before transforming it: standardize with \
                 the rows before it, then update",
            ),
            (
                Order::RawRow,
                "the SGD step used the raw row x instead of its standardized z: train on the \
                 same z the prediction used",
            ),
        ] {
            let wrong = my_prequential(&rows, &labels, lr, order);
            if near(&got, &wrong) && !near(&wrong, &expected) {
                return Err(fail(format!(
                    "{what}: probability of row {first}: expected {}, got {}: {why}",
                    fmt(expected[first]),
                    fmt(got[first])
                )));
            }
        }
        close(
            &format!("{what}: probability of row {first}"),
            got[first],
            expected[first],
            1e-9,
        )
        .hint(
            "for each row: z = transform(x); record predict_proba(z); sgd_step(z, y); update(x)",
        )?;
    }
    pass("prequential probabilities match test-then-train on 3 drifting streams (3 to 200 rows)")
}

const FEATURES: [&str; 5] = [
    "age",
    "education_num",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
];

fn check_adult_stream() -> Graded {
    let table = Table::dataset("adult.csv")
        .map_err(|e| fail(format!("the grader could not read adult: {e}")))?;
    let x = table.numeric(&FEATURES).map_err(|e| fail(format!("{e}")))?;
    let income = table
        .text_column("income")
        .map_err(|e| fail(format!("{e}")))?;
    let labels: Vec<bool> = income.iter().map(|v| *v == Some(">50K")).collect();
    // The grader runs the test-then-train loop itself with your Scaler and Logistic: each
    // row's prediction is made before its label is handed over.
    let mut scaler = Scaler::new(FEATURES.len());
    let mut model = Logistic::new(FEATURES.len());
    let (mut correct, mut majority_correct, mut positives) = (0usize, 0usize, 0usize);
    let mut curve = Vec::new();
    let mut majority_curve = Vec::new();
    for (t, (row, &y)) in x.rows().into_iter().zip(&labels).enumerate() {
        let row = row.to_vec();
        let z = scaler.transform(&row);
        ensure(
            z.len() == FEATURES.len() && z.iter().all(|v| v.is_finite()),
            || format!("Scaler::transform on row {t}: expected 5 finite values, got {z:?}"),
        )?;
        let p = model.predict_proba(&z);
        ensure(p.is_finite() && (0.0..=1.0).contains(&p), || {
            format!("predict_proba on row {t}: expected a probability in [0, 1], got {p}")
        })?;
        correct += usize::from((p >= 0.5) == y);
        majority_correct += usize::from((2 * positives > t) == y);
        model.sgd_step(&z, y, 0.01);
        scaler.update(&row);
        positives += usize::from(y);
        if (t + 1) % 1000 == 0 {
            let seen = (t + 1) as f64;
            curve.push([seen, correct as f64 / seen]);
            majority_curve.push([seen, majority_correct as f64 / seen]);
        }
    }
    let n = labels.len() as f64;
    show(Figure::Lines {
        title: "adult in file order: prequential accuracy so far".into(),
        x_label: "rows seen".into(),
        y_label: "accuracy".into(),
        series: vec![
            Series {
                name: "online_logistic".into(),
                points: curve,
            },
            Series {
                name: "majority_so_far".into(),
                points: majority_curve,
            },
        ],
        target: Some(0.79),
    });
    bar(
        "prequential accuracy on 32561 rows",
        correct as f64 / n,
        0.79,
        Goal::AtLeast,
    )
    .note(&format!(
        "; the majority class so far scores {}",
        fmt(majority_correct as f64 / n)
    ))
    .hint("check sgd_step and the scaler first: a flipped gradient sign unlearns")
}
