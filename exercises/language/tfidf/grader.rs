// Grader of language/tfidf.

use std::collections::{BTreeMap, BTreeSet};

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::Array2;
use rand::Rng;

use super::exercise::{Tfidf, fit, tokenize, train_test_features, transform};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("smooth_idf", smooth_idf),
    ("transform_rows", transform_rows),
    ("fit_on_train_only", fit_on_train_only),
    ("sotu_tfidf", sotu_tfidf),
];

/// The idf formula of this exercise and the classic wrong ones.
#[derive(Clone, Copy, PartialEq)]
enum Idf {
    Smooth,
    SmoothNoPlusOne,
    NonSmooth,
    Log10,
    Plain,
    /// Smooth, but df counted as occurrences.
    Occurrences,
    /// Smooth, but (1 + n) / (1 + df) divided in integers (truncated).
    IntegerDivision,
}

fn idf_value(formula: Idf, n: f64, df: f64, count: f64) -> f64 {
    match formula {
        Idf::Smooth => ((1.0 + n) / (1.0 + df)).ln() + 1.0,
        Idf::SmoothNoPlusOne => ((1.0 + n) / (1.0 + df)).ln(),
        Idf::NonSmooth => (n / df).ln() + 1.0,
        Idf::Log10 => ((1.0 + n) / (1.0 + df)).log10() + 1.0,
        Idf::Plain => (n / df).ln(),
        Idf::Occurrences => ((1.0 + n) / (1.0 + count)).ln() + 1.0,
        Idf::IntegerDivision => ((1.0 + n) / (1.0 + df)).floor().ln() + 1.0,
    }
}

const WRONG_IDF: [(Idf, &str); 6] = [
    (
        Idf::SmoothNoPlusOne,
        "idf without the final + 1: a term in every document gets ln 1 = 0 and vanishes",
    ),
    (
        Idf::NonSmooth,
        "non-smooth idf ln(n / df) + 1 (scikit-learn's smooth_idf=False): add 1 to n and to df",
    ),
    (Idf::Log10, "log10 instead of the natural logarithm ln"),
    (Idf::Plain, "idf = ln(n / df), without smoothing or the + 1"),
    (
        Idf::Occurrences,
        "document frequency counted occurrences of the term, not the documents that contain it",
    ),
    (
        Idf::IntegerDivision,
        "(1 + n) / (1 + df) computed by integer division, which truncates: convert n and df to f64 before dividing",
    ),
];

/// The grader's fit: sorted vocabulary and idf by `formula`.
fn grader_fit(docs: &[Vec<String>], formula: Idf) -> (Vec<String>, Vec<f64>) {
    let mut df: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for doc in docs {
        let distinct: BTreeSet<&str> = doc.iter().map(String::as_str).collect();
        for term in distinct {
            df.entry(term).or_insert((0.0, 0.0)).0 += 1.0;
        }
        for term in doc {
            df.entry(term).or_insert((0.0, 0.0)).1 += 1.0;
        }
    }
    let n = docs.len() as f64;
    let vocabulary: Vec<String> = df.keys().map(|t| t.to_string()).collect();
    let idf = df
        .values()
        .map(|&(d, c)| idf_value(formula, n, d, c))
        .collect();
    (vocabulary, idf)
}

#[derive(Clone, Copy, PartialEq)]
enum Norm {
    Rows,
    Columns,
    Unnormalized,
    L1Rows,
    NoIdf,
    Binary,
    /// Counts l2-normalized first, then multiplied by the idf (rows no longer of norm 1).
    IdfLast,
}

fn grader_transform(
    vocabulary: &[String],
    idf: &[f64],
    docs: &[Vec<String>],
    norm: Norm,
) -> Array2<f64> {
    let column: BTreeMap<&str, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(j, t)| (t.as_str(), j))
        .collect();
    let mut x = Array2::zeros((docs.len(), vocabulary.len()));
    for (i, doc) in docs.iter().enumerate() {
        for token in doc {
            if let Some(&j) = column.get(token.as_str()) {
                x[[i, j]] += 1.0;
            }
        }
        for j in 0..vocabulary.len() {
            let count: f64 = x[[i, j]];
            let tf = if norm == Norm::Binary {
                count.min(1.0)
            } else {
                count
            };
            x[[i, j]] = if norm == Norm::NoIdf || norm == Norm::IdfLast {
                tf
            } else {
                tf * idf[j]
            };
        }
    }
    match norm {
        Norm::Columns => {
            for j in 0..x.ncols() {
                let s: f64 = (0..x.nrows())
                    .map(|i| x[[i, j]] * x[[i, j]])
                    .sum::<f64>()
                    .sqrt();
                if s > 0.0 {
                    for i in 0..x.nrows() {
                        x[[i, j]] /= s;
                    }
                }
            }
        }
        Norm::Unnormalized => {}
        Norm::IdfLast => {
            for i in 0..x.nrows() {
                let s: f64 = (0..x.ncols())
                    .map(|j| x[[i, j]] * x[[i, j]])
                    .sum::<f64>()
                    .sqrt();
                for j in 0..x.ncols() {
                    if s > 0.0 {
                        x[[i, j]] /= s;
                    }
                    x[[i, j]] *= idf[j];
                }
            }
        }
        _ => {
            for i in 0..x.nrows() {
                let s: f64 = if norm == Norm::L1Rows {
                    (0..x.ncols()).map(|j| x[[i, j]].abs()).sum()
                } else {
                    (0..x.ncols())
                        .map(|j| x[[i, j]] * x[[i, j]])
                        .sum::<f64>()
                        .sqrt()
                };
                if s > 0.0 {
                    for j in 0..x.ncols() {
                        x[[i, j]] /= s;
                    }
                }
            }
        }
    }
    x
}

