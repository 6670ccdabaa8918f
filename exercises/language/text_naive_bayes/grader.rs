// Grader of language/text_naive_bayes.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array2, array};

use super::exercise::{NbModel, classify, fit_nb, linfa_predict, log_posteriors, predict};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("fit_counts", fit_counts),
    ("log_space", log_space),
    ("predict_ties", predict_ties),
    ("party_held_out", party_held_out),
    ("linfa_agrees", linfa_agrees),
];

#[derive(Clone, Copy, PartialEq)]
enum Fit {
    Right,
    NoSmoothing,
    NoAlphaV,
    UniformPriors,
    /// Priors from the share of training tokens, not documents.
    TokenPriors,
}

/// The grader's multinomial naive Bayes fit, and its classic wrong variants:
/// (k log priors, k x v log likelihoods).
fn grader_fit(
    x: &Array2<f64>,
    y: &[usize],
    k: usize,
    alpha: f64,
    how: Fit,
) -> (Vec<f64>, Array2<f64>) {
    let v = x.ncols();
    let mut documents = vec![0.0; k];
    let mut counts = Array2::<f64>::zeros((k, v));
    for (i, &c) in y.iter().enumerate() {
        documents[c] += 1.0;
        for j in 0..v {
            counts[[c, j]] += x[[i, j]];
        }
    }
    let n = y.len() as f64;
    let tokens: f64 = counts.iter().sum();
    let priors = documents
        .iter()
        .enumerate()
        .map(|(c, d)| match how {
            Fit::UniformPriors => 1.0 / k as f64,
            Fit::TokenPriors => counts.row(c).sum() / tokens,
            _ => d / n,
        })
        .map(f64::ln)
        .collect();
    let a = if how == Fit::NoSmoothing { 0.0 } else { alpha };
    let mut logs = Array2::zeros((k, v));
    for c in 0..k {
        let total: f64 = (0..v).map(|j| counts[[c, j]]).sum();
        let denominator = match how {
            Fit::NoAlphaV => total + a,
            _ => total + a * v as f64,
        };
        for j in 0..v {
            logs[[c, j]] = ((counts[[c, j]] + a) / denominator).ln();
        }
    }
    (priors, logs)
}

fn grader_scores(
    priors: &[f64],
    logs: &Array2<f64>,
    x: &Array2<f64>,
    with_priors: bool,
) -> Array2<f64> {
    let mut s = Array2::zeros((x.nrows(), priors.len()));
    for i in 0..x.nrows() {
        for c in 0..priors.len() {
            let mut total = if with_priors { priors[c] } else { 0.0 };
            for j in 0..x.ncols() {
                if x[[i, j]] != 0.0 {
                    total += x[[i, j]] * logs[[c, j]];
                }
            }
            s[[i, c]] = total;
        }
    }
    s
}

fn grader_predict(scores: &Array2<f64>) -> Vec<usize> {
    (0..scores.nrows())
        .map(|i| {
            let mut best = 0;
            for c in 1..scores.ncols() {
                if scores[[i, c]] > scores[[i, best]] {
                    best = c;
                }
            }
            best
        })
        .collect()
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || (x - y).abs() <= 1e-9)
}

/// 5 documents over 3 terms. Class 0: term counts [3, 1, 0] (4 tokens, 2 documents); class 1:
/// [0, 1, 6] (7 tokens, 3 documents). alpha = 1: P(.|0) = [4, 2, 1] / 7, P(.|1) = [1, 2, 7] / 10,
/// priors 2/5 and 3/5.
fn hand_case() -> (Array2<f64>, Vec<usize>) {
    (
        array![
            [2.0, 1.0, 0.0],
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 3.0],
            [0.0, 1.0, 1.0],
            [0.0, 0.0, 2.0]
        ],
        vec![0, 0, 1, 1, 1],
    )
}

