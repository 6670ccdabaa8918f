// Grader of recommenders/matrix_factorization.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2};
use rand::Rng as _;

use super::exercise::{Config, Model, fit, predict, sgd_step};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("predict_formula", predict_formula),
    ("sgd_step_exact", sgd_step_exact),
    ("training_loss_decreases", training_loss_decreases),
    ("held_out_rmse", held_out_rmse),
];

/// (user, item, stars).
type Rating = (usize, usize, f64);

const BAR: f64 = 0.785;

fn config(epochs: usize) -> Config {
    Config {
        factors: 30,
        epochs,
        lr: 0.01,
        reg: 0.1,
        seed: 7,
    }
}

fn dot(model: &Model, u: usize, i: usize) -> f64 {
    let mut s = 0.0;
    for f in 0..model.p.ncols() {
        s += model.p[[u, f]] * model.q[[i, f]];
    }
    s
}

fn grader_predict(model: &Model, u: usize, i: usize) -> f64 {
    model.mu + model.bu[u] + model.bi[i] + dot(model, u, i)
}

/// A seeded model: 4 users, 3 items, 3 factors, every parameter nonzero.
fn random_model(seed: u64) -> Model {
    let mut rng = learnml_kit::split::rng(seed);
    let mut draw = |n: usize| -> Vec<f64> { (0..n).map(|_| rng.gen_range(-0.6..0.6)).collect() };
    Model {
        mu: 3.4,
        bu: Array1::from(draw(4)),
        bi: Array1::from(draw(3)),
        p: Array2::from_shape_vec((4, 3), draw(12)).expect("4 x 3"),
        q: Array2::from_shape_vec((3, 3), draw(9)).expect("3 x 3"),
    }
}

fn predict_formula() -> Graded {
    for seed in [1u64, 2, 3] {
        let model = random_model(seed);
        for u in 0..4 {
            for i in 0..3 {
                let expected = grader_predict(&model, u, i);
                let no_bias = model.mu + dot(&model, u, i);
                close_naming(
                    &format!("seeded model {seed}: prediction for user {u}, item {i}"),
                    predict(&model, u, i),
                    expected,
                    1e-12,
                    &[
                        (
                            dot(&model, u, i),
                            "p_u · q_i alone: μ and the biases were left out",
                        ),
                        (
                            no_bias,
                            "μ + p_u · q_i: the biases b_u and b_i were left out",
                        ),
                    ],
                )
                .hint("r̂ = μ + b_u + b_i + p_u · q_i, not clipped")?;
            }
        }
    }
    // A large dot product: the raw prediction exceeds 5 and must not be clipped here.
    let mut model = random_model(4);
    model.p.fill(1.0);
    model.q.fill(1.0);
    let expected = grader_predict(&model, 0, 0);
    close_naming(
        "prediction above 5 (p_u · q_i = 3)",
        predict(&model, 0, 0),
        expected,
        1e-12,
        &[(5.0, "the prediction was clipped; SGD needs the raw value")],
    )?;
    pass("r̂ = μ + b_u + b_i + p_u · q_i on 3 seeded models (± 1e-12)")
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Convention,
    NoReg,
    SignFlipped,
    QWithNewP,
    NoBiases,
    /// Funk's SVD without biases: e = r − p_u · q_i, biases never updated.
    NoBiasesAtAll,
    /// The factors regularized, the biases not: b_u += lr e.
    BiasesUnregularized,
    /// predict called again before each update: b_i sees the error after b_u's update, the
    /// factors the error after both biases' updates.
    ErrorRecomputed,
}

/// The grader's step, or one of the classic wrong ones.
fn grader_step(model: &Model, u: usize, i: usize, r: f64, lr: f64, reg: f64, step: Step) -> Model {
    let mut m = model.clone();
    let reg = if step == Step::NoReg { 0.0 } else { reg };
    let mut e = r - grader_predict(model, u, i);
    if step == Step::NoBiasesAtAll {
        e = r - dot(model, u, i);
    }
    if step == Step::SignFlipped {
        e = -e;
    }
    let bias_reg = if step == Step::BiasesUnregularized {
        0.0
    } else {
        reg
    };
    if step != Step::NoBiases && step != Step::NoBiasesAtAll {
        m.bu[u] = model.bu[u] + lr * (e - bias_reg * model.bu[u]);
        if step == Step::ErrorRecomputed {
            e = r - grader_predict(&m, u, i);
        }
        m.bi[i] = model.bi[i] + lr * (e - bias_reg * model.bi[i]);
        if step == Step::ErrorRecomputed {
            e = r - grader_predict(&m, u, i);
        }
    }
    for f in 0..model.p.ncols() {
        let (p_old, q_old) = (model.p[[u, f]], model.q[[i, f]]);
        m.p[[u, f]] = p_old + lr * (e * q_old - reg * p_old);
        let p_used = if step == Step::QWithNewP {
            m.p[[u, f]]
        } else {
            p_old
        };
        m.q[[i, f]] = q_old + lr * (e * p_used - reg * q_old);
    }
    m
}

