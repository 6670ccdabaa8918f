// Grader of language/bag_of_words.

use std::collections::BTreeMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::Array2;
use rand::Rng;

use super::exercise::{count_matrix, fit_vocabulary, tokenize};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("vocabulary_min_df", vocabulary_min_df),
    ("max_features", max_features),
    ("count_matrix", count_matrix_check),
    ("sotu_bag", sotu_bag),
];

#[derive(Clone, Copy, PartialEq)]
enum Ties {
    Alphabetical,
    FirstSeen,
    ReverseAlphabetical,
}

/// The rule (all fields false, alphabetical ties) and its classic wrong variants.
#[derive(Clone, Copy)]
struct Rules {
    df_by_occurrences: bool,
    min_df_strict: bool,
    cut_by_df: bool,
    cut_before_min_df: bool,
    ties: Ties,
    first_seen_order: bool,
}

const RULE: Rules = Rules {
    df_by_occurrences: false,
    min_df_strict: false,
    cut_by_df: false,
    cut_before_min_df: false,
    ties: Ties::Alphabetical,
    first_seen_order: false,
};

/// Per term, in first-seen order: (term, document frequency, corpus count).
fn term_stats(docs: &[Vec<String>]) -> Vec<(String, usize, usize)> {
    let mut stats: Vec<(String, usize, usize)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for doc in docs {
        let mut seen_here: Vec<usize> = Vec::new();
        for token in doc {
            let k = match index.get(token) {
                Some(&k) => k,
                None => {
                    index.insert(token.clone(), stats.len());
                    stats.push((token.clone(), 0, 0));
                    stats.len() - 1
                }
            };
            stats[k].2 += 1;
            if !seen_here.contains(&k) {
                seen_here.push(k);
                stats[k].1 += 1;
            }
        }
    }
    stats
}

fn vocabulary_by(
    rules: Rules,
    docs: &[Vec<String>],
    min_df: usize,
    max_features: Option<usize>,
) -> Vec<String> {
    let stats = term_stats(docs);
    // Terms are indices into `stats`, which are in first-seen order.
    let passes_min_df = |k: &usize| {
        let df = if rules.df_by_occurrences {
            stats[*k].2
        } else {
            stats[*k].1
        };
        if rules.min_df_strict {
            df > min_df
        } else {
            df >= min_df
        }
    };
    let cut = |mut terms: Vec<usize>| {
        if let Some(m) = max_features {
            let score = |k: usize| {
                if rules.cut_by_df {
                    stats[k].1
                } else {
                    stats[k].2
                }
            };
            terms.sort_by(|&a, &b| {
                score(b).cmp(&score(a)).then_with(|| match rules.ties {
                    Ties::Alphabetical => stats[a].0.cmp(&stats[b].0),
                    Ties::FirstSeen => a.cmp(&b),
                    Ties::ReverseAlphabetical => stats[b].0.cmp(&stats[a].0),
                })
            });
            terms.truncate(m);
        }
        terms
    };
    let all: Vec<usize> = (0..stats.len()).collect();
    let mut kept: Vec<usize> = if rules.cut_before_min_df {
        cut(all).into_iter().filter(passes_min_df).collect()
    } else {
        cut(all.into_iter().filter(passes_min_df).collect())
    };
    if rules.first_seen_order {
        kept.sort_unstable();
    } else {
        kept.sort_by(|&a, &b| stats[a].0.cmp(&stats[b].0));
    }
    kept.into_iter().map(|k| stats[k].0.clone()).collect()
}

