// language/ngram_lm: a word bigram language model, interpolated with a Laplace unigram.
// `learnml show language/ngram_lm` shows the full statement; `learnml check language/ngram_lm` grades this file.

use std::collections::{BTreeSet, HashMap};

/// Marks the start of a paragraph: a context, never predicted, not in the vocabulary.
pub const BOS: &str = "<s>";
/// Marks the end of a paragraph: predicted (and counted) after its last word.
pub const EOS: &str = "</s>";
/// Stands for every word outside the vocabulary.
pub const UNK: &str = "<unk>";

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

/// A bigram model over paragraphs. You may change the fields: the grader only calls
/// `train`, `vocabulary`, `prob` and `perplexity`.
pub struct BigramLm {
    /// The vocabulary: the kept words, `<unk>` and `</s>` (never `<s>`).
    pub vocab: BTreeSet<String>,
    /// c(w): how often each vocabulary token is predicted in training (words and `</s>`).
    pub unigrams: HashMap<String, usize>,
    /// N: the number of predicted training tokens (words and one `</s>` per paragraph).
    pub total: usize,
    /// c(v, w): how often `w` follows `v` (`v` may be `<s>`).
    pub bigrams: HashMap<(String, String), usize>,
    /// c(v): how often `v` is a context, the sum of c(v, w) over w.
    pub contexts: HashMap<String, usize>,
    /// Weight of the bigram estimate, in [0, 1].
    pub lambda: f64,
    /// The pseudo-count of the unigram (k = 1: Laplace).
    pub k: f64,
}

/// Train on `paragraphs` (each one sequence `<s> w1 ... wn </s>`). The vocabulary is the
/// words seen at least `min_count` times in training, plus `<unk>` and `</s>`; other words
/// are counted as `<unk>`.
pub fn train(paragraphs: &[String], min_count: usize, lambda: f64, k: f64) -> BigramLm {
    let _ = (paragraphs, min_count, lambda, k);
    todo!("count words, keep the frequent ones, then count unigrams and bigrams")
}

impl BigramLm {
    /// The vocabulary, in any order: the kept words, `<unk>` and `</s>`.
    pub fn vocabulary(&self) -> Vec<String> {
        let _ = self;
        todo!("the kept words, <unk> and </s>")
    }

    /// P(word | prev) = lambda c(prev, word) / c(prev) + (1 - lambda) P_unigram(word), with
    /// P_unigram(w) = (c(w) + k) / (N + k |V|); just P_unigram(word) when c(prev) = 0.
    /// Words outside the vocabulary are read as `<unk>`; `prev` may be `<s>`.
    pub fn prob(&self, prev: &str, word: &str) -> f64 {
        let _ = (self, prev, word);
        todo!("lambda times the bigram estimate plus (1 - lambda) times the Laplace unigram")
    }
}

/// Perplexity on `paragraphs`: exp of minus the mean natural log-probability per predicted
/// token, where the predicted tokens are every word and one `</s>` per paragraph.
pub fn perplexity(model: &BigramLm, paragraphs: &[String]) -> f64 {
    let _ = (model, paragraphs);
    todo!("exp of minus the mean ln-probability over every word and </s>")
}
