// Grader of reinforcement/q_learning.
//
// The grader has its own copy of the grid world's rules (`Rules`), computes the optimal values
// by value iteration, and follows the learner's greedy policy with its own rules, so a changed
// `GridWorld::step` in the learner's file cannot change the grade.

use learnml_grader::grade::*;
use ndarray::Array2;

use super::exercise::{GridWorld, N_ACTIONS, td_update, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("td_update", td_update_check),
    ("reaches_goal", reaches_goal),
    ("start_value", start_value),
    ("hidden_world", hidden_world),
];

const EPISODES: usize = 500;
const GAMMA: f64 = 0.9;
/// Tolerance on the learned value of the start state against value iteration's.
const VALUE_TOLERANCE: f64 = 0.05;
const ROLLOUT_CAP: usize = 50;

struct Rules {
    rows: usize,
    cols: usize,
    walls: Vec<(usize, usize)>,
    start: (usize, usize),
    goal: (usize, usize),
}

impl Rules {
    fn n_states(&self) -> usize {
        self.rows * self.cols
    }

    fn state(&self, cell: (usize, usize)) -> usize {
        cell.0 * self.cols + cell.1
    }

    fn step(&self, state: usize, action: usize) -> (usize, f64, bool) {
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
        (
            self.state(next),
            if next == self.goal { 10.0 } else { -1.0 },
            next == self.goal,
        )
    }

    fn world(&self) -> GridWorld {
        GridWorld {
            rows: self.rows,
            cols: self.cols,
            walls: self.walls.clone(),
            start: self.start,
            goal: self.goal,
        }
    }

    /// Optimal state values by value iteration (the goal's value is 0: nothing follows it).
    fn optimal_values(&self) -> Vec<f64> {
        let mut v = vec![0.0; self.n_states()];
        for _ in 0..1000 {
            let mut change: f64 = 0.0;
            for s in 0..self.n_states() {
                let cell = (s / self.cols, s % self.cols);
                if cell == self.goal || self.walls.contains(&cell) {
                    continue;
                }
                let best = (0..4)
                    .map(|a| {
                        let (next, r, done) = self.step(s, a);
                        r + if done { 0.0 } else { GAMMA * v[next] }
                    })
                    .fold(f64::NEG_INFINITY, f64::max);
                change = change.max((best - v[s]).abs());
                v[s] = best;
            }
            if change < 1e-12 {
                break;
            }
        }
        v
    }

    /// Fewest moves from the start to the goal (breadth-first search).
    fn shortest_path(&self) -> usize {
        let mut distance = vec![usize::MAX; self.n_states()];
        let mut queue = std::collections::VecDeque::from([self.state(self.start)]);
        distance[self.state(self.start)] = 0;
        while let Some(s) = queue.pop_front() {
            for a in 0..4 {
                let (next, _, _) = self.step(s, a);
                if distance[next] == usize::MAX {
                    distance[next] = distance[s] + 1;
                    queue.push_back(next);
                }
            }
        }
        distance[self.state(self.goal)]
    }
}

/// The grid of the statement: 4 x 5, start top left, goal bottom right, 7 moves apart.
fn standard() -> Rules {
    Rules {
        rows: 4,
        cols: 5,
        walls: vec![(1, 1), (1, 2), (2, 2), (2, 4), (3, 0)],
        start: (0, 0),
        goal: (3, 4),
    }
}

/// A hidden grid: a 5 x 5 zig-zag corridor, 12 moves from bottom left to top left.
fn hidden() -> Rules {
    Rules {
        rows: 5,
        cols: 5,
        walls: vec![
            (1, 0),
            (1, 1),
            (1, 2),
            (1, 3),
            (3, 1),
            (3, 2),
            (3, 3),
            (3, 4),
        ],
        start: (4, 0),
        goal: (0, 0),
    }
}

