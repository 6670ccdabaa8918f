//! mistake: computes the user bias from r − μ without subtracting the item bias
//! fails: fit_biases_cases
//! message: "without subtracting the item bias"

// recommenders/bias_baseline: global mean plus regularized user and item biases, λ chosen on validation.
// `learnml show recommenders/bias_baseline` shows the full statement; `learnml check recommenders/bias_baseline` grades this file.

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
    let mut sum_i = vec![0.0; n_items];
    let mut count_i = vec![0.0; n_items];
    for &(_, i, r) in train {
        sum_i[i] += r - mu;
        count_i[i] += 1.0;
    }
    let item: Vec<f64> = (0..n_items)
        .map(|i| {
            if count_i[i] > 0.0 {
                sum_i[i] / (lambda_item + count_i[i])
            } else {
                0.0
            }
        })
        .collect();
    let mut sum_u = vec![0.0; n_users];
    let mut count_u = vec![0.0; n_users];
    for &(u, _, r) in train {
        sum_u[u] += r - mu;
        count_u[u] += 1.0;
    }
    let user = (0..n_users)
        .map(|u| {
            if count_u[u] > 0.0 {
                sum_u[u] / (lambda_user + count_u[u])
            } else {
                0.0
            }
        })
        .collect();
    Biases { mu, user, item }
}

/// mu + b_u + b_i clipped to [1, 5]; an id beyond the vectors (unknown) contributes bias 0.
pub fn predict(biases: &Biases, user: usize, item: usize) -> f64 {
    let b_u = biases.user.get(user).copied().unwrap_or(0.0);
    let b_i = biases.item.get(item).copied().unwrap_or(0.0);
    (biases.mu + b_u + b_i).clamp(1.0, 5.0)
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
    lambdas
        .iter()
        .map(|&lambda| {
            let biases = fit_biases(train, n_users, n_items, lambda, lambda);
            let sse: f64 = valid
                .iter()
                .map(|&(u, i, r)| (predict(&biases, u, i) - r).powi(2))
                .sum();
            (sse / valid.len() as f64).sqrt()
        })
        .collect()
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
    let mut best = 0;
    for k in 1..lambdas.len() {
        if curve[k] < curve[best] {
            best = k;
        }
    }
    lambdas[best]
}