fn wrong_rules() -> Vec<(Rules, &'static str)> {
    vec![
        (
            Rules {
                df_by_occurrences: true,
                ..RULE
            },
            "min_df was compared with the number of occurrences; it counts the documents that contain the term",
        ),
        (
            Rules {
                cut_by_df: true,
                ..RULE
            },
            "max_features kept the terms with the highest document frequency; it keeps those with the highest corpus count",
        ),
        (
            Rules {
                cut_before_min_df: true,
                ..RULE
            },
            "max_features was applied before min_df; min_df filters first, then the most frequent survivors are kept",
        ),
        (
            Rules {
                first_seen_order: true,
                ..RULE
            },
            "vocabulary in first-seen order; it must be sorted alphabetically",
        ),
        (
            Rules {
                ties: Ties::FirstSeen,
                ..RULE
            },
            "ties at the max_features cut were broken by first appearance; they are broken alphabetically",
        ),
        (
            Rules {
                ties: Ties::ReverseAlphabetical,
                ..RULE
            },
            "ties at the max_features cut kept the alphabetically last terms (reverse alphabetical order: sorting (count, term) descending as a whole reverses the tie-break too); the first ones win",
        ),
        // Last: with min_df = 1 it drops every term seen once and can mimic others.
        (
            Rules {
                min_df_strict: true,
                ..RULE
            },
            "terms in exactly min_df documents were dropped (df > min_df); min_df keeps the terms in at least min_df documents (df >= min_df)",
        ),
    ]
}

fn compare_vocabulary(
    what: &str,
    docs: &[Vec<String>],
    min_df: usize,
    max_features: Option<usize>,
    got: &[String],
) -> Result<(), Failed> {
    let expected = vocabulary_by(RULE, docs, min_df, max_features);
    if got == expected.as_slice() {
        return Ok(());
    }
    let show_list = |v: &[String]| -> String {
        if v.len() <= 12 {
            format!("{v:?}")
        } else {
            format!("{} terms, from {:?} to {:?}", v.len(), v[0], v[v.len() - 1])
        }
    };
    let head = format!(
        "{what} (min_df = {min_df}, max_features = {max_features:?}): expected {}, got {}",
        show_list(&expected),
        show_list(got)
    );
    for (rules, why) in wrong_rules() {
        let wrong = vocabulary_by(rules, docs, min_df, max_features);
        if wrong != expected && got == wrong.as_slice() {
            return Err(fail(format!("{head}: {why}")));
        }
    }
    let mut sorted = got.to_vec();
    sorted.sort();
    if sorted == expected {
        return Err(fail(format!(
            "{head}: the right terms, but not sorted alphabetically"
        )));
    }
    // The same number of terms with the same corpus counts: only the ties went elsewhere.
    if let Some(m) = max_features {
        let stats = term_stats(docs);
        let count_of = |term: &String| stats.iter().find(|s| &s.0 == term).map(|s| (s.1, s.2));
        let mut counts_got: Vec<usize> = Vec::new();
        let mut ok = got.len() == expected.len() && got.len() == m;
        for term in got {
            match count_of(term) {
                Some((df, count)) if df >= min_df => counts_got.push(count),
                _ => ok = false,
            }
        }
        let mut counts_expected: Vec<usize> =
            expected.iter().filter_map(count_of).map(|c| c.1).collect();
        counts_got.sort_unstable();
        counts_expected.sort_unstable();
        if ok && counts_got == counts_expected {
            return Err(fail(format!(
                "{head}: ties at the max_features cut were not broken alphabetically (a HashMap's order?)"
            )))
            .hint("sort by corpus count descending, then by the term: `.then_with(|| a.cmp(b))`");
        }
    }
    Err(fail(head))
}

fn doc(words: &str) -> Vec<String> {
    words.split_whitespace().map(str::to_string).collect()
}

/// whale: 3 occurrences in 1 document; sea: 3 in 3; ship and ahab: 2 in 2 (ship seen first);
/// boat and oil: 1 in 1.
fn hand_docs() -> Vec<Vec<String>> {
    vec![
        doc("whale whale whale sea"),
        doc("sea ship ahab"),
        doc("ship sea boat"),
        doc("ahab oil"),
    ]
}

