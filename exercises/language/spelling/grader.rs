// Grader of language/spelling.

use std::collections::BTreeSet;

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use rand::Rng as _;

use super::exercise::{Corrector, edit_distance};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("distance_edges", check_distance_edges),
    ("distance_random", check_distance_random),
    ("corrector_rules", check_corrector_rules),
    ("held_out_accuracy", check_held_out_accuracy),
];

/// Held-out accuracy bar. On this split (28 of 138 sections held out, seed 2024) and these
/// 400 words (30 % left intact): leaving every word unchanged scores the share of intact
/// words, 0.2975; the reference 0.7225 (a simulation on other splits and draws gave 0.68 to
/// 0.71). 0.66 leaves 9 % of room and is far above the baseline.
const ACCURACY_BAR: f64 = 0.66;

/// The grader's dynamic program, with the classic wrong variants:
/// `bytes` compares bytes, `substitution` is the substitution cost, `init_short` leaves the
/// last cell of the first row and column at 0 (the loops stop one short), `transpose` adds
/// Damerau's transposition of adjacent characters (the optimal string alignment distance).
fn distance(
    a: &str,
    b: &str,
    bytes: bool,
    substitution: usize,
    init_short: bool,
    transpose: bool,
) -> usize {
    let to_units = |s: &str| -> Vec<u32> {
        if bytes {
            s.bytes().map(u32::from).collect()
        } else {
            s.chars().map(u32::from).collect()
        }
    };
    let (a, b) = (to_units(a), to_units(b));
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    let (rows, cols) = if init_short { (n, m) } else { (n + 1, m + 1) };
    for (i, row) in d.iter_mut().enumerate().take(rows) {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate().take(cols) {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = if a[i - 1] == b[j - 1] {
                0
            } else {
                substitution
            };
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if transpose && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

fn levenshtein(a: &str, b: &str) -> usize {
    distance(a, b, false, 1, false, false)
}

/// Compare the learner's distances on `pairs` with the grader's; name a wrong convention when
/// every answer matches it.
fn compare_distances(what: &str, pairs: &[(String, String)]) -> Result<(), Failed> {
    let got: Vec<usize> = pairs.iter().map(|(a, b)| edit_distance(a, b)).collect();
    let expected: Vec<usize> = pairs.iter().map(|(a, b)| levenshtein(a, b)).collect();
    if got == expected {
        return Ok(());
    }
    let variants: [(Vec<usize>, &str); 4] = [
        (
            pairs
                .iter()
                .map(|(a, b)| distance(a, b, true, 1, false, false))
                .collect(),
            "the distance was computed on bytes instead of chars (\"ï\" is 2 bytes in UTF-8): \
             collect `a.chars()` into a Vec<char>",
        ),
        (
            pairs
                .iter()
                .map(|(a, b)| distance(a, b, false, 2, false, false))
                .collect(),
            "substitution cost 2 (the convention of some textbooks, which makes a substitution \
             a deletion plus an insertion): Levenshtein's substitution costs 1",
        ),
        (
            pairs
                .iter()
                .map(|(a, b)| distance(a, b, false, 1, true, false))
                .collect(),
            "off-by-one initialization of the first row/column: d[i][0] = i for i = 0..=len(a) \
             and d[0][j] = j for j = 0..=len(b), both ends included",
        ),
        (
            pairs
                .iter()
                .map(|(a, b)| distance(a, b, false, 1, false, true))
                .collect(),
            "a transposition of adjacent chars counted as one edit: that is Damerau's \
             distance, not the Levenshtein distance asked",
        ),
    ];
    for (values, why) in &variants {
        if &got == values && values != &expected {
            return Err(fail(format!("{what}: {why}")));
        }
    }
    let i = (0..pairs.len())
        .find(|&i| got[i] != expected[i])
        .unwrap_or(0);
    Err(fail(format!(
        "{what}: edit_distance({:?}, {:?}): expected {}, got {}",
        pairs[i].0, pairs[i].1, expected[i], got[i]
    )))
}

fn check_distance_edges() -> Graded {
    // By hand: "" to "" 0; "" to "abc" 3 insertions; "whale" to "" 5 deletions; kitten ->
    // sitting 3 (k/s, e/i, + g); naïve -> naive 1 (ï/i); ab -> ba 2 (Damerau: 1); flaw -> lawn
    // 2; Ahab -> ahab 1 (no lowercasing inside the distance); "ïïï" -> "" 3.
    let cases = [
        ("", "", 0),
        ("", "abc", 3),
        ("whale", "", 5),
        ("kitten", "sitting", 3),
        ("naïve", "naive", 1),
        ("ab", "ba", 2),
        ("flaw", "lawn", 2),
        ("Ahab", "ahab", 1),
        ("ïïï", "", 3),
        ("sperm", "sperm", 0),
    ];
    let pairs: Vec<(String, String)> = cases
        .iter()
        .map(|(a, b, _)| (a.to_string(), b.to_string()))
        .collect();
    compare_distances("edge cases", &pairs)
        .hint("d[i][j] = min(d[i-1][j-1] + (a[i-1] != b[j-1]), d[i-1][j] + 1, d[i][j-1] + 1), with d[i][0] = i and d[0][j] = j")?;
    for (a, b, by_hand) in cases {
        equal(
            &format!("edit_distance({a:?}, {b:?})"),
            &edit_distance(a, b),
            &by_hand,
        )?;
    }
    pass(
        "empty strings, kitten/sitting, naïve/naive (chars, not bytes), ab/ba (no transposition) and more",
    )
}

fn check_distance_random() -> Graded {
    let alphabet: Vec<char> = "abcdeéüø".chars().collect();
    let mut rng = split::rng(17);
    let mut pairs = Vec::new();
    for _ in 0..300 {
        let word = |rng: &mut split::Rng| -> String {
            let len = rng.gen_range(0..9);
            (0..len)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                .collect()
        };
        let a = word(&mut rng);
        let b = if rng.gen_range(0..2) == 0 {
            word(&mut rng)
        } else {
            // A near string: 1 to 3 random edits of `a`, swaps of neighbours included.
            let mut w: Vec<char> = a.chars().collect();
            for _ in 0..rng.gen_range(1..4) {
                let i = rng.gen_range(0..=w.len());
                let c = alphabet[rng.gen_range(0..alphabet.len())];
                match rng.gen_range(0..4) {
                    0 if i < w.len() => {
                        w.remove(i);
                    }
                    1 if i < w.len() => w[i] = c,
                    2 => w.insert(i, c),
                    _ if i + 1 < w.len() => w.swap(i, i + 1),
                    _ => {}
                }
            }
            w.into_iter().collect()
        };
        pairs.push((a, b));
    }
    compare_distances(
        "300 random pairs of strings over \"abcdeéüø\" (half of them near each other)",
        &pairs,
    )?;
    pass(
        "300 seeded random pairs (lengths 0 to 8, non-ASCII chars, half a few edits apart) agree with the grader's dynamic program",
    )
}

/// The grader's corrector: smallest (distance, -count, word) within distance 2.
fn my_correct(counts: &[(String, usize)], word: &str) -> String {
    let mut best: Option<(usize, usize, String)> = None;
    for (w, c) in counts {
        let d = levenshtein(word, w);
        if d > 2 {
            continue;
        }
        let replace = match &best {
            None => true,
            Some((bd, bc, bw)) => d < *bd || (d == *bd && (c > bc || (c == bc && w < bw))),
        };
        if replace {
            best = Some((d, *c, w.clone()));
        }
    }
    best.map_or(word.to_string(), |(_, _, w)| w)
}

/// The variant: the first word seen in the text among the closest (count ignored).
fn first_seen(counts: &[(String, usize)], word: &str) -> String {
    let mut best: Option<(usize, &str)> = None;
    for (w, _) in counts {
        let d = levenshtein(word, w);
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, w));
        }
    }
    best.map_or(word.to_string(), |(_, w)| w.to_string())
}

