// Grader of unsupervised/tsne_embed: graded by trustworthiness, never by coordinates.

#[path = "../common.rs"]
mod common;

use common::*;
use learnml_grader::Goal;
use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::embed;

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

/// The smallest R² of a least-squares fit of each embedding column on the features (plus an
/// intercept, with a tiny ridge for constant pixels): near 1 for a linear projection like PCA.
fn linear_r2(x: &Array2<f64>, e: &Array2<f64>) -> f64 {
    let (n, d) = x.dim();
    let a = Array2::from_shape_fn((n, d + 1), |(i, j)| if j < d { x[[i, j]] } else { 1.0 });
    let mut gram = a.t().dot(&a);
    for j in 0..=d {
        gram[[j, j]] += 1e-6;
    }
    let mut worst = f64::INFINITY;
    for column in e.columns() {
        let mut m = gram.clone();
        let mut v = a.t().dot(&column);
        // Gaussian elimination (the ridge keeps the pivots positive).
        for p in 0..=d {
            for q in p + 1..=d {
                let f = m[[q, p]] / m[[p, p]];
                for k in p..=d {
                    m[[q, k]] -= f * m[[p, k]];
                }
                v[q] -= f * v[p];
            }
        }
        let mut b = ndarray::Array1::<f64>::zeros(d + 1);
        for p in (0..=d).rev() {
            let s: f64 = (p + 1..=d).map(|k| m[[p, k]] * b[k]).sum();
            b[p] = (v[p] - s) / m[[p, p]];
        }
        let residual = &column - &a.dot(&b);
        let mean = column.mean().unwrap_or(0.0);
        let total: f64 = column.iter().map(|v| (v - mean) * (v - mean)).sum();
        worst = worst.min(1.0 - residual.dot(&residual) / total.max(1e-300));
    }
    worst
}

/// A failed bar whose embedding is a linear function of the features says so.
fn name_linear(graded: Graded, x: &Array2<f64>, e: &Array2<f64>) -> Graded {
    graded.map_err(|mut failed| {
        if linear_r2(x, e) > 0.999 {
            failed.message.push_str(
                ": the embedding is a linear projection of the features (PCA?), not t-SNE",
            );
        }
        failed
    })
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
    let graded = bar(
        "trustworthiness (k = 5) on 300 digits",
        trustworthiness(&x, &e, 5),
        0.95,
        Goal::AtLeast,
    );
    name_linear(graded, &x, &e)
        .hint("PCA to 2-D scores about 0.80 here; t-SNE with perplexity 10-30 and a few hundred iterations scores near 0.99")
}

fn iris_trust() -> Graded {
    let (x, _) = iris();
    let e = embedding(&x)?;
    let graded = bar(
        "trustworthiness (k = 5) on iris",
        trustworthiness(&x, &e, 5),
        0.95,
        Goal::AtLeast,
    );
    name_linear(graded, &x, &e)
        .hint("use a perplexity of at most (150 - 1) / 3, and enough iterations for the embedding to settle (a few hundred)")
}
