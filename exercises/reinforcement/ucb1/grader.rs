// Grader of reinforcement/ucb1.
//
// Bernoulli bandits are simulated here with seeded generators. Regret is the pseudo-regret
// Σ_t (μ* − μ_{a_t}), averaged over seeded runs; the grader also runs its own ε-greedy agent
// (ε = 0.1) on the same bandits, for comparison in the message.

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use rand::Rng as _;

use super::exercise::{Ucb1, ucb_index};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("index_formula", index_formula),
    ("first_round", first_round),
    ("choice", choice),
    ("regret", regret),
];

const ARMS: usize = 5;
const STEPS: usize = 10_000;
const RUNS: u64 = 20;
/// The bar on the mean regret, as a fraction of what a uniformly random policy loses.
const BAR_FRACTION: f64 = 0.08;

fn expected_index(mean: f64, pulls: usize, total: usize) -> f64 {
    mean + (2.0 * (total as f64).ln() / pulls as f64).sqrt()
}

fn index_formula() -> Graded {
    // No case has total = pulls², where ln(pulls) would equal ln(total) / 2 and a wrong
    // logarithm would look like a missing factor 2; a mistake is named only when it explains
    // every case.
    let cases = [(0.5, 10, 200), (0.2, 2, 5), (0.9, 40, 41), (0.0, 3, 1000)];
    let got: Vec<f64> = cases
        .iter()
        .map(|&(mean, pulls, total)| ucb_index(mean, pulls, total))
        .collect();
    let variant = |wrong: fn(f64, f64, f64) -> f64| -> Vec<f64> {
        cases
            .iter()
            .map(|&(mean, pulls, total)| wrong(mean, pulls as f64, total as f64))
            .collect()
    };
    let mistakes: [(Vec<f64>, &str); 6] = [
        (
            variant(|m, n, t| m + (t.ln() / n).sqrt()),
            "the bonus without the factor 2: sqrt(ln t / n)",
        ),
        (
            variant(|m, n, t| m + (2.0 * t.log10() / n).sqrt()),
            "log base 10 instead of the natural log",
        ),
        (
            variant(|m, n, t| m + 2.0 * t.ln() / n),
            "the bonus without its square root",
        ),
        (
            variant(|m, n, t| m + (2.0 * n.ln() / t).sqrt()),
            "the counts swapped: sqrt(2 ln n / t)",
        ),
        (
            variant(|m, n, _| m + (2.0 * n.ln() / n).sqrt()),
            "the log of the arm's own pulls, ln n, instead of ln of the total t",
        ),
        (
            variant(|m, n, t| m + (2.0 * t.ln()).sqrt() / n),
            "the square root of the numerator only: sqrt(2 ln t) / n",
        ),
    ];
    let expected: Vec<f64> = cases
        .iter()
        .map(|&(mean, pulls, total)| expected_index(mean, pulls, total))
        .collect();
    let matches = |values: &[f64]| got.iter().zip(values).all(|(g, v)| (g - v).abs() < 1e-9);
    if !matches(&expected) {
        for (values, name) in &mistakes {
            if matches(values) {
                let (mean, pulls, total) = cases[0];
                return Err(fail(format!(
                    "ucb_index is {name}: on (mean {mean}, pulls {pulls}, total {total}) it gives {}, expected {}",
                    fmt(got[0]),
                    fmt(expected[0])
                )))
                .hint("UCB1: mean + sqrt(2 · ln(total) / pulls), natural log, total = pulls of all arms so far");
            }
        }
    }
    for (i, &(mean, pulls, total)) in cases.iter().enumerate() {
        let what = format!("ucb_index(mean {mean}, pulls {pulls}, total {total})");
        close(&what, got[i], expected[i], 1e-9).hint("UCB1: mean + sqrt(2 · ln(total) / pulls)")?;
    }
    pass("mean + sqrt(2 ln t / n) on 4 cases")
}

fn first_round() -> Graded {
    let mut agent = Ucb1::new(4);
    let mut order = Vec::new();
    for _ in 0..4 {
        let arm = agent.choose();
        ensure(arm < 4, || {
            format!("choose returned arm {arm} of a 4-armed bandit")
        })?;
        order.push(arm);
        agent.update(arm, 0.5);
    }
    let mut distinct = order.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < order.len() {
        return Err(fail(format!(
            "the first 4 choices of a fresh 4-armed agent were {order:?}: an arm was pulled again before every arm was pulled once (the first round is skipped); expected [0, 1, 2, 3]"
        )))
        .hint("before using the index, return the first arm whose count is 0: ln(t)/0 is infinite");
    }
    equal(
        "the first 4 choices of a fresh 4-armed agent (each rewarded 0.5)",
        &order,
        &vec![0, 1, 2, 3],
    )
    .hint("before using the index, return the first arm whose count is 0: ln(t)/0 is infinite")?;
    equal(
        "counts after those 4 pulls",
        &agent.counts,
        &vec![1, 1, 1, 1],
    )?;
    let mut agent = Ucb1::new(3);
    agent.counts = vec![4, 0, 2];
    agent.estimates = vec![0.9, 0.0, 0.1];
    equal("choose with counts [4, 0, 2]", &agent.choose(), &1)
        .hint("an arm never pulled comes first, whatever the others' estimates")?;
    let mut agent = Ucb1::new(2);
    for reward in [1.0, 0.0, 1.0] {
        agent.update(0, reward);
    }
    close(
        "estimates[0] after rewards 1, 0, 1 (sample mean 2/3)",
        agent.estimates[0],
        2.0 / 3.0,
        1e-9,
    )
    .hint(
        "estimates[a] += (reward − estimates[a]) / counts[a], with counts[a] already incremented",
    )?;
    pass("each arm pulled once in index order, then the index; estimates are sample means")
}

