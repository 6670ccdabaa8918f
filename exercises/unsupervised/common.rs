// Shared helpers of the unsupervised graders: data, the grader's own reference computations
// (ARI, Lloyd's k-means, symmetric eigenvalues, trustworthiness) and comparisons of clusterings
// up to a relabelling. Every random choice is seeded.
#![allow(dead_code)]

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use ndarray::{Array1, Array2, Axis};
use rand::Rng as _;

/// A dataset's numeric features (rows with a missing value dropped) and its labels as 0..k.
pub fn dataset(name: &str, target: &str, columns: Option<&[&str]>) -> (Array2<f64>, Vec<usize>) {
    let table = Table::dataset(name).unwrap_or_else(|e| panic!("the grader reads {name}: {e}"));
    let columns: Vec<&str> = match columns {
        Some(c) => c.to_vec(),
        None => table.columns_except(&[target]),
    };
    let x = table
        .numeric_with_missing(&columns)
        .expect("numeric columns");
    let (y, _) = table.labels(target).expect("labels");
    let keep: Vec<usize> = (0..x.nrows())
        .filter(|&i| x.row(i).iter().all(|v| v.is_finite()))
        .collect();
    (
        x.select(Axis(0), &keep),
        keep.iter().map(|&i| y[i]).collect(),
    )
}

pub fn iris() -> (Array2<f64>, Vec<usize>) {
    dataset("iris.csv", "species", None)
}

pub fn wine() -> (Array2<f64>, Vec<usize>) {
    dataset("wine.csv", "cultivar", None)
}

pub fn digits() -> (Array2<f64>, Vec<usize>) {
    dataset("digits.csv", "digit", None)
}

pub fn penguins() -> (Array2<f64>, Vec<usize>) {
    let columns = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];
    dataset("penguins.csv", "species", Some(&columns))
}

/// Each column centred and divided by its population standard deviation (constant columns
/// are only centred), with the statistics of `fit_on`.
pub fn standardize_with(fit_on: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let mean = fit_on.mean_axis(Axis(0)).expect("rows");
    let std = fit_on
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    (x - &mean) / &std
}

pub fn standardize(x: &Array2<f64>) -> Array2<f64> {
    standardize_with(x, x)
}

/// A standard normal draw (Box-Muller), the same on every platform.
pub fn normal(rng: &mut learnml_kit::split::Rng) -> f64 {
    let u1: f64 = 1.0 - rng.r#gen::<f64>();
    let u2: f64 = rng.r#gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `per_cluster` points around each centre, Gaussian with standard deviation `spread`.
pub fn blobs(
    centres: &[&[f64]],
    per_cluster: usize,
    spread: f64,
    seed: u64,
) -> (Array2<f64>, Vec<usize>) {
    let d = centres[0].len();
    let mut rng = learnml_kit::split::rng(seed);
    let n = centres.len() * per_cluster;
    let mut x = Array2::zeros((n, d));
    let mut y = Vec::with_capacity(n);
    for (c, centre) in centres.iter().enumerate() {
        for p in 0..per_cluster {
            for j in 0..d {
                x[[c * per_cluster + p, j]] = centre[j] + spread * normal(&mut rng);
            }
            y.push(c);
        }
    }
    (x, y)
}

/// Two interleaving half circles (as scikit-learn's `make_moons`), `n` points in all, with
/// Gaussian noise of standard deviation `noise`. Labels: 0 upper moon, 1 lower moon.
pub fn moons(n: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = learnml_kit::split::rng(seed);
    let n_upper = n / 2;
    let mut x = Array2::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let (px, py, label) = if i < n_upper {
            let t = std::f64::consts::PI * i as f64 / (n_upper - 1) as f64;
            (t.cos(), t.sin(), 0)
        } else {
            let t = std::f64::consts::PI * (i - n_upper) as f64 / (n - n_upper - 1) as f64;
            (1.0 - t.cos(), 0.5 - t.sin(), 1)
        };
        x[[i, 0]] = px + noise * normal(&mut rng);
        x[[i, 1]] = py + noise * normal(&mut rng);
        y.push(label);
    }
    (x, y)
}

pub fn sq_dist(a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(u, v)| (u - v) * (u - v)).sum()
}

/// Labels renumbered 0.. in order of first appearance (any hashable labels).
pub fn canonical<T: PartialEq + Clone>(labels: &[T]) -> Vec<usize> {
    let mut seen: Vec<T> = Vec::new();
    labels
        .iter()
        .map(|l| match seen.iter().position(|s| s == l) {
            Some(p) => p,
            None => {
                seen.push(l.clone());
                seen.len() - 1
            }
        })
        .collect()
}

/// The same partition of the points, whatever the cluster numbers.
pub fn same_partition<T: PartialEq + Clone>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && canonical(a) == canonical(b)
}

fn comb2(n: f64) -> f64 {
    n * (n - 1.0) / 2.0
}

/// Hubert & Arabie's adjusted Rand index; 1 when both partitions are the same (including the
/// degenerate case of a single cluster on both sides, as scikit-learn does).
pub fn ari(a: &[usize], b: &[usize]) -> f64 {
    let (a, b) = (canonical(a), canonical(b));
    let n = a.len();
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0.0f64; kb]; ka];
    for i in 0..n {
        table[a[i]][b[i]] += 1.0;
    }
    let index: f64 = table.iter().flatten().map(|&c| comb2(c)).sum();
    let rows: f64 = table.iter().map(|r| comb2(r.iter().sum())).sum();
    let cols: f64 = (0..kb)
        .map(|j| comb2(table.iter().map(|r| r[j]).sum()))
        .sum();
    let total = comb2(n as f64);
    let expected = rows * cols / total;
    let max = (rows + cols) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// The (unadjusted) Rand index: the fraction of pairs on which both partitions agree.