/// The variant: the most frequent word within distance 2, then the closest.
fn frequency_first(counts: &[(String, usize)], word: &str) -> String {
    counts
        .iter()
        .filter(|(w, _)| levenshtein(word, w) <= 2)
        .min_by_key(|(w, c)| (std::cmp::Reverse(*c), levenshtein(word, w), w.clone()))
        .map_or(word.to_string(), |(w, _)| w.clone())
}

/// Why the learner's correction `got` of `query` is wrong (expected `expected`), from the
/// distances and counts of both words: which rule it broke.
fn diagnose(counts: &[(String, usize)], query: &str, got: &str, expected: &str) -> String {
    let count = |w: &str| counts.iter().find(|(x, _)| x == w).map(|(_, c)| *c);
    if got == query && expected != query {
        let gap = expected.chars().count().abs_diff(query.chars().count());
        return if gap == 2 {
            format!(
                ": no candidate was found, but {expected:?} is at distance 2 and its length \
                 differs by exactly 2 (two insertions or deletions): skip only the words whose \
                 length differs by more than 2"
            )
        } else {
            format!(": no candidate was found, but {expected:?} is within distance 2")
        };
    }
    let (Some(got_count), Some(expected_count)) = (count(got), count(expected)) else {
        return format!(": {got:?} is not a word of the training text");
    };
    let (dg, de) = (levenshtein(query, got), levenshtein(query, expected));
    if dg > 2 {
        format!(": {got:?} is at distance {dg}, more than 2")
    } else if dg > de {
        format!(
            ": {got:?} is at distance {dg} but {expected:?} at {de}: the closest word wins, \
             frequency only breaks ties"
        )
    } else if dg == de && got_count < expected_count {
        format!(
            ": both are at distance {dg}, but {expected:?} is seen {expected_count} times and \
             {got:?} {got_count}: the most frequent wins"
        )
    } else if dg == de && got_count == expected_count {
        format!(
            ": both are at distance {dg} and seen {got_count} times: the first in alphabetical \
             order (str's Ord) wins, not the first found (a HashMap's order is arbitrary)"
        )
    } else {
        String::new()
    }
}