fn choice() -> Graded {
    // (counts, estimates, expected arm): the grader's own argmax of the UCB1 index.
    let cases: [(Vec<usize>, Vec<f64>); 3] = [
        (vec![50, 5, 20], vec![0.6, 0.4, 0.55]),
        (vec![300, 300, 300], vec![0.5, 0.7, 0.6]),
        (vec![30, 10, 10, 100], vec![0.3, 0.45, 0.45, 0.5]),
    ];
    for (counts, estimates) in cases {
        let total: usize = counts.iter().sum();
        let indices: Vec<f64> = (0..counts.len())
            .map(|a| expected_index(estimates[a], counts[a], total))
            .collect();
        let expected = (0..counts.len()).fold(
            0,
            |best, a| if indices[a] > indices[best] { a } else { best },
        );
        let greedy = (0..counts.len()).fold(0, |best, a| {
            if estimates[a] > estimates[best] {
                a
            } else {
                best
            }
        });
        let mut agent = Ucb1::new(counts.len());
        agent.counts = counts.clone();
        agent.estimates = estimates.clone();
        let got = agent.choose();
        let what = format!("choose with counts {counts:?}, estimates {estimates:?}");
        if got == greedy && got != expected {
            return Err(fail(format!("{what} = {got}, the best mean: the exploration bonus is missing; expected {expected}")))
                .hint("maximize ucb_index(estimates[a], counts[a], total), not the estimate");
        }
        if expected == 1 && got == 2 && counts.len() == 4 {
            return Err(fail(format!(
                "{what} = 2: arms 1 and 2 tie, the convention is the lowest index, 1"
            )))
            .hint("replace the best arm only on a strictly larger index");
        }
        equal(&what, &got, &expected)
            .hint("total is the sum of all counts; ties go to the lowest index")?;
    }
    pass("the arm with the largest UCB1 index, also when it is not the best mean")
}

/// One seeded run: UCB1's regret, a random policy's expected regret and ε-greedy's regret.
fn run(seed: u64) -> Result<(f64, f64, f64), Failed> {
    let mut env = rng(seed);
    let means: Vec<f64> = (0..ARMS).map(|_| env.r#gen::<f64>()).collect();
    let best = means.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let random_regret = STEPS as f64 * (best - means.iter().sum::<f64>() / ARMS as f64);
    let mut agent = Ucb1::new(ARMS);
    let mut regret = 0.0;
    for _ in 0..STEPS {
        let arm = agent.choose();
        ensure(arm < ARMS, || {
            format!("choose returned arm {arm} of a {ARMS}-armed bandit")
        })?;
        let reward = if env.gen_bool(means[arm]) { 1.0 } else { 0.0 };
        agent.update(arm, reward);
        regret += best - means[arm];
    }
    Ok((regret, random_regret, epsilon_greedy_regret(&means, seed)))
}

/// The grader's own ε-greedy agent (ε = 0.1, sample means) on the same arms.
fn epsilon_greedy_regret(means: &[f64], seed: u64) -> f64 {
    let mut generator: Rng = rng(seed ^ 0x5bd1_e995);
    let best = means.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut counts = [0usize; ARMS];
    let mut estimates = [0.0; ARMS];
    let mut regret = 0.0;
    for _ in 0..STEPS {
        let arm = if generator.gen_bool(0.1) {
            generator.gen_range(0..ARMS)
        } else {
            (0..ARMS).fold(0, |b, a| if estimates[a] > estimates[b] { a } else { b })
        };
        let reward = if generator.gen_bool(means[arm]) {
            1.0
        } else {
            0.0
        };
        counts[arm] += 1;
        estimates[arm] += (reward - estimates[arm]) / counts[arm] as f64;
        regret += best - means[arm];
    }
    regret
}

fn regret() -> Graded {
    let (mut total, mut random, mut greedy) = (0.0, 0.0, 0.0);
    for run_index in 0..RUNS {
        let (r, rr, eg) = run(2000 + run_index)?;
        total += r;
        random += rr;
        greedy += eg;
    }
    let runs = RUNS as f64;
    let (mean, random, greedy) = (total / runs, random / runs, greedy / runs);
    let note = format!(
        "; on the same bandits a uniformly random policy loses {}, ε-greedy (ε = 0.1) {}",
        fmt(random),
        fmt(greedy)
    );
    bar(
        &format!("mean regret over {RUNS} runs of {STEPS} pulls"),
        mean,
        BAR_FRACTION * random,
        Goal::AtMost,
    )
    .note(&note)
    .hint("check the index (total = sum of counts, natural log), the first round, and that update keeps sample means")
}
