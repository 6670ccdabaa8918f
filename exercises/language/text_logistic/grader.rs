// Grader of language/text_logistic.

use std::collections::{BTreeMap, BTreeSet};

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, Array2};
use rand::Rng;

use super::exercise::{features, party_terms, top_terms, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("top_terms", top_terms_check),
    ("features_train_only", features_train_only),
    ("held_out_f1", held_out_f1),
    ("party_terms", party_terms_check),
];

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The grader's top terms: k largest coefficients descending, k smallest ascending, ties
/// alphabetical (selection, written plainly).
fn grader_top(vocabulary: &[String], coefficients: &[f64], k: usize, sign: f64) -> Vec<String> {
    let mut taken = vec![false; vocabulary.len()];
    let mut out = Vec::new();
    while out.len() < k.min(vocabulary.len()) {
        let mut best: Option<usize> = None;
        for j in 0..vocabulary.len() {
            if taken[j] {
                continue;
            }
            best = match best {
                None => Some(j),
                Some(b) => {
                    let (cj, cb) = (sign * coefficients[j], sign * coefficients[b]);
                    if cj > cb || (cj == cb && vocabulary[j] < vocabulary[b]) {
                        Some(j)
                    } else {
                        Some(b)
                    }
                }
            };
        }
        let b = best.unwrap_or(0);
        taken[b] = true;
        out.push(vocabulary[b].clone());
    }
    out
}

fn compare_top(
    what: &str,
    vocabulary: &[String],
    coefficients: &[f64],
    k: usize,
) -> Result<(), Failed> {
    let (positive, negative) = top_terms(vocabulary, coefficients, k);
    let expected_positive = grader_top(vocabulary, coefficients, k, 1.0);
    let expected_negative = grader_top(vocabulary, coefficients, k, -1.0);
    if positive == expected_positive && negative == expected_negative {
        return Ok(());
    }
    let head = format!(
        "{what}, k = {k}: expected largest {expected_positive:?} and most negative {expected_negative:?}, got {positive:?} and {negative:?}"
    );
    if positive == expected_negative && negative == expected_positive {
        return Err(fail(format!(
            "{head}: the two lists are swapped (signs reversed)"
        )));
    }
    // The descending order read from its end: most negative first, but ties reversed.
    let mut from_end = grader_top(vocabulary, coefficients, vocabulary.len(), 1.0);
    from_end.reverse();
    from_end.truncate(k);
    if positive == expected_positive && negative == from_end {
        return Err(fail(format!(
            "{head}: equal coefficients in the negative list in reverse alphabetical order: reading the descending order from its end reverses the tie-break; sort ascending, ties alphabetically"
        )));
    }
    let by_abs = grader_top(
        vocabulary,
        &coefficients.iter().map(|c| c.abs()).collect::<Vec<_>>(),
        k,
        1.0,
    );
    if (positive == by_abs && by_abs != expected_positive)
        || (negative == by_abs && by_abs != expected_negative)
    {
        return Err(fail(format!(
            "{head}: sorted by absolute value, which mixes the terms of both classes"
        )))
        .hint("sort by the signed coefficient: the largest for one class, the most negative for the other");
    }
    let mut reversed = expected_negative.clone();
    reversed.reverse();
    if negative == reversed && reversed != expected_negative {
        return Err(fail(format!(
            "{head}: the negative list must start with the most negative coefficient"
        )));
    }
    Err(fail(head))
}

fn top_terms_check() -> Graded {
    let vocabulary = strings(&["a", "b", "c", "d", "e", "f"]);
    compare_top(
        "coefficients a 0.5, b -1.2, c 2, d -0.3, e 1.5, f -2.5",
        &vocabulary,
        &[0.5, -1.2, 2.0, -0.3, 1.5, -2.5],
        2,
    )?;
    compare_top(
        "coefficients pear 1, apple 1, fig -1, kiwi -1",
        &strings(&["pear", "apple", "fig", "kiwi"]),
        &[1.0, 1.0, -1.0, -1.0],
        1,
    )?;
    let mut rng = learnml_kit::split::rng(61);
    for case in 0..5 {
        let n = 12 + 4 * case;
        let vocabulary: Vec<String> = (0..n).map(|j| format!("t{:02}", (j * 7) % n)).collect();
        let coefficients: Vec<f64> = (0..n).map(|_| rng.gen_range(-3.0..3.0)).collect();
        compare_top(
            &format!("seeded case {case} ({n} terms)"),
            &vocabulary,
            &coefficients,
            4,
        )?;
    }
    pass(
        "largest positive and most negative coefficients, each from its own end (2 hand cases, 5 seeded)",
    )
}

fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| p.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// The grader's TF-IDF (smooth idf, l2 rows) fitted on `train`, keeping the `max_features`
/// terms of the most training documents (ties alphabetically), in alphabetical order:
/// (vocabulary, train matrix, test matrix).
fn grader_tfidf(
    train: &[Vec<String>],
    test: &[Vec<String>],
    max_features: usize,
) -> (Vec<String>, Array2<f64>, Array2<f64>) {
    let mut df: BTreeMap<&str, f64> = BTreeMap::new();
    for d in train {
        for t in d.iter().map(String::as_str).collect::<BTreeSet<_>>() {
            *df.entry(t).or_insert(0.0) += 1.0;
        }
    }
    let n = train.len() as f64;
    let mut frequent: Vec<(&str, f64)> = df.into_iter().collect();
    frequent.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    frequent.truncate(max_features);
    frequent.sort_by(|a, b| a.0.cmp(b.0));
    let kept: Vec<(&str, f64)> = frequent
        .into_iter()
        .map(|(t, d)| (t, ((1.0 + n) / (1.0 + d)).ln() + 1.0))
        .collect();
    let column: BTreeMap<&str, usize> =
        kept.iter().enumerate().map(|(j, (t, _))| (*t, j)).collect();
    let matrix = |docs: &[Vec<String>]| {
        let mut x = Array2::zeros((docs.len(), kept.len()));
        for (i, d) in docs.iter().enumerate() {
            for t in d {
                if let Some(&j) = column.get(t.as_str()) {
                    x[[i, j]] += kept[j].1;
                }
            }
            let norm = x.row(i).iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm > 0.0 {
                x.row_mut(i).mapv_inplace(|v| v / norm);
            }
        }
        x
    };
    let vocabulary = kept.iter().map(|(t, _)| t.to_string()).collect();
    (vocabulary, matrix(train), matrix(test))
}

fn max_difference(got: &Array2<f64>, expected: &Array2<f64>) -> f64 {
    got.iter()
        .zip(expected)
        .map(|(g, e)| (g - e).abs())
        .fold(
            0.0,
            |m: f64, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
        )
}

fn features_train_only() -> Graded {
    let train = strings(&[
        "The whale, the sea.",
        "The ship!",
        "The whale: whale.",
        "The oil; the sea",
    ]);
    let test = strings(&["The Kraken.", "Whale, kraken, sea, sea!", "Queequeg"]);
    let (model, x_train, x_test) = features(&train, &test);
    let train_tokens: Vec<Vec<String>> = train.iter().map(|t| tokens(t)).collect();
    let test_tokens: Vec<Vec<String>> = test.iter().map(|t| tokens(t)).collect();
    let (vocabulary, e_train, e_test) = grader_tfidf(&train_tokens, &test_tokens, usize::MAX);
    if model
        .vocabulary
        .iter()
        .any(|t| t == "kraken" || t == "queequeg")
    {
        return Err(fail(format!(
            "vocabulary: expected {vocabulary:?}, got {:?}: TF-IDF fitted on train + test (\"kraken\" occurs only in the test texts): a leak; fit on the training texts only",
            model.vocabulary
        )))
        .hint("`fit_tfidf(&train_tokens)`, then `transform_tfidf` each part with that model");
    }
    equal(
        "vocabulary fitted on the 4 training texts",
        &model.vocabulary,
        &vocabulary,
    )?;
    equal("train matrix: shape", &x_train.dim(), &e_train.dim())?;
    equal("test matrix: shape", &x_test.dim(), &e_test.dim())?;
    let d = max_difference(&x_train, &e_train).max(max_difference(&x_test, &e_test));
    ensure(d <= 1e-9, || {
        format!(
            "TF-IDF matrices differ from the smooth-idf, l2-normalized ones by up to {}: did the training texts fix the idf?",
            fmt(d)
        )
    })?;
    pass("TF-IDF fitted on the training texts only; test-only words (kraken, queequeg) are ignored")
}