/// Seeded corpora: 12 documents from 15 words with Zipf-like weights; some documents repeat
/// one word 3 to 5 times, so that document frequency and corpus count disagree.
fn random_corpus(rng: &mut impl Rng) -> Vec<Vec<String>> {
    let words = [
        "whale", "sea", "ship", "ahab", "boat", "oil", "mast", "deck", "crew", "sail", "wind",
        "harpoon", "pequod", "line", "tar",
    ];
    let pick = |rng: &mut dyn rand::RngCore| {
        let r: f64 = rand::Rng::r#gen(rng);
        let k = ((words.len() as f64).powf(r * r) - 1.0).round() as usize;
        words[k.min(words.len() - 1)].to_string()
    };
    (0..12)
        .map(|_| {
            let length = rng.gen_range(0..10);
            let mut d: Vec<String> = (0..length).map(|_| pick(rng)).collect();
            if rng.gen_bool(0.3) {
                let w = words[rng.gen_range(0..words.len())].to_string();
                for _ in 0..rng.gen_range(3..6) {
                    d.push(w.clone());
                }
            }
            d
        })
        .collect()
}

fn vocabulary_min_df() -> Graded {
    let docs = hand_docs();
    for min_df in [2, 1, 5] {
        compare_vocabulary(
            "vocabulary of [whale whale whale sea | sea ship ahab | ship sea boat | ahab oil]",
            &docs,
            min_df,
            None,
            &fit_vocabulary(&docs, min_df, None),
        )?;
    }
    let mut rng = learnml_kit::split::rng(31);
    for case in 0..6 {
        let docs = random_corpus(&mut rng);
        let min_df = 1 + case % 3;
        compare_vocabulary(
            &format!("seeded corpus {case}"),
            &docs,
            min_df,
            None,
            &fit_vocabulary(&docs, min_df, None),
        )?;
    }
    pass(
        "min_df counts documents; vocabulary sorted alphabetically (3 hand cases, 6 seeded corpora)",
    )
}

fn max_features() -> Graded {
    // First, 32 terms seen once each, cut at 16: a HashMap's order keeps the alphabetical 16
    // (or the first-seen 16, or the last 16) with probability 1 / C(32, 16) < 2e-9 each, so the
    // wrong tie-breaks are named here on every run, before the hand cases, where a HashMap's
    // order could mimic one (with 20 terms cut at 10 it did so with probability 1.6e-5).
    let names: Vec<String> = (0..32).map(|k| format!("w{:02}", (k * 7) % 32)).collect();
    let tied = vec![names[..16].to_vec(), names[16..].to_vec()];
    compare_vocabulary(
        "32 terms seen once each",
        &tied,
        1,
        Some(16),
        &fit_vocabulary(&tied, 1, Some(16)),
    )?;
    let docs = hand_docs();
    // m = 5 cuts between the tied boat and oil, m = 3 between the tied ahab and ship.
    for (min_df, m) in [(1, 2), (1, 5), (1, 3), (2, 2), (1, 100)] {
        compare_vocabulary(
            "vocabulary of [whale whale whale sea | sea ship ahab | ship sea boat | ahab oil]",
            &docs,
            min_df,
            Some(m),
            &fit_vocabulary(&docs, min_df, Some(m)),
        )?;
    }
    let mut rng = learnml_kit::split::rng(32);
    for case in 0..6 {
        let docs = random_corpus(&mut rng);
        let (min_df, m) = (1 + case % 2, 3 + case);
        compare_vocabulary(
            &format!("seeded corpus {case}"),
            &docs,
            min_df,
            Some(m),
            &fit_vocabulary(&docs, min_df, Some(m)),
        )?;
    }
    pass(
        "max_features keeps the largest corpus counts after min_df, ties alphabetically (6 hand cases, 6 seeded corpora)",
    )
}

fn expected_counts(docs: &[Vec<String>], vocabulary: &[String]) -> Array2<f64> {
    let mut x = Array2::zeros((docs.len(), vocabulary.len()));
    for (i, d) in docs.iter().enumerate() {
        for (j, term) in vocabulary.iter().enumerate() {
            x[[i, j]] = d.iter().filter(|t| *t == term).count() as f64;
        }
    }
    x
}

