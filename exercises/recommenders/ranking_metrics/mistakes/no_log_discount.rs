//! mistake: NDCG without the log discount (every rank weighs the same)
//! fails: ndcg, evaluate
//! message: "without the log2(rank + 1) discount"
// recommenders/ranking_metrics: precision@k, recall@k, NDCG@k and MAP@k of ranked lists.
// `learnml show recommenders/ranking_metrics` shows the full statement; `learnml check recommenders/ranking_metrics` grades this file.

use std::collections::{HashMap, HashSet};

/// A held-out rating is relevant when it is at least this (4 or 5 stars).
pub const RELEVANT_FROM: f64 = 4.0;

/// The graded relevance of a held-out rating: `max(0, rating - 3)` (a 4 is 1, a 5 is 2, the
/// rest 0). Given: use it in `evaluate`.
pub fn grade(rating: f64) -> f64 {
    (rating - 3.0).max(0.0)
}

/// Mean metrics over the users that have at least one relevant held-out item.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub ndcg: f64,
    pub map: f64,
    /// How many users were averaged (those with at least one relevant held-out item).
    pub users: usize,
}

/// precision@k: the number of relevant items among the first `k` of `recommended` (fewer if the
/// list is shorter), divided by `k` (always k, even when the list is shorter).
pub fn precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    let hits = recommended
        .iter()
        .take(k)
        .filter(|item| relevant.contains(item))
        .count();
    hits as f64 / k as f64
}

/// recall@k: the number of relevant items among the first `k` of `recommended`, divided by the
/// number of relevant items (`relevant` is never empty).
pub fn recall_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    let hits = recommended
        .iter()
        .take(k)
        .filter(|item| relevant.contains(item))
        .count();
    hits as f64 / relevant.len() as f64
}

/// DCG of gains in rank order (rank 1 first): sum of (2^rel - 1) / log2(rank + 1).
fn dcg(grades: impl Iterator<Item = f64>) -> f64 {
    grades.map(|rel| 2f64.powf(rel) - 1.0).sum()
}

/// NDCG@k with exponential gain 2^rel - 1 and discount log2(rank + 1) (rank 1 = first):
/// DCG@k of `recommended` divided by the ideal DCG@k, that of ALL graded items of `relevance`
/// sorted by grade, best first, truncated at k. Items absent from `relevance` have grade 0;
/// at least one grade is positive.
pub fn ndcg_at_k(recommended: &[usize], relevance: &HashMap<usize, f64>, k: usize) -> f64 {
    let got = dcg(recommended
        .iter()
        .take(k)
        .map(|item| relevance.get(item).copied().unwrap_or(0.0)));
    let mut ideal: Vec<f64> = relevance.values().copied().collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    got / dcg(ideal.into_iter().take(k))
}

/// AP@k: the sum, over the ranks i <= k holding a relevant item, of precision@i, divided by
/// min(k, number of relevant items) (`relevant` is never empty).
pub fn average_precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, item) in recommended.iter().take(k).enumerate() {
        if relevant.contains(item) {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / k.min(relevant.len()) as f64
}

/// The four metrics at `k`, averaged over users. `recommendations[u]` is the ranked list of
/// user `u`; `held_out` holds (user, item, rating) triples with user < recommendations.len().
/// A user's relevant items are their held-out items rated >= RELEVANT_FROM, graded by `grade`
/// for NDCG. Users with no relevant held-out item are skipped (not counted as 0); with no
/// user left, every mean is 0.
pub fn evaluate(
    recommendations: &[Vec<usize>],
    held_out: &[(usize, usize, f64)],
    k: usize,
) -> Scores {
    let mut relevance: Vec<HashMap<usize, f64>> = vec![HashMap::new(); recommendations.len()];
    for &(user, item, rating) in held_out {
        if rating >= RELEVANT_FROM {
            relevance[user].insert(item, grade(rating));
        }
    }
    let mut scores = Scores {
        precision: 0.0,
        recall: 0.0,
        ndcg: 0.0,
        map: 0.0,
        users: 0,
    };
    for (list, graded) in recommendations.iter().zip(&relevance) {
        if graded.is_empty() {
            continue;
        }
        let relevant: HashSet<usize> = graded.keys().copied().collect();
        scores.precision += precision_at_k(list, &relevant, k);
        scores.recall += recall_at_k(list, &relevant, k);
        scores.ndcg += ndcg_at_k(list, graded, k);
        scores.map += average_precision_at_k(list, &relevant, k);
        scores.users += 1;
    }
    let n = scores.users.max(1) as f64;
    scores.precision /= n;
    scores.recall /= n;
    scores.ndcg /= n;
    scores.map /= n;
    scores
}
