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
    let _ = (a, b);
    todo!("fill the (len(a) + 1) x (len(b) + 1) table of distances between prefixes")
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
        let _ = paragraphs;
        todo!("count the tokens of every paragraph")
    }

    /// The correction of `word` (lowercase): among the known words at edit distance at most
    /// 2, the closest; ties go to the most frequent, then to the first in alphabetical order
    /// (`str`'s `Ord`). A known word is its own correction (distance 0); a word with no
    /// candidate is returned unchanged.
    pub fn correct(&self, word: &str) -> String {
        let _ = (self, word);
        todo!("the closest known word within distance 2, then the most frequent, then alphabetical")
    }
}
