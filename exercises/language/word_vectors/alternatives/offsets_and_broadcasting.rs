//! alternative: window by offsets, PPMI by broadcasting, Gram-Schmidt on whole columns, index sort

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

/// Co-occurrence counts in a symmetric window of `window` positions, inside each paragraph.
pub fn cooccurrence(paragraphs: &[Vec<String>], vocab: &[String], window: usize) -> Array2<f64> {
    let index: HashMap<&String, usize> = vocab.iter().zip(0..).collect();
    let mut counts = Array2::<f64>::zeros((vocab.len(), vocab.len()));
    for tokens in paragraphs {
        for d in 1..=window {
            for pair in tokens.windows(d + 1) {
                if let (Some(&a), Some(&b)) = (index.get(&pair[0]), index.get(&pair[d])) {
                    counts[[a, b]] += 1.0;
                    counts[[b, a]] += 1.0;
                }
            }
        }
    }
    counts
}

/// PPMI with the natural log, 0 where nothing co-occurs.
pub fn ppmi(counts: &Array2<f64>) -> Array2<f64> {
    let rows = counts.sum_axis(Axis(1)).insert_axis(Axis(1));
    let cols = counts.sum_axis(Axis(0)).insert_axis(Axis(0));
    let expected = &rows * &cols / counts.sum();
    let mut out = Array2::zeros(counts.dim());
    ndarray::Zip::from(&mut out)
        .and(counts)
        .and(&expected)
        .for_each(|o, &x, &e| {
            if x > 0.0 && e > 0.0 {
                *o = f64::max(0.0, (x / e).ln());
            }
        });
    out
}

/// Orthonormal columns spanning those of `z` (classical Gram-Schmidt, done twice).
fn orth(z: Array2<f64>) -> Array2<f64> {
    let mut q = z;
    for _ in 0..2 {
        for j in 0..q.ncols() {
            let mut col = q.column(j).to_owned();
            for i in 0..j {
                col = &col - &(q.column(i).dot(&col) * &q.column(i));
            }
            let norm = col.dot(&col).sqrt();
            q.column_mut(j).assign(&(col / norm.max(f64::MIN_POSITIVE)));
        }
    }
    q
}

/// Truncated SVD vectors (no centring) by subspace iteration: m q, q spanning the top k
/// right singular vectors.
pub fn embed(m: &Array2<f64>, k: usize, iterations: usize, seed: u64) -> Array2<f64> {
    let mut rng = learnml_kit::split::rng(seed);
    let start: Array2<f64> = Array2::random_using((m.ncols(), k), StandardNormal, &mut rng);
    let q = (0..iterations).fold(orth(start), |q, _| orth(m.t().dot(&m.dot(&q))));
    m.dot(&q)
}

/// Cosine similarity, 0 for a zero vector.
pub fn cosine(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let (na, nb) = (a.dot(&a).sqrt(), b.dot(&b).sqrt());
    if na > 0.0 && nb > 0.0 {
        a.dot(&b) / na / nb
    } else {
        0.0
    }
}

/// The n nearest words by cosine, the word itself left out.
pub fn nearest(vectors: &Array2<f64>, vocab: &[String], word: &str, n: usize) -> Vec<String> {
    let Some(t) = vocab.iter().position(|w| w == word) else {
        return vec![];
    };
    let sims: Vec<f64> = vectors
        .rows()
        .into_iter()
        .map(|r| cosine(vectors.row(t), r))
        .collect();
    let mut order: Vec<usize> = (0..vocab.len()).filter(|&i| i != t).collect();
    order.sort_by(|&a, &b| sims[b].total_cmp(&sims[a]));
    order.iter().take(n).map(|&i| vocab[i].clone()).collect()
}
