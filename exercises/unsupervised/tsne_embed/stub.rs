// unsupervised/tsne_embed: a 2-D t-SNE embedding with linfa-tsne.
// `learnml show unsupervised/tsne_embed` shows the full statement; `learnml check unsupervised/tsne_embed` grades this file.

use ndarray::Array2;

/// A 2-D t-SNE embedding of the rows of `x` (shape (n, 2)), seeded with `seed`.
pub fn embed(x: &Array2<f64>, seed: u64) -> Array2<f64> {
    let _ = (x, seed);
    todo!("TSneParams::embedding_size_with_rng(2, ..).perplexity(..).max_iter(..).transform(..)")
}