fn td_update_check() -> Graded {
    // A table of the documented shape, n_states x N_ACTIONS (3 x 4), so that a max over
    // `0..N_ACTIONS` stays in bounds.
    #[rustfmt::skip]
    let base = Array2::from_shape_vec((3, N_ACTIONS), vec![
        1.0, 2.0, 0.0, -0.5,
        0.5, 3.0, 1.0, 2.0,
        -1.0, 4.0, 2.0, 1.0,
    ])
    .expect("3 x 4");
    // Non-terminal: target = −1 + 0.9 · max(−1, 4, 2, 1) = 2.6; Q(0,1) = 2 + 0.5 (2.6 − 2) = 2.3.
    let mut q = base.clone();
    td_update(&mut q, 0, 1, -1.0, 2, false, 0.5, 0.9);
    equal(
        "shape of Q after td_update (it must stay 3 x 4)",
        &q.dim(),
        &(3, N_ACTIONS),
    )?;
    let got = q[[0, 1]];
    let mistakes = [
        (
            2.6,
            "Q(s,a) replaced by the target: the learning rate α is missing",
        ),
        (
            2.0 + 0.5 * (-1.0 - 0.9 - 2.0),
            "the target uses min over a', not max",
        ),
        (
            2.0 - 0.5 * (2.6 - 2.0),
            "the step goes away from the target (sign flipped)",
        ),
        (
            2.0 + 0.5 * (-1.0 + 0.9 * 1.5 - 2.0),
            "the target uses the mean over a' (expected SARSA with a uniform policy), not max",
        ),
        (
            2.0 + 0.5 * (-1.0 + 0.9 * 2.0 - 2.0),
            "the max is taken over Q(s, ·), the state the move left, not Q(s_next, ·)",
        ),
        (
            2.0 + 0.5 * (-1.0 + 0.9 * 4.0),
            "the step is α · target, without subtracting Q(s,a) (Q += α (target − Q))",
        ),
    ];
    for (wrong, name) in mistakes {
        if (got - wrong).abs() < 1e-9 {
            return Err(fail(format!(
                "td_update on a non-terminal move: Q(0,1) = {}, {name}; expected 2.3",
                fmt(got)
            )))
            .hint("Q(s,a) += α · (r + γ · max_a' Q(s',a') − Q(s,a))");
        }
    }
    close(
        "Q(0,1) after td_update(s 0, a 1, r −1, s' 2, not done, α 0.5, γ 0.9)",
        got,
        2.3,
        1e-9,
    )
    .hint("Q(s,a) += α · (r + γ · max_a' Q(s',a') − Q(s,a))")?;
    let untouched: Vec<f64> = q
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, v)| *v)
        .collect();
    let before: Vec<f64> = base
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, v)| *v)
        .collect();
    all_close(
        "the other entries of Q (unchanged)",
        &untouched,
        &before,
        0.0,
    )?;
    // Terminal: target = 10; Q(1,0) = 0.5 + 0.5 (10 − 0.5) = 5.25.
    let mut q = base.clone();
    td_update(&mut q, 1, 0, 10.0, 2, true, 0.5, 0.9);
    equal(
        "shape of Q after td_update (it must stay 3 x 4)",
        &q.dim(),
        &(3, N_ACTIONS),
    )?;
    let bootstrapped = 0.5 + 0.5 * (10.0 + 0.9 * 4.0 - 0.5);
    if (q[[1, 0]] - bootstrapped).abs() < 1e-9 {
        return Err(fail(format!(
            "td_update on a move into the terminal goal: Q(1,0) = {}, which bootstraps from Q(s', ·); expected 5.25",
            fmt(q[[1, 0]])
        )))
        .hint("when `done`, the target is just r: the episode ends, no future value follows");
    }
    close(
        "Q(1,0) after td_update(s 1, a 0, r 10, s' 2, done, α 0.5, γ 0.9)",
        q[[1, 0]],
        5.25,
        1e-9,
    )?;
    pass("Q(0,1) = 2.3 on a normal move, Q(1,0) = 5.25 on the terminal move")
}

