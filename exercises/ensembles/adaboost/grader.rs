// Grader of ensembles/adaboost.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array2, array};
use rand::Rng;

use super::exercise::{Model, Stump, adaboost, fit_stump};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("fit_stump_weighted", fit_stump_weighted),
    ("adaboost_rounds", adaboost_rounds),
    ("stopping", stopping),
    ("held_out", held_out),
];

/// The grader's stump output: +1 / -1 (the stump convention of the exercise, written again).
fn h(stump: &Stump, x: &Array2<f64>, i: usize) -> f64 {
    if x[[i, stump.feature]] > stump.threshold {
        stump.polarity
    } else {
        -stump.polarity
    }
}

fn weighted_error(stump: &Stump, x: &Array2<f64>, y: &[f64], w: &[f64]) -> f64 {
    (0..y.len())
        .filter(|&i| h(stump, x, i) != y[i])
        .map(|i| w[i])
        .sum()
}

/// The smallest weighted error of any stump (midpoint thresholds, both polarities), by a sweep
/// over each feature's sorted values (the same candidates as `best_error_of`, whose brute force
/// is too slow for the 30 rounds of the held-out check).
fn best_error(x: &Array2<f64>, y: &[f64], w: &[f64]) -> f64 {
    let positive: f64 = (0..y.len()).filter(|&i| y[i] > 0.0).map(|i| w[i]).sum();
    let negative: f64 = (0..y.len()).filter(|&i| y[i] <= 0.0).map(|i| w[i]).sum();
    let mut best = f64::INFINITY;
    for feature in 0..x.ncols() {
        let mut order: Vec<usize> = (0..y.len()).collect();
        order.sort_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]));
        // The weights of the positive and negative rows at or below the threshold.
        let (mut low_pos, mut low_neg) = (0.0, 0.0);
        for (k, &i) in order.iter().enumerate() {
            if y[i] > 0.0 {
                low_pos += w[i];
            } else {
                low_neg += w[i];
            }
            if let Some(&next) = order.get(k + 1)
                && x[[next, feature]] > x[[i, feature]]
            {
                // Polarity +1 (above means +1) errs on the positives below and the negatives
                // above; polarity -1 the other way round.
                best = best
                    .min(low_pos + (negative - low_neg))
                    .min(low_neg + (positive - low_pos));
            }
        }
    }
    best
}

/// The smallest weighted error of the stumps of the given polarities.
fn best_error_of(x: &Array2<f64>, y: &[f64], w: &[f64], polarities: &[f64]) -> f64 {
    let mut best = f64::INFINITY;
    for feature in 0..x.ncols() {
        let mut values: Vec<f64> = x.column(feature).to_vec();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for pair in values.windows(2) {
            for &polarity in polarities {
                let stump = Stump {
                    feature,
                    threshold: (pair[0] + pair[1]) / 2.0,
                    polarity,
                };
                best = best.min(weighted_error(&stump, x, y, w));
            }
        }
    }
    best
}

/// The grader's best stump under weights `w` (first found on ties), for baselines.
fn best_stump(x: &Array2<f64>, y: &[f64], w: &[f64]) -> Stump {
    let target = best_error(x, y, w);
    for feature in 0..x.ncols() {
        let mut values: Vec<f64> = x.column(feature).to_vec();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for pair in values.windows(2) {
            for polarity in [1.0, -1.0] {
                let stump = Stump {
                    feature,
                    threshold: (pair[0] + pair[1]) / 2.0,
                    polarity,
                };
                if weighted_error(&stump, x, y, w) <= target + 1e-9 {
                    return stump;
                }
            }
        }
    }
    unreachable!("the best error belongs to a stump")
}

fn valid_stump(what: &str, stump: &Stump, p: usize) -> Result<(), Failed> {
    ensure(stump.feature < p, || {
        format!("{what}: feature {} out of range 0..{p}", stump.feature)
    })?;
    ensure(stump.polarity == 1.0 || stump.polarity == -1.0, || {
        format!("{what}: polarity {}, expected +1 or -1", stump.polarity)
    })?;
    ensure(stump.threshold.is_finite(), || {
        format!("{what}: threshold {} is not finite", stump.threshold)
    })
}

