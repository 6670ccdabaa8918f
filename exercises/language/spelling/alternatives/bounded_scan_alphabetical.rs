//! alternative: one row with a saved diagonal; the corrector scans words in BTreeMap (alphabetical) order with a distance that stops once every cell of a row exceeds 2, keeping only strictly better candidates

// language/spelling: Levenshtein distance by dynamic programming, then a spelling corrector.
// `learnml show language/spelling` shows the full statement; `learnml check language/spelling` grades this file.

use std::collections::BTreeMap;

/// Given: lowercase the text (`to_lowercase`), drop apostrophes (`'` and `’`, so "whale's"
/// becomes "whales"), and keep the maximal runs of `char::is_alphanumeric` characters.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if c == '\'' || c == '’' {
            continue;
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// The Levenshtein distance between `a` and `b`, in chars, with one row and a saved diagonal.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Keep the shorter string as the row.
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut row: Vec<usize> = (0..=short.len()).collect();
    for (i, &x) in long.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &y) in short.iter().enumerate() {
            let up = row[j + 1];
            let sub = diag + usize::from(x != y);
            row[j + 1] = sub.min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[short.len()]
}

/// Distance capped: `None` as soon as every cell of a row exceeds `cap`.
fn bounded_distance(a: &[char], b: &[char], cap: usize) -> Option<usize> {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = if a[i - 1] == b[j - 1] { 0 } else { 1 };
            cur[j] = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        if cur.iter().all(|&d| d > cap) {
            return None;
        }
        prev = cur;
    }
    let d = prev[b.len()];
    (d <= cap).then_some(d)
}

/// A spelling corrector over words kept in alphabetical order.
pub struct Corrector {
    /// Each known word (as chars) and its count, sorted by word.
    pub words: Vec<(String, Vec<char>, usize)>,
}

impl Corrector {
    /// Count the words (`tokenize`) of the training paragraphs.
    pub fn new(paragraphs: &[String]) -> Corrector {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in paragraphs {
            for t in tokenize(p) {
                *counts.entry(t).or_insert(0) += 1;
            }
        }
        let words = counts
            .into_iter()
            .map(|(w, c)| {
                let chars = w.chars().collect();
                (w, chars, c)
            })
            .collect();
        Corrector { words }
    }

    /// Closest known word within 2, then most frequent, then alphabetical (the words are
    /// scanned in alphabetical order and only a strictly better one replaces the best).
    pub fn correct(&self, word: &str) -> String {
        let query: Vec<char> = word.chars().collect();
        let mut best: Option<(usize, usize, &str)> = None;
        for (w, chars, count) in &self.words {
            if chars.len().abs_diff(query.len()) > 2 {
                continue;
            }
            let Some(d) = bounded_distance(&query, chars, 2) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((bd, bc, _)) => d < bd || (d == bd && *count > bc),
            };
            if better {
                best = Some((d, *count, w));
            }
        }
        best.map_or_else(|| word.to_string(), |(_, _, w)| w.to_string())
    }
}