/// Train on `rules` with `seed`, checking the Q table's shape and values.
fn trained(rules: &Rules, seed: u64) -> Result<Array2<f64>, Failed> {
    let q = train(&rules.world(), EPISODES, seed);
    equal(
        "shape of the Q table (states, actions)",
        &q.dim(),
        &(rules.n_states(), N_ACTIONS),
    )?;
    ensure(q.iter().all(|v| v.is_finite()), || {
        "the Q table holds NaN or infinite values".to_string()
    })?;
    Ok(q)
}

/// Follow the greedy policy (ties to the lowest action) from the start with the grader's rules:
/// the number of moves to the goal, or None if it is not reached within the cap.
fn greedy_rollout(rules: &Rules, q: &Array2<f64>) -> Option<usize> {
    let mut s = rules.state(rules.start);
    for moves in 1..=ROLLOUT_CAP {
        let a = (0..N_ACTIONS).fold(0, |best, a| if q[[s, a]] > q[[s, best]] { a } else { best });
        let (next, _, done) = rules.step(s, a);
        if done {
            return Some(moves);
        }
        s = next;
    }
    None
}

fn start_q_max(rules: &Rules, q: &Array2<f64>) -> f64 {
    q.row(rules.state(rules.start))
        .iter()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max)
}

fn reaches_goal() -> Graded {
    let rules = standard();
    let mut tables: Vec<Array2<f64>> = Vec::new();
    for seed in [0, 1, 2] {
        let q = trained(&rules, seed)?;
        if let Some(previous) = tables.iter().position(|t| *t == q) {
            return Err(fail(format!(
                "train gave the same Q table for seeds {previous} and {seed}: it ignores its seed (draw every random choice from rng(seed))"
            )))
            .hint("`let mut generator = rng(seed);` with the seed argument, not a constant");
        }
        tables.push(q.clone());
        let again = trained(&rules, seed)?;
        ensure(q == again, || {
            format!(
                "train with seed {seed} gave two different Q tables: seed every random choice with rng(seed)"
            )
        })?;
        let moves = greedy_rollout(&rules, &q);
        ensure(moves.is_some(), || {
            format!("with seed {seed}, the greedy policy of your Q table does not reach the goal within {ROLLOUT_CAP} moves")
        })
        .hint("the behaviour policy must explore (ε = 0.2) and every move must call td_update, including the last one into the goal")?;
    }
    pass(
        "the greedy policy reaches the goal for seeds 0, 1 and 2; train is deterministic for a seed",
    )
}

fn value_and_path(rules: &Rules, seeds: &[u64], grid: &str) -> Graded {
    let optimal = rules.optimal_values()[rules.state(rules.start)];
    let shortest = rules.shortest_path();
    for &seed in seeds {
        let q = trained(rules, seed)?;
        let moves = greedy_rollout(rules, &q);
        ensure(moves.is_some(), || format!("{grid}, seed {seed}: the greedy policy does not reach the goal within {ROLLOUT_CAP} moves"))
            .hint("check td_update and that every episode starts at world.start and stops at the goal")?;
        equal(&format!("{grid}, seed {seed}: moves of the greedy policy to the goal (the shortest path)"), &moves, &Some(shortest))
            .hint("with a cost of −1 per move and γ < 1, the optimal policy takes a shortest path; more episodes of exploration get there")?;
        let value = start_q_max(rules, &q);
        close(&format!("{grid}, seed {seed}: max_a Q(start, a) against V*(start) by value iteration"), value, optimal, VALUE_TOLERANCE)
            .hint("γ = 0.9 and rewards −1 per move, +10 on entering the goal; the target of the terminal move is r alone")?;
    }
    pass(format!(
        "{grid}: shortest path of {shortest} moves, start value within {VALUE_TOLERANCE} of V* = {}",
        fmt(optimal)
    ))
}

fn start_value() -> Graded {
    value_and_path(&standard(), &[0, 1, 2], "the 4 x 5 grid")
}

fn hidden_world() -> Graded {
    value_and_path(&hidden(), &[11, 12], "a hidden 5 x 5 grid")
}