/// A seeded case: n rows, p features (integers 0..10, so values repeat), labels from a noisy
/// rule on two features.
fn random_case(seed: u64, n: usize, p: usize) -> (Array2<f64>, Vec<f64>) {
    let mut rng = split::rng(seed);
    let x = Array2::from_shape_fn((n, p), |_| rng.gen_range(0..10) as f64);
    let y = (0..n)
        .map(|i| {
            let score = x[[i, 0]] - x[[i, 1 % p]] + rng.gen_range(-4.0..4.0);
            if score > 0.0 { 1.0 } else { -1.0 }
        })
        .collect();
    (x, y)
}

fn random_weights(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = split::rng(seed);
    let raw: Vec<f64> = (0..n).map(|_| rng.gen_range(0.0..1.0f64).powi(3)).collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|r| r / total).collect()
}

fn fit_stump_weighted() -> Graded {
    // Public case: one feature 1..6, labels + + - + - -. Unweighted, the threshold 2.5 with
    // polarity -1 errs on row 3 only (1/6). Row 3 weighs 0.5, the others 0.1: now the best
    // stump is threshold 4.5, polarity -1, wrong on row 2 only (0.1).
    let x = array![[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]];
    let y = [1.0, 1.0, -1.0, 1.0, -1.0, -1.0];
    let w = [0.1, 0.1, 0.1, 0.5, 0.1, 0.1];
    let mut cases = vec![(
        "the public case (one feature, row 3 weighs 0.5)".to_string(),
        x,
        y.to_vec(),
        w.to_vec(),
    )];
    for seed in 1..=6u64 {
        let (n, p) = (12 + 4 * seed as usize, 1 + seed as usize % 3);
        let (x, y) = random_case(seed, n, p);
        let w = random_weights(50 + seed, n);
        cases.push((
            format!("random case {seed} ({n} rows, {p} features, uneven weights)"),
            x,
            y,
            w,
        ));
    }
    for (what, x, y, w) in &cases {
        let stump = fit_stump(x, y, w);
        valid_stump(what, &stump, x.ncols())?;
        let got = weighted_error(&stump, x, y, w);
        let best = best_error(x, y, w);
        if got <= best + 1e-9 {
            continue;
        }
        let uniform = vec![1.0 / y.len() as f64; y.len()];
        if weighted_error(&stump, x, y, &uniform) <= best_error(x, y, &uniform) + 1e-9 {
            return Err(fail(format!(
                "{what}: your stump {stump:?} has weighted error {} but the best has {}: it \
                 minimizes the unweighted error (a count of mistakes), so it ignores the weights",
                fmt(got),
                fmt(best)
            )))
            .hint("the error of a stump is the sum of the weights of the rows it gets wrong");
        }
        let flipped = Stump {
            polarity: -stump.polarity,
            ..stump.clone()
        };
        let why = if weighted_error(&flipped, x, y, w) <= best + 1e-9 {
            format!("with the opposite polarity it would have {}", fmt(best))
        } else if got <= best_error_of(x, y, w, &[stump.polarity]) + 1e-9 {
            format!(
                "it is the best stump of polarity {} but the best of all has polarity {}",
                stump.polarity, -stump.polarity
            )
        } else {
            String::new()
        };
        if !why.is_empty() {
            return Err(fail(format!(
                "{what}: your stump {stump:?} has weighted error {}; {why}: try both polarities",
                fmt(got)
            )));
        }
        return Err(fail(format!(
            "{what}: your stump {stump:?} has weighted error {}, the best stump has {}",
            fmt(got),
            fmt(best)
        )))
        .hint("try every feature, every midpoint between consecutive distinct values, both polarities");
    }
    pass("7 cases: each stump's weighted error is the smallest possible")
}

