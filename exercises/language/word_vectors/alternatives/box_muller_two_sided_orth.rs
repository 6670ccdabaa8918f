//! alternative: window by offsets counted in both directions, BTreeMap index, PPMI in loops as (X_wc / X_w)(N / X_c), a Box-Muller Gaussian start, both m q and m^T (m q) orthonormalized each step, cosine from separate norms, nearest by partial_cmp then index

// language/word_vectors: co-occurrence counts, PPMI, truncated SVD and cosine neighbours.
// `learnml show language/word_vectors` shows the full statement; `learnml check language/word_vectors` grades this file.

use std::collections::BTreeMap;

use ndarray::{Array2, ArrayView1};
use rand::Rng;

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

/// Co-occurrence counts: for each offset 1..=window, every pair of positions at that offset
/// is counted in both directions.
pub fn cooccurrence(paragraphs: &[Vec<String>], vocab: &[String], window: usize) -> Array2<f64> {
    let index: BTreeMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let mut counts = Array2::<f64>::zeros((vocab.len(), vocab.len()));
    for p in paragraphs {
        let ids: Vec<Option<usize>> = p.iter().map(|t| index.get(t.as_str()).copied()).collect();
        for offset in 1..=window {
            for start in 0..ids.len().saturating_sub(offset) {
                if let (Some(a), Some(b)) = (ids[start], ids[start + offset]) {
                    counts[[a, b]] += 1.0;
                    counts[[b, a]] += 1.0;
                }
            }
        }
    }
    counts
}

/// PPMI with explicit loops, the ratio taken as (X_wc / X_w) (N / X_c).
pub fn ppmi(counts: &Array2<f64>) -> Array2<f64> {
    let (n, m) = counts.dim();
    let mut rows = vec![0.0; n];
    let mut cols = vec![0.0; m];
    let mut total = 0.0;
    for ((w, c), &x) in counts.indexed_iter() {
        rows[w] += x;
        cols[c] += x;
        total += x;
    }
    let mut out = Array2::<f64>::zeros((n, m));
    for ((w, c), &x) in counts.indexed_iter() {
        if x > 0.0 {
            let pmi = ((x / rows[w]) * (total / cols[c])).ln();
            if pmi > 0.0 {
                out[[w, c]] = pmi;
            }
        }
    }
    out
}

/// Modified Gram-Schmidt, in place, on the columns of `q`.
fn orthonormalize(q: &mut Array2<f64>) {
    for j in 0..q.ncols() {
        for i in 0..j {
            let proj = q.column(i).dot(&q.column(j));
            let qi = q.column(i).to_owned();
            q.column_mut(j).scaled_add(-proj, &qi);
        }
        let norm = q.column(j).dot(&q.column(j)).sqrt();
        if norm > 0.0 {
            q.column_mut(j).mapv_inplace(|v| v / norm);
        }
    }
}

/// Truncated SVD by subspace iteration; the Gaussian start drawn by Box-Muller, and both
/// `m q` and `m^T (m q)` orthonormalized at each step.
pub fn embed(m: &Array2<f64>, k: usize, iterations: usize, seed: u64) -> Array2<f64> {
    let d = m.ncols();
    let mut rng = learnml_kit::split::rng(seed);
    let mut q = Array2::<f64>::zeros((d, k));
    for j in 0..k {
        for i in 0..d {
            let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
            let u2: f64 = rng.gen_range(0.0..1.0);
            q[[i, j]] = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        }
    }
    orthonormalize(&mut q);
    for _ in 0..iterations {
        let mut p = m.dot(&q);
        orthonormalize(&mut p);
        q = m.t().dot(&p);
        orthonormalize(&mut q);
    }
    m.dot(&q)
}

/// The cosine, from the two norms computed separately.
pub fn cosine(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum::<f64>() / na / nb
}

/// The `n` nearest words by cosine, ties to the earlier index.
pub fn nearest(vectors: &Array2<f64>, vocab: &[String], word: &str, n: usize) -> Vec<String> {
    let Some(t) = vocab.iter().position(|w| w == word) else {
        return Vec::new();
    };
    let mut others: Vec<(usize, f64)> = (0..vocab.len())
        .filter(|&i| i != t)
        .map(|i| (i, cosine(vectors.row(t), vectors.row(i))))
        .collect();
    others.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    others
        .into_iter()
        .take(n)
        .map(|(i, _)| vocab[i].clone())
        .collect()
}
