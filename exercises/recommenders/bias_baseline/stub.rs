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
    let _ = (train, n_users, n_items, lambda_item, lambda_user);
    todo!("μ first, then every b_i, then every b_u with the b_i subtracted")
}

/// mu + b_u + b_i clipped to [1, 5]; an id beyond the vectors (unknown) contributes bias 0.
pub fn predict(biases: &Biases, user: usize, item: usize) -> f64 {
    let _ = (biases, user, item);
    todo!("μ + b_u + b_i, clipped to [1, 5]")
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
    let _ = (train, valid, n_users, n_items, lambdas);
    todo!("fit on train with each λ, measure the RMSE on valid")
}

/// The λ of `lambdas` with the smallest validation RMSE (the first one on a tie).
pub fn choose_lambda(
    train: &[Rating],
    valid: &[Rating],
    n_users: usize,
    n_items: usize,
    lambdas: &[f64],
) -> f64 {
    let _ = (train, valid, n_users, n_items, lambdas);
    todo!("the λ of the smallest validation RMSE")
}