const WRONG_NORM: [(Norm, &str); 6] = [
    (
        Norm::Columns,
        "each column (term) was normalized instead of each row (document)",
    ),
    (Norm::Unnormalized, "the rows were not l2-normalized"),
    (
        Norm::L1Rows,
        "rows divided by their l1 norm (sum of values), not their l2 (Euclidean) norm",
    ),
    (Norm::NoIdf, "the counts were not multiplied by the idf"),
    (
        Norm::Binary,
        "tf was 0/1 (does the document contain the term?) instead of the raw count",
    ),
    (
        Norm::IdfLast,
        "the count rows were l2-normalized before multiplying by the idf, so they no longer have norm 1: multiply by the idf first, then normalize",
    ),
];

fn doc(words: &str) -> Vec<String> {
    words.split_whitespace().map(str::to_string).collect()
}

/// n = 4. df: the 4 (in every document), whale 2 (3 occurrences), sea 2, ship 1, oil 1.
fn hand_docs() -> Vec<Vec<String>> {
    vec![
        doc("the whale the sea"),
        doc("the ship"),
        doc("the whale whale"),
        doc("the oil sea"),
    ]
}

fn random_corpus(rng: &mut impl Rng, n_docs: usize) -> Vec<Vec<String>> {
    let words = [
        "the", "whale", "sea", "ship", "ahab", "boat", "oil", "mast", "deck", "crew", "sail",
        "wind", "harpoon", "pequod", "kraken",
    ];
    (0..n_docs)
        .map(|_| {
            let length = rng.gen_range(0..9);
            (0..length)
                .map(|_| {
                    let r: f64 = rng.r#gen();
                    words[((r * r * words.len() as f64) as usize).min(words.len() - 1)].to_string()
                })
                .collect()
        })
        .collect()
}

fn compare_model(what: &str, docs: &[Vec<String>], model: &Tfidf) -> Result<(), Failed> {
    let (vocabulary, idf) = grader_fit(docs, Idf::Smooth);
    if model.vocabulary != vocabulary {
        let mut sorted = model.vocabulary.clone();
        sorted.sort();
        let why = if sorted == vocabulary {
            ": the right terms, but not sorted alphabetically"
        } else {
            ""
        };
        return Err(fail(format!(
            "{what}: vocabulary: expected {}, got {}{why}{}",
            terms(&vocabulary),
            terms(&model.vocabulary),
            first_difference(&vocabulary, &model.vocabulary)
        )));
    }
    equal(
        &format!("{what}: number of idf values"),
        &model.idf.len(),
        &idf.len(),
    )?;
    let matches = |expected: &[f64]| {
        model
            .idf
            .iter()
            .zip(expected)
            .all(|(g, e)| (g - e).abs() <= 1e-9)
    };
    if matches(&idf) {
        return Ok(());
    }
    for (formula, why) in WRONG_IDF {
        let (_, wrong) = grader_fit(docs, formula);
        if matches(&wrong) {
            return Err(fail(format!(
                "{what}: idf of {}: expected {}, got {}: {why}",
                terms(&vocabulary),
                list(&idf),
                list(&model.idf)
            )));
        }
    }
    all_close(
        &format!("{what}: idf of {}", terms(&vocabulary)),
        &model.idf,
        &idf,
        1e-9,
    )
    .hint("idf_j = ((1 + n) / (1 + df_j)).ln() + 1, df_j = documents containing term j")
}

/// Up to 8 terms, for messages (the State of the Union vocabulary has thousands).
fn terms(vocabulary: &[String]) -> String {
    let shown: Vec<String> = vocabulary
        .iter()
        .take(8)
        .map(|t| format!("{t:?}"))
        .collect();
    let more = if vocabulary.len() > 8 {
        format!(", ... ({} terms)", vocabulary.len())
    } else {
        String::new()
    };
    format!("[{}{more}]", shown.join(", "))
}

