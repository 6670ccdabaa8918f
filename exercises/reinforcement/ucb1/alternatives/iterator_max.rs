//! alternative: `max_by` over the reversed arms (it keeps the last maximum, so the lowest index wins ties), the mean from the running sum

// reinforcement/ucb1: the UCB1 bandit agent, optimism in the face of uncertainty.

/// The UCB1 index of an arm: `mean + sqrt(2 ln(total) / pulls)`, where `pulls` is how many
/// times this arm was pulled and `total` how many pulls all arms had so far (both ≥ 1).
pub fn ucb_index(mean: f64, pulls: usize, total: usize) -> f64 {
    let bonus = 2.0 * (total as f64).ln() / pulls as f64;
    mean + bonus.sqrt()
}

/// A UCB1 agent (Auer, Cesa-Bianchi & Fischer, 2002) for rewards in [0, 1].
pub struct Ucb1 {
    /// `counts[a]`: how many times arm `a` was pulled.
    pub counts: Vec<usize>,
    /// `estimates[a]`: the mean reward observed on arm `a` (0 before its first pull).
    pub estimates: Vec<f64>,
}

impl Ucb1 {
    /// An agent for `n_arms` arms that has pulled nothing yet (given).
    pub fn new(n_arms: usize) -> Self {
        Ucb1 {
            counts: vec![0; n_arms],
            estimates: vec![0.0; n_arms],
        }
    }

    /// The first arm never pulled, if any (so each arm is pulled once, in index order);
    /// otherwise the arm with the largest `ucb_index`, `total` being the sum of `counts`.
    /// Ties go to the lowest index. No randomness.
    pub fn choose(&self) -> usize {
        if let Some(arm) = self.counts.iter().position(|&n| n == 0) {
            return arm;
        }
        let total = self.counts.iter().sum();
        (0..self.counts.len())
            .map(|arm| (arm, ucb_index(self.estimates[arm], self.counts[arm], total)))
            .rev()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(arm, _)| arm)
            .unwrap_or(0)
    }

    /// Record `reward` for `arm`: one more pull, and `estimates[arm]` becomes the sample
    /// mean of that arm's rewards.
    pub fn update(&mut self, arm: usize, reward: f64) {
        let before = self.counts[arm] as f64;
        self.counts[arm] += 1;
        self.estimates[arm] = (self.estimates[arm] * before + reward) / (before + 1.0);
    }
}
