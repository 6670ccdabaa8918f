//! alternative: perplexity 20 and 300 iterations (the statement leaves 10-30 and at most 500 open)

// unsupervised/tsne_embed: a t-SNE embedding that keeps neighbours.

use linfa::prelude::*;
use linfa_tsne::TSneParams;
use ndarray::Array2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// A 2-D t-SNE embedding of the rows of `x` (shape (n, 2)), seeded with `seed`.
pub fn embed(x: &Array2<f64>, seed: u64) -> Array2<f64> {
    TSneParams::embedding_size_with_rng(2, Xoshiro256Plus::seed_from_u64(seed))
        .perplexity(20.0)
        .approx_threshold(0.0)
        .max_iter(300)
        .transform(x.to_owned())
        .unwrap_or_else(|e| panic!("t-SNE failed: {e}"))
}
