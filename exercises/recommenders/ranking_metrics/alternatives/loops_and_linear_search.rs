//! alternative: index loops, the ideal DCG from a sorted copy of the grades, AP from a running precision
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

fn hits_at(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> usize {
    let mut hits = 0;
    for item in &recommended[..k.min(recommended.len())] {
        if relevant.contains(item) {
            hits += 1;
        }
    }
    hits
}

pub fn precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    hits_at(recommended, relevant, k) as f64 / k as f64
}

pub fn recall_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    hits_at(recommended, relevant, k) as f64 / relevant.len() as f64
}

pub fn ndcg_at_k(recommended: &[usize], relevance: &HashMap<usize, f64>, k: usize) -> f64 {
    let mut dcg = 0.0;
    for rank in 1..=k.min(recommended.len()) {
        let rel = *relevance.get(&recommended[rank - 1]).unwrap_or(&0.0);
        dcg += (rel.exp2() - 1.0) / (rank as f64 + 1.0).log2();
    }
    let mut grades: Vec<f64> = relevance.values().copied().collect();
    grades.sort_by(|a, b| b.partial_cmp(a).unwrap());
    let mut ideal = 0.0;
    for rank in 1..=k.min(grades.len()) {
        ideal += (grades[rank - 1].exp2() - 1.0) / (rank as f64 + 1.0).log2();
    }
    dcg / ideal
}

pub fn average_precision_at_k(recommended: &[usize], relevant: &HashSet<usize>, k: usize) -> f64 {
    let mut total = 0.0;
    for rank in 1..=k.min(recommended.len()) {
        if relevant.contains(&recommended[rank - 1]) {
            total += precision_at_k(recommended, relevant, rank);
        }
    }
    total / k.min(relevant.len()) as f64
}

pub fn evaluate(
    recommendations: &[Vec<usize>],
    held_out: &[(usize, usize, f64)],
    k: usize,
) -> Scores {
    let mut sums = [0.0; 4];
    let mut users = 0;
    for (user, list) in recommendations.iter().enumerate() {
        let relevance: HashMap<usize, f64> = held_out
            .iter()
            .filter(|&&(u, _, r)| u == user && r >= RELEVANT_FROM)
            .map(|&(_, item, r)| (item, grade(r)))
            .collect();
        if relevance.is_empty() {
            continue;
        }
        let relevant: HashSet<usize> = relevance.keys().copied().collect();
        sums[0] += precision_at_k(list, &relevant, k);
        sums[1] += recall_at_k(list, &relevant, k);
        sums[2] += ndcg_at_k(list, &relevance, k);
        sums[3] += average_precision_at_k(list, &relevant, k);
        users += 1;
    }
    if users == 0 {
        return Scores {
            precision: 0.0,
            recall: 0.0,
            ndcg: 0.0,
            map: 0.0,
            users,
        };
    }
    let n = users as f64;
    Scores {
        precision: sums[0] / n,
        recall: sums[1] / n,
        ndcg: sums[2] / n,
        map: sums[3] / n,
        users,
    }
}
