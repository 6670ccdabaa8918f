// Grader of deep/char_transformer.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{Model, lr_at, next_char_probs, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("lr_schedule", lr_schedule),
    ("probabilities", probabilities),
    ("no_future_leak", no_future_leak),
    ("held_out_perplexity", held_out_perplexity),
];

/// The grader's own vocabulary (the statement's): letters, space, six marks, `#` for the rest.
const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz .,;!?'-#";
const V: usize = 35;
const CTX: usize = 32;
/// Training steps the grader asks for (the learner's `train` must take exactly these).
const STEPS: usize = 1600;
/// Held-out perplexity the trained model must reach (see the statement).
const BAR: f64 = 9.0;

fn id(c: char) -> usize {
    ALPHABET.find(c).unwrap_or(V - 1)
}

/// The book as one normalized string (lowercase, whitespace as a space, characters outside
/// the vocabulary as `#`), paragraphs joined by a space; split into the first 90 % (training,
/// handed to the learner) and the last 10 % (held out, kept here).
fn book() -> Result<(String, Vec<usize>), Failed> {
    let table = Table::dataset("moby_dick.csv")
        .map_err(|e| fail(format!("the grader could not load moby_dick.csv: {e}")))?;
    let paragraphs = table
        .text_column("text")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?;
    let mut text = String::new();
    for p in paragraphs.into_iter().flatten() {
        if !text.is_empty() {
            text.push(' ');
        }
        for c in p.chars() {
            let c = if c.is_whitespace() {
                ' '
            } else {
                c.to_ascii_lowercase()
            };
            text.push(if ALPHABET.contains(c) { c } else { '#' });
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let cut = chars.len() * 9 / 10;
    let train_text: String = chars[..cut].iter().collect();
    let held_out: Vec<usize> = chars[cut..].iter().map(|&c| id(c)).collect();
    Ok((train_text, held_out))
}

/// The grader's schedule, with switches for the classic wrong ones.
#[derive(Clone, Copy, PartialEq)]
enum Sched {
    Right,
    NoWarmup,
    WarmupFromZero,
    WrongDirection,
    OffByOneEnd,
}

fn schedule(kind: Sched, step: usize, total: usize, warmup: usize, peak: f64, floor: f64) -> f64 {
    let pi = std::f64::consts::PI;
    if kind == Sched::NoWarmup {
        let progress = step as f64 / (total - 1) as f64;
        return floor + (peak - floor) * (1.0 + (pi * progress).cos()) / 2.0;
    }
    if step < warmup {
        let done = if kind == Sched::WarmupFromZero {
            step
        } else {
            step + 1
        };
        return peak * done as f64 / warmup as f64;
    }
    let span = if kind == Sched::OffByOneEnd {
        total - warmup
    } else {
        total - 1 - warmup
    };
    let progress = (step - warmup) as f64 / span as f64;
    let cosine = (pi * progress).cos();
    let shape = if kind == Sched::WrongDirection {
        1.0 - cosine
    } else {
        1.0 + cosine
    };
    floor + (peak - floor) * shape / 2.0
}

fn lr_schedule() -> Graded {
    let cases = [
        (20, 5, 1e-2, 1e-3),
        (100, 10, 3e-3, 3e-4),
        (9, 1, 0.5, 0.05),
        (300, 30, 1e-2, 0.0),
    ];
    let named = [
        (
            Sched::NoWarmup,
            "there is no warm-up: the rate must rise linearly from peak/warmup at step 0 to peak at step warmup - 1 (a rate at its peak on the first steps of Adam, whose moment estimates are still noisy, can throw the weights far away)",
        ),
        (
            Sched::WarmupFromZero,
            "the warm-up starts at 0: step s < warmup gets peak · (s + 1) / warmup, so step 0 already moves the weights and step warmup - 1 reaches the peak",
        ),
        (
            Sched::WrongDirection,
            "the cosine decays in the wrong direction: the rate must fall from peak at step warmup to floor at the last step, floor + (peak - floor)(1 + cos(π p)) / 2",
        ),
        (
            Sched::OffByOneEnd,
            "off by one at the end: the last step (total - 1) must get exactly the floor, so the decay progress is (s - warmup) / (total - 1 - warmup)",
        ),
    ];
    for (total, warmup, peak, floor) in cases {
        let what = format!(
            "lr_at with total = {total}, warmup = {warmup}, peak = {peak}, floor = {floor}"
        );
        let got: Vec<f64> = (0..total)
            .map(|s| lr_at(s, total, warmup, peak, floor))
            .collect();
        let expected: Vec<f64> = (0..total)
            .map(|s| schedule(Sched::Right, s, total, warmup, peak, floor))
            .collect();
        let tol = 1e-12;
        let wrong_at = (0..total)
            .find(|&s| (got[s] - expected[s]).abs().is_nan() || (got[s] - expected[s]).abs() > tol);
        if let Some(s) = wrong_at {
            for (kind, why) in named {
                let variant: Vec<f64> = (0..total)
                    .map(|s| schedule(kind, s, total, warmup, peak, floor))
                    .collect();
                if (0..total).all(|s| (got[s] - variant[s]).abs() <= tol) {
                    return Err(fail(format!(
                        "{what}: at step {s} expected {}, got {}: {why}",
                        fmt(expected[s]),
                        fmt(got[s])
                    )));
                }
            }
            let point = match s {
                0 => "step 0".to_string(),
                s if s + 1 == warmup => "the last warm-up step".to_string(),
                s if s == warmup => "the first step after the warm-up (the peak)".to_string(),
                s if s + 1 == total => "the last step".to_string(),
                s => format!("step {s}"),
            };
            return Err(fail(format!(
                "{what}: at {point} expected {}, got {}",
                fmt(expected[s]),
                fmt(got[s])
            )))
            .hint("s < warmup: peak · (s + 1) / warmup; then p = (s - warmup) / (total - 1 - warmup) and floor + (peak - floor)(1 + cos(π p)) / 2");
        }
    }
    pass(
        "lr_at: linear warm-up peak · (s + 1) / warmup, then cosine decay from peak to floor at the last step, on 4 schedules (every step within 1e-12)",
    )
}

/// The learner's predictions for one context, validated: (len x V), finite, non-negative,
/// rows summing to 1.
fn probs_of(model: &Model, context: &[usize], what: &str) -> Result<Array2<f64>, Failed> {
    let p = next_char_probs(model, context);
    equal(
        &format!("{what}: shape of next_char_probs (context length, V)"),
        &p.dim(),
        &(context.len(), V),
    )
    .hint("one row per position of the context, one column per character of the vocabulary")?;
    ensure(p.iter().all(|v| v.is_finite() && *v >= 0.0), || {
        format!("{what}: next_char_probs has entries that are negative, NaN or infinite")
    })?;
    for (i, row) in p.rows().into_iter().enumerate() {
        let sum = row.sum();
        ensure((sum - 1.0).abs() <= 1e-9, || {
            format!(
                "{what}: row {i} of next_char_probs sums to {}, not 1: return the softmax of the logits",
                fmt(sum)
            )
        })?;
    }
    Ok(p)
}

fn random_context(seed: u64, len: usize) -> Vec<usize> {
    let mut r = rng(seed);
    (0..len).map(|_| r.gen_range(0..V)).collect()
}

fn probabilities() -> Graded {
    let model = Model::new(1);
    for (seed, len) in [(2, 1), (3, 7), (4, CTX)] {
        probs_of(
            &model,
            &random_context(seed, len),
            &format!("a context of {len}"),
        )?;
    }
    pass(
        "next_char_probs gives one distribution over the 35 characters per position (finite, non-negative, summing to 1), for contexts of 1, 7 and 32",
    )
}

fn no_future_leak() -> Graded {
    let model = Model::new(5);
    for seed in 6..=8 {
        let context = random_context(seed, CTX);
        let p = 5 + (seed as usize * 7) % 20;
        let before = probs_of(&model, &context, "a context of 32")?;
        let mut changed = context.clone();
        for (i, c) in changed.iter_mut().enumerate().skip(p + 1) {
            *c = (*c + 1 + i) % V;
        }
        let after = probs_of(&model, &changed, "a context of 32")?;
        for i in 0..=p {
            let change = (0..V)
                .map(|c| (after[[i, c]] - before[[i, c]]).abs())
                .fold(0.0, f64::max);
            ensure(change <= 1e-12, || {
                format!(
                    "changing the characters after position {p} changed the prediction at position {i} by up to {}: the prediction depends on later characters (the future leaks; a language model must use the causal mask, forward(.., true), in training and in prediction)",
                    fmt(change)
                )
            })?;
        }
    }
    pass(
        "the prediction at position t does not change when the characters after t do (3 contexts of 32)",
    )
}

fn held_out_perplexity() -> Graded {
    let (train_text, held_out) = book()?;
    let (model, losses) = train(&train_text, STEPS, 7);
    equal(
        "number of training losses returned (one per step)",
        &losses.len(),
        &STEPS,
    )
    .hint("train must take exactly `steps` optimizer steps and push each step's loss")?;
    let smooth: Vec<[f64; 2]> = losses
        .chunks(10)
        .enumerate()
        .map(|(i, c)| {
            [
                (i * 10 + c.len()) as f64,
                c.iter().sum::<f64>() / c.len() as f64,
            ]
        })
        .filter(|p| p[1].is_finite())
        .collect();
    show(Figure::Lines {
        title: "training loss (mean of every 10 steps), nats per character".into(),
        x_label: "step".into(),
        y_label: "loss".into(),
        series: vec![Series {
            name: "training loss".into(),
            points: smooth,
        }],
        target: Some(BAR.ln()),
    });
    // Baselines from the training characters, add-one smoothed.
    let train_ids: Vec<usize> = train_text.chars().map(id).collect();
    let mut uni = [1.0f64; V];
    let mut bi = vec![[1.0f64; V]; V];
    for w in train_ids.windows(2) {
        uni[w[1]] += 1.0;
        bi[w[0]][w[1]] += 1.0;
    }
    let uni_total: f64 = uni.iter().sum();
    let chunks = 100;
    let stride = (held_out.len() - CTX - 1) / chunks;
    let (mut nll, mut nll_uni, mut nll_bi, mut count) = (0.0, 0.0, 0.0, 0.0);
    // Each prediction gets the context up to the character it conditions on, never the one
    // it predicts, in reading order: whatever state next_char_probs keeps between calls, it
    // has not seen a character when it is asked to predict it.
    for k in 0..chunks {
        let chunk = &held_out[k * stride..k * stride + CTX + 1];
        for i in 0..CTX {
            let p = probs_of(&model, &chunk[..=i], "a held-out context")?;
            let (prev, next) = (chunk[i], chunk[i + 1]);
            nll -= p[[i, next]].max(1e-12).ln();
            nll_uni -= (uni[next] / uni_total).ln();
            nll_bi -= (bi[prev][next] / bi[prev].iter().sum::<f64>()).ln();
            count += 1.0;
        }
    }
    // The perplexity means something only if no prediction saw the character it predicts.
    let context = &held_out[..CTX];
    let before = probs_of(&model, context, "a held-out context of 32")?;
    let mut changed = context.to_vec();
    changed[CTX / 2] = (changed[CTX / 2] + 1) % V;
    let after = probs_of(&model, &changed, "a held-out context of 32")?;
    let leak = (0..CTX / 2)
        .flat_map(|i| (0..V).map(move |c| (i, c)))
        .map(|(i, c)| (after[[i, c]] - before[[i, c]]).abs())
        .fold(0.0, f64::max);
    ensure(leak <= 1e-12, || {
        format!(
            "changing the character at position {} changed the trained model's predictions at earlier positions by up to {}: the future leaks (no causal mask), so its held-out perplexity means nothing; use forward(.., true) in training and in prediction",
            CTX / 2,
            fmt(leak)
        )
    })?;
    let ppl = (nll / count).exp();
    let baselines = format!(
        "; baselines on the same 3200 held-out characters: uniform {V}, unigram {}, bigram {}",
        fmt((nll_uni / count).exp()),
        fmt((nll_bi / count).exp())
    );
    let last: Vec<f64> = losses[STEPS - 100..].to_vec();
    let last_mean = last.iter().sum::<f64>() / last.len() as f64;
    let best = smooth_min(&losses);
    let result = bar("held-out perplexity", ppl, BAR, Goal::AtMost);
    if result.is_err() {
        let early = smooth_min(&losses[..STEPS / 2]);
        let bigram_loss = nll_bi / count;
        let first_mean = losses[..50].iter().sum::<f64>() / 50.0;
        if best.is_finite() && best > first_mean - 0.2 {
            return Err(fail(format!(
                "held-out perplexity = {}, short of the bar ≤ {BAR}: the training loss never went down (its first 50 steps average {}, its best 50 {}): the model is not being trained; apply adam.step to the model that train returns, with the rate of lr_at",
                fmt(ppl),
                fmt(first_mean),
                fmt(best)
            )))
            .note(&baselines);
        }
        if last_mean < 0.5 {
            return Err(fail(format!(
                "held-out perplexity = {}, short of the bar ≤ {BAR}: the training loss fell to {} nats per character, far below what a character model can reach on English (above 1): the targets are not the next characters; the targets of a window are its characters shifted by one, data[start + 1..start + CTX + 1]",
                fmt(ppl),
                fmt(last_mean)
            )))
            .note(&baselines);
        }
        let why = if !last_mean.is_finite() || last_mean > best + 0.25 {
            Some(format!(
                "the training loss went down to {} and back up to {} over the last 100 steps (or became NaN): training diverged",
                fmt(best),
                fmt(last_mean)
            ))
        } else if last_mean > bigram_loss && last_mean > early - 0.15 {
            Some(format!(
                "the training loss stopped improving early: {} over the last 100 steps, about its level in the first half ({}), and above the bigram baseline's {} nats per character",
                fmt(last_mean),
                fmt(early),
                fmt(bigram_loss)
            ))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(fail(format!(
                "held-out perplexity = {}, short of the bar ≤ {BAR}: {why}; the learning rate is too high (Adam on this model: a peak around 1e-3 to 1e-2)",
                fmt(ppl)
            )))
            .note(&baselines);
        }
    }
    result
        .hint("if the training loss was still falling at the end, the model is undertrained in its 1600 steps: a peak learning rate near 1e-2 (2e-3 is too low here), a warm-up of about 10 % of the steps, windows drawn from the whole text")
        .note(&baselines)
}

/// The lowest mean of 50 consecutive training losses.
fn smooth_min(losses: &[f64]) -> f64 {
    losses
        .windows(50)
        .map(|w| w.iter().sum::<f64>() / 50.0)
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min)
}
