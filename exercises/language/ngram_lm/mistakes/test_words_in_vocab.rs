//! mistake: perplexity adds the held-out words to the vocabulary instead of reading them as <unk>
//! fails: perplexity
//! message: "added to the vocabulary"

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

/// Map a token to itself if it is in `vocab` (or is `<s>`), else to `<unk>`.
fn map(vocab: &BTreeSet<String>, token: &str) -> String {
    if token == BOS || vocab.contains(token) {
        token.to_string()
    } else {
        UNK.to_string()
    }
}

/// Train on `paragraphs` (each one sequence `<s> w1 ... wn </s>`). The vocabulary is the
/// words seen at least `min_count` times in training, plus `<unk>` and `</s>`; other words
/// are counted as `<unk>`.
pub fn train(paragraphs: &[String], min_count: usize, lambda: f64, k: f64) -> BigramLm {
    let tokenized: Vec<Vec<String>> = paragraphs.iter().map(|p| tokenize(p)).collect();
    let mut word_counts: HashMap<&str, usize> = HashMap::new();
    for word in tokenized.iter().flatten() {
        *word_counts.entry(word).or_default() += 1;
    }
    let mut vocab: BTreeSet<String> = word_counts
        .iter()
        .filter(|&(_, &c)| c >= min_count)
        .map(|(w, _)| w.to_string())
        .collect();
    vocab.insert(UNK.to_string());
    vocab.insert(EOS.to_string());
    let mut model = BigramLm {
        vocab,
        unigrams: HashMap::new(),
        total: 0,
        bigrams: HashMap::new(),
        contexts: HashMap::new(),
        lambda,
        k,
    };
    for tokens in &tokenized {
        let mut prev = BOS.to_string();
        let words = tokens.iter().map(String::as_str).chain([EOS]);
        for word in words {
            let word = map(&model.vocab, word);
            *model.unigrams.entry(word.clone()).or_default() += 1;
            model.total += 1;
            *model.contexts.entry(prev.clone()).or_default() += 1;
            *model.bigrams.entry((prev, word.clone())).or_default() += 1;
            prev = word;
        }
    }
    model
}

impl BigramLm {
    /// The vocabulary, in any order: the kept words, `<unk>` and `</s>`.
    pub fn vocabulary(&self) -> Vec<String> {
        self.vocab.iter().cloned().collect()
    }

    /// P(word | prev) = lambda c(prev, word) / c(prev) + (1 - lambda) P_unigram(word), with
    /// P_unigram(w) = (c(w) + k) / (N + k |V|); just P_unigram(word) when c(prev) = 0.
    /// Words outside the vocabulary are read as `<unk>`; `prev` may be `<s>`.
    pub fn prob(&self, prev: &str, word: &str) -> f64 {
        let prev = map(&self.vocab, prev);
        let word = map(&self.vocab, word);
        let count = self.unigrams.get(&word).copied().unwrap_or(0) as f64;
        let v = self.vocab.len() as f64;
        let unigram = (count + self.k) / (self.total as f64 + self.k * v);
        match self.contexts.get(&prev) {
            Some(&c) if c > 0 => {
                let pair = self.bigrams.get(&(prev, word)).copied().unwrap_or(0) as f64;
                self.lambda * pair / c as f64 + (1.0 - self.lambda) * unigram
            }
            _ => unigram,
        }
    }
}

/// Perplexity on `paragraphs`: exp of minus the mean natural log-probability per predicted
/// token, where the predicted tokens are every word and one `</s>` per paragraph.
pub fn perplexity(model: &BigramLm, paragraphs: &[String]) -> f64 {
    // Every word of the text gets its place in the vocabulary.
    let mut vocab = model.vocab.clone();
    for paragraph in paragraphs {
        vocab.extend(tokenize(paragraph));
    }
    let v = vocab.len() as f64;
    let mut log_prob = 0.0;
    let mut n = 0usize;
    for paragraph in paragraphs {
        let tokens = tokenize(paragraph);
        let mut prev = BOS;
        for word in tokens.iter().map(String::as_str).chain([EOS]) {
            let prev_token = map(&vocab, prev);
            let token = map(&vocab, word);
            let count = model.unigrams.get(&token).copied().unwrap_or(0) as f64;
            let unigram = (count + model.k) / (model.total as f64 + model.k * v);
            let p = match model.contexts.get(&prev_token) {
                Some(&c) if c > 0 => {
                    let pair = model.bigrams.get(&(prev_token, token)).copied();
                    let pair = pair.unwrap_or(0) as f64;
                    model.lambda * pair / c as f64 + (1.0 - model.lambda) * unigram
                }
                _ => unigram,
            };
            log_prob += p.ln();
            n += 1;
            prev = word;
        }
    }
    (-log_prob / n as f64).exp()
}