fn flat(m: &Model) -> Vec<f64> {
    let mut v = vec![m.mu];
    v.extend(m.bu.iter());
    v.extend(m.bi.iter());
    v.extend(m.p.iter());
    v.extend(m.q.iter());
    v
}

fn same_shape(what: &str, got: &Model, expected: &Model) -> Result<(), Failed> {
    equal(
        &format!("{what}: length of bu"),
        &got.bu.len(),
        &expected.bu.len(),
    )?;
    equal(
        &format!("{what}: length of bi"),
        &got.bi.len(),
        &expected.bi.len(),
    )?;
    equal(
        &format!("{what}: shape of p"),
        &got.p.dim(),
        &expected.p.dim(),
    )?;
    equal(
        &format!("{what}: shape of q"),
        &got.q.dim(),
        &expected.q.dim(),
    )
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-10)
}

fn sgd_step_exact() -> Graded {
    let mut rng = learnml_kit::split::rng(20);
    for seed in [11u64, 12, 13] {
        let start = random_model(seed);
        for _ in 0..4 {
            let (u, i) = (rng.gen_range(0..4), rng.gen_range(0..3));
            let r = rng.gen_range(1..=5) as f64;
            let (lr, reg) = (0.05, 0.2);
            let mut got = start.clone();
            sgd_step(&mut got, u, i, r, lr, reg);
            let what = format!(
                "seeded model {seed}, one step on user {u}, item {i}, rating {} (lr 0.05, reg 0.2)",
                fmt(r)
            );
            same_shape(&what, &got, &start)?;
            let g = flat(&got);
            let expected = grader_step(&start, u, i, r, lr, reg, Step::Convention);
            if near(&g, &flat(&expected)) {
                continue;
            }
            for (step, why) in [
                (
                    Step::NoReg,
                    "the update has no regularization (the − reg·b_u, − reg·p_u, − reg·q_i terms)",
                ),
                (
                    Step::SignFlipped,
                    "the error's sign is flipped (e = r̂ − r): the step climbs the error",
                ),
                (
                    Step::QWithNewP,
                    "q_i was updated with the NEW p_u; both must use their values before the step",
                ),
                (
                    Step::NoBiases,
                    "the biases b_u and b_i were left out of the update",
                ),
                (
                    Step::NoBiasesAtAll,
                    "μ and the biases were left out of the error and the update (e = r − p_u · q_i)",
                ),
                (
                    Step::BiasesUnregularized,
                    "the biases were not regularized (b_u += lr e): they need − reg·b_u too",
                ),
                (
                    Step::ErrorRecomputed,
                    "the error was recomputed after updating b_u (and b_i): e = r − r̂ is \
                     computed once, before any parameter changes",
                ),
            ] {
                if near(&g, &flat(&grader_step(&start, u, i, r, lr, reg, step))) {
                    return Err(fail(format!("{what}: {why}"))).hint(
                        "e = r − r̂; b_u += lr (e − reg b_u); b_i likewise; p_u and q_i from their \
                         old values",
                    );
                }
            }
            close(
                &format!("{what}: μ (it stays fixed, the mean training rating)"),
                got.mu,
                start.mu,
                1e-10,
            )?;
            all_close(
                &format!("{what}: bu"),
                &got.bu.to_vec(),
                &expected.bu.to_vec(),
                1e-10,
            )?;
            all_close(
                &format!("{what}: bi"),
                &got.bi.to_vec(),
                &expected.bi.to_vec(),
                1e-10,
            )?;
            matrix_close(&format!("{what}: p"), &got.p, &expected.p, 1e-10)?;
            matrix_close(&format!("{what}: q"), &got.q, &expected.q, 1e-10)?;
        }
    }
    pass("12 single SGD steps match Surprise's update exactly (± 1e-10)")
}

