// Grader of reinforcement/epsilon_greedy.
//
// The bandits are simulated here with seeded generators: the learner's agent only sees the
// arm it chose and the reward it got. Regret is the pseudo-regret Σ_t (μ* − μ_{a_t}), which
// does not depend on the reward noise, averaged over seeded runs.

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use rand::Rng as _;

use super::exercise::{EpsilonGreedy, greedy_arm};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("greedy_arm", greedy_arm_check),
    ("incremental_mean", incremental_mean),
    ("exploration_rate", exploration_rate),
    ("regret", regret),
];

const ARMS: usize = 10;
const STEPS: usize = 1000;
const RUNS: u64 = 20;
const EPSILON: f64 = 0.1;
/// The bar on the mean regret, as a fraction of what a uniformly random policy loses.
const BAR_FRACTION: f64 = 0.2;

/// A standard normal draw (Box–Muller), so the simulation depends on nothing but the seed.
fn normal(rng: &mut Rng) -> f64 {
    let u1: f64 = 1.0 - rng.r#gen::<f64>();
    let u2: f64 = rng.r#gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn greedy_arm_check() -> Graded {
    let cases: [(&[f64], usize); 4] = [
        (&[0.1, 0.9, 0.3], 1),
        (&[-2.0, -0.5, -1.0, -3.0], 1),
        (&[0.7], 0),
        (&[0.2, 0.5, 0.5, 0.1], 1),
    ];
    for (estimates, expected) in cases {
        let got = greedy_arm(estimates);
        if estimates.len() > 1 {
            let argmin = (0..estimates.len())
                .fold(0, |m, i| if estimates[i] < estimates[m] { i } else { m });
            if got == argmin && got != expected {
                return Err(fail(format!(
                    "greedy_arm({estimates:?}) = {got}, the smallest estimate; expected {expected}"
                )))
                .hint("greedy means the highest estimated reward: compare with `>`");
            }
        }
        if estimates == [0.2, 0.5, 0.5, 0.1] && got == 2 {
            return Err(fail(format!(
                "greedy_arm({estimates:?}) = 2: on a tie the convention here is the lowest index, 1"
            )))
            .hint("replace the best arm only on a strictly larger estimate (`>`, not `>=`)");
        }
        equal(&format!("greedy_arm({estimates:?})"), &got, &expected)?;
    }
    pass("the highest estimate, the lowest index on ties")
}

fn incremental_mean() -> Graded {
    let mut agent = EpsilonGreedy::new(3, 0.1);
    let pulls = [(0, 1.0), (2, 4.0), (0, 3.0), (0, 8.0), (2, -2.0)];
    for (arm, reward) in pulls {
        agent.update(arm, reward);
    }
    equal(
        "counts after pulls 0, 2, 0, 0, 2",
        &agent.counts,
        &vec![3, 0, 2],
    )
    .hint("each update adds one pull to counts[arm]")?;
    equal("number of estimates", &agent.estimates.len(), &3)?;
    // Sample means: arm 0 (1 + 3 + 8) / 3 = 4, arm 1 untouched 0, arm 2 (4 − 2) / 2 = 1.
    let expected = [4.0, 0.0, 1.0];
    // A constant step size α = 0.1 (the nonstationary rule) gives an exponential average.
    let mut constant = [0.0; 3];
    for (arm, reward) in pulls {
        constant[arm] += 0.1 * (reward - constant[arm]);
    }
    if (agent.estimates[0] - constant[0]).abs() < 1e-9 {
        return Err(fail(format!(
            "estimates[0] = {}, the constant-step average with α = 0.1; the sample mean is {}",
            fmt(agent.estimates[0]),
            fmt(expected[0])
        )))
        .hint("divide by the number of pulls of that arm, after counting this one: Q ← Q + (r − Q) / n");
    }
    let mut shifted = [0.0; 3];
    let mut shifted_counts = [0usize; 3];
    for (arm, reward) in pulls {
        shifted_counts[arm] += 1;
        shifted[arm] += (reward - shifted[arm]) / (shifted_counts[arm] + 1) as f64;
    }
    if (agent.estimates[0] - shifted[0]).abs() < 1e-9 {
        return Err(fail(format!(
            "estimates[0] = {}: each step divides by n + 1 (one pull too many); the sample mean is {}",
            fmt(agent.estimates[0]),
            fmt(expected[0])
        )))
        .hint("Q ← Q + (r − Q) / n with n the arm's pull count including this pull");
    }
    if agent.estimates.iter().any(|v| !v.is_finite()) {
        return Err(fail(format!(
            "estimates {:?} hold NaN or infinity: a division by a count of 0 (divide after counting this pull)",
            agent.estimates
        )))
        .hint("increment counts[arm] first, then divide by it");
    }
    all_close("estimates (sample mean of each arm's rewards)", &agent.estimates, &expected, 1e-9)
        .hint("Q ← Q + (r − Q) / n with n the arm's pull count including this pull (n − 1 or n + 1 is off by one)")?;
    pass("estimates [4, 0, 1] are the sample means, counts [3, 0, 2]")
}

