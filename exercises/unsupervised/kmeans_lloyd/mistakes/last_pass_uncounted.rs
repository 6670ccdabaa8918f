//! mistake: tests convergence before counting the iteration, so the last pass is not counted
//! fails: converged_blobs
//! message: "the final pass"

// unsupervised/kmeans_lloyd: Lloyd's k-means by hand, with a seeded start.

use ndarray::Array2;

/// The result of k-means.
#[derive(Debug, Clone)]
pub struct KMeansFit {
    /// One centroid per row: shape (k, d).
    pub centroids: Array2<f64>,
    /// The nearest centroid of each row of `x` (0..k), against `centroids`.
    pub labels: Vec<usize>,
    /// Iterations done (assign + update), 0 when `max_iter` is 0.
    pub n_iter: usize,
}

/// The nearest centroid of each row (squared Euclidean distance, lowest index on a tie).
fn assign(x: &Array2<f64>, centroids: &Array2<f64>) -> Vec<usize> {
    x.outer_iter()
        .map(|row| {
            let mut best = (0, f64::INFINITY);
            for (c, centroid) in centroids.outer_iter().enumerate() {
                let d: f64 = row
                    .iter()
                    .zip(centroid.iter())
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum();
                if d < best.1 {
                    best = (c, d);
                }
            }
            best.0
        })
        .collect()
}

/// The mean of each cluster's rows; an empty cluster keeps its old centroid.
fn update(x: &Array2<f64>, labels: &[usize], old: &Array2<f64>) -> Array2<f64> {
    let mut sums = Array2::<f64>::zeros(old.dim());
    let mut counts = vec![0usize; old.nrows()];
    for (row, &label) in x.outer_iter().zip(labels) {
        sums.row_mut(label).scaled_add(1.0, &row);
        counts[label] += 1;
    }
    for (c, &count) in counts.iter().enumerate() {
        if count == 0 {
            sums.row_mut(c).assign(&old.row(c));
        } else {
            sums.row_mut(c).mapv_inplace(|v| v / count as f64);
        }
    }
    sums
}

/// Lloyd's algorithm on `x` (n rows, d columns) with `k` clusters, started at the rows
/// `learnml_kit::split::shuffled(n, seed)[..k]`, stopping after `max_iter` iterations or when no
/// centroid moves by more than `tol`.
pub fn lloyd(x: &Array2<f64>, k: usize, seed: u64, max_iter: usize, tol: f64) -> KMeansFit {
    let order = learnml_kit::split::shuffled(x.nrows(), seed);
    let mut centroids = x.select(ndarray::Axis(0), &order[..k]);
    let mut n_iter = 0;
    for _ in 0..max_iter {
        let labels = assign(x, &centroids);
        let new = update(x, &labels, &centroids);
        let shift = new
            .outer_iter()
            .zip(centroids.outer_iter())
            .map(|(a, b)| {
                a.iter()
                    .zip(b.iter())
                    .map(|(u, v)| (u - v) * (u - v))
                    .sum::<f64>()
                    .sqrt()
            })
            .fold(0.0, f64::max);
        centroids = new;
        if shift <= tol {
            break;
        }
        n_iter += 1;
    }
    let labels = assign(x, &centroids);
    KMeansFit {
        centroids,
        labels,
        n_iter,
    }
}
