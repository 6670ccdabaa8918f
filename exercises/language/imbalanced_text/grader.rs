// Grader of language/imbalanced_text.

use std::collections::BTreeMap;

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{Averages, Report, classification_report, confusion_matrix, fit};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("confusion_matrix", check_confusion_matrix),
    ("per_class", check_per_class),
    ("averages", check_averages),
    ("naive_bayes", check_naive_bayes),
    ("held_out_macro_f1", check_held_out_macro_f1),
];

/// Macro-F1 bar on the last quarter of every address. Majority class (Obama): accuracy
/// 0.426 but macro-F1 0.149; the reference (Laplace, uniform prior) macro-F1 0.432, accuracy
/// 0.537; with the empirical prior instead, 0.406 (Biden's F1 falls to 0.04). 0.41 leaves 5 %
/// of room under the reference and fails the empirical prior.
const MACRO_F1_BAR: f64 = 0.41;

/// The hand case: class 0 is the majority, class 2 is never predicted.
/// Rows true: [5, 1, 0], [1, 1, 0], [2, 0, 0].
fn hand() -> (Vec<usize>, Vec<usize>) {
    (
        vec![0, 0, 0, 0, 0, 0, 1, 1, 2, 2],
        vec![0, 0, 0, 0, 0, 1, 1, 0, 0, 0],
    )
}

/// Class 2 is predicted once but never occurs (recall 0 / 0), class 3 neither occurs nor is
/// predicted (precision and recall 0 / 0): every one of them is 0, never NaN.
fn absent_classes() -> (Vec<usize>, Vec<usize>) {
    (vec![0, 0, 1, 1, 0, 1], vec![0, 2, 1, 0, 0, 1])
}

/// Seeded imbalanced cases over 4 classes (class shares about 50, 25, 15, 10 %), predictions
/// right 60 % of the time; class 3 is sometimes never predicted.
fn random_cases() -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut rng = split::rng(59);
    (0..4)
        .map(|case| {
            let n = 20 + 10 * case;
            let truth: Vec<usize> = (0..n)
                .map(|_| match rng.gen_range(0..20) {
                    0..10 => 0,
                    10..15 => 1,
                    15..18 => 2,
                    _ => 3,
                })
                .collect();
            let predicted: Vec<usize> = truth
                .iter()
                .map(|&t| {
                    if rng.gen_range(0..10) < 6 {
                        t
                    } else {
                        rng.gen_range(0..3 + case % 2)
                    }
                })
                .collect();
            (truth, predicted)
        })
        .collect()
}

/// The grader's counts: (tp, fp, fn, support) per class, with loops.
fn counts(truth: &[usize], predicted: &[usize], k: usize) -> Vec<(f64, f64, f64, f64)> {
    (0..k)
        .map(|c| {
            let (mut tp, mut fp, mut fn_, mut support) = (0.0, 0.0, 0.0, 0.0);
            for (&t, &p) in truth.iter().zip(predicted) {
                if t == c {
                    support += 1.0;
                }
                if t == c && p == c {
                    tp += 1.0;
                } else if p == c {
                    fp += 1.0;
                } else if t == c {
                    fn_ += 1.0;
                }
            }
            (tp, fp, fn_, support)
        })
        .collect()
}

