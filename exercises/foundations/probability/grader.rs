// Grader of foundations/probability.

use learnml_grader::Goal;
use learnml_grader::grade::*;

use super::exercise::{Test, posterior, simulate};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("bayes", check_bayes),
    ("reproducible", check_reproducible),
    ("monte_carlo", check_monte_carlo),
    ("no_positives", check_no_positives),
];

/// The public case: a rare disease (1 %), a good test (95 % sensitivity, 90 % specificity).
const SCREENING: Test = Test {
    prevalence: 0.01,
    sensitivity: 0.95,
    specificity: 0.90,
};

/// The band a Monte Carlo estimate must fall in, in standard errors: a correct simulation
/// lands outside it with probability about 6e-5 (normal approximation).
const Z_BAR: f64 = 4.0;

/// The grader's Bayes' rule, written with the joint probabilities.
fn exact(t: &Test) -> f64 {
    let joint_sick = t.prevalence * t.sensitivity;
    let joint_healthy = (1.0 - t.prevalence) * (1.0 - t.specificity);
    joint_sick / (joint_sick + joint_healthy)
}

fn p_positive(t: &Test) -> f64 {
    t.prevalence * t.sensitivity + (1.0 - t.prevalence) * (1.0 - t.specificity)
}

fn describe(t: &Test) -> String {
    format!(
        "prevalence {}, sensitivity {}, specificity {}",
        fmt(t.prevalence),
        fmt(t.sensitivity),
        fmt(t.specificity)
    )
}

/// A classic wrong answer to P(sick | positive): its value, what it really is, a hint, and
/// the share of the n simulated people a simulation making that mistake divides by (to
/// compute its standard error).
struct Mistake {
    value: f64,
    what: &'static str,
    hint: &'static str,
    denominator_share: f64,
}

fn named_mistakes(t: &Test) -> Vec<Mistake> {
    let (prevalence, sensitivity, specificity) = (t.prevalence, t.sensitivity, t.specificity);
    vec![
        Mistake {
            value: sensitivity,
            what: "P(positive | sick), the sensitivity: the conditional probability the wrong way round",
            hint: "P(sick | positive) = P(positive | sick) P(sick) / P(positive): start from the sensitivity, then use Bayes' rule",
            denominator_share: prevalence,
        },
        Mistake {
            value: sensitivity / (sensitivity + 1.0 - specificity),
            what: "a posterior that ignores the prevalence (base-rate neglect)",
            hint: "weight each branch by how common it is: P(positive | sick) P(sick) and P(positive | healthy) P(healthy)",
            denominator_share: 0.5 * (sensitivity + 1.0 - specificity),
        },
        Mistake {
            value: sensitivity * prevalence
                / (sensitivity * prevalence + specificity * (1.0 - prevalence)),
            what: "a posterior that uses the specificity as P(positive | healthy)",
            hint: "a healthy person tests positive with probability 1 - specificity",
            denominator_share: sensitivity * prevalence + specificity * (1.0 - prevalence),
        },
        Mistake {
            value: p_positive(t),
            what: "P(positive), the share of positive tests",
            hint: "divide the sick-and-positive count by the positive count, not the positive count by n",
            denominator_share: 1.0,
        },
        Mistake {
            value: sensitivity * prevalence,
            what: "P(sick and positive), the joint probability",
            hint: "divide by the number of positives (to condition on the positive test), not by n",
            denominator_share: 1.0,
        },
    ]
}

fn check_bayes() -> Graded {
    let cases = [
        SCREENING,
        // Hidden: a coin-flip prevalence with a symmetric test (answer 0.8), and a common disease.
        Test {
            prevalence: 0.5,
            sensitivity: 0.8,
            specificity: 0.8,
        },
        Test {
            prevalence: 0.2,
            sensitivity: 0.99,
            specificity: 0.95,
        },
    ];
    for (k, t) in cases.iter().enumerate() {
        let what = if k == 0 {
            format!("posterior({})", describe(t))
        } else {
            "posterior of a hidden test".to_string()
        };
        let got = posterior(t);
        let expected = exact(t);
        if (got - expected).abs() > 1e-12 {
            for mistake in named_mistakes(t) {
                if (got - mistake.value).abs() <= 1e-12 {
                    return Err(fail(format!(
                        "{what} = {}: that is {}",
                        fmt(got),
                        mistake.what
                    )))
                    .hint(mistake.hint);
                }
            }
        }
        close(&what, got, expected, 1e-12)
            .hint("P(positive) = P(positive | sick) P(sick) + P(positive | healthy) P(healthy)")?;
    }
    pass(format!(
        "P(sick | positive) = {} for the screening test: most positives are false alarms when the disease is rare",
        fmt(exact(&SCREENING))
    ))
}