fn exploration_rate() -> Graded {
    let draws = 20_000;
    let mut agent = EpsilonGreedy::new(4, 0.3);
    agent.estimates = vec![0.0, 1.0, 0.5, -1.0];
    agent.counts = vec![5, 5, 5, 5];
    let mut seen = [0usize; 4];
    let mut generator = rng(7);
    for _ in 0..draws {
        let arm = agent.choose(&mut generator);
        ensure(arm < 4, || {
            format!("choose returned arm {arm} of a 4-armed bandit")
        })?;
        seen[arm] += 1;
    }
    let share = |arm: usize| seen[arm] as f64 / draws as f64;
    // P(greedy) = 1 − ε + ε / k = 0.7 + 0.075; each other arm ε / k = 0.075.
    let expected_greedy = 1.0 - 0.3 + 0.3 / 4.0;
    let tolerance = 0.015; // ≈ 5 standard errors of a share over 20 000 draws
    if (share(1) - 0.7).abs() < tolerance {
        return Err(fail(format!(
            "the greedy arm was chosen {} of the time, 1 − ε: your exploration never picks the greedy arm; expected 1 − ε + ε/k = {}",
            fmt(share(1)),
            fmt(expected_greedy)
        )))
        .hint("the convention here (Sutton & Barto) explores uniformly over all k arms, the greedy one included");
    }
    if share(1) > 0.99 {
        return Err(fail(
            "with ε = 0.3 the agent chose the greedy arm every time: it never explores".to_string(),
        ))
        .hint("draw `rng.gen_bool(self.epsilon)`; when true, return `rng.gen_range(0..k)`");
    }
    close(
        "share of pulls of the greedy arm (ε = 0.3, k = 4)",
        share(1),
        expected_greedy,
        tolerance,
    )
    .hint("explore with probability ε (uniform over all arms), otherwise take greedy_arm")?;
    for arm in [0, 2, 3] {
        close(
            &format!("share of pulls of non-greedy arm {arm}"),
            share(arm),
            0.3 / 4.0,
            tolerance,
        )?;
    }
    pass(format!(
        "greedy arm chosen {} of the time (expected 1 − ε + ε/k = 0.775), each other arm about ε/k",
        fmt(share(1))
    ))
}

/// One seeded run: the agent's regret and a uniformly random policy's expected regret.
fn run(seed: u64) -> Result<(f64, f64), Failed> {
    let mut env = rng(seed);
    let means: Vec<f64> = (0..ARMS).map(|_| normal(&mut env)).collect();
    let best = means.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let random_regret = STEPS as f64 * (best - means.iter().sum::<f64>() / ARMS as f64);
    let mut agent = EpsilonGreedy::new(ARMS, EPSILON);
    let mut agent_rng = rng(seed ^ 0x9e37_79b9);
    let mut regret = 0.0;
    for _ in 0..STEPS {
        let arm = agent.choose(&mut agent_rng);
        ensure(arm < ARMS, || {
            format!("choose returned arm {arm} of a {ARMS}-armed bandit")
        })?;
        let reward = means[arm] + normal(&mut env);
        agent.update(arm, reward);
        regret += best - means[arm];
    }
    Ok((regret, random_regret))
}

fn regret() -> Graded {
    let mut total = 0.0;
    let mut random = 0.0;
    for run_index in 0..RUNS {
        let (r, rr) = run(1000 + run_index)?;
        total += r;
        random += rr;
    }
    let mean = total / RUNS as f64;
    let random = random / RUNS as f64;
    let threshold = BAR_FRACTION * random;
    let note = format!(
        "; a uniformly random policy loses {} on the same bandits",
        fmt(random)
    );
    let graded = bar(
        &format!("mean regret over {RUNS} runs of {STEPS} pulls"),
        mean,
        threshold,
        Goal::AtMost,
    );
    graded.note(&note).hint(if mean > 0.8 * random {
        "no better than random: does update() store the reward, and does choose() exploit greedy_arm?"
    } else {
        "check that exploration happens with probability ε only, and that estimates are sample means"
    })
}