fn div0(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// The grader's per-class precision, recall and F1.
fn per_class(truth: &[usize], predicted: &[usize], k: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut out = (vec![], vec![], vec![]);
    for (tp, fp, fn_, _) in counts(truth, predicted, k) {
        let (p, r) = (div0(tp, tp + fp), div0(tp, tp + fn_));
        out.0.push(p);
        out.1.push(r);
        out.2.push(harmonic(p, r));
    }
    out
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

fn check_confusion_matrix() -> Graded {
    let mut cases = vec![hand()];
    cases.extend(random_cases());
    cases.push(absent_classes());
    for (i, (truth, predicted)) in cases.iter().enumerate() {
        let k = if i == 0 { 3 } else { 4 };
        let got = confusion_matrix(truth, predicted, k);
        equal(&format!("case {i}: shape"), &got.dim(), &(k, k))?;
        let mut expected = Array2::<usize>::zeros((k, k));
        for (&t, &p) in truth.iter().zip(predicted) {
            expected[[t, p]] += 1;
        }
        if got == expected.t() && got != expected {
            return Err(fail(format!(
                "case {i}: the matrix is transposed: rows must be the true classes, columns the predicted ones (scikit-learn's convention)"
            )));
        }
        if got != expected {
            return Err(fail(format!(
                "case {i}: confusion_matrix(truth = {truth:?}, predicted = {predicted:?}): expected {:?}, got {:?}",
                expected
                    .outer_iter()
                    .map(|r| r.to_vec())
                    .collect::<Vec<_>>(),
                got.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>()
            )));
        }
    }
    pass("rows true, columns predicted, on a hand case and 4 random ones")
}

fn report_ok(what: &str, report: &Report, k: usize) -> Result<(), Failed> {
    for (name, v) in [
        ("precision", &report.precision),
        ("recall", &report.recall),
        ("f1", &report.f1),
    ] {
        equal(&format!("{what}: number of {name} values"), &v.len(), &k)?;
        if v.iter().any(|x| x.is_nan()) {
            return Err(fail(format!(
                "{what}: {name} = {v:?} contains NaN: zero division must give 0 (scikit-learn's zero_division=0), e.g. the precision of a class that is never predicted, the recall of a class that never occurs"
            )));
        }
    }
    equal(
        &format!("{what}: number of supports"),
        &report.support.len(),
        &k,
    )
}

fn check_per_class() -> Graded {
    let mut cases = vec![hand()];
    cases.extend(random_cases());
    cases.push(absent_classes());
    for (i, (truth, predicted)) in cases.iter().enumerate() {
        let k = if i == 0 { 3 } else { 4 };
        let what = format!("case {i} (truth = {truth:?}, predicted = {predicted:?})");
        let report = classification_report(truth, predicted, k);
        report_ok(&what, &report, k)?;
        let (p, r, f) = per_class(truth, predicted, k);
        if near(&report.precision, &r) && near(&report.recall, &p) && !near(&p, &r) {
            return Err(fail(format!(
                "{what}: precision and recall are swapped: precision = TP / (TP + FP) (of the predicted), recall = TP / (TP + FN) (of the true)"
            )));
        }
        let support: Vec<usize> = (0..k)
            .map(|c| truth.iter().filter(|&&t| t == c).count())
            .collect();
        equal(&format!("{what}: support"), &report.support, &support)?;
        all_close(&format!("{what}: precision"), &report.precision, &p, 1e-9)
            .hint("precision of class c = TP / (TP + FP) = m[[c, c]] / (sum of column c), 0 if the column is empty")?;
        all_close(&format!("{what}: recall"), &report.recall, &r, 1e-9)
            .hint("recall of class c = TP / (TP + FN) = m[[c, c]] / (sum of row c)")?;
        all_close(&format!("{what}: f1"), &report.f1, &f, 1e-9)
            .hint("F1 = 2 P R / (P + R), 0 when P + R = 0")?;
    }
    // By hand, class 0: TP 5, FP 3, FN 1: precision 5/8, recall 5/6.
    let (truth, predicted) = hand();
    let report = classification_report(&truth, &predicted, 3);
    close(
        "hand case: precision of class 0 = 5 / 8",
        report.precision[0],
        0.625,
        1e-12,
    )?;
    close(
        "hand case: precision of class 2 (never predicted) = 0",
        report.precision[2],
        0.0,
        1e-12,
    )?;
    pass("precision, recall, F1 and support per class; a class never predicted gets precision 0")
}

fn averages_close(what: &str, got: &Averages, expected: [f64; 3]) -> Result<(), Failed> {
    close(
        &format!("{what}: precision"),
        got.precision,
        expected[0],
        1e-9,
    )?;
    close(&format!("{what}: recall"), got.recall, expected[1], 1e-9)?;
    close(&format!("{what}: f1"), got.f1, expected[2], 1e-9)
}

fn check_averages() -> Graded {
    let mut cases = vec![hand()];
    cases.extend(random_cases());
    cases.push(absent_classes());
    for (i, (truth, predicted)) in cases.iter().enumerate() {
        let k = if i == 0 { 3 } else { 4 };
        let what = format!("case {i} (truth = {truth:?}, predicted = {predicted:?})");
        let report = classification_report(truth, predicted, k);
        report_ok(&what, &report, k)?;
        let (p, r, f) = per_class(truth, predicted, k);
        let n = truth.len() as f64;
        let support: Vec<f64> = counts(truth, predicted, k).iter().map(|c| c.3).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / k as f64;
        let weighted = |v: &[f64]| v.iter().zip(&support).map(|(x, s)| x * s).sum::<f64>() / n;
        let accuracy = truth.iter().zip(predicted).filter(|(t, p)| t == p).count() as f64 / n;
        let macro_avg = [mean(&p), mean(&r), mean(&f)];
        let weighted_avg = [weighted(&p), weighted(&r), weighted(&f)];
        let got = report.macro_avg;
        let got_v = [got.precision, got.recall, got.f1];
        if near(&got_v, &weighted_avg) && !near(&macro_avg, &weighted_avg) {
            return Err(fail(format!(
                "{what}: the macro average was weighted by support: that is the weighted average; macro gives every class the same weight"
            )));
        }
        if near(&got_v, &[accuracy; 3]) && !near(&macro_avg, &[accuracy; 3]) {
            return Err(fail(format!(
                "{what}: the macro average equals the micro average (= accuracy here): macro is the plain mean of the per-class values"
            )));
        }
        if (got.f1 - harmonic(macro_avg[0], macro_avg[1])).abs() < 1e-9
            && (macro_avg[2] - harmonic(macro_avg[0], macro_avg[1])).abs() > 1e-9
        {
            return Err(fail(format!(
                "{what}: macro F1 was computed from the macro precision and recall; scikit-learn averages the per-class F1 values"
            )));
        }
        averages_close(&format!("{what}: macro average"), &got, macro_avg)
            .hint("macro: the plain mean over classes of the per-class precision, recall and F1")?;
        averages_close(&format!("{what}: weighted average"), &report.weighted_avg, weighted_avg)
            .hint("weighted: each per-class value times its support, summed, divided by the number of examples")?;
        averages_close(&format!("{what}: micro average"), &report.micro_avg, [accuracy; 3])
            .hint("micro: sum TP, FP and FN over classes first; with one label per example, micro precision = recall = F1 = accuracy")?;
        close(
            &format!("{what}: accuracy"),
            report.accuracy,
            accuracy,
            1e-9,
        )?;
    }
    pass(
        "macro (plain mean), weighted (by support) and micro (= accuracy) averages, on a hand case and 4 random ones",
    )
}

/// The ways of scoring the grader compares with: the model asked, and the classic mistakes.
#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Right,
    /// Adds ln(n_c / n).
    Empirical,
    /// Laplace's 1 whatever alpha.
    AlphaOne,
    /// |V| = the words seen in class c.
    ClassVocab,
    /// Denominator total(c) + alpha, without |V|.
    NoV,
    /// Each distinct word of the query counted once.
    Set,
}

/// The grader's naive Bayes, with loops and `BTreeMap`s.
struct Nb {
    counts: Vec<BTreeMap<String, f64>>,
    vocab: BTreeMap<String, ()>,
    docs: Vec<f64>,
    alpha: f64,
}

impl Nb {
    fn new<S: AsRef<str>>(texts: &[S], labels: &[usize], k: usize, alpha: f64) -> Nb {
        let mut nb = Nb {
            counts: vec![BTreeMap::new(); k],
            vocab: BTreeMap::new(),
            docs: vec![0.0; k],
            alpha,
        };
        for (t, &c) in texts.iter().zip(labels) {
            nb.docs[c] += 1.0;
            for w in tokens(t.as_ref()) {
                *nb.counts[c].entry(w.clone()).or_insert(0.0) += 1.0;
                nb.vocab.insert(w, ());
            }
        }
        nb
    }

    fn predict(&self, query: &str, variant: Variant) -> usize {
        let mut words = tokens(query);
        if variant == Variant::Set {
            words.sort();
            words.dedup();
        }
        let n: f64 = self.docs.iter().sum();
        let alpha = if variant == Variant::AlphaOne {
            1.0
        } else {
            self.alpha
        };
        let mut best = (f64::NEG_INFINITY, 0);
        for c in 0..self.counts.len() {
            let total: f64 = self.counts[c].values().sum();
            let v = match variant {
                Variant::ClassVocab => self.counts[c].len() as f64,
                Variant::NoV => 1.0,
                _ => self.vocab.len() as f64,
            };
            let mut score = if variant == Variant::Empirical {
                (self.docs[c] / n).ln()
            } else {
                0.0
            };
            for w in &words {
                if self.vocab.contains_key(w) {
                    let count = self.counts[c].get(w).copied().unwrap_or(0.0);
                    score += ((count + alpha) / (total + alpha * v)).ln();
                }
            }
            if score > best.0 {
                best = (score, c);
            }
        }
        best.1
    }
}

/// What each wrong variant means, for the report.
const VARIANTS: [(Variant, &str); 5] = [
    (
        Variant::Empirical,
        "you added the empirical class prior ln(n_c / n); the model asked uses a uniform prior \
         (scikit-learn's fit_prior=False)",
    ),
    (
        Variant::AlphaOne,
        "alpha was ignored (Laplace's 1 used whatever alpha is asked): P(w | c) = \
         (count(w, c) + alpha) / (total(c) + alpha |V|)",
    ),
    (
        Variant::ClassVocab,
        "|V| counted only the words of class c: V is every training word, the same for all \
         classes (the words a class never used get alpha / (total(c) + alpha |V|))",
    ),
    (
        Variant::NoV,
        "the denominator is total(c) + alpha: add alpha for each of the |V| words, \
         total(c) + alpha |V|, so that P(. | c) sums to 1",
    ),
    (
        Variant::Set,
        "each distinct word of the text was counted once: the multinomial model adds \
         ln P(w | c) once per occurrence (a word said twice counts twice)",
    ),
];

/// Compare the learner's predictions on `queries` with the grader's; name a classic variant
/// when the learner's predictions match it on every query.
fn compare_predictions(
    what: &str,
    got: &[usize],
    nb: &Nb,
    queries: &[String],
) -> Result<(), Failed> {
    let expected: Vec<usize> = queries
        .iter()
        .map(|q| nb.predict(q, Variant::Right))
        .collect();
    if got == expected.as_slice() {
        return Ok(());
    }
    for (variant, why) in VARIANTS {
        let wrong: Vec<usize> = queries.iter().map(|q| nb.predict(q, variant)).collect();
        if got == wrong.as_slice() {
            let i = (0..got.len()).find(|&i| got[i] != expected[i]).unwrap_or(0);
            return Err(fail(format!(
                "{what}: predict({:?}) = {}, expected {}: {why}",
                queries[i], got[i], expected[i]
            )));
        }
    }
    let i = (0..got.len()).find(|&i| got[i] != expected[i]).unwrap_or(0);
    Err(fail(format!(
        "{what}: predict({:?}) = {}, expected {}",
        queries[i], got[i], expected[i]
    )))
    .hint("score each class by the sum of ln((count(w, c) + alpha) / (total(c) + alpha |V|)) over the known words (once per occurrence); ties go to the smaller class")
}

fn check_naive_bayes() -> Graded {
    // Class 0 has four sentences, class 1 one: "jobs" is as likely under both (1 of 6 words
    // plus smoothing), so the uniform prior and the empirical prior disagree.
    let texts = [
        "Tax cuts, tax relief.",
        "We cut taxes.",
        "Tax relief now.",
        "Cut the deficit.",
        "Climate jobs now, climate jobs!",
    ];
    let labels = [0, 0, 0, 0, 1];
    let owned: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
    let model = fit(&owned, &labels, 2, 1.0);
    let queries: Vec<String> = [
        "climate",
        "tax",
        "jobs now",
        "deficit jobs",
        "unknown words only",
        "now",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let got: Vec<usize> = queries.iter().map(|q| model.predict(q)).collect();
    compare_predictions(
        "5 hand sentences, alpha = 1",
        &got,
        &Nb::new(&texts, &labels, 2, 1.0),
        &queries,
    )?;
    // Seeded corpora: 3 imbalanced classes (8, 4 and 2 texts), each with its own skewed word
    // distribution, and several alphas; queries repeat words and mix in unknown ones.
    const WORDS: [&str; 10] = [
        "tax", "jobs", "war", "health", "climate", "border", "deficit", "school", "oil", "farm",
    ];
    let mut rng = split::rng(61);
    for (case, alpha) in [1.0, 0.3, 0.05, 2.0].into_iter().enumerate() {
        let mut texts = Vec::new();
        let mut labels = Vec::new();
        for (c, n_texts) in [8, 4, 2].into_iter().enumerate() {
            for _ in 0..n_texts {
                let len = rng.gen_range(2..9);
                let words: Vec<&str> = (0..len)
                    .map(|_| {
                        let u: f64 = rng.r#gen();
                        WORDS[(3 * c + (u * u * 7.0) as usize) % WORDS.len()]
                    })
                    .collect();
                texts.push(words.join(" "));
                labels.push(c);
            }
        }
        let queries: Vec<String> = (0..60)
            .map(|_| {
                let len = rng.gen_range(1..6);
                (0..len)
                    .map(|_| {
                        if rng.gen_range(0..8) == 0 {
                            "unseen"
                        } else {
                            WORDS[rng.gen_range(0..WORDS.len())]
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let model = fit(&texts, &labels, 3, alpha);
        let got: Vec<usize> = queries.iter().map(|q| model.predict(q)).collect();
        compare_predictions(
            &format!("random corpus {case} (3 classes of 8, 4 and 2 texts, alpha = {alpha})"),
            &got,
            &Nb::new(&texts, &labels, 3, alpha),
            &queries,
        )?;
    }
    pass(
        "multinomial naive Bayes (additive smoothing with alpha over every training word, uniform prior, ties to the smaller class) on 6 hand queries and 240 on 4 random corpora with alpha 1, 0.3, 0.05 and 2",
    )
}

/// The grader's copy of the tokenizer given in the stub.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.to_lowercase().chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            out.push(word.clone());
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn check_held_out_macro_f1() -> Graded {
    let table = Table::dataset("sotu_sentences.csv")
        .map_err(|e| fail(format!("the grader could not load sotu_sentences.csv: {e}")))?;
    let text = table
        .text_column("text")
        .map_err(|e| fail(format!("sotu_sentences.csv: {e}")))?;
    let (labels, names) = table
        .labels("president")
        .map_err(|e| fail(format!("sotu_sentences.csv: {e}")))?;
    let years = table
        .numeric_column("year")
        .map_err(|e| fail(format!("sotu_sentences.csv: {e}")))?;
    let order = table
        .numeric_column("sentence_no")
        .map_err(|e| fail(format!("sotu_sentences.csv: {e}")))?;
    // Each address: its first three quarters of sentences to train, the last quarter held out.
    let mut by_year: BTreeMap<i64, Vec<(i64, usize)>> = BTreeMap::new();
    for i in 0..labels.len() {
        let year = years[i].unwrap_or(0.0) as i64;
        by_year
            .entry(year)
            .or_default()
            .push((order[i].unwrap_or(0.0) as i64, i));
    }
    let (mut train_rows, mut test_rows) = (vec![], vec![]);
    for rows in by_year.values_mut() {
        rows.sort();
        let cut = (rows.len() as f64 * 0.75).round() as usize;
        for (j, &(_, i)) in rows.iter().enumerate() {
            if j < cut {
                train_rows.push(i)
            } else {
                test_rows.push(i)
            }
        }
    }
    let k = names.len();
    let train_texts: Vec<String> = train_rows
        .iter()
        .map(|&i| text[i].unwrap_or("").to_string())
        .collect();
    let train_labels: Vec<usize> = train_rows.iter().map(|&i| labels[i]).collect();
    let model = fit(&train_texts, &train_labels, k, 1.0);
    let truth: Vec<usize> = test_rows.iter().map(|&i| labels[i]).collect();
    let predicted: Vec<usize> = test_rows
        .iter()
        .map(|&i| model.predict(text[i].unwrap_or("")))
        .collect();
    ensure(predicted.iter().all(|&p| p < k), || {
        format!("predict returned a class outside 0..{k}")
    })?;
    let mut cells = vec![vec![0.0; k]; k];
    for (&t, &p) in truth.iter().zip(&predicted) {
        cells[t][p] += 1.0;
    }
    show(Figure::Table {
        title: "held-out confusion matrix (rows: true president, columns: predicted)".into(),
        row_labels: names.clone(),
        column_labels: names.clone(),
        cells,
    });
    let (_, _, f) = per_class(&truth, &predicted, k);
    let macro_f1 = f.iter().sum::<f64>() / k as f64;
    let accuracy =
        truth.iter().zip(&predicted).filter(|(t, p)| t == p).count() as f64 / truth.len() as f64;
    let mut train_counts = vec![0usize; k];
    for &l in &train_labels {
        train_counts[l] += 1;
    }
    let majority = (0..k)
        .max_by_key(|&c| (train_counts[c], std::cmp::Reverse(c)))
        .unwrap_or(0);
    let (_, _, fm) = per_class(&truth, &vec![majority; truth.len()], k);
    let majority_f1 = fm.iter().sum::<f64>() / k as f64;
    let majority_accuracy =
        truth.iter().filter(|&&t| t == majority).count() as f64 / truth.len() as f64;
    let per_class_f1: Vec<String> = names
        .iter()
        .zip(&f)
        .map(|(n, x)| format!("{n} {}", fmt(*x)))
        .collect();
    bar(
        "macro-F1 on the last quarter of each address (1730 sentences)",
        macro_f1,
        MACRO_F1_BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; accuracy {}; per-class F1: {}; always predicting {} scores accuracy {} but macro-F1 {}",
        fmt(accuracy),
        per_class_f1.join(", "),
        names[majority],
        fmt(majority_accuracy),
        fmt(majority_f1)
    ))
}
