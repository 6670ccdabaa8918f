// Grader of vision/image_retrieval.
//
// The embedding is checked by invariants that hold for any correct PCA (gallery projections
// with zero mean, orthonormal directions, variances equal to the covariance's top
// eigenvalues, which the grader finds by power iteration), queries against the grader's own
// centring with the learner's fitted mean and directions, retrieval and precision@k on
// hand-made cases with ties and short lists, the whole search on a case where fitting on
// the queries too changes the answer, and precision@10 on held-out Fashion-MNIST, where the
// lists must also agree with the grader's own PCA search (raw pixels clear the precision bar).

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, rows, stratified_train_test};
use ndarray::{Array1, Array2, Axis, array};
use rand::Rng as _;

use super::exercise::{Embedding, embed, fit_pca, precision_at_k, retrieve, search};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("pca_embedding", check_pca_embedding),
    ("embed_queries", check_embed_queries),
    ("retrieve", check_retrieve),
    ("precision_at_k", check_precision),
    ("search_no_leak", check_search_no_leak),
    ("held_out_precision", check_held_out),
];

fn column_means(x: &Array2<f64>) -> Array1<f64> {
    let (n, d) = x.dim();
    let mut m = Array1::zeros(d);
    for i in 0..n {
        for j in 0..d {
            m[j] += x[[i, j]] / n as f64;
        }
    }
    m
}

/// The covariance (divided by n) of the rows of `x`.
fn covariance(x: &Array2<f64>) -> Array2<f64> {
    let (n, d) = x.dim();
    let m = column_means(x);
    let mut c = Array2::zeros((d, d));
    for i in 0..n {
        for a in 0..d {
            for b in 0..d {
                c[[a, b]] += (x[[i, a]] - m[a]) * (x[[i, b]] - m[b]) / n as f64;
            }
        }
    }
    c
}

/// The top `k` eigenvalues and unit eigenvectors (rows) of a small symmetric matrix with
/// distinct eigenvalues, by power iteration with deflation.
fn top_eigen(c: &Array2<f64>, k: usize) -> (Vec<f64>, Array2<f64>) {
    let d = c.nrows();
    let mut m = c.clone();
    let mut values = Vec::new();
    let mut vectors = Array2::zeros((k, d));
    for t in 0..k {
        let mut v: Array1<f64> = Array1::from_shape_fn(d, |j| 1.0 + 0.1 * (j + t) as f64);
        for _ in 0..5000 {
            let w = m.dot(&v);
            let norm = w.dot(&w).sqrt();
            if norm == 0.0 {
                break;
            }
            v = w / norm;
        }
        let value = v.dot(&m.dot(&v));
        for a in 0..d {
            for b in 0..d {
                m[[a, b]] -= value * v[a] * v[b];
            }
        }
        values.push(value);
        vectors.row_mut(t).assign(&v);
    }
    (values, vectors)
}

/// A seeded random orthogonal d x d matrix (Gram-Schmidt on random rows).
fn rotation(d: usize, r: &mut impl rand::Rng) -> Array2<f64> {
    let mut q = Array2::<f64>::zeros((d, d));
    for i in 0..d {
        let mut v: Array1<f64> = Array1::from_shape_fn(d, |_| r.gen_range(-1.0..1.0));
        for j in 0..i {
            let p = v.dot(&q.row(j));
            v.scaled_add(-p, &q.row(j));
        }
        let norm = v.dot(&v).sqrt();
        q.row_mut(i).assign(&(v / norm));
    }
    q
}

/// A seeded gallery of `n` points in 6 dimensions, spread 6, 4, 3, 2, 1, 0.5 along rotated
/// axes around a mean far from 0.
fn synthetic_gallery(n: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    let scales = [6.0, 4.0, 3.0, 2.0, 1.0, 0.5];
    let z = Array2::from_shape_fn((n, 6), |(_, j)| scales[j] * r.gen_range(-1.0..1.0));
    let offset = array![3.0, -2.0, 1.0, 0.5, 5.0, -1.0];
    z.dot(&rotation(6, &mut r)) + &offset
}

fn finite(what: &str, x: &Array2<f64>) -> Result<(), Failed> {
    ensure(x.iter().all(|v| v.is_finite()), || {
        format!("{what} contains NaN or inf")
    })
}

fn checked_fit(gallery: &Array2<f64>, k: usize) -> Result<Embedding, Failed> {
    let e = fit_pca(gallery, k);
    let d = gallery.ncols();
    equal("mean: length (one per column)", &e.mean.len(), &d)?;
    equal(
        "components: shape (n_components, d)",
        &e.components.dim(),
        &(k, d),
    )?;
    ensure(
        e.mean.iter().chain(&e.components).all(|v| v.is_finite()),
        || "the fitted mean or components contain NaN or inf".to_string(),
    )?;
    Ok(e)
}