/// Where two vocabularies first differ, for long ones.
fn first_difference(expected: &[String], got: &[String]) -> String {
    if expected.len() <= 8 && got.len() <= 8 {
        return String::new();
    }
    let k = expected.iter().zip(got).take_while(|(e, g)| e == g).count();
    format!(
        " (first difference at position {k}: expected {:?}, got {:?})",
        expected.get(k),
        got.get(k)
    )
}

fn list(values: &[f64]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|v| fmt(*v)).collect();
    let more = if values.len() > 8 { ", ..." } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

fn smooth_idf() -> Graded {
    let docs = hand_docs();
    compare_model(
        "fit([the whale the sea | the ship | the whale whale | the oil sea])",
        &docs,
        &fit(&docs),
    )?;
    let mut rng = learnml_kit::split::rng(41);
    for case in 0..5 {
        let docs = random_corpus(&mut rng, 6 + 3 * case);
        compare_model(&format!("seeded corpus {case}"), &docs, &fit(&docs))?;
    }
    pass(
        "sorted vocabulary; idf = ln((1 + n) / (1 + df)) + 1 within 1e-9 (1 hand case, 5 seeded corpora)",
    )
}

/// Compare two matrices, naming the first cell that differs, without a string per cell.
fn same_matrix(got: &Array2<f64>, expected: &Array2<f64>) -> Option<(usize, usize)> {
    if got.dim() != expected.dim() {
        return Some((usize::MAX, usize::MAX));
    }
    expected
        .indexed_iter()
        .find(|&((i, j), e)| (got[[i, j]] - e).abs().is_nan() || (got[[i, j]] - e).abs() > 1e-9)
        .map(|(index, _)| index)
}

fn compare_transform(
    what: &str,
    vocabulary: &[String],
    idf: &[f64],
    docs: &[Vec<String>],
    got: &Array2<f64>,
) -> Result<(), Failed> {
    let expected = grader_transform(vocabulary, idf, docs, Norm::Rows);
    equal(
        &format!("{what}: shape (documents, terms)"),
        &got.dim(),
        &expected.dim(),
    )?;
    for (i, d) in docs.iter().enumerate() {
        if got.row(i).iter().any(|v| v.is_nan()) {
            return Err(fail(format!(
                "{what}: row {i} ({:?}) has NaN: a document without vocabulary terms has norm 0, and 0 / 0 is NaN; its row must stay zeros",
                d.join(" ")
            )))
            .hint("divide a row by its norm only when the norm is > 0");
        }
    }
    let Some((i, j)) = same_matrix(got, &expected) else {
        return Ok(());
    };
    for (norm, why) in WRONG_NORM {
        let wrong = grader_transform(vocabulary, idf, docs, norm);
        if same_matrix(&wrong, &expected).is_some() && same_matrix(got, &wrong).is_none() {
            return Err(fail(format!(
                "{what}: entry [{i}, {j}]: expected {}, got {}: {why}",
                fmt(expected[[i, j]]),
                fmt(got[[i, j]])
            )));
        }
    }
    Err(fail(format!(
        "{what}: entry [{i}, {j}] (document {i}, term {:?}): expected {}, got {}",
        vocabulary[j],
        fmt(expected[[i, j]]),
        fmt(got[[i, j]])
    )))
}

fn transform_rows() -> Graded {
    let (vocabulary, idf) = grader_fit(&hand_docs(), Idf::Smooth);
    let model = Tfidf {
        vocabulary: vocabulary.clone(),
        idf: idf.clone(),
    };
    let mut docs = hand_docs();
    docs.push(Vec::new());
    docs.push(doc("ahab queequeg"));
    docs.push(doc("whale whale sea ahab"));
    let got = transform(&model, &docs);
    compare_transform(
        "transform([the whale the sea | the ship | the whale whale | the oil sea | (empty) | ahab queequeg | whale whale sea ahab])",
        &vocabulary,
        &idf,
        &docs,
        &got,
    )?;
    let mut rng = learnml_kit::split::rng(42);
    for case in 0..4 {
        let train = random_corpus(&mut rng, 8);
        let test = random_corpus(&mut rng, 6);
        let (vocabulary, idf) = grader_fit(&train, Idf::Smooth);
        let model = Tfidf {
            vocabulary: vocabulary.clone(),
            idf: idf.clone(),
        };
        let got = transform(&model, &test);
        compare_transform(
            &format!("seeded case {case}"),
            &vocabulary,
            &idf,
            &test,
            &got,
        )?;
    }
    pass("tf x idf, rows of l2 norm 1, rows without known terms all zero (1 hand case, 4 seeded)")
}

