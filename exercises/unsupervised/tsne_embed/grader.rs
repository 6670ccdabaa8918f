// Grader of unsupervised/tsne_embed: graded by trustworthiness, never by coordinates.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use crate::exercise::embed;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("shape", shape),
    ("digits_trust", digits_trust),
    ("iris_trust", iris_trust),
];

fn embedding(x: &Array2<f64>) -> Result<Array2<f64>, Failed> {
    let e = embed(x, 1);
    equal("embedding shape (n, 2)", &e.dim(), &(x.nrows(), 2))
        .hint("one row per point, 2 columns: `embedding_size_with_rng(2, ..)`")?;
    ensure(e.iter().all(|v| v.is_finite()), || {
        "the embedding contains NaN or infinity".into()
    })?;
    Ok(e)
}

fn shape() -> Graded {
    let (x, _) = iris();
    embedding(&x)?;
    pass("iris embeds as 150 x 2 finite coordinates")
}

fn digits_trust() -> Graded {
    let (x, y) = digits();
    let chosen = learnml_kit::split::shuffled(x.nrows(), 7)[..300].to_vec();
    let (x, labels) = subset(&x, &y, &chosen);
    let e = embedding(&x)?;
    // The digit labels only colour the picture: t-SNE never saw them.
    show(Figure::Scatter {
        title: "your t-SNE embedding of 300 digits (group: the true digit)".into(),
        x_label: "t-SNE 1".into(),
        y_label: "t-SNE 2".into(),
        points: e.rows().into_iter().map(|r| [r[0], r[1]]).collect(),
        groups: labels,
    });
    bar("trustworthiness (k = 5) on 300 digits", trustworthiness(&x, &e, 5), 0.95, Goal::AtLeast)
        .hint("PCA to 2-D scores about 0.80 here; t-SNE with perplexity 10-30 and a few hundred iterations scores near 0.99")
}

fn iris_trust() -> Graded {
    let (x, _) = iris();
    let e = embedding(&x)?;
    bar("trustworthiness (k = 5) on iris", trustworthiness(&x, &e, 5), 0.95, Goal::AtLeast)
        .hint("use a perplexity of at most (150 - 1) / 3, and enough iterations for the embedding to settle (a few hundred)")
}
