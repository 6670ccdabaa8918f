// recommenders/cold_start: popularity by count and by a damped mean, top-k unseen, new users.
// `learnml show recommenders/cold_start` shows the full statement; `learnml check recommenders/cold_start` grades this file.

use std::collections::HashSet;

/// One rating: (user id, item id, stars 1-5).
pub type Rating = (usize, usize, f64);

/// How many ratings each item has: `n_items` values (item ids are below `n_items`).
pub fn popularity_by_count(ratings: &[Rating], n_items: usize) -> Vec<f64> {
    let _ = (ratings, n_items);
    todo!("count the ratings of each item")
}

/// The damped mean (Bayesian average) of each item: (sum of its ratings + c * mu) / (n + c),
/// with n its number of ratings and mu the mean of ALL the ratings given (at least one). An
/// item nobody rated gets mu.
pub fn popularity_by_damped_mean(ratings: &[Rating], n_items: usize, c: f64) -> Vec<f64> {
    let _ = (ratings, n_items, c);
    todo!("(sum + c * mu) / (n + c) per item, mu the mean of all ratings")
}

/// The `k` items of highest score that are not in `seen`, best first; equal scores in
/// increasing item id. Fewer than `k` when fewer items are unseen.
pub fn top_k_unseen(scores: &[f64], seen: &HashSet<usize>, k: usize) -> Vec<usize> {
    let _ = (scores, seen, k);
    todo!("drop the seen items, sort by score descending then id ascending, keep k")
}

/// The list shown to a new user (one with no rating yet): the `k` items rated most often by
/// the users NOT in `new_users` (the new users' own ratings are what we evaluate against, so
/// they must not shape the popularity), equal counts in increasing item id.
pub fn recommend_for_new_users(
    ratings: &[Rating],
    new_users: &HashSet<usize>,
    n_items: usize,
    k: usize,
) -> Vec<usize> {
    let _ = (ratings, new_users, n_items, k);
    todo!("count only the ratings of users not in new_users, then take the top k")
}
