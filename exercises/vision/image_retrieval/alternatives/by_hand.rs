//! alternative: PCA by hand (simultaneous power iteration on the covariance), retrieval by an unstable sort on (distance, index)

// vision/image_retrieval: nearest-neighbour image search in a PCA embedding fitted on the gallery.
// `learnml show vision/image_retrieval` shows the full statement; `learnml check vision/image_retrieval` grades this file.

use ndarray::{Array1, Array2, ArrayView1, Axis};

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
    let mean = gallery.mean_axis(Axis(0)).expect("a non-empty gallery");
    let centred = gallery - &mean;
    let d = gallery.ncols();
    // Simultaneous iteration: V <- orthonormalize(Xᵀ X V), columns by decreasing eigenvalue.
    let mut v = Array2::from_shape_fn((d, n_components), |(i, j)| {
        ((i * 7 + j * 13) % 11) as f64 - 5.0 + if i == j { 10.0 } else { 0.0 }
    });
    for _ in 0..200 {
        let w = centred.t().dot(&centred.dot(&v));
        v = gram_schmidt(w);
    }
    Embedding {
        mean,
        components: v.t().to_owned(),
    }
}

/// The columns of `w` made orthonormal, in order.
fn gram_schmidt(mut w: Array2<f64>) -> Array2<f64> {
    for j in 0..w.ncols() {
        for i in 0..j {
            let p = w.column(i).dot(&w.column(j));
            let previous = w.column(i).to_owned();
            w.column_mut(j).scaled_add(-p, &previous);
        }
        let norm = w.column(j).dot(&w.column(j)).sqrt();
        w.column_mut(j).mapv_inplace(|x| x / norm);
    }
    w
}

/// The coordinates of the rows of `x` (m x d) in the embedding: `(x - mean) · componentsᵀ`,
/// centred with the gallery's mean (never `x`'s own). Shape m x n_components.
pub fn embed(embedding: &Embedding, x: &Array2<f64>) -> Array2<f64> {
    let mut centred = x.clone();
    for mut row in centred.rows_mut() {
        row -= &embedding.mean;
    }
    centred.dot(&embedding.components.t())
}

/// The indices of the `k` rows of `gallery` nearest to `query` by Euclidean distance, nearest
/// first, ties to the smaller index. `k` larger than the gallery is clamped: all rows come back.
pub fn retrieve(gallery: &Array2<f64>, query: ArrayView1<f64>, k: usize) -> Vec<usize> {
    let mut order: Vec<(f64, usize)> = gallery
        .rows()
        .into_iter()
        .map(|row| {
            let diff = &row - &query;
            diff.dot(&diff).sqrt()
        })
        .zip(0..)
        .collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    order.truncate(k.min(gallery.nrows()));
    order.into_iter().map(|(_, i)| i).collect()
}

/// Precision at k: how many of the first k retrieved gallery images share the query's label,
/// divided by k (also when fewer than k were retrieved: missing ranks count as misses).
pub fn precision_at_k(
    retrieved: &[usize],
    gallery_labels: &[usize],
    label: usize,
    k: usize,
) -> f64 {
    let mut hits = 0;
    for &i in retrieved.iter().take(k) {
        if gallery_labels[i] == label {
            hits += 1;
        }
    }
    f64::from(hits) / k as f64
}

/// The search: fit PCA on the gallery only, embed the gallery and the queries with it, and
/// retrieve the `k` nearest gallery images of each query (one list per query row).
pub fn search(
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    n_components: usize,
    k: usize,
) -> Vec<Vec<usize>> {
    let embedding = fit_pca(gallery, n_components);
    let g = embed(&embedding, gallery);
    embed(&embedding, queries)
        .rows()
        .into_iter()
        .map(|q| retrieve(&g, q, k))
        .collect()
}
