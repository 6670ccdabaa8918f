//! alternative: (sum, count) pairs filled by fold, biases by iterator maps, the λ chosen by a strict-< scan

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
    let mu = if train.is_empty() {
        0.0
    } else {
        train.iter().map(|&(_, _, r)| r).sum::<f64>() / train.len() as f64
    };
    let shrink = |(sum, count): (f64, usize), lambda: f64| {
        if count == 0 {
            0.0
        } else {
            sum / (lambda + count as f64)
        }
    };
    let item_acc = train
        .iter()
        .fold(vec![(0.0, 0usize); n_items], |mut acc, &(_, i, r)| {
            acc[i].0 += r - mu;
            acc[i].1 += 1;
            acc
        });
    let item: Vec<f64> = item_acc
        .into_iter()
        .map(|a| shrink(a, lambda_item))
        .collect();
    let user_acc = train
        .iter()
        .fold(vec![(0.0, 0usize); n_users], |mut acc, &(u, i, r)| {
            acc[u].0 += r - mu - item[i];
            acc[u].1 += 1;
            acc
        });
    let user = user_acc
        .into_iter()
        .map(|a| shrink(a, lambda_user))
        .collect();
    Biases { mu, user, item }
}

/// mu + b_u + b_i clipped to [1, 5]; an id beyond the vectors (unknown) contributes bias 0.
pub fn predict(biases: &Biases, user: usize, item: usize) -> f64 {
    let bu = biases.user.get(user).copied().unwrap_or(0.0);
    let bi = biases.item.get(item).copied().unwrap_or(0.0);
    (biases.mu + bu + bi).clamp(1.0, 5.0)
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
            let b = fit_biases(train, n_users, n_items, lambda, lambda);
            let sse: f64 = valid
                .iter()
                .map(|&(u, i, r)| (predict(&b, u, i) - r).powi(2))
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
    for (k, &value) in curve.iter().enumerate() {
        if value < curve[best] {
            best = k;
        }
    }
    lambdas[best]
}