pub fn rand_index(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len();
    let mut agree = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            if (a[i] == a[j]) == (b[i] == b[j]) {
                agree += 1.0;
            }
        }
    }
    agree / comb2(n as f64)
}

/// Noise (`None`) as one more label, for an ARI against true labels.
pub fn with_noise_label(labels: &[Option<usize>]) -> Vec<usize> {
    let noise = labels.iter().flatten().max().map_or(0, |m| m + 1);
    labels.iter().map(|l| l.unwrap_or(noise)).collect()
}

/// Index of the nearest centroid (first on ties).
pub fn nearest(x: ndarray::ArrayView1<f64>, centroids: &Array2<f64>) -> usize {
    let mut best = (0, f64::INFINITY);
    for (c, centroid) in centroids.outer_iter().enumerate() {
        let d = sq_dist(x, centroid);
        if d < best.1 {
            best = (c, d);
        }
    }
    best.0
}

/// Sum of squared distances of every point to its cluster's mean.
pub fn within_ss(x: &Array2<f64>, labels: &[usize]) -> f64 {
    let labels = canonical(labels);
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut sums = Array2::<f64>::zeros((k, x.ncols()));
    let mut counts = vec![0.0; k];
    for (i, &l) in labels.iter().enumerate() {
        sums.row_mut(l).scaled_add(1.0, &x.row(i));
        counts[l] += 1.0;
    }
    for (c, count) in counts.iter().enumerate() {
        sums.row_mut(c).mapv_inplace(|v| v / count);
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, &l)| sq_dist(x.row(i), sums.row(l)))
        .sum()
}

/// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, largest first.
pub fn sym_eigenvalues(a: &Array2<f64>) -> Vec<f64> {
    let n = a.nrows();
    let mut a = a.clone();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        let scale: f64 = a.iter().map(|v| v * v).sum::<f64>().max(1e-300);
        if off <= 1e-24 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * a[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[[k, p]];
                    let akq = a[[k, q]];
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[[p, k]];
                    let aqk = a[[q, k]];
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
            }
        }
    }
    let mut values: Vec<f64> = (0..n).map(|i| a[[i, i]]).collect();
    values.sort_by(|u, v| v.total_cmp(u));
    values
}

/// Sample covariance matrix (divided by n - 1) of the columns, centred or not.
pub fn scatter(x: &Array2<f64>, centre: bool, ddof: f64) -> Array2<f64> {
    let xc = if centre {
        x - &x.mean_axis(Axis(0)).expect("rows")
    } else {
        x.clone()
    };
    xc.t().dot(&xc) / (x.nrows() as f64 - ddof)
}

/// Pairwise Euclidean squared distances.
pub fn sq_distances(x: &Array2<f64>) -> Array2<f64> {
    let n = x.nrows();
    let mut d = Array2::zeros((n, n));
    for i in 0..n {
        for j in i + 1..n {
            let v = sq_dist(x.row(i), x.row(j));
            d[[i, j]] = v;
            d[[j, i]] = v;
        }
    }
    d
}

/// Indices of all other points by increasing distance (ties by index).
fn ranking(d: &Array2<f64>, i: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..d.nrows()).filter(|&j| j != i).collect();
    order.sort_by(|&a, &b| d[[i, a]].total_cmp(&d[[i, b]]).then(a.cmp(&b)));
    order
}

/// Trustworthiness (Venna & Kaski 2001, as scikit-learn's `trustworthiness`): 1 minus a
/// penalty for every point among the `k` nearest neighbours in the embedding that is not among
/// the `k` nearest in the original space, weighted by how far down the original ranking it is.
pub fn trustworthiness(x: &Array2<f64>, embedding: &Array2<f64>, k: usize) -> f64 {
    let n = x.nrows();
    let dx = sq_distances(x);
    let de = sq_distances(embedding);
    let mut penalty = 0.0;
    for i in 0..n {
        let original = ranking(&dx, i);
        let mut rank = vec![0usize; n];
        for (r, &j) in original.iter().enumerate() {
            rank[j] = r + 1;
        }
        for &j in ranking(&de, i).iter().take(k) {
            if rank[j] > k {
                penalty += (rank[j] - k) as f64;
            }
        }
    }
    let n = n as f64;
    let k = k as f64;
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty
}

/// The rows of `x` and labels at `indices`.
pub fn subset(x: &Array2<f64>, y: &[usize], indices: &[usize]) -> (Array2<f64>, Vec<usize>) {
    (
        x.select(Axis(0), indices),
        indices.iter().map(|&i| y[i]).collect(),
    )
}

/// Distinct values of a labelling.
pub fn n_distinct<T: PartialEq + Clone>(labels: &[T]) -> usize {
    canonical(labels).iter().max().map_or(0, |m| m + 1)
}

/// A check that `labels` has one entry per row.
pub fn one_per_row<T>(what: &str, labels: &[T], n: usize) -> Result<(), Failed> {
    equal(&format!("{what}: number of labels"), &labels.len(), &n)
        .hint("return one label per row of the input, in row order")
}

pub fn column(values: &[f64]) -> Array1<f64> {
    Array1::from(values.to_vec())
}
