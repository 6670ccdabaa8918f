//! alternative: slices and iterator chains, exp2 gains with zip(1..) ranks, AP by a double enumerate, per-user maps in a Vec
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

fn hits(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> usize {
    recommended[..k.min(recommended.len())]
        .iter()
        .filter(|item| relevant.contains(item))
        .count()
}

/// precision@k: the number of relevant items among the first `k` of `recommended` (fewer if the
/// list is shorter), divided by `k` (always k, even when the list is shorter).
pub fn precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    hits(recommended, relevant, k) as f64 / k as f64
}

/// recall@k: the number of relevant items among the first `k` of `recommended`, divided by the
/// number of relevant items (`relevant` is never empty).
pub fn recall_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    hits(recommended, relevant, k) as f64 / relevant.len() as f64
}

fn dcg(grades: impl Iterator<Item = f64>) -> f64 {
    grades
        .zip(1..)
        .map(|(g, rank)| (g.exp2() - 1.0) / ((rank + 1) as f64).log2())
        .sum()
}

/// NDCG@k with exponential gain 2^rel - 1 and discount log2(rank + 1) (rank 1 = first):
/// DCG@k of `recommended` divided by the ideal DCG@k, that of ALL graded items of `relevance`
/// sorted by grade, best first, truncated at k. Items absent from `relevance` have grade 0;
/// at least one grade is positive.
pub fn ndcg_at_k(recommended: &[usize], relevance: &HashMap<usize, f64>, k: usize) -> f64 {
    let actual = dcg(recommended
        .iter()
        .take(k)
        .map(|item| relevance.get(item).copied().unwrap_or(0.0)));
    let mut best: Vec<f64> = relevance.values().copied().collect();
    best.sort_unstable_by(|a, b| b.total_cmp(a));
    actual / dcg(best.into_iter().take(k))
}

/// AP@k: the sum, over the ranks i <= k holding a relevant item, of precision@i, divided by
/// min(k, number of relevant items) (`relevant` is never empty).
pub fn average_precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    let sum: f64 = recommended
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, item)| relevant.contains(item))
        .enumerate()
        .map(|(hit, (i, _))| (hit + 1) as f64 / (i + 1) as f64)
        .sum();
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
    let mut graded: Vec<HashMap<usize, f64>> = vec![HashMap::new(); recommendations.len()];
    for &(user, item, rating) in held_out.iter().filter(|t| t.2 >= RELEVANT_FROM) {
        graded[user].insert(item, grade(rating));
    }
    let mut sums = [0.0; 4];
    let mut users = 0;
    for (list, relevance) in recommendations.iter().zip(&graded) {
        if relevance.is_empty() {
            continue;
        }
        let relevant: HashSet<usize> = relevance.keys().copied().collect();
        users += 1;
        sums[0] += precision_at_k(list, &relevant, k);
        sums[1] += recall_at_k(list, &relevant, k);
        sums[2] += ndcg_at_k(list, relevance, k);
        sums[3] += average_precision_at_k(list, &relevant, k);
    }
    let n = users.max(1) as f64;
    Scores {
        precision: sums[0] / n,
        recall: sums[1] / n,
        ndcg: sums[2] / n,
        map: sums[3] / n,
        users,
    }
}