/// The same matrix stored column by column: linfa's gradient (x^T r) then reads contiguous
/// memory, about 5 times faster than on row-major storage. `x.clone()` keeps the layout.
fn column_major(x: &Array2<f64>) -> Array2<f64> {
    x.t().as_standard_layout().reversed_axes().to_owned()
}

struct Split {
    vocabulary: Vec<String>,
    x_train: Array2<f64>,
    y_train: Vec<usize>,
    x_test: Array2<f64>,
    y_test: Vec<usize>,
}

fn sotu_split() -> Result<Split, Failed> {
    let table = Table::dataset("sotu_sentences.csv").map_err(|e| fail(e.to_string()))?;
    let (y, classes) = table.labels("party").map_err(|e| fail(e.to_string()))?;
    ensure(classes == ["Democratic", "Republican"], || {
        format!("unexpected classes {classes:?}")
    })?;
    let texts = table.text_column("text").map_err(|e| fail(e.to_string()))?;
    let docs: Vec<Vec<String>> = texts.iter().map(|t| tokens(t.unwrap_or(""))).collect();
    let (train, test) = learnml_kit::split::stratified_train_test(&y, 0.25, 52);
    let pick = |idx: &[usize]| idx.iter().map(|&i| docs[i].clone()).collect::<Vec<_>>();
    let (vocabulary, x_train, x_test) = grader_tfidf(&pick(&train), &pick(&test), MAX_FEATURES);
    Ok(Split {
        vocabulary,
        x_train: column_major(&x_train),
        y_train: train.iter().map(|&i| y[i]).collect(),
        x_test,
        y_test: test.iter().map(|&i| y[i]).collect(),
    })
}

fn f1_democratic(truth: &[usize], predicted: &[usize]) -> f64 {
    let tp = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| t == 0 && p == 0)
        .count() as f64;
    let wrong = truth
        .iter()
        .zip(predicted)
        .filter(|&(&t, &p)| (t == 0) != (p == 0))
        .count() as f64;
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + wrong)
    }
}

fn held_out_f1() -> Graded {
    let s = sotu_split()?;
    let model = train(&s.x_train, &s.y_train);
    equal(
        "number of coefficients (one per TF-IDF column)",
        &model.params().len(),
        &s.x_train.ncols(),
    )?;
    ensure(
        model.params().iter().all(|v| v.is_finite()) && model.intercept().is_finite(),
        || "the fitted coefficients are not all finite".into(),
    )?;
    let predicted: Array1<usize> = model.predict(&s.x_test);
    let predicted = predicted.to_vec();
    ensure(predicted.iter().all(|&c| c < 2), || {
        "predictions must be 0 or 1".into()
    })?;
    let mut cells = vec![vec![0.0; 2]; 2];
    for (&t, &p) in s.y_test.iter().zip(&predicted) {
        cells[t][p] += 1.0;
    }
    show(Figure::Table {
        title: "Held-out sentences, logistic regression on TF-IDF (rows: true party)".into(),
        row_labels: vec!["true Democratic".into(), "true Republican".into()],
        column_labels: vec!["pred. Democratic".into(), "pred. Republican".into()],
        cells,
    });
    // The reference (linfa's defaults, 100 iterations) reaches F1 0.745 on this split; 0.71
    // leaves 0.035.
    bar(
        "held-out F1 of Democratic (logistic regression)",
        f1_democratic(&s.y_test, &predicted),
        BAR,
        Goal::AtLeast,
    )
    .note("; always predicting Democratic scores F1 0.67, always Republican 0")
}

const BAR: f64 = 0.71;

/// The terms of the most training sentences kept as columns (a narrow matrix keeps linfa's
/// default 100 iterations near 1.5 s; all 1367 terms of 8+ sentences reach F1 0.757 in 7 s).
const MAX_FEATURES: usize = 700;