fn fit_counts() -> Graded {
    let (x, y) = hand_case();
    let got = fit_nb(&x, &y, 2, 1.0);
    equal("number of log priors", &got.log_priors.len(), &2)?;
    equal(
        "shape of log_likelihoods (classes, terms)",
        &got.log_likelihoods.dim(),
        &(2, 3),
    )?;
    let (priors, logs) = grader_fit(&x, &y, 2, 1.0, Fit::Right);
    let got_logs: Vec<f64> = got.log_likelihoods.iter().copied().collect();
    let wrong = [
        (
            Fit::NoSmoothing,
            "no smoothing: a term never seen in a class gets ln 0 = -inf",
        ),
        (
            Fit::NoAlphaV,
            "the smoothing denominator lacks alpha·|V|: divide by N_c + alpha·v, so each class's probabilities sum to 1",
        ),
    ];
    let exp_logs: Vec<f64> = logs.iter().copied().collect();
    if !same(&got_logs, &exp_logs) {
        for (how, why) in wrong {
            let (_, w) = grader_fit(&x, &y, 2, 1.0, how);
            if same(&got_logs, &w.iter().copied().collect::<Vec<_>>()) {
                return Err(fail(format!(
                    "log_likelihoods of the hand case (class-major): expected {}, got {}: {why}",
                    list(&exp_logs),
                    list(&got_logs)
                )));
            }
        }
        if got_logs.iter().all(|v| (0.0..=1.0).contains(v)) {
            return Err(fail(format!(
                "log_likelihoods: expected {}, got {}: these are probabilities, not their logarithms",
                list(&exp_logs),
                list(&got_logs)
            )));
        }
        all_close("log_likelihoods (class-major)", &got_logs, &exp_logs, 1e-9)
            .hint("ln((N_cj + alpha) / (N_c + alpha * v))")?;
    }
    let (uniform, _) = grader_fit(&x, &y, 2, 1.0, Fit::UniformPriors);
    if !same(&got.log_priors, &priors) && same(&got.log_priors, &uniform) {
        return Err(fail(format!(
            "log priors: expected {}, got {}: priors ignored (uniform); ln P(c) = ln(n_c / n)",
            list(&priors),
            list(&got.log_priors)
        )));
    }
    let (by_tokens, _) = grader_fit(&x, &y, 2, 1.0, Fit::TokenPriors);
    if !same(&got.log_priors, &priors) && same(&got.log_priors, &by_tokens) {
        return Err(fail(format!(
            "log priors: expected {}, got {}: each class's share of the tokens (N_c / N); ln P(c) = ln(n_c / n) counts documents",
            list(&priors),
            list(&got.log_priors)
        )));
    }
    all_close("log priors", &got.log_priors, &priors, 1e-9).hint("ln(n_c / n), a logarithm")?;
    // alpha = 0.5 and three classes, one of them with a single document.
    let x3 = array![
        [1.0, 0.0, 2.0, 0.0],
        [0.0, 4.0, 0.0, 1.0],
        [1.0, 1.0, 1.0, 1.0],
        [0.0, 0.0, 5.0, 0.0]
    ];
    let y3 = [2, 1, 2, 0];
    let got = fit_nb(&x3, &y3, 3, 0.5);
    let (priors, logs) = grader_fit(&x3, &y3, 3, 0.5, Fit::Right);
    matrix_close(
        "log_likelihoods with alpha = 0.5, 3 classes",
        &got.log_likelihoods,
        &logs,
        1e-9,
    )
    .hint("use the alpha given, not 1")?;
    all_close("log priors, 3 classes", &got.log_priors, &priors, 1e-9)?;
    pass(
        "ln priors from class frequencies; ln((N_cj + alpha) / (N_c + alpha·v)) within 1e-9 (alpha 1 and 0.5)",
    )
}

fn list(values: &[f64]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|v| fmt(*v)).collect();
    format!("[{}]", shown.join(", "))
}

fn model_of(priors: &[f64], logs: &Array2<f64>) -> NbModel {
    NbModel {
        log_priors: priors.to_vec(),
        log_likelihoods: logs.clone(),
    }
}