fn check_pca_embedding() -> Graded {
    for (n, k, seed) in [(40, 3, 1u64), (25, 2, 2)] {
        let gallery = synthetic_gallery(n, seed);
        let what = format!("PCA with {k} components of a seeded {n} x 6 gallery");
        let e = checked_fit(&gallery, k)?;
        all_close(
            &format!("{what}: mean (the gallery's column means)"),
            &e.mean.to_vec(),
            &column_means(&gallery).to_vec(),
            1e-9,
        )?;
        let gram = e.components.dot(&e.components.t());
        matrix_close(
            &format!("{what}: components · componentsᵀ (orthonormal rows)"),
            &gram,
            &Array2::eye(k),
            1e-6,
        )
        .hint("each row of components is a unit vector, orthogonal to the others")?;
        let projected = embed(&e, &gallery);
        equal(
            &format!("{what}: shape of the embedded gallery"),
            &projected.dim(),
            &(n, k),
        )?;
        finite(&format!("{what}: the embedded gallery"), &projected)?;
        let means = column_means(&projected);
        ensure(means.iter().all(|m| m.abs() < 1e-8), || {
            format!(
                "{what}: the embedded gallery has column means {:?}, not 0: embed must subtract the gallery's mean (not centred) before projecting",
                means.iter().map(|&m| fmt(m)).collect::<Vec<_>>()
            )
        })?;
        let variances: Vec<f64> = (0..k)
            .map(|j| projected.column(j).iter().map(|v| v * v).sum::<f64>() / n as f64)
            .collect();
        let (eigenvalues, _) = top_eigen(&covariance(&gallery), k);
        ensure(variances.windows(2).all(|w| w[0] >= w[1]), || {
            format!(
                "{what}: the variances along the components, {:?}, are not in decreasing order",
                variances.iter().map(|&v| fmt(v)).collect::<Vec<_>>()
            )
        })
        .hint("the first component carries the most variance")?;
        for (j, (&v, &l)) in variances.iter().zip(&eigenvalues).enumerate() {
            close(
                &format!("{what}: variance of the gallery along component {j} (the covariance's eigenvalue {j})"),
                v,
                l,
                1e-4 * l,
            )
            .hint("the components are the covariance's top eigenvectors: linfa_reduction::Pca::params(n_components).fit(&DatasetBase::from(gallery.clone()))")?;
        }
    }
    pass(
        "fitted on the gallery: its mean, orthonormal directions, projections with zero mean and variances equal to the top eigenvalues, in decreasing order",
    )
}

fn check_embed_queries() -> Graded {
    let gallery = synthetic_gallery(30, 3);
    let e = checked_fit(&gallery, 3)?;
    // Queries from elsewhere: their mean is not the gallery's.
    let mut r = rng(4);
    let many = Array2::from_shape_fn((5, 6), |_| r.gen_range(4.0..9.0));
    let one = Array2::from_shape_fn((1, 6), |_| r.gen_range(-3.0..3.0));
    for (what, q) in [("5 queries", many), ("a single query", one)] {
        let got = embed(&e, &q);
        let expected = (&q - &e.mean).dot(&e.components.t());
        equal(
            &format!("embedding of {what}: shape"),
            &got.dim(),
            &expected.dim(),
        )?;
        finite(&format!("embedding of {what}"), &got)?;
        if expected.iter().zip(&got).all(|(a, b)| (a - b).abs() < 1e-8) {
            continue;
        }
        let own = (&q - &column_means(&q)).dot(&e.components.t());
        ensure(
            !own.iter().zip(&got).all(|(a, b)| (a - b).abs() < 1e-8),
            || {
                format!(
                    "embedding of {what}: the queries were centred with their own mean; subtract the gallery's mean (embedding.mean), the one the directions were fitted around"
                )
            },
        )?;
        let raw = q.dot(&e.components.t());
        ensure(
            !raw.iter().zip(&got).all(|(a, b)| (a - b).abs() < 1e-8),
            || {
                format!(
                    "embedding of {what}: the queries were not centred: subtract the gallery's mean before projecting"
                )
            },
        )?;
        matrix_close(&format!("embedding of {what}"), &got, &expected, 1e-8)
            .hint("(x - mean) · componentsᵀ")?;
    }
    pass("queries are centred with the gallery's mean, then projected")
}

