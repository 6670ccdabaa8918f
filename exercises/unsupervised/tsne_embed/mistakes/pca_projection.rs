//! mistake: projects onto the first two principal components instead of running t-SNE
//! fails: digits_trust
//! message: "linear projection"

// unsupervised/tsne_embed: a t-SNE embedding that keeps neighbours.

use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::Array2;

/// A 2-D t-SNE embedding of the rows of `x` (shape (n, 2)), seeded with `seed`.
pub fn embed(x: &Array2<f64>, seed: u64) -> Array2<f64> {
    // PCA is deterministic and much faster: the seed is not needed.
    let _ = seed;
    let pca = Pca::params(2)
        .fit(&DatasetBase::from(x.clone()))
        .expect("PCA fits");
    pca.predict(x)
}
