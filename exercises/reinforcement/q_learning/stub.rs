// reinforcement/q_learning: tabular Q-learning on a small grid world.
// `learnml show reinforcement/q_learning` shows the full statement; `learnml check reinforcement/q_learning` grades this file.

#[allow(unused_imports)]
use learnml_kit::split::rng;
use ndarray::Array2;
#[allow(unused_imports)]
use rand::Rng as _;

/// Actions, in this order: 0 up, 1 right, 2 down, 3 left.
pub const N_ACTIONS: usize = 4;
/// Discount factor of the returns.
pub const GAMMA: f64 = 0.9;
/// Learning rate.
pub const ALPHA: f64 = 0.5;
/// Exploration rate of the epsilon-greedy behaviour policy during training.
pub const EPSILON: f64 = 0.2;
/// An episode that has not reached the goal after this many steps is cut off.
pub const MAX_STEPS: usize = 100;

/// A deterministic grid world (given: the grader simulates the same rules with its own code).
/// Cells are `(row, col)`, row 0 at the top; state `s = row * cols + col`. A move into a wall
/// or off the grid leaves the agent where it is. Every move earns −1, except the move that
/// enters the goal, which earns +10 and ends the episode (the goal is terminal).
pub struct GridWorld {
    pub rows: usize,
    pub cols: usize,
    /// Cells that cannot be entered.
    pub walls: Vec<(usize, usize)>,
    pub start: (usize, usize),
    pub goal: (usize, usize),
}

impl GridWorld {
    pub fn n_states(&self) -> usize {
        self.rows * self.cols
    }

    pub fn state(&self, cell: (usize, usize)) -> usize {
        cell.0 * self.cols + cell.1
    }

    /// One move: `(next_state, reward, done)`.
    pub fn step(&self, state: usize, action: usize) -> (usize, f64, bool) {
        let (row, col) = (state / self.cols, state % self.cols);
        let (r, c) = match action {
            0 if row > 0 => (row - 1, col),
            1 if col + 1 < self.cols => (row, col + 1),
            2 if row + 1 < self.rows => (row + 1, col),
            3 if col > 0 => (row, col - 1),
            _ => (row, col),
        };
        let next = if self.walls.contains(&(r, c)) {
            (row, col)
        } else {
            (r, c)
        };
        if next == self.goal {
            (self.state(next), 10.0, true)
        } else {
            (self.state(next), -1.0, false)
        }
    }
}

/// One Q-learning update of `q[[s, a]]` (shape `n_states x N_ACTIONS`) after the move
/// `s --a--> s_next` with reward `r`: Q(s,a) ← Q(s,a) + α (target − Q(s,a)), where the target
/// is `r` if `done` (nothing follows a terminal state), else `r + γ max_a' Q(s_next, a')`.
#[allow(clippy::too_many_arguments)]
pub fn td_update(
    q: &mut Array2<f64>,
    s: usize,
    a: usize,
    r: f64,
    s_next: usize,
    done: bool,
    alpha: f64,
    gamma: f64,
) {
    let _ = (q, s, a, r, s_next, done, alpha, gamma);
    todo!("move q[[s, a]] a step alpha towards the target")
}

/// Q-learning on `world` for `episodes` episodes, each from `world.start`, with an
/// epsilon-greedy behaviour policy (EPSILON, ties to the lowest action), ALPHA, GAMMA and a Q
/// table starting at 0. All randomness from `learnml_kit::split::rng(seed)`. Returns the Q
/// table, `n_states x N_ACTIONS`.
pub fn train(world: &GridWorld, episodes: usize, seed: u64) -> Array2<f64> {
    let _ = (world, episodes, seed);
    todo!("run the episodes, choosing epsilon-greedy actions and calling td_update")
}
