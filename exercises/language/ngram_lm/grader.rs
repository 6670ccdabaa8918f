// Grader of language/ngram_lm.

use std::collections::{BTreeSet, HashMap};

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng as _;

use super::exercise::{BigramLm, perplexity, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("vocabulary", check_vocabulary),
    ("sums_to_one", check_sums_to_one),
    ("probabilities", check_probabilities),
    ("perplexity", check_perplexity),
    ("held_out", check_held_out),
];

/// The public settings: words seen at least twice, bigram weight 0.5, Laplace unigram.
const MIN_COUNT: usize = 2;
const LAMBDA: f64 = 0.5;
const K: f64 = 1.0;

/// The seed of the split of Moby-Dick's 138 sections (20 % held out).
const SPLIT_SEED: u64 = 2024;

/// Held-out perplexity bar. On this split (110 sections to train, 28 held out): uniform
/// |V| = 8595, Laplace unigram 551, add-0.01 bigram 643 (the best k of a plain add-k bigram
/// is near 0.01), the reference 333.8. 350 leaves 5 % of room and fails every model that
/// does not use its context.
const PERPLEXITY_BAR: f64 = 350.0;

/// The hand-made training corpus: the 3, whale 2, ship 2, swam, dived, a, sailed, sank 1.
fn hand_corpus() -> Vec<String> {
    [
        "The whale swam.",
        "The whale dived!",
        "A ship sailed.",
        "The ship sank.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
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

/// The grader's own model, written plainly.
struct Reference {
    vocab: BTreeSet<String>,
    unigram: HashMap<String, f64>,
    n: f64,
    pair: HashMap<(String, String), f64>,
    context: HashMap<String, f64>,
    lambda: f64,
    k: f64,
}

impl Reference {
    fn new(paragraphs: &[String], min_count: usize, lambda: f64, k: f64) -> Reference {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for p in paragraphs {
            for w in tokens(p) {
                *seen.entry(w).or_insert(0) += 1;
            }
        }
        let mut vocab = BTreeSet::new();
        for (w, c) in &seen {
            if *c >= min_count {
                vocab.insert(w.clone());
            }
        }
        vocab.insert("<unk>".to_string());
        vocab.insert("</s>".to_string());
        let mut model = Reference {
            vocab,
            unigram: HashMap::new(),
            n: 0.0,
            pair: HashMap::new(),
            context: HashMap::new(),
            lambda,
            k,
        };
        for p in paragraphs {
            let sequence = model.sequence(p);
            for i in 1..sequence.len() {
                let (v, w) = (sequence[i - 1].clone(), sequence[i].clone());
                *model.unigram.entry(w.clone()).or_insert(0.0) += 1.0;
                model.n += 1.0;
                *model.context.entry(v.clone()).or_insert(0.0) += 1.0;
                *model.pair.entry((v, w)).or_insert(0.0) += 1.0;
            }
        }
        model
    }

    fn map(&self, w: &str) -> String {
        if w == "<s>" || self.vocab.contains(w) {
            w.to_string()
        } else {
            "<unk>".to_string()
        }
    }

    /// `<s>`, the mapped words, `</s>`.
    fn sequence(&self, paragraph: &str) -> Vec<String> {
        let mut s = vec!["<s>".to_string()];
        for w in tokens(paragraph) {
            s.push(self.map(&w));
        }
        s.push("</s>".to_string());
        s
    }

    fn prob(&self, v: &str, w: &str) -> f64 {
        let (v, w) = (self.map(v), self.map(w));
        let c_w = self.unigram.get(&w).copied().unwrap_or(0.0);
        let unigram = (c_w + self.k) / (self.n + self.k * self.vocab.len() as f64);
        let c_v = self.context.get(&v).copied().unwrap_or(0.0);
        if c_v == 0.0 {
            return unigram;
        }
        let c_vw = self.pair.get(&(v, w)).copied().unwrap_or(0.0);
        self.lambda * c_vw / c_v + (1.0 - self.lambda) * unigram
    }

    /// The classic wrong variant that divides by the unigram count of the context (as a
    /// predicted token) instead of its count as a context: 0 for `<s>`, the number of
    /// paragraphs for `</s>` (which is never followed by anything).
    fn prob_unigram_context(&self, v: &str, w: &str) -> f64 {
        let (v, w) = (self.map(v), self.map(w));
        let c_w = self.unigram.get(&w).copied().unwrap_or(0.0);
        let unigram = (c_w + self.k) / (self.n + self.k * self.vocab.len() as f64);
        let c_v = self.unigram.get(&v).copied().unwrap_or(0.0);
        if c_v == 0.0 {
            return unigram;
        }
        let c_vw = self.pair.get(&(v, w)).copied().unwrap_or(0.0);
        self.lambda * c_vw / c_v + (1.0 - self.lambda) * unigram
    }

    /// Perplexity, and the classic wrong variants: (right, log10, total, no `</s>`).
    fn perplexities(&self, paragraphs: &[String]) -> [f64; 4] {
        let (mut ln_sum, mut log10_sum, mut ln_words) = (0.0, 0.0, 0.0);
        let (mut count, mut words) = (0.0, 0.0);
        for p in paragraphs {
            let s = self.sequence(p);
            for i in 1..s.len() {
                let q = self.prob(&s[i - 1], &s[i]);
                ln_sum += q.ln();
                log10_sum += q.log10();
                count += 1.0;
                if i < s.len() - 1 {
                    ln_words += q.ln();
                    words += 1.0;
                }
            }
        }
        [
            (-ln_sum / count).exp(),
            (-log10_sum / count).exp(),
            (-ln_sum).exp(),
            (-ln_words / words).exp(),
        ]
    }
}

/// Random paragraphs over a small skewed vocabulary, with capitals, punctuation, an
/// apostrophe and empty paragraphs.
fn random_corpus(rng: &mut split::Rng, n: usize) -> Vec<String> {
    const WORDS: [&str; 14] = [
        "the", "whale", "sea", "Ahab's", "ship", "white", "a", "of", "boat", "naïve", "harpoon",
        "sperm", "oil", "Queequeg",
    ];
    (0..n)
        .map(|_| {
            let len = rng.gen_range(0..9);
            let mut text = String::new();
            for i in 0..len {
                let u: f64 = rng.r#gen();
                let w = WORDS[((u * u) * WORDS.len() as f64) as usize];
                if i > 0 {
                    text.push_str(if rng.gen_range(0..6) == 0 { ", " } else { " " });
                }
                text.push_str(w);
            }
            if len > 0 {
                text.push('.');
            }
            text
        })
        .collect()
}

/// The learner's vocabulary, sorted, or a failure naming duplicates.
fn vocabulary_of(model: &BigramLm, what: &str) -> Result<Vec<String>, Failed> {
    let mut got = model.vocabulary();
    got.sort();
    let n = got.len();
    got.dedup();
    ensure(got.len() == n, || {
        format!("{what}: vocabulary() lists some tokens twice")
    })?;
    Ok(got)
}

fn compare_vocabulary(what: &str, got: &[String], reference: &Reference) -> Result<(), Failed> {
    let expected: Vec<String> = reference.vocab.iter().cloned().collect();
    if got == expected.as_slice() {
        return Ok(());
    }
    let has = |t: &str| got.iter().any(|g| g == t);
    if has("<s>") {
        return Err(fail(format!(
            "{what}: the vocabulary contains `<s>`: it is a context only, never predicted"
        )));
    }
    for t in ["<unk>", "</s>"] {
        if !has(t) {
            return Err(fail(format!(
                "{what}: the vocabulary lacks `{t}`: it is predicted like a word"
            )));
        }
    }
    Err(fail(format!(
        "{what}: expected the vocabulary {expected:?}, got {got:?}"
    )))
}

fn check_vocabulary() -> Graded {
    let hand = hand_corpus();
    let model = train(&hand, MIN_COUNT, LAMBDA, K);
    let got = vocabulary_of(&model, "the hand corpus")?;
    let strict = Reference::new(&hand, MIN_COUNT + 1, LAMBDA, K);
    if got.iter().cloned().collect::<BTreeSet<_>>() == strict.vocab {
        return Err(fail(format!(
            "the hand corpus, min_count = {MIN_COUNT}: you kept the words seen MORE than \
             {MIN_COUNT} times; a word seen exactly min_count times is kept"
        )));
    }
    compare_vocabulary(
        "train([\"The whale swam.\", \"The whale dived!\", \"A ship sailed.\", \"The ship \
         sank.\"], min_count = 2)",
        &got,
        &Reference::new(&hand, MIN_COUNT, LAMBDA, K),
    )
    .hint("count the words of the training paragraphs; keep those seen at least min_count times, then add `<unk>` and `</s>`")?;
    let mut rng = split::rng(11);
    for case in 0..4 {
        let corpus = random_corpus(&mut rng, 30);
        let min_count = 1 + case % 3;
        let model = train(&corpus, min_count, LAMBDA, K);
        let got = vocabulary_of(&model, "a random corpus")?;
        compare_vocabulary(
            &format!("random corpus {case} (30 paragraphs, min_count = {min_count})"),
            &got,
            &Reference::new(&corpus, min_count, LAMBDA, K),
        )?;
    }
    pass(
        "the vocabulary (words seen at least min_count times, `<unk>`, `</s>`) on the hand corpus and 4 random ones",
    )
}

/// The sum of P(. | context) over `vocab`, with every value validated.
fn distribution_sum(model: &BigramLm, context: &str, vocab: &[String]) -> Result<f64, Failed> {
    let mut sum = 0.0;
    for w in vocab {
        let p = model.prob(context, w);
        ensure(p.is_finite() && (0.0..=1.0).contains(&p), || {
            format!("prob({context:?}, {w:?}) = {p}: a probability lies in [0, 1]")
        })?;
        sum += p;
    }
    Ok(sum)
}

fn check_sums(
    what: &str,
    model: &BigramLm,
    reference: &Reference,
    contexts: &[String],
) -> Result<(), Failed> {
    let vocab: Vec<String> = reference.vocab.iter().cloned().collect();
    let v = vocab.len() as f64;
    // The sum when the unigram's denominator is N (add-k numerator only).
    let lacking_v = LAMBDA + (1.0 - LAMBDA) * (reference.n + K * v) / reference.n;
    for context in contexts {
        let sum = distribution_sum(model, context, &vocab)?;
        if (sum - 1.0).abs() > 1e-9 {
            let why = if context == "</s>" && (sum - (1.0 - LAMBDA)).abs() < 1e-6 {
                ": c(v) counts v as a context (the sum of c(v, w) over w); nothing follows \
                 `</s>`, so c(\"</s>\") = 0 and P(. | \"</s>\") is the unigram alone (did you \
                 divide by the unigram count of v?)"
            } else if (sum - lacking_v).abs() < 1e-6 {
                ": the unigram denominator lacks k|V| (add k to each of the |V| counts, so \
                 add k |V| to N)"
            } else if sum < 1.0 - 1e-9 {
                ": some probability mass is missing"
            } else {
                ""
            };
            return Err(fail(format!(
                "{what}: P(w | {context:?}) summed over the {} vocabulary tokens gives {}, not 1{why}",
                vocab.len(),
                fmt(sum)
            )));
        }
    }
    Ok(())
}

fn check_sums_to_one() -> Graded {
    let hand = hand_corpus();
    let model = train(&hand, MIN_COUNT, LAMBDA, K);
    let reference = Reference::new(&hand, MIN_COUNT, LAMBDA, K);
    let mut contexts: Vec<String> = ["<s>", "kraken"].iter().map(|s| s.to_string()).collect();
    contexts.extend(reference.vocab.iter().cloned());
    check_sums("the hand corpus", &model, &reference, &contexts)
        .hint("P_unigram(w) = (c(w) + k) / (N + k |V|) sums to 1 over the vocabulary, and so does c(v, w) / c(v)")?;
    let corpus = moby_train()?;
    let model = train(&corpus, MIN_COUNT, LAMBDA, K);
    let reference = Reference::new(&corpus, MIN_COUNT, LAMBDA, K);
    let contexts: Vec<String> = ["<s>", "the", "whale", "ahab", "<unk>", "</s>", "zzyzx"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    check_sums(
        "Moby-Dick's training sections",
        &model,
        &reference,
        &contexts,
    )?;
    pass(format!(
        "P(. | v) sums to 1 over the vocabulary for every context of the hand corpus and 7 of \
         Moby-Dick's (|V| = {}), `<s>`, `</s>` and an unseen word included",
        reference.vocab.len()
    ))
}

fn check_probabilities() -> Graded {
    let hand = hand_corpus();
    let mut cases = vec![("the hand corpus".to_string(), hand, LAMBDA, K)];
    let mut rng = split::rng(23);
    // Other weights and pseudo-counts: a swapped lambda or a fixed k changes the answer.
    for (case, (lambda, k)) in [(0.7, 0.5), (0.3, 2.0), (0.9, 0.1)].into_iter().enumerate() {
        cases.push((
            format!("random corpus {case} (lambda = {lambda}, k = {k})"),
            random_corpus(&mut rng, 25),
            lambda,
            k,
        ));
    }
    for (what, corpus, lambda, k) in &cases {
        let (lambda, k) = (*lambda, *k);
        let model = train(corpus, MIN_COUNT, lambda, k);
        let reference = Reference::new(corpus, MIN_COUNT, lambda, k);
        let swapped = Reference::new(corpus, MIN_COUNT, 1.0 - lambda, k);
        let laplace = Reference::new(corpus, MIN_COUNT, lambda, 1.0);
        // The wrong variant that drops the paragraphs without words (their `<s> </s>`).
        let with_words: Vec<String> = corpus
            .iter()
            .filter(|p| !tokens(p).is_empty())
            .cloned()
            .collect();
        let skipped = Reference::new(&with_words, MIN_COUNT, lambda, k);
        let mut contexts: Vec<String> = vec!["<s>".into(), "kraken".into()];
        contexts.extend(reference.vocab.iter().cloned());
        let mut words: Vec<String> = reference.vocab.iter().cloned().collect();
        words.push("kraken".into());
        for v in &contexts {
            for w in &words {
                let got = model.prob(v, w);
                let expected = reference.prob(v, w);
                if got == 0.0 && expected > 0.0 {
                    return Err(fail(format!(
                        "{what}: prob({v:?}, {w:?}) = 0: no smoothing, so one unseen bigram \
                         makes the held-out perplexity infinite"
                    )))
                    .hint("mix the bigram estimate with the Laplace unigram: lambda c(v, w) / c(v) + (1 - lambda) (c(w) + k) / (N + k |V|)");
                }
                if w == "kraken" && (got - model.prob(v, "<unk>")).abs() > 1e-12 {
                    return Err(fail(format!(
                        "{what}: prob({v:?}, \"kraken\") differs from prob({v:?}, \"<unk>\"): \
                         a word outside the vocabulary must be read as `<unk>`"
                    )));
                }
                close_naming(
                    &format!("{what}: prob({v:?}, {w:?})"),
                    got,
                    expected,
                    1e-9 * expected.max(1e-3),
                    &[
                        (
                            swapped.prob(v, w),
                            "lambda and 1 - lambda are swapped: lambda weighs the bigram \
                             estimate c(v, w) / c(v), 1 - lambda the unigram",
                        ),
                        (
                            laplace.prob(v, w),
                            "k was ignored (1 used whatever k is asked): the unigram is \
                             (c(w) + k) / (N + k |V|)",
                        ),
                        (
                            reference.prob_unigram_context(v, w),
                            "c(v) must count v as a context (the sum of c(v, w) over w), not as \
                             a predicted token: c(\"<s>\") is the number of paragraphs, \
                             c(\"</s>\") is 0",
                        ),
                        (
                            skipped.prob(v, w),
                            "the empty paragraph was skipped: a paragraph without words is \
                             still the sequence `<s> </s>`, which counts one `</s>`",
                        ),
                    ],
                )
                .hint("P(w | v) = lambda c(v, w) / c(v) + (1 - lambda) (c(w) + k) / (N + k |V|); just the unigram term when c(v) = 0")?;
            }
        }
    }
    // One value by hand: the whale <unk> </s> twice, <unk> ship <unk> </s>, the ship <unk> </s>;
    // N = 16, |V| = 5; c(the) = 3, c(the, whale) = 2, c(whale) = 2:
    // 0.5 * 2/3 + 0.5 * (2 + 1) / (16 + 5) = 0.4047619...
    let model = train(&hand_corpus(), MIN_COUNT, LAMBDA, K);
    close(
        "hand corpus: prob(\"the\", \"whale\") = 0.5 * 2/3 + 0.5 * 3/21",
        model.prob("the", "whale"),
        0.5 * 2.0 / 3.0 + 0.5 * 3.0 / 21.0,
        1e-12,
    )?;
    pass("every P(w | v) of the hand corpus and 3 random ones, unseen words read as `<unk>`")
}

fn check_perplexity() -> Graded {
    let mut cases = vec![(
        "the hand corpus".to_string(),
        hand_corpus(),
        ["The whale sank.", "A kraken rose", "the ship", ""]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    )];
    let mut rng = split::rng(37);
    for case in 0..3 {
        let train_part = random_corpus(&mut rng, 25);
        let mut test_part = random_corpus(&mut rng, 6);
        test_part.push("Moby Dick the whale".into());
        cases.push((format!("random corpus {case}"), train_part, test_part));
    }
    for (what, train_part, test_part) in &cases {
        let model = train(train_part, MIN_COUNT, LAMBDA, K);
        let reference = Reference::new(train_part, MIN_COUNT, LAMBDA, K);
        let got = perplexity(&model, test_part);
        let [right, log10, total, no_eos] = reference.perplexities(test_part);
        let with_words: Vec<String> = test_part
            .iter()
            .filter(|p| !tokens(p).is_empty())
            .cloned()
            .collect();
        let [skipped, ..] = reference.perplexities(&with_words);
        // The held-out words outside the vocabulary added to it as new types of count 0.
        let mut leaked = Reference::new(train_part, MIN_COUNT, LAMBDA, K);
        for p in test_part {
            for w in tokens(p) {
                leaked.vocab.insert(w);
            }
        }
        let [leak, ..] = leaked.perplexities(test_part);
        let tol = 1e-9 * right;
        close_naming(
            &format!("{what}: perplexity on {} held-out paragraphs", test_part.len()),
            got,
            right,
            tol,
            &[
                (log10, "the log-probabilities were taken with log10 but exponentiated with exp (use ln, or 10^ with log10)"),
                (total, "exp of the total log-probability instead of the mean (divide by the number of predicted tokens)"),
                (no_eos, "`</s>` not counted: each paragraph predicts its words and then `</s>`"),
                (skipped, "the empty paragraph was skipped: a paragraph without words still predicts its `</s>` (one per paragraph)"),
                (leak, "the held-out words added to the vocabulary (a vocabulary built on train + test): map them to `<unk>`"),
            ],
        )
        .hint("exp(-(sum of ln P(w_i | w_i-1)) / M), M = number of words + one `</s>` per paragraph")?;
    }
    pass(
        "perplexity = exp(-mean ln P) over every word and `</s>`, on the hand case and 3 random ones",
    )
}

/// Moby-Dick's paragraphs split by section: 110 sections to train, 28 held out.
fn moby_split() -> Result<(Vec<String>, Vec<String>), Failed> {
    let table = Table::dataset("moby_dick.csv")
        .map_err(|e| fail(format!("the grader could not load moby_dick.csv: {e}")))?;
    let text = table
        .text_column("text")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?;
    let sections = table
        .numeric_column("section_no")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?;
    let (_, test) = split::train_test(138, 0.2, SPLIT_SEED);
    let held: BTreeSet<usize> = test.into_iter().map(|i| i + 1).collect();
    let (mut train_part, mut test_part) = (Vec::new(), Vec::new());
    for (t, s) in text.iter().zip(&sections) {
        let paragraph = t.unwrap_or("").to_string();
        if held.contains(&(s.unwrap_or(0.0) as usize)) {
            test_part.push(paragraph);
        } else {
            train_part.push(paragraph);
        }
    }
    Ok((train_part, test_part))
}

fn moby_train() -> Result<Vec<String>, Failed> {
    Ok(moby_split()?.0)
}

fn check_held_out() -> Graded {
    let (train_part, test_part) = moby_split()?;
    let model = train(&train_part, MIN_COUNT, LAMBDA, K);
    let reference = Reference::new(&train_part, MIN_COUNT, LAMBDA, K);
    let vocab = vocabulary_of(&model, "Moby-Dick")?;
    compare_vocabulary("Moby-Dick's training sections", &vocab, &reference)?;
    let sequences: Vec<Vec<String>> = test_part.iter().map(|p| reference.sequence(p)).collect();
    // Probabilities must be distributions: check 12 contexts drawn from the held-out text.
    let mut rng = split::rng(5);
    let mut contexts = Vec::new();
    for _ in 0..12 {
        let s = &sequences[rng.gen_range(0..sequences.len())];
        contexts.push(s[rng.gen_range(0..s.len() - 1)].clone());
    }
    check_sums("Moby-Dick", &model, &reference, &contexts)?;
    let (mut log_sum, mut count) = (0.0, 0.0);
    let (mut unigram_sum, mut bigram_sum) = (0.0, 0.0);
    let v = reference.vocab.len() as f64;
    let add_k = 0.01;
    for s in &sequences {
        for i in 1..s.len() {
            let p = model.prob(&s[i - 1], &s[i]);
            ensure(p.is_finite() && p > 0.0 && p <= 1.0, || {
                format!(
                    "prob({:?}, {:?}) = {p} on held-out text: every probability must be in (0, 1] (0 makes the perplexity infinite)",
                    s[i - 1],
                    s[i]
                )
            })?;
            // Every probability the bar uses must be the model's: a prob that remembered what
            // it was asked could otherwise score the held-out text. The report names no
            // held-out word.
            let expected = reference.prob(&s[i - 1], &s[i]);
            ensure((p - expected).abs() <= 1e-9 * expected, || {
                format!(
                    "on a held-out bigram, prob gave {}, but the interpolated model trained on \
                     these sections gives {}: the held-out perplexity is only graded for the \
                     model of the statement (see the check `probabilities`)",
                    fmt(p),
                    fmt(expected)
                )
            })?;
            log_sum += p.ln();
            count += 1.0;
            let c_w = reference.unigram.get(&s[i]).copied().unwrap_or(0.0);
            unigram_sum += ((c_w + 1.0) / (reference.n + v)).ln();
            let c_v = reference.context.get(&s[i - 1]).copied().unwrap_or(0.0);
            let key = (s[i - 1].clone(), s[i].clone());
            let c_vw = reference.pair.get(&key).copied().unwrap_or(0.0);
            bigram_sum += ((c_vw + add_k) / (c_v + add_k * v)).ln();
        }
    }
    let value = (-log_sum / count).exp();
    let unigram = (-unigram_sum / count).exp();
    let bigram = (-bigram_sum / count).exp();
    show(Figure::Table {
        title: "held-out perplexity (28 sections of Moby-Dick; lower is better)".into(),
        row_labels: vec![
            "uniform (= |V|)".into(),
            "Laplace unigram".into(),
            "add-0.01 bigram".into(),
            "your interpolated bigram".into(),
        ],
        column_labels: vec!["perplexity".into()],
        cells: vec![vec![v], vec![unigram], vec![bigram], vec![value]],
    });
    bar(
        "held-out perplexity (28 of 138 sections)",
        value,
        PERPLEXITY_BAR,
        Goal::AtMost,
    )
    .note(&format!(
        "; uniform {}, Laplace unigram {}, add-0.01 bigram {}",
        fmt(v),
        fmt(unigram),
        fmt(bigram)
    ))
}
