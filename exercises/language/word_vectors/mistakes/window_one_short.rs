//! mistake: the window stops one position short on each side (distances 1..window-1)
//! fails: cooccurrence
//! message: "one short"

// language/word_vectors: co-occurrence counts, PPMI, truncated SVD and cosine neighbours.
// `learnml show language/word_vectors` shows the full statement; `learnml check language/word_vectors` grades this file.

use std::collections::HashMap;

use ndarray::{Array2, ArrayView1, Axis};
use ndarray_rand::RandomExt;
use ndarray_rand::rand_distr::StandardNormal;

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
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let mut counts = Array2::zeros((vocab.len(), vocab.len()));
    for tokens in paragraphs {
        let ids: Vec<Option<usize>> = tokens
            .iter()
            .map(|t| index.get(t.as_str()).copied())
            .collect();
        for (i, w) in ids.iter().enumerate() {
            let Some(w) = w else { continue };
            let lo = i.saturating_sub(window - 1);
            let hi = (i + window - 1).min(ids.len() - 1);
            for (j, c) in ids.iter().enumerate().take(hi + 1).skip(lo) {
                if let (true, Some(c)) = (j != i, c) {
                    counts[[*w, *c]] += 1.0;
                }
            }
        }
    }
    counts
}

/// Positive pointwise mutual information: `max(0, ln(X_wc N / (X_w X_c)))` with X_w the row
/// sum, X_c the column sum and N the total; 0 where X_wc = 0.
pub fn ppmi(counts: &Array2<f64>) -> Array2<f64> {
    let rows = counts.sum_axis(Axis(1));
    let cols = counts.sum_axis(Axis(0));
    let total = counts.sum();
    let mut out = Array2::zeros(counts.dim());
    for ((w, c), &x) in counts.indexed_iter() {
        if x > 0.0 {
            out[[w, c]] = (x * total / (rows[w] * cols[c])).ln().max(0.0);
        }
    }
    out
}

/// Orthonormalize the columns of `q` in place (modified Gram-Schmidt).
fn orthonormalize(q: &mut Array2<f64>) {
    for j in 0..q.ncols() {
        for i in 0..j {
            let dot = q.column(i).dot(&q.column(j));
            let prev = q.column(i).to_owned();
            q.column_mut(j).scaled_add(-dot, &prev);
        }
        let norm = q.column(j).dot(&q.column(j)).sqrt();
        if norm > 0.0 {
            q.column_mut(j).mapv_inplace(|v| v / norm);
        }
    }
}

/// Word vectors from a truncated SVD of `m` (n x d), without centring: the n x k matrix
/// `m q`, where q (d x k) has orthonormal columns spanning the top k right singular vectors,
/// found by subspace (block power) iteration from a seeded Gaussian start. That is U_k S_k up
/// to a rotation, which changes no cosine.
pub fn embed(m: &Array2<f64>, k: usize, iterations: usize, seed: u64) -> Array2<f64> {
    let mut rng = learnml_kit::split::rng(seed);
    let mut q: Array2<f64> = Array2::random_using((m.ncols(), k), StandardNormal, &mut rng);
    orthonormalize(&mut q);
    for _ in 0..iterations {
        q = m.t().dot(&m.dot(&q));
        orthonormalize(&mut q);
    }
    m.dot(&q)
}

/// The cosine of the angle between `a` and `b`: a . b / (|a| |b|), 0 if either is zero.
pub fn cosine(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let norms = a.dot(&a).sqrt() * b.dot(&b).sqrt();
    if norms == 0.0 { 0.0 } else { a.dot(&b) / norms }
}

/// The `n` vocabulary words closest to `word` by cosine similarity of their rows of
/// `vectors`, most similar first (ties: earlier in `vocab` first), `word` itself excluded.
/// Empty if `word` is not in `vocab`.
pub fn nearest(vectors: &Array2<f64>, vocab: &[String], word: &str, n: usize) -> Vec<String> {
    let Some(target) = vocab.iter().position(|w| w == word) else {
        return Vec::new();
    };
    let mut scored: Vec<(f64, usize)> = (0..vocab.len())
        .filter(|&i| i != target)
        .map(|i| (cosine(vectors.row(target), vectors.row(i)), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, i)| vocab[i].clone())
        .collect()
}