fn fit_on_train_only() -> Graded {
    let train = hand_docs();
    let test = vec![
        doc("the kraken"),
        doc("whale kraken sea sea"),
        doc("the the"),
    ];
    let (model, x_train, x_test) = train_test_features(&train, &test);
    let (vocabulary, idf) = grader_fit(&train, Idf::Smooth);
    let both: Vec<Vec<String>> = train.iter().chain(&test).cloned().collect();
    let (vocabulary_both, idf_both) = grader_fit(&both, Idf::Smooth);
    if model.vocabulary.iter().any(|t| t == "kraken") {
        return Err(fail(format!(
            "vocabulary: expected {vocabulary:?}, got {:?}: fitted on train + test (\"kraken\" occurs only in the test documents); fit on the training documents only",
            model.vocabulary
        )))
        .hint("`let model = fit(train);` then transform train and test with it");
    }
    if model.vocabulary == vocabulary && model.idf.len() == idf.len() {
        let restricted: Vec<f64> = vocabulary
            .iter()
            .map(|t| idf_both[vocabulary_both.iter().position(|u| u == t).unwrap_or(0)])
            .collect();
        let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9);
        if same(&model.idf, &restricted) && !same(&restricted, &idf) {
            return Err(fail(format!(
                "idf: expected {}, got {}: document frequencies counted on train + test; the idf comes from the training documents only",
                list(&idf),
                list(&model.idf)
            )));
        }
    }
    compare_model("the model fitted by train_test_features", &train, &model)?;
    compare_transform("train matrix", &vocabulary, &idf, &train, &x_train)?;
    compare_transform(
        "test matrix [the kraken | whale kraken sea sea | the the]",
        &vocabulary,
        &idf,
        &test,
        &x_test,
    )?;
    pass(
        "vocabulary and idf from the 4 training documents; the test-only term \"kraken\" is ignored",
    )
}

fn sotu_tfidf() -> Graded {
    let table = Table::dataset("sotu_sentences.csv").map_err(|e| fail(e.to_string()))?;
    let texts = table.text_column("text").map_err(|e| fail(e.to_string()))?;
    ensure(tokenize("It's") == vec!["it".to_string()], || {
        "the given `tokenize` was changed: restore it from the stub".into()
    })?;
    // The grader's own tokenizer (the rule of language/tokenize).
    let docs: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            t.unwrap_or("")
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 2)
                .map(str::to_string)
                .collect()
        })
        .collect();
    let order = learnml_kit::split::shuffled(docs.len(), 43);
    let train: Vec<Vec<String>> = order[..1500].iter().map(|&i| docs[i].clone()).collect();
    let test: Vec<Vec<String>> = order[1500..2000].iter().map(|&i| docs[i].clone()).collect();
    let (vocabulary, idf) = grader_fit(&train, Idf::Smooth);
    let known: BTreeSet<&String> = vocabulary.iter().collect();
    let test_tokens: usize = test.iter().map(Vec::len).sum();
    let unknown = test.iter().flatten().filter(|t| !known.contains(t)).count();
    // Figure: the terms with the largest idf-weighted mean in the test sentences.
    let expected_test = grader_transform(&vocabulary, &idf, &test, Norm::Rows);
    let mut mean_weight: Vec<(usize, f64)> = (0..vocabulary.len())
        .map(|j| (j, expected_test.column(j).sum() / test.len() as f64))
        .collect();
    mean_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    show(Figure::Table {
        title: "Test sentences: terms with the largest mean TF-IDF weight".into(),
        row_labels: mean_weight
            .iter()
            .take(10)
            .map(|&(j, _)| vocabulary[j].clone())
            .collect(),
        column_labels: vec!["idf".into(), "mean weight".into()],
        cells: mean_weight
            .iter()
            .take(10)
            .map(|&(j, w)| vec![idf[j], w])
            .collect(),
    });
    let (model, x_train, x_test) = train_test_features(&train, &test);
    if model.vocabulary.len() > vocabulary.len() {
        return Err(fail(format!(
            "vocabulary of the 1500 training sentences: expected {} terms, got {}: test-only terms entered the vocabulary (fitted on train + test)",
            vocabulary.len(),
            model.vocabulary.len()
        )));
    }
    compare_model(
        "State of the Union, 1500 training sentences",
        &train,
        &model,
    )?;
    compare_transform(
        "train matrix (1500 sentences)",
        &vocabulary,
        &idf,
        &train,
        &x_train,
    )?;
    compare_transform(
        "test matrix (500 sentences)",
        &vocabulary,
        &idf,
        &test,
        &x_test,
    )?;
    pass(format!(
        "{} terms fitted on 1500 sentences; matrices within 1e-9; {} of the {test_tokens} test tokens ({:.1} %) are not in the training vocabulary and are ignored",
        vocabulary.len(),
        unknown,
        100.0 * unknown as f64 / test_tokens as f64
    ))
}
