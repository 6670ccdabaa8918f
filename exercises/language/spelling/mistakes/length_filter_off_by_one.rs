//! mistake: the length filter skips words whose length differs by 2 or more, so two insertions or deletions are never found
//! fails: corrector_rules
//! message: "differs by exactly 2"

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
    /// How often each word occurs in the training text.
    pub counts: HashMap<String, usize>,
}

impl Corrector {
    /// Count the words (`tokenize`) of the training paragraphs.
    pub fn new(paragraphs: &[String]) -> Corrector {
        let mut counts = HashMap::new();
        for paragraph in paragraphs {
            for word in tokenize(paragraph) {
                *counts.entry(word).or_insert(0) += 1;
            }
        }
        Corrector { counts }
    }

    /// The correction of `word` (lowercase): among the known words at edit distance at most
    /// 2, the closest; ties go to the most frequent, then to the first in alphabetical order
    /// (`str`'s `Ord`). A known word is its own correction (distance 0); a word with no
    /// candidate is returned unchanged.
    pub fn correct(&self, word: &str) -> String {
        let n = word.chars().count();
        let mut best: Option<(usize, usize, &str)> = None;
        for (candidate, &count) in &self.counts {
            // The distance is at least the difference in length: skip hopeless words.
            if candidate.chars().count().abs_diff(n) >= 2 {
                continue;
            }
            let d = edit_distance(word, candidate);
            if d > 2 {
                continue;
            }
            let better = match best {
                None => true,
                Some((bd, bc, bw)) => {
                    (d, std::cmp::Reverse(count), candidate.as_str())
                        < (bd, std::cmp::Reverse(bc), bw)
                }
            };
            if better {
                best = Some((d, count, candidate));
            }
        }
        best.map_or_else(|| word.to_string(), |(_, _, w)| w.to_string())
    }
}