fn grader_fit(
    x: &Array2<f64>,
    y: &[usize],
) -> Result<FittedLogisticRegression<f64, usize>, Failed> {
    LogisticRegression::default()
        .fit(&Dataset::new(x.clone(), Array1::from(y.to_vec())))
        .map_err(|e| fail(format!("the grader's logistic regression failed: {e}")))
}

/// The expected (class 0 terms, class 1 terms) of a fitted model.
fn expected_party(
    model: &FittedLogisticRegression<f64, usize>,
    vocabulary: &[String],
    k: usize,
) -> (Vec<String>, Vec<String>) {
    let c = model.params().to_vec();
    let positive = grader_top(vocabulary, &c, k, 1.0);
    let negative = grader_top(vocabulary, &c, k, -1.0);
    if model.labels().pos.class == 0 {
        (positive, negative)
    } else {
        (negative, positive)
    }
}

fn compare_party(
    what: &str,
    model: &FittedLogisticRegression<f64, usize>,
    vocabulary: &[String],
    k: usize,
) -> Result<(), Failed> {
    let got = party_terms(model, vocabulary, k);
    let expected = expected_party(model, vocabulary, k);
    if got == expected {
        return Ok(());
    }
    let positive = model.labels().pos.class;
    if got.0 == expected.1 && got.1 == expected.0 {
        return Err(fail(format!(
            "{what}: expected class 0 terms {:?} and class 1 terms {:?}, got them swapped: linfa's positive class (positive coefficients) is the larger class of the training targets, here class {positive}: read `model.labels().pos.class`",
            expected.0, expected.1
        )));
    }
    Err(fail(format!(
        "{what}: expected class 0 terms {:?} and class 1 terms {:?}, got {:?} and {:?}",
        expected.0, expected.1, got.0, got.1
    )))
}

fn party_terms_check() -> Graded {
    // Term "aye" marks class 0, "nay" class 1, "so" neither. Case A: class 0 has 6 rows and
    // class 1 has 4, so linfa's positive class is 0; case B: the reverse, positive class 1.
    let vocabulary = strings(&["aye", "nay", "so"]);
    for (n0, n1) in [(6, 4), (4, 6)] {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..n0 + n1 {
            let class = usize::from(i >= n0);
            rows.extend_from_slice(if class == 0 {
                &[1.0, 0.1, 0.5]
            } else {
                &[0.1, 1.0, 0.5]
            });
            y.push(class);
        }
        let x = Array2::from_shape_vec((n0 + n1, 3), rows).map_err(|e| fail(e.to_string()))?;
        let model = grader_fit(&x, &y)?;
        compare_party(
            &format!("party_terms with {n0} rows of class 0 and {n1} of class 1, k = 1"),
            &model,
            &vocabulary,
            1,
        )?;
    }
    let s = sotu_split()?;
    let model = grader_fit(&s.x_train, &s.y_train)?;
    let (democratic, republican) = expected_party(&model, &s.vocabulary, 10);
    // Coefficients oriented toward Democratic, for the figure.
    let toward_d = if model.labels().pos.class == 0 {
        1.0
    } else {
        -1.0
    };
    let coefficient = |w: &String| {
        s.vocabulary
            .iter()
            .position(|v| v == w)
            .map_or(0.0, |j| toward_d * model.params()[j])
    };
    show(Figure::Table {
        title: "Most telling terms (coefficient toward Democratic; negative = Republican)".into(),
        row_labels: democratic.iter().chain(&republican).cloned().collect(),
        column_labels: vec!["coefficient".into()],
        cells: democratic
            .iter()
            .chain(&republican)
            .map(|w| vec![coefficient(w)])
            .collect(),
    });
    compare_party("State of the Union, k = 10", &model, &s.vocabulary, 10)?;
    pass(format!(
        "linfa's positive class here is {} (the larger class); Democratic: {}; Republican: {}",
        if model.labels().pos.class == 0 {
            "Democratic"
        } else {
            "Republican"
        },
        democratic.join(", "),
        republican.join(", ")
    ))
}