/// Replay the learner's rounds with the grader's weights: each stump must be the best on the
/// weights that the earlier rounds (the learner's own stumps) give, each alpha must follow from
/// its stump's weighted error, and the boosting must stop where the rules say.
fn replay(
    what: &str,
    x: &Array2<f64>,
    y: &[f64],
    rounds: usize,
    model: &Model,
) -> Result<(), Failed> {
    let n = y.len();
    equal(
        &format!("{what}: one alpha per stump"),
        &model.alphas.len(),
        &model.stumps.len(),
    )?;
    ensure(model.stumps.len() <= rounds, || {
        format!("{what}: {} stumps for {rounds} rounds", model.stumps.len())
    })?;
    let mut w = vec![1.0 / n as f64; n];
    // The weights before the last update, and that update, to rebuild the classic wrong ones.
    let mut previous: Option<(Vec<f64>, Stump, f64)> = None;
    for (t, (stump, &alpha)) in model.stumps.iter().zip(&model.alphas).enumerate() {
        let here = format!("{what}, round {t}");
        valid_stump(&here, stump, x.ncols())?;
        let err = weighted_error(stump, x, y, &w);
        let best = best_error(x, y, &w);
        if err > best + 1e-9 {
            let mut message = format!(
                "{here}: the stump has weighted error {} on the weights of the earlier rounds, \
                 the best stump {}",
                fmt(err),
                fmt(best)
            );
            if let Some(problem) = fit_stump_problem(x, y, &w) {
                message.push_str(&problem);
            } else if let Some((w0, s0, a0)) = &previous {
                let mut up: Vec<f64> = (0..n)
                    .map(|i| w0[i] * (a0 * y[i] * h(s0, x, i)).exp())
                    .collect();
                let total: f64 = up.iter().sum();
                up.iter_mut().for_each(|v| *v /= total);
                if weighted_error(stump, x, y, &up) <= best_error(x, y, &up) + 1e-9 {
                    message.push_str(
                        ": it is the best stump on weights updated with the sign flipped, \
                         w·exp(+alpha·y·h), which upweights the rows the last stump got right",
                    );
                }
            }
            return Err(fail(message)).hint(
                "misclassified rows gain weight: w_i · exp(-alpha · y_i · h(x_i)) grows when \
                 y_i · h(x_i) = -1",
            );
        }
        // A rounding error's width either side of ½ is left to the learner's arithmetic.
        ensure(err < 0.5 + 1e-9, || {
            format!(
                "{here}: a stump of weighted error {} was added: stop when err ≥ ½",
                fmt(err)
            )
        })?;
        if err <= 1e-12 {
            close(
                &format!("{here}: alpha of a perfect stump (err = 0)"),
                alpha,
                1.0,
                1e-9,
            )?;
            ensure(t + 1 == model.stumps.len(), || {
                format!(
                    "{here}: the stump is perfect (err = 0), but boosting went on: stop after it"
                )
            })?;
            return Ok(());
        }
        let expected = 0.5 * ((1.0 - err) / err).ln();
        let mut wrong = vec![(
            ((1.0 - err) / err).ln(),
            "alpha = ln((1 - err) / err) without the ½",
        )];
        // Without renormalization the learner's weights sum to S, and its "err" is err · S.
        if let Some((w0, s0, a0)) = &previous {
            let s: f64 = (0..n)
                .map(|i| w0[i] * (-a0 * y[i] * h(s0, x, i)).exp())
                .sum();
            let e = err * s;
            if e > 0.0 && e < 1.0 {
                wrong.push((
                    0.5 * ((1.0 - e) / e).ln(),
                    "the weights were not renormalized to sum 1, so err (and alpha) is off",
                ));
            }
        }
        close_naming(
            &format!("{here}: alpha for weighted error {}", fmt(err)),
            alpha,
            expected,
            1e-8,
            &wrong,
        )
        .hint("alpha = ½ ln((1 - err) / err), err = the sum of the (normalized) weights of the rows the stump gets wrong")?;
        let before = w.clone();
        for i in 0..n {
            w[i] *= (-expected * y[i] * h(stump, x, i)).exp();
        }
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|v| *v /= total);
        previous = Some((before, stump.clone(), expected));
    }
    if model.stumps.len() < rounds {
        let best = best_error(x, y, &w);
        if best < 0.5 - 1e-9 {
            return Err(fail(format!(
                "{what}: boosting stopped after {} of {rounds} rounds, but the next stump's \
                 error would be {} < ½: stop only when err ≥ ½ or err = 0{}",
                model.stumps.len(),
                fmt(best),
                fit_stump_problem(x, y, &w).unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// What is wrong with the learner's `fit_stump` on the weights `w`, if anything (a text to add
/// to a message).
fn fit_stump_problem(x: &Array2<f64>, y: &[f64], w: &[f64]) -> Option<String> {
    let stump = fit_stump(x, y, w);
    if stump.feature >= x.ncols() || stump.polarity.abs() != 1.0 {
        return Some(format!(
            "; your fit_stump returned an invalid stump {stump:?}"
        ));
    }
    let (err, best) = (weighted_error(&stump, x, y, w), best_error(x, y, w));
    if err <= best + 1e-9 {
        return None;
    }
    let uniform = vec![1.0 / y.len() as f64; y.len()];
    let why = if weighted_error(&stump, x, y, &uniform) <= best_error(x, y, &uniform) + 1e-9 {
        ": it minimizes the unweighted error, so it ignores the weights"
    } else {
        ""
    };
    Some(format!(
        "; your fit_stump, on these weights, returns a stump of weighted error {} (the best: {}){why}",
        fmt(err),
        fmt(best)
    ))
}

fn adaboost_rounds() -> Graded {
    for seed in 1..=4u64 {
        let (n, p) = (30 + 10 * seed as usize, 2 + seed as usize % 2);
        let (x, y) = random_case(100 + seed, n, p);
        let rounds = 8;
        let model = adaboost(&x, &y, rounds);
        let what = format!("random case {seed} ({n} rows, {p} features, {rounds} rounds)");
        replay(&what, &x, &y, rounds, &model)?;
        equal(
            &format!("{what}: number of rounds"),
            &model.stumps.len(),
            &rounds,
        )?;
    }
    pass(
        "4 cases of 8 rounds replayed: every stump is the best on the weights of the earlier rounds, every alpha = ½ ln((1 - err) / err)",
    )
}

fn stopping() -> Graded {
    // XOR: every stump gets two of the four rows wrong (err = ½): no round at all.
    let x = array![[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]];
    let y = [1.0, 1.0, -1.0, -1.0];
    let model = adaboost(&x, &y, 5);
    replay("XOR (4 rows, 5 rounds)", &x, &y, 5, &model)?;
    equal(
        "XOR: number of stumps (every stump has err = ½, so stop when err ≥ ½ before adding one)",
        &model.stumps.len(),
        &0,
    )?;
    let predicted = model.predict(&x);
    equal(
        "XOR: predictions of the empty model (sign(0) = +1)",
        &predicted,
        &vec![1.0; 4],
    )?;
    // Separable by one stump: one round, alpha 1, then stop.
    let x = array![[1.0], [2.0], [3.0], [4.0], [5.0]];
    let y = [-1.0, -1.0, 1.0, 1.0, 1.0];
    let model = adaboost(&x, &y, 5);
    replay("a set one stump separates (5 rounds)", &x, &y, 5, &model)?;
    equal(
        "a set one stump separates: number of stumps",
        &model.stumps.len(),
        &1,
    )?;
    pass("no stump when err = ½ from the start; one stump of alpha 1 when it is perfect")
}

/// The stratified 70/30 splits of the held-out check (the first three seeds, not chosen).
const SPLIT_SEEDS: [u64; 3] = [1, 2, 3];

fn held_out() -> Graded {
    let table = Table::dataset("breast_cancer.csv").unwrap_or_else(|e| panic!("{e}"));
    // The ten "worst_" measurements: a brute-force stump search over 30 columns would be slow.
    let columns: Vec<&str> = table
        .columns_except(&["diagnosis"])
        .into_iter()
        .filter(|c| c.starts_with("worst_"))
        .collect();
    let x = table.numeric(&columns).unwrap_or_else(|e| panic!("{e}"));
    let (labels, names) = table.labels("diagnosis").unwrap_or_else(|e| panic!("{e}"));
    let malignant = names.iter().position(|c| c == "malignant").unwrap_or(0);
    let y: Vec<f64> = labels
        .iter()
        .map(|&c| if c == malignant { 1.0 } else { -1.0 })
        .collect();
    let splits = SPLIT_SEEDS.len() as f64;
    // Mean over the splits of the accuracy after each round (a model that stopped early keeps
    // its last vote), of the final models, and of the best single stump.
    let mut curve = vec![0.0; ROUNDS];
    let (mut mean, mut single_mean) = (0.0, 0.0);
    let mut mismatch = None;
    for (s, &seed) in SPLIT_SEEDS.iter().enumerate() {
        let (train, test) = split::stratified_train_test(&labels, 0.3, seed);
        let (x_train, y_train) = (split::rows(&x, &train), split::pick(&y, &train));
        let (x_test, y_test) = (split::rows(&x, &test), split::pick(&y, &test));
        let what = format!("split {} of {}", s + 1, SPLIT_SEEDS.len());
        let model = adaboost(&x_train, &y_train, ROUNDS);
        // The model is scored by the grader's own vote of its stumps, so it must be AdaBoost on
        // exactly these training rows: the rounds are replayed as in adaboost_rounds.
        replay(&what, &x_train, &y_train, ROUNDS, &model).map_err(|f| Failed {
            message: format!(
                "{}; the rounds are replayed on this split's training rows, and a model \
                 fitted on rows other than the training rows given fails here",
                f.message
            ),
            ..f
        })?;
        let got = model.predict(&x_test);
        equal(
            &format!("{what}: number of predictions"),
            &got.len(),
            &x_test.nrows(),
        )?;
        let accuracy = |p: &[f64]| {
            p.iter().zip(&y_test).filter(|(a, b)| a == b).count() as f64 / y_test.len() as f64
        };
        // The grader's own vote of the learner's stumps, round by round.
        let mut scores = vec![0.0; x_test.nrows()];
        let sign = |s: &f64| if *s >= 0.0 { 1.0 } else { -1.0 };
        let mut last = accuracy(&vec![1.0; y_test.len()]);
        for (t, point) in curve.iter_mut().enumerate() {
            if let (Some(stump), Some(alpha)) = (model.stumps.get(t), model.alphas.get(t)) {
                for (i, score) in scores.iter_mut().enumerate() {
                    *score += alpha * h(stump, &x_test, i);
                }
                last = accuracy(&scores.iter().map(sign).collect::<Vec<f64>>());
            }
            *point += last / splits;
        }
        // A vote within rounding of 0 may go either way.
        if mismatch.is_none()
            && let Some(i) =
                (0..got.len()).find(|&i| scores[i].abs() > 1e-9 && got[i] != sign(&scores[i]))
        {
            let plain: Vec<f64> = (0..x_test.nrows())
                .map(|i| sign(&model.stumps.iter().map(|s| h(s, &x_test, i)).sum::<f64>()))
                .collect();
            let why = if got == plain {
                ": your predictions are the plain majority vote of the stumps, without the \
                 alphas (each stump must count alpha_t times)"
            } else {
                ""
            };
            mismatch = Some(format!(
                "Model::predict, {what}, held-out row {i}: sign(Σ alpha · h) of your stumps is \
                 {}, got {}{why}",
                sign(&scores[i]),
                got[i]
            ));
        }
        // The score is the grader's vote of the replayed stumps, not the learner's predict.
        mean += last / splits;
        let uniform = vec![1.0 / y_train.len() as f64; y_train.len()];
        let stump = best_stump(&x_train, &y_train, &uniform);
        let single: Vec<f64> = (0..x_test.nrows()).map(|i| h(&stump, &x_test, i)).collect();
        single_mean += accuracy(&single) / splits;
    }
    show(Figure::Lines {
        title: format!(
            "Held-out accuracy after each round (mean of {} splits)",
            SPLIT_SEEDS.len()
        ),
        x_label: "rounds".into(),
        y_label: "accuracy".into(),
        series: vec![Series {
            name: "AdaBoost".into(),
            points: (0..ROUNDS).map(|t| [t as f64 + 1.0, curve[t]]).collect(),
        }],
        target: Some(single_mean),
    });
    if let Some(message) = mismatch {
        return Err(fail(message))
            .hint("sum alpha_t · h_t(row) over the rounds and take the sign, with sign(0) = +1");
    }
    bar(
        &format!(
            "mean held-out accuracy after {ROUNDS} rounds over {} stratified 70/30 splits",
            SPLIT_SEEDS.len()
        ),
        mean,
        0.935,
        Goal::AtLeast,
    )
    .note(&format!(
        "; the best single stump (the target line): {}",
        fmt(single_mean)
    ))
}

const ROUNDS: usize = 30;