fn log_space() -> Graded {
    let (x, y) = hand_case();
    let (priors, logs) = grader_fit(&x, &y, 2, 1.0, Fit::Right);
    let model = model_of(&priors, &logs);
    // A short document and a long one: 1200 tokens, ln P(doc | c) about -1300, so the
    // product of probabilities is about e^-1300, which underflows to 0 in f64 (below 1e-308).
    let docs = array![[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [400.0, 300.0, 500.0]];
    let got = log_posteriors(&model, &docs);
    equal(
        "log_posteriors: shape (documents, classes)",
        &got.dim(),
        &(3, 2),
    )?;
    let expected = grader_scores(&priors, &logs, &docs, true);
    for c in 0..2 {
        ensure(got[[2, c]].is_finite(), || {
            format!(
                "log posterior of a 1200-token document, class {c}: expected {}, got {}: the product of 1200 probabilities underflows to 0 (ln 0 = -inf); sum the logs instead",
                fmt(expected[[2, c]]),
                fmt(got[[2, c]])
            )
        })?;
    }
    let without = grader_scores(&priors, &logs, &docs, false);
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    if same(&flat(&got), &flat(&without)) {
        return Err(fail(format!(
            "log posteriors: expected {}, got {}: priors ignored; add ln P(c)",
            list(&flat(&expected)),
            list(&flat(&got))
        )));
    }
    // Each row shifted by one constant: normalized by log-sum-exp (true log posteriors).
    let shifted = (0..3).all(|i| {
        let d0 = got[[i, 0]] - expected[[i, 0]];
        (got[[i, 1]] - expected[[i, 1]] - d0).abs() <= 1e-6
    }) && (got[[2, 0]] - expected[[2, 0]]).abs() > 1e-6;
    if shifted {
        return Err(fail(format!(
            "log posteriors: expected {}, got {}: each row normalized (log-sum-exp subtracted); return the unnormalized ln P(c) + Σ_j x_ij ln P(j | c)",
            list(&flat(&expected)),
            list(&flat(&got))
        )));
    }
    matrix_close(
        "log posteriors [1 0 1 | empty | 400 300 500]",
        &got,
        &expected,
        1e-6,
    )
    .hint("ln P(c) + Σ_j x_ij ln P(j | c)")?;
    pass(
        "log posteriors summed in log space: finite for a 1200-token document (its probability product is 0 in f64)",
    )
}

fn predict_ties() -> Graded {
    // Both classes identical: every document ties and goes to class 0. Then a 3-class model
    // where the class with the largest prior wins an empty document.
    let logs = array![[0.5f64.ln(), 0.5f64.ln()], [0.5f64.ln(), 0.5f64.ln()]];
    let model = model_of(&[0.5f64.ln(), 0.5f64.ln()], &logs);
    let x = array![[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]];
    let got = predict(&model, &x);
    equal("number of predictions", &got.len(), &3)?;
    ensure(got == vec![0, 0, 0], || {
        format!(
            "predictions when both classes score the same: expected [0, 0, 0], got {got:?}: ties must go to the lowest class index (`max_by` returns the last maximum)"
        )
    })?;
    let (x3, y3) = hand_case();
    let (priors, logs) = grader_fit(&x3, &y3, 2, 1.0, Fit::Right);
    let model = model_of(&priors, &logs);
    let docs = array![
        [3.0, 0.0, 0.0],
        [0.0, 0.0, 2.0],
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 1.0]
    ];
    let expected = grader_predict(&grader_scores(&priors, &logs, &docs, true));
    equal(
        "predictions of [3 0 0 | 0 0 2 | empty | 1 1 1]",
        &predict(&model, &docs),
        &expected,
    )?;
    pass("argmax of the log posterior; ties to the lowest class index")
}

struct Split {
    train_texts: Vec<String>,
    train_y: Vec<usize>,
    test_texts: Vec<String>,
    test_y: Vec<usize>,
}

fn split() -> Result<Split, Failed> {
    let table = Table::dataset("sotu_sentences.csv").map_err(|e| fail(e.to_string()))?;
    let (y, classes) = table.labels("party").map_err(|e| fail(e.to_string()))?;
    ensure(classes == ["Democratic", "Republican"], || {
        format!("unexpected classes {classes:?}")
    })?;
    let texts: Vec<String> = table
        .text_column("text")
        .map_err(|e| fail(e.to_string()))?
        .into_iter()
        .map(|t| t.unwrap_or("").to_string())
        .collect();
    let (train, test) = learnml_kit::split::stratified_train_test(&y, 0.25, 51);
    Ok(Split {
        train_texts: train.iter().map(|&i| texts[i].clone()).collect(),
        train_y: train.iter().map(|&i| y[i]).collect(),
        test_texts: test.iter().map(|&i| texts[i].clone()).collect(),
        test_y: test.iter().map(|&i| y[i]).collect(),
    })
}

