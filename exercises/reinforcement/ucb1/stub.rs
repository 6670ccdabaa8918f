// reinforcement/ucb1: the UCB1 bandit agent, optimism in the face of uncertainty.
// `learnml show reinforcement/ucb1` shows the full statement; `learnml check reinforcement/ucb1` grades this file.

/// The UCB1 index of an arm: `mean + sqrt(2 ln(total) / pulls)`, where `pulls` is how many
/// times this arm was pulled and `total` how many pulls all arms had so far (both ≥ 1).
pub fn ucb_index(mean: f64, pulls: usize, total: usize) -> f64 {
    let _ = (mean, pulls, total);
    todo!("the mean plus the exploration bonus")
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
        todo!("pull every arm once, then maximize the UCB1 index")
    }

    /// Record `reward` for `arm`: one more pull, and `estimates[arm]` becomes the sample
    /// mean of that arm's rewards.
    pub fn update(&mut self, arm: usize, reward: f64) {
        let _ = (arm, reward);
        todo!("update counts[arm] and estimates[arm]")
    }
}
