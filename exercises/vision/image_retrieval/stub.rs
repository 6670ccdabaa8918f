// vision/image_retrieval: nearest-neighbour image search in a PCA embedding fitted on the gallery.
// `learnml show vision/image_retrieval` shows the full statement; `learnml check vision/image_retrieval` grades this file.

#[allow(unused_imports)]
use linfa::prelude::*;
#[allow(unused_imports)]
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
    let _ = (gallery, n_components);
    todo!(
        "Pca::params(n_components).fit(&DatasetBase::from(gallery.clone())), then its mean() and components()"
    )
}

/// The coordinates of the rows of `x` (m x d) in the embedding: `(x - mean) · componentsᵀ`,
/// centred with the gallery's mean (never `x`'s own). Shape m x n_components.
pub fn embed(embedding: &Embedding, x: &Array2<f64>) -> Array2<f64> {
    let _ = (embedding, x);
    todo!("subtract the gallery's mean, multiply by the transposed components")
}

/// The indices of the `k` rows of `gallery` nearest to `query` by Euclidean distance, nearest
/// first, ties to the smaller index. `k` larger than the gallery is clamped: all rows come back.
pub fn retrieve(gallery: &Array2<f64>, query: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let _ = (gallery, query, k);
    todo!("(distance, index) pairs, a stable sort by distance, the first k indices")
}

/// Precision at k: how many of the first k retrieved gallery images share the query's label,
/// divided by k (also when fewer than k were retrieved: missing ranks count as misses).
pub fn precision_at_k(
    retrieved: &[usize],
    gallery_labels: &[usize],
    label: usize,
    k: usize,
) -> f64 {
    let _ = (retrieved, gallery_labels, label, k);
    todo!("hits among the first k, divided by k")
}

/// The search: fit PCA on the gallery only, embed the gallery and the queries with it, and
/// retrieve the `k` nearest gallery images of each query (one list per query row).
pub fn search(
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    n_components: usize,
    k: usize,
) -> Vec<Vec<usize>> {
    let _ = (gallery, queries, n_components, k);
    todo!("fit_pca on the gallery, embed both, retrieve for each query row")
}