/// Word counts in order of first appearance.
fn counts_in_order(paragraphs: &[String]) -> Vec<(String, usize)> {
    let mut order: Vec<(String, usize)> = Vec::new();
    for p in paragraphs {
        for w in tokens(p) {
            match order.iter_mut().find(|(x, _)| *x == w) {
                Some(entry) => entry.1 += 1,
                None => order.push((w, 1)),
            }
        }
    }
    order
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

fn check_corrector_rules() -> Graded {
    // sail (1) is seen before soil (3); mist (2) before mast (2); the (8) beside them (1).
    let text: Vec<String> = [
        "The sail, the mist. The soil and the mast!",
        "Them the soil; the mist, the mast. The soil.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let counts = counts_in_order(&text);
    let corrector = Corrector::new(&text);
    // Each query, and why: (query, what it tests).
    let queries = [
        (
            "sbil",
            "sail and soil are both at distance 1: the more frequent, soil, wins",
        ),
        (
            "mxst",
            "mist and mast are both at distance 1 and seen twice: alphabetical order, mast",
        ),
        (
            "thems",
            "them is at distance 1, the (more frequent) at distance 2: the closest wins",
        ),
        ("them", "a known word is its own correction"),
        (
            "kraken",
            "nothing within distance 2: the word is returned unchanged",
        ),
        ("sxxl", "soil and sail at distance 2: the more frequent"),
        (
            "ma",
            "mast and mist at distance 2, seen twice each: alphabetical order, mast",
        ),
    ];
    let mut got = Vec::new();
    for (q, _) in &queries {
        got.push(corrector.correct(q));
    }
    let expected: Vec<String> = queries
        .iter()
        .map(|(q, _)| my_correct(&counts, q))
        .collect();
    if got != expected {
        let by_first: Vec<String> = queries
            .iter()
            .map(|(q, _)| first_seen(&counts, q))
            .collect();
        let by_freq: Vec<String> = queries
            .iter()
            .map(|(q, _)| frequency_first(&counts, q))
            .collect();
        let i = (0..got.len()).find(|&i| got[i] != expected[i]).unwrap_or(0);
        let why = if got == by_first {
            ": ties between equally close words went to the first seen in the text, not the \
             most frequent (then alphabetical)"
        } else if got == by_freq {
            ": you ranked by frequency before distance; the closest word wins, frequency only \
             breaks ties"
        } else {
            &diagnose(&counts, queries[i].0, &got[i], &expected[i])
        };
        return Err(fail(format!(
            "correct({:?}) = {:?}, expected {:?} ({}){why}",
            queries[i].0, got[i], expected[i], queries[i].1
        )))
        .hint("keep the candidate with the smallest (distance, Reverse(count), word) tuple among the words at distance <= 2");
    }
    // Seeded random vocabularies and queries.
    let letters: Vec<char> = "aeimnrst".chars().collect();
    let mut rng = split::rng(29);
    for case in 0..5 {
        let paragraph: Vec<String> = (0..60)
            .map(|_| {
                let len = rng.gen_range(2..6);
                (0..len)
                    .map(|_| letters[rng.gen_range(0..letters.len())])
                    .collect()
            })
            .collect();
        let text = vec![paragraph.join(" ")];
        let counts = counts_in_order(&text);
        let corrector = Corrector::new(&text);
        for _ in 0..30 {
            let len = rng.gen_range(1..7);
            let q: String = (0..len)
                .map(|_| letters[rng.gen_range(0..letters.len())])
                .collect();
            let (got, expected) = (corrector.correct(&q), my_correct(&counts, &q));
            if got != expected {
                return Err(fail(format!(
                    "random vocabulary {case}: correct({q:?}) = {got:?}, expected {expected:?}{}",
                    diagnose(&counts, &q, &got, &expected)
                )))
                .hint("keep the candidate with the smallest (distance, Reverse(count), word) tuple among the words at distance <= 2");
            }
        }
    }
    pass(
        "closest first, then most frequent, then alphabetical; known words kept; no candidate: unchanged (7 hand queries, 150 random)",
    )
}

fn check_held_out_accuracy() -> Graded {
    let table = Table::dataset("moby_dick.csv")
        .map_err(|e| fail(format!("the grader could not load moby_dick.csv: {e}")))?;
    let text = table
        .text_column("text")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?;
    let sections = table
        .numeric_column("section_no")
        .map_err(|e| fail(format!("moby_dick.csv: {e}")))?;
    let (_, test) = split::train_test(138, 0.2, 2024);
    let held: BTreeSet<usize> = test.into_iter().map(|i| i + 1).collect();
    let (mut train_part, mut held_words) = (Vec::new(), Vec::new());
    for (t, s) in text.iter().zip(&sections) {
        let paragraph = t.unwrap_or("").to_string();
        if held.contains(&(s.unwrap_or(0.0) as usize)) {
            held_words.extend(
                tokens(&paragraph)
                    .into_iter()
                    .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase())),
            );
        } else {
            train_part.push(paragraph);
        }
    }
    ensure(!held_words.is_empty(), || "no held-out words".to_string())?;
    let letters: Vec<char> = ('a'..='z').collect();
    let mut rng = split::rng(31);
    let mut items = Vec::new();
    for _ in 0..400 {
        let word = held_words[rng.gen_range(0..held_words.len())].clone();
        if rng.gen_range(0.0..1.0) < 0.3 {
            items.push((word.clone(), word));
            continue;
        }
        let edits = if rng.gen_range(0.0..1.0) < 0.8 { 1 } else { 2 };
        let typo = loop {
            let mut w: Vec<char> = word.chars().collect();
            for _ in 0..edits {
                let i = rng.gen_range(0..=w.len());
                let c = letters[rng.gen_range(0..26)];
                match rng.gen_range(0..4) {
                    0 if i < w.len() => {
                        w.remove(i);
                    }
                    1 if i < w.len() => w[i] = c,
                    2 => w.insert(i, c),
                    3 if i + 1 < w.len() => w.swap(i, i + 1),
                    _ => {}
                }
            }
            let w: String = w.into_iter().collect();
            if w != word && !w.is_empty() {
                break w;
            }
        };
        items.push((word, typo));
    }
    let corrector = Corrector::new(&train_part);
    let mut right = 0usize;
    let mut unchanged = 0usize;
    for (word, typo) in &items {
        if corrector.correct(typo) == *word {
            right += 1;
        }
        if typo == word {
            unchanged += 1;
        }
    }
    let accuracy = right as f64 / items.len() as f64;
    let baseline = unchanged as f64 / items.len() as f64;
    bar(
        "accuracy on 400 held-out words (70 % with 1 or 2 random typos)",
        accuracy,
        ACCURACY_BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; leaving every word unchanged scores {}",
        fmt(baseline)
    ))
}
