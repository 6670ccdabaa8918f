//! mistake: among the closest words, keeps the first seen in the text (ignores the counts)
//! fails: corrector_rules
//! message: "first seen"

// language/spelling: Levenshtein distance by dynamic programming, then a spelling corrector.
// `learnml show language/spelling` shows the full statement; `learnml check language/spelling` grades this file.

use std::collections::HashSet;

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

/// The Levenshtein distance between `a` and `b`, counted in `char`s (Unicode scalar values,
/// not bytes): the fewest insertions, deletions and substitutions, each of cost 1, that turn
/// `a` into `b`. No transposition (that would be Damerau's distance).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: the distance between the first i chars of a and the first j chars of b.
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = substitution.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    d[a.len()][b.len()]
}

/// A spelling corrector. You may change the fields: the grader only calls `new` and
/// `correct`.
pub struct Corrector {
    /// The words of the training text, each once, in the order they first appear.
    pub words: Vec<String>,
}

impl Corrector {
    /// Collect the words (`tokenize`) of the training paragraphs.
    pub fn new(paragraphs: &[String]) -> Corrector {
        let mut words: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for paragraph in paragraphs {
            for word in tokenize(paragraph) {
                if seen.insert(word.clone()) {
                    words.push(word);
                }
            }
        }
        Corrector { words }
    }

    /// The closest known word at distance at most 2, or `word` unchanged.
    pub fn correct(&self, word: &str) -> String {
        let mut best: Option<(usize, &String)> = None;
        for candidate in &self.words {
            let d = edit_distance(word, candidate);
            if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, candidate));
            }
        }
        best.map_or_else(|| word.to_string(), |(_, w)| w.clone())
    }
}
