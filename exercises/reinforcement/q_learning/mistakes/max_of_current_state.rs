//! mistake: takes the max over the row of the state the move left, Q(s, ·)
//! fails: td_update
//! message: "not Q(s_next, ·)"

// reinforcement/q_learning: tabular Q-learning on a small grid world.

use learnml_kit::split::rng;
use ndarray::Array2;
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
    let _ = s_next;
    let target = if done {
        r
    } else {
        r + gamma * q.row(s).iter().cloned().fold(f64::NEG_INFINITY, f64::max)
    };
    q[[s, a]] += alpha * (target - q[[s, a]]);
}

/// The action with the largest Q value in `row`, the lowest index on ties.
fn greedy(q: &Array2<f64>, s: usize) -> usize {
    (0..N_ACTIONS).fold(0, |best, a| if q[[s, a]] > q[[s, best]] { a } else { best })
}

/// Q-learning on `world` for `episodes` episodes, each from `world.start`, with an
/// epsilon-greedy behaviour policy (EPSILON, ties to the lowest action), ALPHA, GAMMA and a Q
/// table starting at 0. All randomness from `learnml_kit::split::rng(seed)`. Returns the Q
/// table, `n_states x N_ACTIONS`.
pub fn train(world: &GridWorld, episodes: usize, seed: u64) -> Array2<f64> {
    let mut generator = rng(seed);
    let mut q = Array2::zeros((world.n_states(), N_ACTIONS));
    for _ in 0..episodes {
        let mut s = world.state(world.start);
        for _ in 0..MAX_STEPS {
            let a = if generator.gen_bool(EPSILON) {
                generator.gen_range(0..N_ACTIONS)
            } else {
                greedy(&q, s)
            };
            let (s_next, r, done) = world.step(s, a);
            td_update(&mut q, s, a, r, s_next, done, ALPHA, GAMMA);
            if done {
                break;
            }
            s = s_next;
        }
    }
    q
}