/// Per user, the last 20 % of their ratings by timestamp (n / 5 of n) are held out.
fn split() -> Result<(Vec<Rating>, Vec<Rating>), Failed> {
    let table = Table::dataset("ratings_synthetic.csv").map_err(|e| fail(e.to_string()))?;
    let x = table
        .numeric(&["user_id", "item_id", "rating", "timestamp"])
        .map_err(|e| fail(e.to_string()))?;
    let mut by_user: std::collections::BTreeMap<usize, Vec<(f64, usize, f64)>> = Default::default();
    for r in x.rows() {
        by_user
            .entry(r[0] as usize)
            .or_default()
            .push((r[3], r[1] as usize, r[2]));
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (u, mut list) in by_user {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let keep = list.len() - list.len() / 5;
        for (k, &(_, i, r)) in list.iter().enumerate() {
            if k < keep {
                train.push((u, i, r));
            } else {
                test.push((u, i, r));
            }
        }
    }
    Ok((train, test))
}

/// The learner's fit, validated: shapes and finite parameters.
fn checked_fit(train: &[Rating], cfg: &Config) -> Result<Model, Failed> {
    let got = fit(train, 500, 300, cfg);
    let what = format!("model after {} epochs", cfg.epochs);
    equal(&format!("{what}: length of bu"), &got.bu.len(), &500)?;
    equal(&format!("{what}: length of bi"), &got.bi.len(), &300)?;
    equal(&format!("{what}: shape of p"), &got.p.dim(), &(500, 30))?;
    equal(&format!("{what}: shape of q"), &got.q.dim(), &(300, 30))?;
    ensure(flat(&got).iter().all(|x| x.is_finite()), || {
        format!(
            "{what}: some parameters are not finite: the training diverged (check the error's \
             sign, e = r − r̂, and the learning rate)"
        )
    })?;
    Ok(got)
}

/// RMSE of the model on `ratings`, clipped to [1, 5] when `clip`.
fn rmse(model: &Model, ratings: &[Rating], clip: bool) -> f64 {
    let mut sse = 0.0;
    for &(u, i, r) in ratings {
        let mut p = grader_predict(model, u, i);
        if clip {
            p = p.clamp(1.0, 5.0);
        }
        sse += (p - r) * (p - r);
    }
    (sse / ratings.len() as f64).sqrt()
}

fn training_loss_decreases() -> Graded {
    let (train, _) = split()?;
    let mut curve = Vec::new();
    for epochs in [1usize, 2, 4, 8, 16] {
        let model = checked_fit(&train, &config(epochs))?;
        curve.push([epochs as f64, rmse(&model, &train, false)]);
    }
    show(Figure::Lines {
        title: "training RMSE of your fit (computed by the grader from your parameters)".into(),
        x_label: "epochs".into(),
        y_label: "training RMSE".into(),
        series: vec![Series {
            name: "training".into(),
            points: curve.clone(),
        }],
        target: None,
    });
    for w in curve.windows(2) {
        ensure(w[1][1] < w[0][1] - 1e-4, || {
            format!(
                "the training RMSE went from {} after {} epochs to {} after {}: it should \
                 decrease (check the error's sign, e = r − r̂, and that every rating is visited)",
                fmt(w[0][1]),
                w[0][0],
                fmt(w[1][1]),
                w[1][0]
            )
        })?;
    }
    pass(format!(
        "the training RMSE decreases: {} after 1 epoch, {} after 16",
        fmt(curve[0][1]),
        fmt(curve[4][1])
    ))
}

/// The bias baseline of recommenders/bias_baseline (λ₂ = λ₃ = 2) on the same split.
fn bias_baseline(train: &[Rating], test: &[Rating]) -> f64 {
    let mu = train.iter().map(|r| r.2).sum::<f64>() / train.len() as f64;
    let (mut si, mut ci) = (vec![0.0; 300], vec![0.0; 300]);
    for &(_, i, r) in train {
        si[i] += r - mu;
        ci[i] += 1.0;
    }
    let bi: Vec<f64> = (0..300).map(|i| si[i] / (2.0 + ci[i])).collect();
    let (mut su, mut cu) = (vec![0.0; 500], vec![0.0; 500]);
    for &(u, i, r) in train {
        su[u] += r - mu - bi[i];
        cu[u] += 1.0;
    }
    let mut sse = 0.0;
    for &(u, i, r) in test {
        let p = (mu + su[u] / (2.0 + cu[u]) + bi[i]).clamp(1.0, 5.0);
        sse += (p - r) * (p - r);
    }
    (sse / test.len() as f64).sqrt()
}

fn held_out_rmse() -> Graded {
    let (train, test) = split()?;
    let model = checked_fit(&train, &config(40))?;
    // The learner's parameters, predicted and clipped by the grader.
    let held_out = rmse(&model, &test, true);
    let training = rmse(&model, &train, true);
    let baseline = bias_baseline(&train, &test);
    let note = format!(
        "; training RMSE {}, bias baseline {}",
        fmt(training),
        fmt(baseline)
    );
    if held_out > BAR && training < held_out - 0.3 {
        return Err(fail(format!(
            "held-out RMSE {} (bar ≤ {}) while the training RMSE is {}: the model overfits the \
             training ratings; is the regularization (reg = 0.1) applied to every parameter?",
            fmt(held_out),
            fmt(BAR),
            fmt(training)
        )))
        .hint("each update subtracts reg times the parameter: b_u += lr (e − reg b_u), ...");
    }
    bar(
        "held-out RMSE (last 20 % of each user)",
        held_out,
        BAR,
        Goal::AtMost,
    )
    .note(&note)
}