/// The grader's retrieval with loops: nearest first (or farthest first), ties to the smaller
/// index (or the larger), at most the gallery's size.
fn ref_retrieve(
    g: &Array2<f64>,
    q: &Array1<f64>,
    k: usize,
    farthest: bool,
    larger: bool,
) -> Vec<usize> {
    let mut order: Vec<(f64, usize)> = (0..g.nrows())
        .map(|i| {
            let mut d = 0.0;
            for j in 0..g.ncols() {
                d += (g[[i, j]] - q[j]) * (g[[i, j]] - q[j]);
            }
            (d, i)
        })
        .collect();
    order.sort_by(|a, b| {
        let by_distance = if farthest {
            b.0.total_cmp(&a.0)
        } else {
            a.0.total_cmp(&b.0)
        };
        let by_index = if larger { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) };
        by_distance.then(by_index)
    });
    order.into_iter().take(k).map(|(_, i)| i).collect()
}

fn check_retrieve() -> Graded {
    // Points on a small grid: many equal distances.
    let grid = array![
        [0.0, 0.0],
        [1.0, 0.0],
        [0.0, 1.0],
        [-1.0, 0.0],
        [2.0, 2.0],
        [0.0, -1.0]
    ];
    let mut r = rng(8);
    let random = Array2::from_shape_fn((12, 3), |_| r.gen_range(-1.0..1.0));
    let cases = [
        (
            "a 6-point grid, query (0, 0), k = 4 (four points at distance 1)",
            grid.clone(),
            array![0.0, 0.0],
            4,
        ),
        (
            "the grid, query (0.5, 0.5), k = 3 (four points at the same distance)",
            grid.clone(),
            array![0.5, 0.5],
            3,
        ),
        (
            "the grid, query (0, 0), k = 10 > 6 gallery images (clamped to 6)",
            grid,
            array![0.0, 0.0],
            10,
        ),
        (
            "a seeded random 12 x 3 gallery, k = 5",
            random.clone(),
            array![0.1, -0.2, 0.3],
            5,
        ),
        (
            "the random gallery, k = 12 (all)",
            random,
            array![-0.5, 0.5, 0.0],
            12,
        ),
    ];
    for (what, g, q, k) in cases {
        let got = retrieve(&g, q.view(), k);
        let expected = ref_retrieve(&g, &q, k, false, false);
        if got == expected {
            continue;
        }
        ensure(got.len() == expected.len() || k <= g.nrows(), || {
            format!(
                "{what}: got {} indices; k larger than the gallery is clamped to its size, so all {} come back",
                got.len(),
                g.nrows()
            )
        })?;
        ensure(got != ref_retrieve(&g, &q, k, true, false), || {
            format!(
                "{what}: those are the farthest images first; retrieval returns the nearest (smallest Euclidean distance) first"
            )
        })?;
        ensure(got != ref_retrieve(&g, &q, k, false, true), || {
            format!(
                "{what}: equal distances went to the larger index first; ties go to the smaller gallery index"
            )
        })?;
        equal(&format!("indices retrieved for {what}"), &got, &expected)
            .hint("sort the (distance, index) pairs by distance with a stable sort (equal distances keep index order), take the first k")?;
    }
    pass(
        "nearest first by Euclidean distance, ties to the smaller index, k clamped to the gallery size",
    )
}