fn check_reproducible() -> Graded {
    let first = simulate(&SCREENING, 20_000, 7);
    let again = simulate(&SCREENING, 20_000, 7);
    equal("simulate(screening, 20000, seed 7) run twice", &again, &first)
        .hint("create the generator from the seed, `learnml_kit::split::rng(seed)`, inside `simulate`: never `thread_rng()`")?;
    let other = simulate(&SCREENING, 20_000, 8);
    ensure(other != first, || {
        "simulate(screening, 20000, seed 8) equals the result for seed 7: the seed is ignored"
            .to_string()
    })
    .hint("seed the generator with the `seed` argument, not a constant")?;
    pass("the same seed gives the same estimate; another seed, another estimate")
}

fn check_monte_carlo() -> Graded {
    // The screening test with 200,000 people (about 21,700 positives) for three seeds, and a
    // hidden common-disease test with 50,000.
    let hidden = Test {
        prevalence: 0.3,
        sensitivity: 0.8,
        specificity: 0.7,
    };
    let runs = [
        (SCREENING, 200_000, 1, true),
        (SCREENING, 200_000, 2, true),
        (SCREENING, 200_000, 3, true),
        (hidden, 50_000, 4, false),
    ];
    let mut worst = 0.0f64;
    for (t, n, seed, public) in runs {
        let what = if public {
            format!("simulate(screening, {n}, seed {seed})")
        } else {
            "simulate of a hidden test".to_string()
        };
        let Some(got) = simulate(&t, n, seed) else {
            return Err(fail(format!(
                "{what} returned None, but about {} people test positive",
                (p_positive(&t) * n as f64).round()
            )));
        };
        // The estimate is a proportion among about n P(positive) people.
        let p = exact(&t);
        let positives = n as f64 * p_positive(&t);
        let standard_error = (p * (1.0 - p) / positives).sqrt();
        let z = (got - p).abs() / standard_error;
        if z > Z_BAR {
            // The nearest classic mistake, in its own standard errors.
            let nearest = named_mistakes(&t)
                .into_iter()
                .map(|mistake| {
                    let basis = n as f64 * mistake.denominator_share;
                    let se = (mistake.value * (1.0 - mistake.value) / basis)
                        .sqrt()
                        .max(1e-12);
                    ((got - mistake.value).abs() / se, mistake)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((z_mistake, mistake)) = nearest
                && z_mistake <= Z_BAR
            {
                return Err(fail(format!(
                    "{what} = {}: that estimates {}",
                    fmt(got),
                    mistake.what
                )))
                .hint(mistake.hint);
            }
            if public {
                return Err(fail(format!(
                    "{what} = {}: {} standard errors from Bayes' answer {} (bar: within {Z_BAR}; 1 standard error = {})",
                    fmt(got),
                    fmt(z),
                    fmt(p),
                    fmt(standard_error)
                )))
                .hint("count the people who test positive, and among them those who are sick: the estimate is the ratio");
            }
        }
        worst = worst.max(z);
    }
    bar(
        "largest |estimate - exact| in standard errors, over 4 runs",
        worst,
        Z_BAR,
        Goal::AtMost,
    )
}

fn check_no_positives() -> Graded {
    let nobody = simulate(&SCREENING, 0, 1);
    if nobody.is_some_and(f64::is_nan) {
        return Err(fail(
            "simulate(screening, 0 people, seed 1) = Some(NaN): 0 / 0",
        ))
        .hint("return None when nobody tests positive");
    }
    if nobody == Some(0.0) {
        return Err(fail(
            "simulate(screening, 0 people, seed 1) = Some(0): with nobody positive the ratio is 0 / 0, not 0",
        ))
        .hint("0 / 0 is not an estimate: return None when nobody tests positive");
    }
    equal("simulate(screening, 0 people, seed 1)", &nobody, &None)
        .hint("return None when nobody tests positive")?;
    let perfect = Test {
        prevalence: 0.0,
        sensitivity: 0.9,
        specificity: 1.0,
    };
    let got = simulate(&perfect, 1_000, 1);
    if got == Some(0.0) {
        return Err(fail(
            "simulate(prevalence 0, specificity 1, 1000 people, seed 1) = Some(0): nobody tests positive, so the ratio is 0 / 0, not 0",
        ))
        .hint("return None when the positive count is 0");
    }
    equal("simulate(prevalence 0, specificity 1, 1000 people, seed 1): nobody can test positive", &got, &None)
        .hint("with no sick people and a perfectly specific test there is no positive: return None rather than 0 / 0")?;
    pass("no positive test gives None")
}
