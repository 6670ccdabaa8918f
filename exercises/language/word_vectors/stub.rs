// language/word_vectors: co-occurrence counts, PPMI, truncated SVD and cosine neighbours.
// `learnml show language/word_vectors` shows the full statement; `learnml check language/word_vectors` grades this file.

use ndarray::{Array2, ArrayView1};

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

/// Co-occurrence counts (|V| x |V|): `counts[[w, c]]` is how often vocabulary word `c` stands
/// within `window` positions of word `w`, on either side (1 <= distance <= window), inside one
/// paragraph. The word's own position is not counted; positions are those of the paragraph's
/// tokens (a word outside `vocab` takes its place but is not counted).
pub fn cooccurrence(paragraphs: &[Vec<String>], vocab: &[String], window: usize) -> Array2<f64> {
    let _ = (paragraphs, vocab, window);
    todo!(
        "for each vocabulary word, count the vocabulary words within window positions on each side"
    )
}

/// Positive pointwise mutual information: `max(0, ln(X_wc N / (X_w X_c)))` with X_w the row
/// sum, X_c the column sum and N the total; 0 where X_wc = 0.
pub fn ppmi(counts: &Array2<f64>) -> Array2<f64> {
    let _ = counts;
    todo!("max(0, ln(X_wc N / (X_w X_c))), and 0 where X_wc = 0")
}

/// Word vectors from a truncated SVD of `m` (n x d), without centring: the n x k matrix
/// `m q`, where q (d x k) has orthonormal columns spanning the top k right singular vectors,
/// found by subspace (block power) iteration from a seeded Gaussian start. That is U_k S_k up
/// to a rotation, which changes no cosine.
pub fn embed(m: &Array2<f64>, k: usize, iterations: usize, seed: u64) -> Array2<f64> {
    let _ = (m, k, iterations, seed);
    todo!("q <- orth(m^T (m q)) from a seeded Gaussian start, then return m q")
}

/// The cosine of the angle between `a` and `b`: a . b / (|a| |b|), 0 if either is zero.
pub fn cosine(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let _ = (a, b);
    todo!("a . b / (|a| |b|), 0 when a norm is 0")
}

/// The `n` vocabulary words closest to `word` by cosine similarity of their rows of
/// `vectors`, most similar first (ties: earlier in `vocab` first), `word` itself excluded.
/// Empty if `word` is not in `vocab`.
pub fn nearest(vectors: &Array2<f64>, vocab: &[String], word: &str, n: usize) -> Vec<String> {
    let _ = (vectors, vocab, word, n);
    todo!("score every other word by cosine, sort, keep n")
}
