//! alternative: HashMaps of sums and counts, iterator style, and λ chosen by sorting the curve

// recommenders/bias_baseline: global mean plus regularized user and item biases, λ chosen on validation.
// `learnml show recommenders/bias_baseline` shows the full statement; `learnml check recommenders/bias_baseline` grades this file.

use std::collections::HashMap;

/// One rating: (user id, item id, stars from 1 to 5).
pub type Rating = (usize, usize, f64);

/// The baseline predictor r̂(u, i) = mu + user[u] + item[i], clipped to [1, 5].
#[derive(Debug, Clone)]
pub struct Biases {
    /// The global mean μ of the training ratings.
    pub mu: f64,
    /// n_users values: b_u (0 for a user without training ratings).
    pub user: Vec<f64>,
    /// n_items values: b_i (0 for an item without training ratings).
    pub item: Vec<f64>,
}

fn shrunk(groups: HashMap<usize, (f64, f64)>, n: usize, lambda: f64) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (id, (sum, count)) in groups {
        out[id] = sum / (lambda + count);
    }
    out
}

/// Koren's one-pass regularized estimates from `train` (ids below n_users and n_items):
/// μ = mean rating; b_i = Σ(r − μ) / (lambda_item + |R(i)|) over the ratings of item i;
/// then b_u = Σ(r − μ − b_i) / (lambda_user + |R(u)|) over the ratings of user u.
/// A user or item without ratings gets 0 (also when its λ is 0).
pub fn fit_biases(
    train: &[Rating],
    n_users: usize,
    n_items: usize,
    lambda_item: f64,
    lambda_user: f64,
) -> Biases {
    let mu = train.iter().map(|r| r.2).sum::<f64>() / train.len() as f64;
    let mut items: HashMap<usize, (f64, f64)> = HashMap::new();
    for &(_, i, r) in train {
        let e = items.entry(i).or_default();
        e.0 += r - mu;
        e.1 += 1.0;
    }
    let item = shrunk(items, n_items, lambda_item);
    let mut users: HashMap<usize, (f64, f64)> = HashMap::new();
    for &(u, i, r) in train {
        let e = users.entry(u).or_default();
        e.0 += r - mu - item[i];
        e.1 += 1.0;
    }
    let user = shrunk(users, n_users, lambda_user);
    Biases { mu, user, item }
}

/// mu + b_u + b_i clipped to [1, 5]; an id beyond the vectors (unknown) contributes bias 0.
pub fn predict(biases: &Biases, user: usize, item: usize) -> f64 {
    let mut p = biases.mu;
    if user < biases.user.len() {
        p += biases.user[user];
    }
    if item < biases.item.len() {
        p += biases.item[item];
    }
    p.clamp(1.0, 5.0)
}

/// For each λ of `lambdas`: fit on `train` only with lambda_item = lambda_user = λ, and return
/// the RMSE of the clipped predictions on `valid`.
pub fn validation_curve(
    train: &[Rating],
    valid: &[Rating],
    n_users: usize,
    n_items: usize,
    lambdas: &[f64],
) -> Vec<f64> {
    let mut out = Vec::new();
    for &lambda in lambdas {
        let b = fit_biases(train, n_users, n_items, lambda, lambda);
        let mut sse = 0.0;
        for &(u, i, r) in valid {
            let e = predict(&b, u, i) - r;
            sse += e * e;
        }
        out.push((sse / valid.len() as f64).sqrt());
    }
    out
}

/// The λ of `lambdas` with the smallest validation RMSE (the first one on a tie).
pub fn choose_lambda(
    train: &[Rating],
    valid: &[Rating],
    n_users: usize,
    n_items: usize,
    lambdas: &[f64],
) -> f64 {
    let curve = validation_curve(train, valid, n_users, n_items, lambdas);
    let mut order: Vec<usize> = (0..lambdas.len()).collect();
    order.sort_by(|&a, &b| curve[a].total_cmp(&curve[b]));
    lambdas[order[0]]
}
