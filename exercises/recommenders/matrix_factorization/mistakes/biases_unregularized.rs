//! mistake: regularizes the factors but not the biases (b_u += lr e)
//! fails: sgd_step_exact
//! message: "biases were not regularized"

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
    model.bu[u] += lr * e;
    model.bi[i] += lr * e;
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

/// `init_model`, then `cfg.epochs` passes over `train` in the order of `epoch_order`, one
/// `sgd_step` per rating.
pub fn fit(train: &[Rating], n_users: usize, n_items: usize, cfg: &Config) -> Model {
    let mut model = init_model(train, n_users, n_items, cfg);
    for epoch in 0..cfg.epochs {
        for k in epoch_order(train.len(), cfg, epoch) {
            let (u, i, r) = train[k];
            sgd_step(&mut model, u, i, r, cfg.lr, cfg.reg);
        }
    }
    model
}