/// F1 of class 0 (Democratic).
fn f1_democratic(truth: &[usize], predicted: &[usize]) -> f64 {
    let tp = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t == 0 && p == 0)
        .count() as f64;
    let fp = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t != 0 && p == 0)
        .count() as f64;
    let fn_ = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t == 0 && p != 0)
        .count() as f64;
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}

fn confusion(truth: &[usize], predicted: &[usize], title: &str) {
    let mut cells = vec![vec![0.0; 2]; 2];
    for (&t, &p) in truth.iter().zip(predicted) {
        if t < 2 && p < 2 {
            cells[t][p] += 1.0;
        }
    }
    show(Figure::Table {
        title: title.into(),
        row_labels: vec!["true Democratic".into(), "true Republican".into()],
        column_labels: vec!["pred. Democratic".into(), "pred. Republican".into()],
        cells,
    });
}

fn valid_classes(predicted: &[usize], n: usize) -> Result<(), Failed> {
    equal("number of predictions", &predicted.len(), &n)?;
    ensure(predicted.iter().all(|&c| c < 2), || {
        "predictions must be 0 (Democratic) or 1 (Republican)".into()
    })
}

const BASELINE: &str = "; always predicting Democratic scores F1 0.67, always Republican 0";

fn party_held_out() -> Graded {
    let s = split()?;
    let predicted = classify(&s.train_texts, &s.train_y, &s.test_texts);
    valid_classes(&predicted, s.test_y.len())?;
    confusion(
        &s.test_y,
        &predicted,
        "Held-out sentences, naive Bayes by hand (rows: true party)",
    );
    // The reference reaches F1 0.776 on this split; 0.74 leaves room for another vocabulary.
    bar(
        "held-out F1 of Democratic (naive Bayes by hand)",
        f1_democratic(&s.test_y, &predicted),
        0.74,
        Goal::AtLeast,
    )
    .note(BASELINE)
}

fn linfa_agrees() -> Graded {
    let s = split()?;
    // The grader's own features: vocabulary of the training sentences (min_df 2), counts.
    let tokens = |t: &String| -> Vec<String> {
        t.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| p.chars().count() >= 2)
            .map(str::to_string)
            .collect()
    };
    let train: Vec<Vec<String>> = s.train_texts.iter().map(tokens).collect();
    let test: Vec<Vec<String>> = s.test_texts.iter().map(tokens).collect();
    let mut df: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &train {
        let distinct: std::collections::BTreeSet<&str> = d.iter().map(String::as_str).collect();
        for t in distinct {
            *df.entry(t).or_insert(0) += 1;
        }
    }
    let column: std::collections::BTreeMap<&str, usize> = df
        .iter()
        .filter(|&(_, &n)| n >= 2)
        .enumerate()
        .map(|(j, (t, _))| (*t, j))
        .collect();
    let counts = |docs: &[Vec<String>]| {
        let mut x = Array2::zeros((docs.len(), column.len()));
        for (i, d) in docs.iter().enumerate() {
            for t in d {
                if let Some(&j) = column.get(t.as_str()) {
                    x[[i, j]] += 1.0;
                }
            }
        }
        x
    };
    let (x_train, x_test) = (counts(&train), counts(&test));
    let predicted = linfa_predict(&x_train, &s.train_y, &x_test);
    valid_classes(&predicted, s.test_y.len())?;
    confusion(
        &s.test_y,
        &predicted,
        "Held-out sentences, linfa-bayes MultinomialNb (rows: true party)",
    );
    let (priors, logs) = grader_fit(&x_train, &s.train_y, 2, 1.0, Fit::Right);
    let by_hand = grader_predict(&grader_scores(&priors, &logs, &x_test, true));
    let agree = by_hand
        .iter()
        .zip(&predicted)
        .filter(|(a, b)| a == b)
        .count() as f64
        / by_hand.len() as f64;
    ensure(agree >= 0.99, || {
        format!(
            "linfa's predictions agree with multinomial naive Bayes (alpha = 1) on only {:.1} % of the held-out sentences (99 % needed): is it MultinomialNb with alpha 1, fitted on the rows given?",
            100.0 * agree
        )
    })?;
    bar(
        "held-out F1 of Democratic (linfa-bayes)",
        f1_democratic(&s.test_y, &predicted),
        0.74,
        Goal::AtLeast,
    )
    .note(&format!(
        "; agrees with naive Bayes by hand on {:.1} % of the sentences{BASELINE}",
        100.0 * agree
    ))
}
