//! alternative: counts by a fold, sums and weights seeded with the c pseudo-ratings, top k by repeated selection of the maximum (first, smallest id, wins ties)
// recommenders/cold_start: popularity by count and by a damped mean, top-k unseen, new users.
// `learnml show recommenders/cold_start` shows the full statement; `learnml check recommenders/cold_start` grades this file.

use std::collections::HashSet;

/// One rating: (user id, item id, stars 1-5).
pub type Rating = (usize, usize, f64);

/// How many ratings each item has: `n_items` values (item ids are below `n_items`).
pub fn popularity_by_count(ratings: &[Rating], n_items: usize) -> Vec<f64> {
    ratings
        .iter()
        .fold(vec![0.0; n_items], |mut counts, &(_, item, _)| {
            counts[item] += 1.0;
            counts
        })
}

/// The damped mean (Bayesian average) of each item: (sum of its ratings + c * mu) / (n + c),
/// with n its number of ratings and mu the mean of ALL the ratings given (at least one). An
/// item nobody rated gets mu.
pub fn popularity_by_damped_mean(ratings: &[Rating], n_items: usize, c: f64) -> Vec<f64> {
    let mu = ratings.iter().map(|r| r.2).sum::<f64>() / ratings.len() as f64;
    let mut sums = vec![c * mu; n_items];
    let mut weights = vec![c; n_items];
    for &(_, item, stars) in ratings {
        sums[item] += stars;
        weights[item] += 1.0;
    }
    sums.iter()
        .zip(&weights)
        .map(|(s, w)| if *w > 0.0 { s / w } else { mu })
        .collect()
}

/// The `k` items of highest score that are not in `seen`, best first; equal scores in
/// increasing item id. Fewer than `k` when fewer items are unseen.
pub fn top_k_unseen(scores: &[f64], seen: &HashSet<usize>, k: usize) -> Vec<usize> {
    let mut taken = vec![false; scores.len()];
    let mut out = Vec::new();
    while out.len() < k {
        let mut best: Option<usize> = None;
        for item in 0..scores.len() {
            if taken[item] || seen.contains(&item) {
                continue;
            }
            if best.is_none_or(|b| scores[item] > scores[b]) {
                best = Some(item);
            }
        }
        match best {
            Some(item) => {
                taken[item] = true;
                out.push(item);
            }
            None => break,
        }
    }
    out
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
    let mut counts = vec![0.0; n_items];
    for &(user, item, _) in ratings {
        if !new_users.contains(&user) {
            counts[item] += 1.0;
        }
    }
    top_k_unseen(&counts, &HashSet::new(), k)
}
