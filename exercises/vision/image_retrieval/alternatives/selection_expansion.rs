//! alternative: linfa's PCA, embedding by explicit loops, distances by the expansion |g|² − 2 g·q + |q|², retrieval by repeated selection of the minimum (strict <, so ties go to the smaller index), precision by counting

// vision/image_retrieval: nearest-neighbour image search in a PCA embedding fitted on the gallery.
// `learnml show vision/image_retrieval` shows the full statement; `learnml check vision/image_retrieval` grades this file.

use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::{Array1, Array2, ArrayView1};

/// A PCA embedding: the gallery's column means and the principal directions.
#[derive(Debug, Clone)]
pub struct Embedding {
    /// The mean of each column of the gallery (d values).
    pub mean: Array1<f64>,
    /// n_components x d.
    pub components: Array2<f64>,
}

pub fn fit_pca(gallery: &Array2<f64>, n_components: usize) -> Embedding {
    let pca = Pca::params(n_components)
        .fit(&DatasetBase::from(gallery.to_owned()))
        .unwrap();
    Embedding {
        mean: pca.mean().to_owned(),
        components: pca.components().to_owned(),
    }
}

pub fn embed(embedding: &Embedding, x: &Array2<f64>) -> Array2<f64> {
    let (m, d) = x.dim();
    let p = embedding.components.nrows();
    let mut out = Array2::zeros((m, p));
    for i in 0..m {
        for c in 0..p {
            let mut s = 0.0;
            for j in 0..d {
                s += (x[[i, j]] - embedding.mean[j]) * embedding.components[[c, j]];
            }
            out[[i, c]] = s;
        }
    }
    out
}

pub fn retrieve(gallery: &Array2<f64>, query: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let qq = query.dot(&query);
    let dist: Vec<f64> = gallery
        .rows()
        .into_iter()
        .map(|g| g.dot(&g) - 2.0 * g.dot(&query) + qq)
        .collect();
    let mut taken = vec![false; dist.len()];
    let mut out = Vec::new();
    while out.len() < k.min(dist.len()) {
        let mut best: Option<usize> = None;
        for (i, &d) in dist.iter().enumerate() {
            if taken[i] {
                continue;
            }
            if best.is_none_or(|b| d < dist[b]) {
                best = Some(i);
            }
        }
        let b = best.unwrap();
        taken[b] = true;
        out.push(b);
    }
    out
}

pub fn precision_at_k(
    retrieved: &[usize],
    gallery_labels: &[usize],
    label: usize,
    k: usize,
) -> f64 {
    let hits = retrieved
        .iter()
        .take(k)
        .filter(|&&i| gallery_labels[i] == label)
        .count();
    hits as f64 / k as f64
}

pub fn search(
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    n_components: usize,
    k: usize,
) -> Vec<Vec<usize>> {
    let e = fit_pca(gallery, n_components);
    let g = embed(&e, gallery);
    let q = embed(&e, queries);
    q.rows()
        .into_iter()
        .map(|row| retrieve(&g, row, k))
        .collect()
}
