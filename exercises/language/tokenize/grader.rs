// Grader of language/tokenize.

use std::collections::HashMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use rand::Rng;

use super::exercise::{most_common, token_counts, tokenize};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("hand_cases", hand_cases),
    ("seeded_cases", seeded_cases),
    ("corpus_counts", corpus_counts),
    ("most_common", most_common_check),
];

/// Which characters make tokens, in the rule and in its classic wrong variants.
#[derive(Clone, Copy, PartialEq)]
enum Chars {
    Alphanumeric,
    Alphabetic,
    AsciiAlphanumeric,
    /// Python's `\w`: alphanumeric or `_`.
    Word,
    /// Everything but whitespace (`split_whitespace`).
    NotWhitespace,
}

#[derive(Clone, Copy)]
struct Rules {
    ascii_lower: bool,
    chars: Chars,
    min_len: usize,
    len_in_bytes: bool,
}

const RULE: Rules = Rules {
    ascii_lower: false,
    chars: Chars::Alphanumeric,
    min_len: 2,
    len_in_bytes: false,
};

/// The grader's tokenizer, written as a plain loop over characters.
fn tokens_by(rules: Rules, text: &str) -> Vec<String> {
    let lower = if rules.ascii_lower {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
    let in_token = |c: char| match rules.chars {
        Chars::Alphanumeric => c.is_alphanumeric(),
        Chars::Alphabetic => c.is_alphabetic(),
        Chars::AsciiAlphanumeric => c.is_ascii_alphanumeric(),
        Chars::Word => c.is_alphanumeric() || c == '_',
        Chars::NotWhitespace => !c.is_whitespace(),
    };
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in lower.chars().chain(std::iter::once(' ')) {
        if in_token(c) {
            current.push(c);
        } else if !current.is_empty() {
            let length = if rules.len_in_bytes {
                current.len()
            } else {
                current.chars().count()
            };
            if length >= rules.min_len {
                tokens.push(current.clone());
            }
            current.clear();
        }
    }
    tokens
}

fn reference(text: &str) -> Vec<String> {
    tokens_by(RULE, text)
}

/// The classic wrong rules and what to tell a learner whose tokens match one of them.
fn wrong_rules() -> Vec<(Rules, &'static str)> {
    let whitespace =
        "split on whitespace only: punctuation stays glued to the words (\"whale.\", \"it's\")";
    vec![
        (
            Rules {
                ascii_lower: true,
                ..RULE
            },
            "lowercased with ASCII rules only (`to_ascii_lowercase` leaves É and Ö as they are): use the full Unicode `to_lowercase`",
        ),
        (
            Rules {
                chars: Chars::Alphabetic,
                ..RULE
            },
            "digits dropped (`is_alphabetic` instead of `is_alphanumeric`): \"1851\" and \"2nd\" are tokens",
        ),
        (
            Rules { min_len: 1, ..RULE },
            "1-character tokens kept: the rule keeps runs of at least 2 characters",
        ),
        (
            Rules { min_len: 3, ..RULE },
            "2-character tokens dropped: the rule keeps runs of at least 2 characters",
        ),
        (
            Rules {
                len_in_bytes: true,
                ..RULE
            },
            "token length counted in bytes (`len()`), not characters: \"é\" is 1 character and 2 bytes",
        ),
        (
            Rules {
                chars: Chars::AsciiAlphanumeric,
                ..RULE
            },
            "only ASCII letters and digits (`is_ascii_alphanumeric`) make tokens: accented letters split words",
        ),
        (
            Rules {
                chars: Chars::Word,
                ..RULE
            },
            "`_` kept inside tokens (scikit-learn's `\\w`): this course's rule splits at `_`",
        ),
        (
            Rules {
                chars: Chars::NotWhitespace,
                ..RULE
            },
            whitespace,
        ),
        (
            Rules {
                chars: Chars::NotWhitespace,
                min_len: 1,
                ..RULE
            },
            whitespace,
        ),
    ]
}

/// Compare the learner's tokens of `text` with the rule's, naming a known wrong rule.
fn compare(text: &str, got: &[String]) -> Result<(), Failed> {
    let expected = reference(text);
    if got == expected.as_slice() {
        return Ok(());
    }
    for (rules, why) in wrong_rules() {
        let wrong = tokens_by(rules, text);
        if wrong != expected && got == wrong.as_slice() {
            return Err(fail(format!(
                "tokenize({text:?}): expected {expected:?}, got {got:?}: {why}"
            )));
        }
    }
    // Words between whitespace, punctuation trimmed off their ends only.
    let trimmed: Vec<String> = text
        .to_lowercase()
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect();
    if trimmed != expected && got == trimmed.as_slice() {
        return Err(fail(format!(
            "tokenize({text:?}): expected {expected:?}, got {got:?}: split on whitespace with punctuation trimmed off the ends of each word: inner apostrophes and hyphens (\"it's\", \"whale-ship\") separate tokens too"
        )));
    }
    Err(fail(format!(
        "tokenize({text:?}): expected {expected:?}, got {got:?}"
    )))
    .hint("lowercase with `to_lowercase`, split where `!c.is_alphanumeric()`, keep runs with `chars().count() >= 2`")
}

fn hand_cases() -> Graded {
    let cases = [
        "",
        "It's a whale-ship, Ishmael.",
        "ÉTATS-UNIS: der Ölpreis stieg.",
        "In 1851, the 2nd ed. (3 vols) sold.",
        "The pale Usher—threadbare in coat, heart, body, and brain;",
        "\u{201c}Call me Ishmael,\u{201d} he said\u{2019}s friend.",
        "snake_case and x_1 are names",
        "é à ü a b ça",
        "Café naïve FAÇADE Straße",
        "  \t\n .,;!? — ",
    ];
    for text in cases {
        let got = tokenize(text);
        compare(text, &got)?;
    }
    pass(format!(
        "{} edge cases: apostrophes, hyphens, digits, em dashes, curly quotes, accents, `_`, 1-letter words, empty text",
        cases.len()
    ))
}

fn random_text(rng: &mut impl Rng, length: usize) -> String {
    let groups: [(&[char], u32); 8] = [
        (&['a', 'e', 'h', 'l', 'n', 'o', 's', 't', 'w'], 40),
        (&['A', 'E', 'I', 'S', 'T', 'W'], 8),
        (&['é', 'ö', 'ü', 'ç', 'ß', 'ñ', 'É', 'Ö', 'Ü', 'Ç'], 8),
        (&['0', '1', '7', '9'], 6),
        (&[' ', ' ', ' ', '\t', '\n'], 18),
        (&['.', ',', ';', '!', '?', '\'', '-', '(', ')', '"'], 12),
        (&['—', '\u{2019}', '\u{201c}', '\u{201d}'], 5),
        (&['_'], 3),
    ];
    let total: u32 = groups.iter().map(|g| g.1).sum();
    (0..length)
        .map(|_| {
            let mut pick = rng.gen_range(0..total);
            for (chars, weight) in groups {
                if pick < weight {
                    return chars[rng.gen_range(0..chars.len())];
                }
                pick -= weight;
            }
            ' '
        })
        .collect()
}

fn seeded_cases() -> Graded {
    let mut rng = learnml_kit::split::rng(2024);
    let n = 12;
    for _ in 0..n {
        let length = rng.gen_range(30..90);
        let text = random_text(&mut rng, length);
        let got = tokenize(&text);
        compare(&text, &got)?;
    }
    pass(format!(
        "{n} seeded random strings (letters, accents, digits, punctuation, `_`, em dashes, curly quotes) tokenized exactly"
    ))
}

fn load(name: &str) -> Result<Vec<String>, Failed> {
    let table = Table::dataset(name).map_err(|e| fail(e.to_string()))?;
    let column = table.text_column("text").map_err(|e| fail(e.to_string()))?;
    Ok(column
        .into_iter()
        .map(|t| t.unwrap_or("").to_string())
        .collect())
}

/// In how many texts each token occurs (the classic confusion with counting occurrences).
fn document_frequency(texts: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for text in texts {
        let mut seen = reference(text);
        seen.sort();
        seen.dedup();
        for token in seen {
            *counts.entry(token).or_insert(0usize) += 1;
        }
    }
    counts
}

fn reference_counts(texts: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for text in texts {
        for token in reference(text) {
            *counts.entry(token).or_insert(0usize) += 1;
        }
    }
    counts
}

/// Counts against rank on log-log axes (about 60 ranks, spread evenly in log rank).
fn zipf_series(name: &str, counts: &HashMap<String, usize>) -> Series {
    let mut values: Vec<usize> = counts.values().copied().filter(|&c| c > 0).collect();
    values.sort_unstable_by(|a, b| b.cmp(a));
    let mut points = Vec::new();
    let mut last = 0;
    for step in 0..60 {
        let rank = (values.len() as f64).powf(step as f64 / 59.0).round() as usize;
        if rank > last && rank <= values.len() {
            points.push([(rank as f64).log10(), (values[rank - 1] as f64).log10()]);
            last = rank;
        }
    }
    Series {
        name: name.into(),
        points,
    }
}

fn compare_counts(
    corpus: &str,
    got: &HashMap<String, usize>,
    expected: &HashMap<String, usize>,
) -> Result<(), Failed> {
    let total_got: usize = got.values().sum();
    let total_expected: usize = expected.values().sum();
    equal(
        &format!("{corpus}: total number of tokens"),
        &total_got,
        &total_expected,
    )
    .hint("count every occurrence of every token of every text")?;
    equal(
        &format!("{corpus}: number of distinct tokens"),
        &got.len(),
        &expected.len(),
    )?;
    let mut keys: Vec<&String> = expected.keys().collect();
    keys.sort();
    for key in keys {
        let g = got.get(key).copied().unwrap_or(0);
        equal(&format!("{corpus}: count of {key:?}"), &g, &expected[key])?;
    }
    Ok(())
}

fn corpus_counts() -> Graded {
    let sotu = load("sotu_sentences.csv")?;
    let moby = load("moby_dick.csv")?;
    let sotu_refs: Vec<&str> = sotu.iter().map(String::as_str).collect();
    let moby_refs: Vec<&str> = moby.iter().map(String::as_str).collect();
    let got_sotu = token_counts(&sotu_refs);
    let got_moby = token_counts(&moby_refs);
    show(Figure::Lines {
        title: "Zipf's law: token count against rank (log10 both; your counts)".into(),
        x_label: "log10 rank".into(),
        y_label: "log10 count".into(),
        series: vec![
            zipf_series("State of the Union", &got_sotu),
            zipf_series("Moby-Dick", &got_moby),
        ],
        target: None,
    });
    let expected_sotu = reference_counts(&sotu);
    let expected_moby = reference_counts(&moby);
    if got_sotu == document_frequency(&sotu) && got_sotu != expected_sotu {
        return Err(fail(
            "State of the Union: each token counted once per sentence (its document frequency), not at every occurrence: \"the the\" counts 2",
        ))
        .hint("add 1 for every token `tokenize` returns, repeats included");
    }
    compare_counts("State of the Union", &got_sotu, &expected_sotu)?;
    compare_counts("Moby-Dick", &got_moby, &expected_moby)?;
    let total = |m: &HashMap<String, usize>| m.values().sum::<usize>();
    pass(format!(
        "State of the Union: {} tokens, {} distinct; Moby-Dick: {} tokens, {} distinct",
        total(&expected_sotu),
        expected_sotu.len(),
        total(&expected_moby),
        expected_moby.len()
    ))
}

fn reference_top(counts: &HashMap<String, usize>, k: usize) -> Vec<(String, usize)> {
    // k times, pick the best entry not taken yet: largest count, then smallest token.
    let mut left: Vec<(String, usize)> = counts.iter().map(|(t, c)| (t.clone(), *c)).collect();
    let mut top = Vec::new();
    while top.len() < k && !left.is_empty() {
        let mut best = 0;
        for i in 1..left.len() {
            let (a, b) = (&left[i], &left[best]);
            if a.1 > b.1 || (a.1 == b.1 && a.0 < b.0) {
                best = i;
            }
        }
        top.push(left.swap_remove(best));
    }
    top
}

/// Compare `most_common(counts, k)` with the rule's answer, naming the classic wrong orders.
fn compare_top(what: &str, counts: &HashMap<String, usize>, k: usize) -> Result<(), Failed> {
    let expected = reference_top(counts, k);
    let got = most_common(counts, k);
    equal(
        &format!("{what}: number of entries"),
        &got.len(),
        &expected.len(),
    )
    .hint("keep k entries, or all of them when there are fewer than k")?;
    if got == expected {
        return Ok(());
    }
    let mut reverse_ties: Vec<(String, usize)> =
        counts.iter().map(|(t, c)| (t.clone(), *c)).collect();
    reverse_ties.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    reverse_ties.truncate(k);
    if got == reverse_ties {
        return Err(fail(format!(
            "{what}: expected {expected:?}, got {got:?}: equal counts in reverse alphabetical order (sorting the (count, token) pairs descending as a whole also reverses the tie-break)"
        )))
        .hint("count descending, then token ascending: `b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))`");
    }
    let counts_got: Vec<usize> = got.iter().map(|e| e.1).collect();
    let counts_expected: Vec<usize> = expected.iter().map(|e| e.1).collect();
    if counts_got == counts_expected {
        return Err(fail(format!(
            "{what}: expected {expected:?}, got {got:?}: equal counts are not in alphabetical order (ties must be broken by the token, not left in the HashMap's order)"
        )))
        .hint("`.then_with(|| a.0.cmp(&b.0))` after comparing the counts");
    }
    let mut ascending = counts_expected.clone();
    ascending.reverse();
    if counts_got == ascending && counts_got != counts_expected {
        return Err(fail(format!(
            "{what}: expected {expected:?}, got {got:?}: smallest counts first, the order is largest first"
        )));
    }
    Err(fail(format!("{what}: expected {expected:?}, got {got:?}")))
}

fn most_common_check() -> Graded {
    // Twelve tokens tie, checked first: a HashMap's order puts them alphabetically, or in reverse,
    // with probability 1 / 12! each, so unsorted ties are named as such on every run (the small
    // case's three ties come out reversed once in six runs).
    let words = [
        "whale", "ship", "sea", "ahab", "oil", "boat", "harpoon", "mast", "deck", "crew", "sail",
        "wind",
    ];
    let mut tied: HashMap<String, usize> = words.iter().map(|w| (w.to_string(), 2)).collect();
    tied.insert("pequod".into(), 9);
    tied.insert("ishmael".into(), 1);
    compare_top(
        "most_common(12 tokens counted twice, pequod 9, ishmael 1; k = 14)",
        &tied,
        14,
    )?;
    let small: HashMap<String, usize> = [
        ("pear", 3),
        ("apple", 3),
        ("fig", 5),
        ("kiwi", 1),
        ("date", 3),
    ]
    .into_iter()
    .map(|(t, c)| (t.to_string(), c))
    .collect();
    for k in [3, 0, 10] {
        compare_top(
            &format!("most_common({{pear: 3, apple: 3, fig: 5, kiwi: 1, date: 3}}, {k})"),
            &small,
            k,
        )?;
    }
    let moby = load("moby_dick.csv")?;
    let counts = reference_counts(&moby);
    compare_top("most_common(Moby-Dick's counts, 25)", &counts, 25)?;
    let expected = reference_top(&counts, 8);
    let top: Vec<String> = expected
        .iter()
        .take(8)
        .map(|e| format!("{} {}", e.0, e.1))
        .collect();
    pass(format!(
        "top words with alphabetical ties; Moby-Dick's most common: {}",
        top.join(", ")
    ))
}
