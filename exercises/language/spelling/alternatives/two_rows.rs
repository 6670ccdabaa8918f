//! alternative: two rolling rows for the table, candidates ranked with an iterator and min_by_key

// language/spelling: Levenshtein distance by dynamic programming, then a spelling corrector.
// `learnml show language/spelling` shows the full statement; `learnml check language/spelling` grades this file.

use std::collections::HashMap;

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

/// The Levenshtein distance between `a` and `b` in chars, unit costs, no transposition.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // previous[j]: the distance between the chars of a seen so far (minus one) and b[..j].
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let keep_or_swap = previous[j] + if ca == cb { 0 } else { 1 };
            current[j + 1] = keep_or_swap.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// A spelling corrector over word counts.
pub struct Corrector {
    /// (word, count, length in chars), sorted by word.
    pub words: Vec<(String, usize, usize)>,
}

impl Corrector {
    /// Count the words (`tokenize`) of the training paragraphs.
    pub fn new(paragraphs: &[String]) -> Corrector {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for word in paragraphs.iter().flat_map(|p| tokenize(p)) {
            *counts.entry(word).or_default() += 1;
        }
        let mut words: Vec<(String, usize, usize)> = counts
            .into_iter()
            .map(|(w, c)| {
                let len = w.chars().count();
                (w, c, len)
            })
            .collect();
        words.sort();
        Corrector { words }
    }

    /// The closest known word within distance 2, then the most frequent, then alphabetical.
    pub fn correct(&self, word: &str) -> String {
        let n = word.chars().count();
        self.words
            .iter()
            .filter(|(_, _, len)| len.abs_diff(n) <= 2)
            .map(|(w, c, _)| (edit_distance(word, w), std::cmp::Reverse(*c), w))
            .filter(|(d, _, _)| *d <= 2)
            .min()
            .map_or_else(|| word.to_string(), |(_, _, w)| w.clone())
    }
}
