//! alternative: alternating least squares with weighted-λ regularization (ALS-WR) instead of SGD

// recommenders/matrix_factorization: biased matrix factorization trained by SGD (Funk, Surprise's SVD).
// `learnml show recommenders/matrix_factorization` shows the full statement; `learnml check recommenders/matrix_factorization` grades this file.

use ndarray::{Array1, Array2};
use ndarray_rand::RandomExt;
use ndarray_rand::rand_distr::Normal;

/// One rating: (user id, item id, stars from 1 to 5).
pub type Rating = (usize, usize, f64);

/// Given: the hyperparameters.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The number of latent factors f.
    pub factors: usize,
    /// Passes over the training ratings.
    pub epochs: usize,
    /// The SGD learning rate.
    pub lr: f64,
    /// The L2 regularization strength.
    pub reg: f64,
    /// Seeds the initial factors and the order of the ratings in each epoch.
    pub seed: u64,
}

/// The model r̂(u, i) = mu + bu[u] + bi[i] + p.row(u) · q.row(i).
#[derive(Debug, Clone)]
pub struct Model {
    pub mu: f64,
    /// n_users user biases.
    pub bu: Array1<f64>,
    /// n_items item biases.
    pub bi: Array1<f64>,
    /// n_users x f user factors.
    pub p: Array2<f64>,
    /// n_items x f item factors.
    pub q: Array2<f64>,
}

/// Given: Surprise's initialization: mu = the mean training rating, biases 0, then P and Q
/// drawn from N(0, 0.1²) with `learnml_kit::split::rng(seed)`, P first, row by row.
pub fn init_model(train: &[Rating], n_users: usize, n_items: usize, cfg: &Config) -> Model {
    let mut rng = learnml_kit::split::rng(cfg.seed);
    let normal = Normal::new(0.0, 0.1).expect("a valid normal");
    let p = Array2::random_using((n_users, cfg.factors), normal, &mut rng);
    let q = Array2::random_using((n_items, cfg.factors), normal, &mut rng);
    Model {
        mu: train.iter().map(|r| r.2).sum::<f64>() / train.len() as f64,
        bu: Array1::zeros(n_users),
        bi: Array1::zeros(n_items),
        p,
        q,
    }
}

/// Given: the order in which epoch `epoch` (0, 1, ...) visits the training ratings.
pub fn epoch_order(n_ratings: usize, cfg: &Config, epoch: usize) -> Vec<usize> {
    learnml_kit::split::shuffled(n_ratings, cfg.seed.wrapping_add(1 + epoch as u64))
}

/// mu + bu[u] + bi[i] + p_u · q_i, not clipped (training uses the raw value).
pub fn predict(model: &Model, u: usize, i: usize) -> f64 {
    model.mu + model.bu[u] + model.bi[i] + model.p.row(u).dot(&model.q.row(i))
}

/// One SGD step on the rating r of user u for item i (Surprise's SVD):
/// e = r − predict; bu += lr (e − reg bu); bi += lr (e − reg bi);
/// p_u += lr (e q_i − reg p_u) and q_i += lr (e p_u − reg q_i), both from the OLD p_u, q_i.
pub fn sgd_step(model: &mut Model, u: usize, i: usize, r: f64, lr: f64, reg: f64) {
    let e = r - predict(model, u, i);
    model.bu[u] += lr * (e - reg * model.bu[u]);
    model.bi[i] += lr * (e - reg * model.bi[i]);
    let p_old = model.p.row(u).to_owned();
    let q_old = model.q.row(i).to_owned();
    model
        .p
        .row_mut(u)
        .scaled_add(lr, &(&q_old * e - &p_old * reg));
    model
        .q
        .row_mut(i)
        .scaled_add(lr, &(&p_old * e - &q_old * reg));
}

/// Solves the symmetric positive definite system a x = b (Cholesky), a of size n x n.
fn solve_spd(mut a: Array2<f64>, b: Array1<f64>) -> Array1<f64> {
    let n = b.len();
    for j in 0..n {
        for k in 0..j {
            let l = a[[j, k]];
            for r in j..n {
                a[[r, j]] -= a[[r, k]] * l;
            }
        }
        let d = a[[j, j]].sqrt();
        for r in j..n {
            a[[r, j]] /= d;
        }
    }
    let mut y = b;
    for j in 0..n {
        for k in 0..j {
            y[j] -= a[[j, k]] * y[k];
        }
        y[j] /= a[[j, j]];
    }
    for j in (0..n).rev() {
        for k in j + 1..n {
            y[j] -= a[[k, j]] * y[k];
        }
        y[j] /= a[[j, j]];
    }
    y
}

/// One ALS half-sweep: for each row entity (users, or items), the ridge regression of its
/// residuals on the other side's [1, factors], with reg times its number of ratings (ALS-WR:
/// the objective SGD minimizes, Σ e² + reg Σ over ratings of the squared parameters).
fn solve_side(
    groups: &[Vec<(usize, f64)>],
    other_bias: &Array1<f64>,
    other: &Array2<f64>,
    mu: f64,
    reg: f64,
    bias: &mut Array1<f64>,
    factors: &mut Array2<f64>,
) {
    let f = other.ncols();
    let n = f + 1;
    let mut x = vec![1.0; n];
    for (a, ratings) in groups.iter().enumerate() {
        if ratings.is_empty() {
            continue;
        }
        // Only the upper triangle is accumulated (the matrix is symmetric), then mirrored.
        let mut lhs = vec![0.0; n * n];
        let mut rhs = vec![0.0; n];
        for &(b, r) in ratings {
            for (slot, v) in x[1..].iter_mut().zip(other.row(b)) {
                *slot = *v;
            }
            let y = r - mu - other_bias[b];
            for j in 0..n {
                rhs[j] += x[j] * y;
                let row = &mut lhs[j * n..(j + 1) * n];
                for k in j..n {
                    row[k] += x[j] * x[k];
                }
            }
        }
        let mut full = Array2::<f64>::zeros((n, n));
        for j in 0..n {
            for k in j..n {
                full[[j, k]] = lhs[j * n + k];
                full[[k, j]] = lhs[j * n + k];
            }
            full[[j, j]] += reg * ratings.len() as f64;
        }
        let sol = solve_spd(full, Array1::from(rhs));
        bias[a] = sol[0];
        factors.row_mut(a).assign(&sol.slice(ndarray::s![1..]));
    }
}

/// `init_model`, then `cfg.epochs` sweeps of alternating least squares (users, then items)
/// on the same regularized objective as SGD; `lr` is not needed.
pub fn fit(train: &[Rating], n_users: usize, n_items: usize, cfg: &Config) -> Model {
    // ALS solves every user (then every item) exactly: no order of ratings to follow and no
    // learning rate.
    let _ = (epoch_order, cfg.lr);
    let mut model = init_model(train, n_users, n_items, cfg);
    let mut by_user = vec![Vec::new(); n_users];
    let mut by_item = vec![Vec::new(); n_items];
    for &(u, i, r) in train {
        by_user[u].push((i, r));
        by_item[i].push((u, r));
    }
    for _ in 0..cfg.epochs {
        let Model {
            mu, bu, bi, p, q, ..
        } = &mut model;
        solve_side(&by_user, bi, q, *mu, cfg.reg, bu, p);
        solve_side(&by_item, bu, p, *mu, cfg.reg, bi, q);
    }
    model
}