fn compare_counts(what: &str, docs: &[Vec<String>], vocabulary: &[String]) -> Result<(), Failed> {
    let got = count_matrix(docs, vocabulary);
    let expected = expected_counts(docs, vocabulary);
    equal(
        &format!("{what}: shape (documents, terms)"),
        &got.dim(),
        &expected.dim(),
    )
    .hint("one row per document, one column per vocabulary term")?;
    if got == expected {
        return Ok(());
    }
    let binary = expected.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    let same = |a: &Array2<f64>| a.iter().zip(&got).all(|(e, g)| (e - g).abs() < 1e-9);
    if same(&binary) {
        return Err(fail(format!(
            "{what}: entries are 0/1 (binary: does the document contain the term?) instead of counts"
        )))
        .hint("add 1 for every occurrence, not only the first");
    }
    let mut frequencies = expected.clone();
    for (i, mut row) in frequencies.rows_mut().into_iter().enumerate() {
        let length = docs[i].len().max(1) as f64;
        row.mapv_inplace(|v| v / length);
    }
    if same(&frequencies) {
        return Err(fail(format!(
            "{what}: counts divided by the document's length; the bag of words keeps raw counts"
        )));
    }
    matrix_close(what, &got, &expected, 1e-9)
}

fn count_matrix_check() -> Graded {
    let vocabulary: Vec<String> = ["ahab", "sea", "ship", "whale"].map(String::from).to_vec();
    let mut docs = hand_docs();
    docs.push(Vec::new());
    docs.push(doc("queequeg starbuck"));
    compare_counts(
        "counts of [whale whale whale sea | sea ship ahab | ship sea boat | ahab oil | (empty) | queequeg starbuck] over [ahab, sea, ship, whale]",
        &docs,
        &vocabulary,
    )?;
    let mut rng = learnml_kit::split::rng(33);
    for case in 0..5 {
        let docs = random_corpus(&mut rng);
        let vocabulary = vocabulary_by(RULE, &docs, 2, None);
        compare_counts(&format!("seeded corpus {case}"), &docs, &vocabulary)?;
    }
    pass("raw counts per document; unknown terms ignored; an empty document is a row of zeros")
}

fn sotu_bag() -> Graded {
    let table = Table::dataset("sotu_sentences.csv").map_err(|e| fail(e.to_string()))?;
    let texts = table.text_column("text").map_err(|e| fail(e.to_string()))?;
    // The grader's own tokenizer (the rule of language/tokenize), not the given one.
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
    ensure(tokenize("It's") == vec!["it".to_string()], || {
        "the given `tokenize` was changed: restore it from the stub".into()
    })?;
    let (min_df, m) = (3, 1500);
    let stats = term_stats(&docs);
    // The figure: a word's corpus count against its document frequency.
    let mut frequent: Vec<&(String, usize, usize)> = stats.iter().collect();
    frequent.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    show(Figure::Table {
        title: "Most frequent terms: corpus count vs document frequency (sentences)".into(),
        row_labels: frequent.iter().take(8).map(|s| s.0.clone()).collect(),
        column_labels: vec!["corpus count".into(), "documents".into()],
        cells: frequent
            .iter()
            .take(8)
            .map(|s| vec![s.2 as f64, s.1 as f64])
            .collect(),
    });
    let got = fit_vocabulary(&docs, min_df, Some(m));
    compare_vocabulary(
        "State of the Union vocabulary",
        &docs,
        min_df,
        Some(m),
        &got,
    )?;
    let expected = vocabulary_by(RULE, &docs, min_df, Some(m));
    // Counts of 600 sentences drawn with a seed.
    let rows: Vec<usize> = learnml_kit::split::shuffled(docs.len(), 34)
        .into_iter()
        .take(600)
        .collect();
    let sample: Vec<Vec<String>> = rows.iter().map(|&i| docs[i].clone()).collect();
    compare_counts(
        "counts of 600 State of the Union sentences",
        &sample,
        &expected,
    )?;
    let survivors = stats.iter().filter(|s| s.1 >= min_df).count();
    pass(format!(
        "{} distinct terms, {survivors} in at least {min_df} sentences, the {m} most frequent kept; counts exact",
        stats.len()
    ))
}
