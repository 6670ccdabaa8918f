//! mistake: `>=` in greedy_arm, so ties go to the highest index
//! fails: greedy_arm
//! message: "lowest index"

// reinforcement/epsilon_greedy: an epsilon-greedy agent for the k-armed bandit.

use learnml_kit::split::Rng;
use rand::Rng as _;

/// The arm with the highest estimate; ties go to the lowest index.
pub fn greedy_arm(estimates: &[f64]) -> usize {
    let mut best = 0;
    for (arm, &value) in estimates.iter().enumerate() {
        if value >= estimates[best] {
            best = arm;
        }
    }
    best
}

/// An epsilon-greedy agent for a k-armed bandit.
pub struct EpsilonGreedy {
    /// Probability of exploring (choosing an arm uniformly at random among all k arms).
    pub epsilon: f64,
    /// `counts[a]`: how many times arm `a` was pulled.
    pub counts: Vec<usize>,
    /// `estimates[a]`: the mean reward observed on arm `a` (0 before its first pull).
    pub estimates: Vec<f64>,
}

impl EpsilonGreedy {
    /// An agent for `n_arms` arms that has pulled nothing yet.
    pub fn new(n_arms: usize, epsilon: f64) -> Self {
        EpsilonGreedy {
            epsilon,
            counts: vec![0; n_arms],
            estimates: vec![0.0; n_arms],
        }
    }

    /// With probability `epsilon` a uniformly random arm (any of the k, the greedy one
    /// included), otherwise `greedy_arm(&self.estimates)`.
    pub fn choose(&self, rng: &mut Rng) -> usize {
        if rng.gen_bool(self.epsilon) {
            rng.gen_range(0..self.estimates.len())
        } else {
            greedy_arm(&self.estimates)
        }
    }

    /// Record `reward` for `arm`: one more pull, and the estimate becomes the mean of all
    /// rewards seen on that arm (incremental form: Q ← Q + (r − Q) / n).
    pub fn update(&mut self, arm: usize, reward: f64) {
        self.counts[arm] += 1;
        let n = self.counts[arm] as f64;
        self.estimates[arm] += (reward - self.estimates[arm]) / n;
    }
}
