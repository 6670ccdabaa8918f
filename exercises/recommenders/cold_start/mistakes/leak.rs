//! mistake: popularity counted with the held-out (new) users' ratings too
//! fails: new_users
//! message: "held-out (new) users' ratings"
// recommenders/cold_start: popularity by count and by a damped mean, top-k unseen, new users.
// `learnml show recommenders/cold_start` shows the full statement; `learnml check recommenders/cold_start` grades this file.

use std::collections::HashSet;

/// One rating: (user id, item id, stars 1-5).
pub type Rating = (usize, usize, f64);

/// How many ratings each item has: `n_items` values (item ids are below `n_items`).
pub fn popularity_by_count(ratings: &[Rating], n_items: usize) -> Vec<f64> {
    let mut counts = vec![0.0; n_items];
    for &(_, item, _) in ratings {
        counts[item] += 1.0;
    }
    counts
}

/// The damped mean (Bayesian average) of each item: (sum of its ratings + c * mu) / (n + c),
/// with n its number of ratings and mu the mean of ALL the ratings given (at least one). An
/// item nobody rated gets mu.
pub fn popularity_by_damped_mean(ratings: &[Rating], n_items: usize, c: f64) -> Vec<f64> {
    let mu = ratings.iter().map(|r| r.2).sum::<f64>() / ratings.len() as f64;
    let mut sums = vec![0.0; n_items];
    let mut counts = vec![0.0; n_items];
    for &(_, item, rating) in ratings {
        sums[item] += rating;
        counts[item] += 1.0;
    }
    sums.iter()
        .zip(&counts)
        .map(|(s, n)| (s + c * mu) / (n + c))
        .collect()
}

/// The `k` items of highest score that are not in `seen`, best first; equal scores in
/// increasing item id. Fewer than `k` when fewer items are unseen.
pub fn top_k_unseen(scores: &[f64], seen: &HashSet<usize>, k: usize) -> Vec<usize> {
    let mut items: Vec<usize> = (0..scores.len()).filter(|i| !seen.contains(i)).collect();
    items.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    items.truncate(k);
    items
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
    let _ = new_users;
    top_k_unseen(&popularity_by_count(ratings, n_items), &HashSet::new(), k)
}
