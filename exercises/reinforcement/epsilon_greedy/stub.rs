// reinforcement/epsilon_greedy: an epsilon-greedy agent for the multi-armed bandit.
// `learnml show reinforcement/epsilon_greedy` shows the full statement; `learnml check reinforcement/epsilon_greedy` grades this file.

use learnml_kit::split::Rng;
#[allow(unused_imports)]
use rand::Rng as _;

/// The arm with the highest estimate; ties go to the lowest index.
pub fn greedy_arm(estimates: &[f64]) -> usize {
    let _ = estimates;
    todo!("return the index of the largest estimate (the first one on ties)")
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
    /// An agent for `n_arms` arms that has pulled nothing yet (given).
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
        let _ = rng;
        todo!("explore with probability epsilon, else exploit")
    }

    /// Record `reward` for `arm`: one more pull, and the estimate becomes the mean of all
    /// rewards seen on that arm.
    pub fn update(&mut self, arm: usize, reward: f64) {
        let _ = (arm, reward);
        todo!("update counts[arm] and estimates[arm]")
    }
}
