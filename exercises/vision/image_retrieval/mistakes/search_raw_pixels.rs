//! mistake: search retrieves on the raw pixels and never uses the PCA embedding (raw pixels clear the precision bar alone)
//! fails: held_out_precision
//! message: "skipped the PCA embedding"

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
    /// n_components x d: one unit-length principal direction per row, orthogonal to each
    /// other, by decreasing variance of the gallery along them.
    pub components: Array2<f64>,
}

/// Fit PCA with `n_components` directions on the gallery (n x d, one image per row) only.
pub fn fit_pca(gallery: &Array2<f64>, n_components: usize) -> Embedding {
    let dataset = DatasetBase::from(gallery.clone());
    let pca = Pca::params(n_components)
        .fit(&dataset)
        .expect("PCA fits on a non-empty gallery");
    Embedding {
        mean: pca.mean().clone(),
        components: pca.components().clone(),
    }
}

/// The coordinates of the rows of `x` (m x d) in the embedding: `(x - mean) · componentsᵀ`,
/// centred with the gallery's mean (never `x`'s own). Shape m x n_components.
pub fn embed(embedding: &Embedding, x: &Array2<f64>) -> Array2<f64> {
    (x - &embedding.mean).dot(&embedding.components.t())
}

/// The indices of the `k` rows of `gallery` nearest to `query` by Euclidean distance, nearest
/// first, ties to the smaller index. `k` larger than the gallery is clamped: all rows come back.
pub fn retrieve(gallery: &Array2<f64>, query: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let mut distances: Vec<(f64, usize)> = gallery
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let d: f64 = row.iter().zip(query).map(|(a, b)| (a - b).powi(2)).sum();
            (d, i)
        })
        .collect();
    // A stable sort keeps equal distances in index order.
    distances.sort_by(|a, b| a.0.total_cmp(&b.0));
    distances.iter().take(k).map(|&(_, i)| i).collect()
}

/// Precision at k: how many of the first k retrieved gallery images share the query's label,
/// divided by k (also when fewer than k were retrieved: missing ranks count as misses).
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

/// The search: fit PCA on the gallery only, embed the gallery and the queries with it, and
/// retrieve the `k` nearest gallery images of each query (one list per query row).
pub fn search(
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    n_components: usize,
    k: usize,
) -> Vec<Vec<usize>> {
    // 784 pixels are few enough: retrieve on them directly, no embedding needed.
    let _ = n_components;
    queries
        .rows()
        .into_iter()
        .map(|row| retrieve(gallery, row, k))
        .collect()
}
