//! alternative: `<s>` as an id, pair counts in a BTreeMap, words indexed in reverse order, perplexity through log2 and 2^ summed backwards

// language/ngram_lm: a word bigram language model, interpolated with a Laplace unigram.
// `learnml show language/ngram_lm` shows the full statement; `learnml check language/ngram_lm` grades this file.

use std::collections::BTreeMap;

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

/// A bigram model over paragraphs, stored by token index.
pub struct BigramLm {
    /// Token names: index 0 is `<unk>`, 1 is `</s>`, 2 is `<s>` (never predicted), then words.
    pub names: Vec<String>,
    /// Index of each kept word.
    pub index: BTreeMap<String, usize>,
    /// c(w) by index.
    pub unigrams: Vec<u64>,
    /// N.
    pub total: u64,
    /// c(v, w).
    pub bigrams: BTreeMap<(usize, usize), u64>,
    /// c(v) by index.
    pub contexts: Vec<u64>,
    /// Bigram weight.
    pub lambda: f64,
    /// Pseudo-count.
    pub k: f64,
}

const I_UNK: usize = 0;
const I_EOS: usize = 1;
const I_BOS: usize = 2;

impl BigramLm {
    fn id(&self, token: &str) -> usize {
        if token == BOS {
            return I_BOS;
        }
        if token == EOS {
            return I_EOS;
        }
        *self.index.get(token).unwrap_or(&I_UNK)
    }

    /// |V|: every name but `<s>`.
    fn vocab_size(&self) -> f64 {
        (self.names.len() - 1) as f64
    }
}

/// Train on `paragraphs` (each one sequence `<s> w1 ... wn </s>`).
pub fn train(paragraphs: &[String], min_count: usize, lambda: f64, k: f64) -> BigramLm {
    let tokenized: Vec<Vec<String>> = paragraphs.iter().map(|p| tokenize(p)).collect();
    let mut raw: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tokenized.iter().flatten() {
        *raw.entry(t.as_str()).or_default() += 1;
    }
    let mut names = vec![UNK.to_string(), EOS.to_string(), BOS.to_string()];
    let mut index = BTreeMap::new();
    for (w, c) in raw.iter().rev() {
        if *c >= min_count {
            index.insert(w.to_string(), names.len());
            names.push(w.to_string());
        }
    }
    let mut model = BigramLm {
        unigrams: vec![0; names.len()],
        contexts: vec![0; names.len()],
        names,
        index,
        total: 0,
        bigrams: BTreeMap::new(),
        lambda,
        k,
    };
    for para in &tokenized {
        let mut ids: Vec<usize> = vec![I_BOS];
        ids.extend(para.iter().map(|w| model.id(w)));
        ids.push(I_EOS);
        for pair in ids.windows(2) {
            model.unigrams[pair[1]] += 1;
            model.total += 1;
            model.contexts[pair[0]] += 1;
            *model.bigrams.entry((pair[0], pair[1])).or_default() += 1;
        }
    }
    model
}

impl BigramLm {
    /// The vocabulary, in any order: the kept words, `<unk>` and `</s>`.
    pub fn vocabulary(&self) -> Vec<String> {
        self.names
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != I_BOS)
            .map(|(_, n)| n.clone())
            .collect()
    }

    /// P(word | prev), interpolated; the unigram alone when `prev` was never a context.
    pub fn prob(&self, prev: &str, word: &str) -> f64 {
        let v = self.id(prev);
        let w = self.id(word);
        let uni =
            (self.unigrams[w] as f64 + self.k) / (self.total as f64 + self.k * self.vocab_size());
        let cv = self.contexts[v];
        if cv == 0 {
            return uni;
        }
        let big = *self.bigrams.get(&(v, w)).unwrap_or(&0) as f64 / cv as f64;
        (1.0 - self.lambda) * uni + self.lambda * big
    }
}

/// Perplexity on `paragraphs`, computed with log2 and 2^.
pub fn perplexity(model: &BigramLm, paragraphs: &[String]) -> f64 {
    let mut logs: Vec<f64> = Vec::new();
    for p in paragraphs {
        let mut prev = BOS.to_string();
        for w in tokenize(p)
            .into_iter()
            .chain(std::iter::once(EOS.to_string()))
        {
            logs.push(model.prob(&prev, &w).log2());
            prev = w;
        }
    }
    let m = logs.len() as f64;
    let s: f64 = logs.iter().rev().sum();
    2f64.powf(-s / m)
}