fn check_precision() -> Graded {
    let labels = [0, 1, 1, 2, 1, 0, 2];
    // (what, retrieved, query label, k, expected, the value when divided by the number retrieved)
    type Case = (&'static str, Vec<usize>, usize, usize, f64, f64);
    let cases: [Case; 4] = [
        (
            "retrieved [2, 4, 0, 1], label 1, k = 4",
            vec![2, 4, 0, 1],
            1,
            4,
            0.75,
            0.75,
        ),
        (
            "retrieved [3, 6, 1, 5, 2], label 2, k = 2 (only the first 2 count)",
            vec![3, 6, 1, 5, 2],
            2,
            2,
            1.0,
            1.0,
        ),
        (
            "retrieved [5, 0, 3] (a gallery of 3), label 0, k = 5",
            vec![5, 0, 3],
            0,
            5,
            0.4,
            2.0 / 3.0,
        ),
        ("retrieved [1], label 2, k = 3", vec![1], 2, 3, 0.0, 0.0),
    ];
    for (what, retrieved, label, k, expected, per_retrieved) in cases {
        let got = precision_at_k(&retrieved, &labels, label, k);
        close_naming(
            &format!("precision@k of {what}"),
            got,
            expected,
            1e-12,
            &[(per_retrieved, "divided by the number retrieved; precision@k divides by k, the missing ranks count as misses")],
        )
        .hint("count the first k retrieved whose gallery label is the query's, divide by k")?;
    }
    pass("precision@k counts same-label images among the first k and divides by k")
}

/// A gallery spread along axis 0 and queries far out along axis 2, where PCA with one
/// component fitted on the gallery and the queries together picks axis 2 instead.
fn leak_case() -> (Array2<f64>, Array2<f64>) {
    let mut r = rng(12);
    let gallery = Array2::from_shape_fn((20, 4), |(i, j)| match j {
        0 => -4.75 + 0.5 * i as f64 + r.gen_range(-0.05..0.05),
        1 => r.gen_range(-0.5..0.5),
        _ => r.gen_range(-0.1..0.1),
    });
    let queries = Array2::from_shape_fn((4, 4), |(i, j)| match j {
        0 => -3.1 + 2.05 * i as f64,
        2 => 30.0 + r.gen_range(-3.0..3.0),
        _ => r.gen_range(-0.2..0.2),
    });
    (gallery, queries)
}

/// The grader's search with its own one-component PCA, fitted on `fit_on`.
fn ref_search(
    fit_on: &Array2<f64>,
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    k: usize,
) -> Vec<Vec<usize>> {
    let mean = column_means(fit_on);
    let (_, directions) = top_eigen(&covariance(fit_on), 1);
    let g = (gallery - &mean).dot(&directions.t());
    let q = (queries - &mean).dot(&directions.t());
    q.rows()
        .into_iter()
        .map(|row| ref_retrieve(&g, &row.to_owned(), k, false, false))
        .collect()
}

fn check_search_no_leak() -> Graded {
    let (gallery, queries) = leak_case();
    let got = search(&gallery, &queries, 1, 3);
    let expected = ref_search(&gallery, &gallery, &queries, 3);
    if got == expected {
        return pass(
            "search fits PCA on the gallery only: 4 far-away queries do not move its direction",
        );
    }
    let both =
        ndarray::concatenate(Axis(0), &[gallery.view(), queries.view()]).expect("same width");
    let leaked = ref_search(&both, &gallery, &queries, 3);
    ensure(got != leaked, || {
        "search on a gallery spread along one axis, with 4 queries far out along another: PCA was fitted on the gallery and the queries together, so the queries chose the direction (a leak: at search time the queries are new, the embedding must not depend on them); fit on the gallery only".to_string()
    })?;
    equal(
        "search (1 component, k = 3): indices retrieved for 4 queries",
        &got,
        &expected,
    )
    .hint("fit_pca(gallery), then embed the gallery and the queries with it, then retrieve for each query row")?;
    pass("search fits on the gallery only")
}

// ---------------------------------------------------------------- held out

const N_COMPONENTS: usize = 20;
const K: usize = 10;

/// The bar on mean precision@10 over the held-out queries: the reference reaches 0.631 with
/// 20 components (0.622 with 30), the same search on the 784 raw pixels 0.620, random
/// retrieval 0.1 (the gallery has 37 images of each class out of 370).
const BAR: f64 = 0.60;

/// Raw pixels clear the precision bar too, so the lists must also be those of a
/// 20-component PCA embedding: the bar on the mean fraction of each query's 10 results that
/// the grader's own PCA search also returns. The reference (linfa's PCA) and the by-hand
/// power iteration reach 1.000; the search on the 784 raw pixels 0.786.
const AGREEMENT_BAR: f64 = 0.95;

/// The grader's own PCA search: the top `n_components` eigenvectors of the gallery's Gram
/// matrix (centred rows) by simultaneous power iteration; gallery image i sits at
/// sqrt(lambda_j) u_j[i] along component j, and a query q at (q - mean) · Xcᵀ u_j / sqrt(lambda_j).
fn own_pca_search(
    gallery: &Array2<f64>,
    queries: &Array2<f64>,
    n_components: usize,
    k: usize,
) -> Vec<Vec<usize>> {
    let n = gallery.nrows();
    let mean = column_means(gallery);
    let centred = gallery - &mean;
    let gram = centred.dot(&centred.t());
    let mut u = Array2::from_shape_fn((n, n_components), |(i, j)| {
        ((i * 31 + j * 17) % 23) as f64 - 11.0 + if i == j { 50.0 } else { 0.0 }
    });
    for _ in 0..300 {
        u = gram.dot(&u);
        for j in 0..n_components {
            for i in 0..j {
                let p = u.column(i).dot(&u.column(j));
                let previous = u.column(i).to_owned();
                u.column_mut(j).scaled_add(-p, &previous);
            }
            let norm = u.column(j).dot(&u.column(j)).sqrt();
            u.column_mut(j).mapv_inplace(|v| v / norm);
        }
    }
    let lambda: Vec<f64> = (0..n_components)
        .map(|j| u.column(j).dot(&gram.dot(&u.column(j))))
        .collect();
    let scale = Array1::from_shape_fn(n_components, |j| lambda[j].sqrt());
    let g = &u * &scale;
    let q = (queries - &mean).dot(&centred.t()).dot(&u) / &scale;
    q.rows()
        .into_iter()
        .map(|row| ref_retrieve(&g, &row.to_owned(), k, false, false))
        .collect()
}

/// The mean, over queries, of the fraction of `got`'s list that `reference`'s list contains.
fn agreement(got: &[Vec<usize>], reference: &[Vec<usize>]) -> f64 {
    let shared: f64 = got
        .iter()
        .zip(reference)
        .map(|(a, b)| a.iter().filter(|i| b.contains(i)).count() as f64 / b.len() as f64)
        .sum();
    shared / got.len() as f64
}

fn check_held_out() -> Graded {
    let table = Table::dataset("fashion_mnist_500.csv").map_err(|e| {
        fail(format!(
            "the grader could not load fashion_mnist_500.csv: {e}"
        ))
    })?;
    let columns = table.columns_except(&["label"]);
    let x = table
        .numeric(&columns)
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?
        / 255.0;
    let (y, _) = table
        .labels("label")
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?;
    let (train, test) = stratified_train_test(&y, 0.25, 42);
    let gallery = rows(&x, &train);
    let queries = rows(&x, &test);
    let gallery_labels: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    let got = search(&gallery, &queries, N_COMPONENTS, K);
    equal(
        "number of result lists (one per query)",
        &got.len(),
        &test.len(),
    )?;
    let mut total = 0.0;
    for (q, list) in got.iter().enumerate() {
        ensure(list.len() == K, || {
            format!(
                "query {q}: {} indices retrieved, expected k = {K}",
                list.len()
            )
        })?;
        ensure(list.iter().all(|&i| i < train.len()), || {
            format!(
                "query {q}: an index is outside the gallery (0..{})",
                train.len()
            )
        })?;
        let mut sorted = list.clone();
        sorted.sort_unstable();
        sorted.dedup();
        ensure(sorted.len() == K, || {
            format!("query {q}: a gallery image was retrieved twice")
        })?;
        let hits = list
            .iter()
            .filter(|&&i| gallery_labels[i] == y[test[q]])
            .count();
        total += hits as f64 / K as f64;
    }
    let precision = total / test.len() as f64;
    // The baseline: the same search on raw pixels.
    let raw_lists: Vec<Vec<usize>> = (0..test.len())
        .map(|q| ref_retrieve(&gallery, &queries.row(q).to_owned(), K, false, false))
        .collect();
    let mut raw_total = 0.0;
    for (list, &t) in raw_lists.iter().zip(&test) {
        raw_total += list.iter().filter(|&&i| gallery_labels[i] == y[t]).count() as f64 / K as f64;
    }
    // Raw pixels clear the precision bar as well: the lists must come from the embedding.
    let pca_lists = own_pca_search(&gallery, &queries, N_COMPONENTS, K);
    let shared = agreement(&got, &pca_lists);
    if shared < AGREEMENT_BAR {
        let raw_shared = agreement(&raw_lists, &pca_lists);
        let like_raw = agreement(&got, &raw_lists) >= AGREEMENT_BAR;
        return Err(fail(format!(
            "only {} of your top-{K} results (mean over the {} queries) are those of the grader's search in a {N_COMPONENTS}-component PCA embedding of the gallery (bar: ≥ {AGREEMENT_BAR}){}",
            fmt(shared),
            test.len(),
            if like_raw {
                format!(
                    ": your lists are the nearest neighbours on the 784 raw pixels (which share {} with the PCA search): search skipped the PCA embedding",
                    fmt(raw_shared)
                )
            } else {
                format!(
                    "; the search on the 784 raw pixels shares {}: search must retrieve in the embedding fit_pca(gallery, n_components) gives",
                    fmt(raw_shared)
                )
            }
        )))
        .hint("search: fit_pca(gallery, n_components), embed the gallery and the queries with it, retrieve in that embedding");
    }
    bar(
        &format!(
            "mean precision@{K} of {} held-out queries in a {N_COMPONENTS}-component PCA embedding",
            test.len()
        ),
        precision,
        BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; on the 784 raw pixels: {}; random retrieval: 0.1; share of your results that the grader's PCA search also returns: {}",
        fmt(raw_total / test.len() as f64),
        fmt(shared)
    ))
    .hint("the checks above test each piece; here search runs on Fashion-MNIST")
}
