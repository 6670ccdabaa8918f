// Grader of responsible/laplace.
//
// Graded statistically, with fixed seeds: N draws, and every statistic must fall inside a
// band a correct mechanism leaves about once in a million seeds (z = 5 for the means, the
// Kolmogorov-Smirnov critical value 2.69 / sqrt(N) for the shape): a learner's correct
// sampler draws other numbers than ours from the same seed, and a 99.9 % band failed one such
// sampler in testing. The wrong mechanisms are still many bands away. For Laplace(b): E[X] = 0, Var X = 2 b², and |X| is exponential with mean b
// and standard deviation b, so mean |X| estimates b with standard error b / sqrt(N).

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::rng;

use super::exercise::{laplace, private_count, private_mean};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("laplace_shape", laplace_shape),
    ("count_noise", count_noise),
    ("mean_noise", mean_noise),
];

const N: usize = 20_000;
const Z: f64 = 5.0;
const KS_CRITICAL: f64 = 2.69;

/// Noise statistics of draws around a true value: (mean of the noise, mean absolute noise).
fn moments(noise: &[f64]) -> (f64, f64) {
    let n = noise.len() as f64;
    (
        noise.iter().sum::<f64>() / n,
        noise.iter().map(|v| v.abs()).sum::<f64>() / n,
    )
}

/// Unbiasedness and scale, with the named wrong scales.
fn check_noise(
    what: &str,
    noise: &[f64],
    scale: f64,
    wrong: &[(f64, &str)],
) -> Result<(f64, f64), Failed> {
    ensure(noise.iter().all(|v| v.is_finite()), || {
        format!("{what}: some outputs are infinite or NaN")
    })?;
    let (mean, mean_abs) = moments(noise);
    let root_n = (noise.len() as f64).sqrt();
    let scale_band = Z * scale / root_n;
    if (mean_abs - scale).abs() > scale_band {
        for &(w, why) in wrong {
            if (mean_abs - w).abs() <= Z * w / root_n {
                return Err(fail(format!(
                    "{what}: the noise has scale {} (mean absolute noise over {} draws), expected {} ± {} (z = 5): {why}",
                    fmt(mean_abs),
                    noise.len(),
                    fmt(scale),
                    fmt(scale_band)
                )));
            }
        }
        return Err(fail(format!(
            "{what}: mean absolute noise over {} draws is {}, expected the scale {} ± {} (z = 5)",
            noise.len(),
            fmt(mean_abs),
            fmt(scale),
            fmt(scale_band)
        )))
        .hint("for Laplace(b), E|X| = b: check the scale you pass, sensitivity / epsilon");
    }
    let mean_band = Z * 2f64.sqrt() * scale / root_n;
    ensure(mean.abs() <= mean_band, || {
        format!(
            "{what}: the noise averages {} over {} draws, expected 0 ± {} (z = 5): the mechanism is biased",
            fmt(mean),
            noise.len(),
            fmt(mean_band)
        )
    })
    .hint("Laplace noise is symmetric around 0: u must be uniform on [-1/2, 1/2), and the sign must follow u")?;
    Ok((mean, mean_abs))
}

fn laplace_cdf(x: f64, b: f64) -> f64 {
    if x < 0.0 {
        0.5 * (x / b).exp()
    } else {
        1.0 - 0.5 * (-x / b).exp()
    }
}

fn laplace_shape() -> Graded {
    let b = 2.0;
    let mut r = rng(101);
    let mut draws: Vec<f64> = (0..N).map(|_| laplace(b, &mut r)).collect();
    let (mean, mean_abs) = check_noise("laplace(2.0, rng)", &draws, b, &[])?;
    draws.sort_by(f64::total_cmp);
    // Kolmogorov-Smirnov distance between the empirical CDF and Laplace(0, 2).
    let n = N as f64;
    let d = draws
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = laplace_cdf(x, b);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max);
    let critical = KS_CRITICAL / n.sqrt();
    let mut passed = bar("Kolmogorov-Smirnov distance to Laplace(0, 2) over 20000 draws (critical value at 1 in a million)", d, critical, Goal::AtMost)
        .hint("right mean and scale but the wrong shape: Gaussian or uniform noise is not the Laplace mechanism; use the inverse CDF x = -b · sign(u) · ln(1 - 2|u|)")?;
    passed.message = format!(
        "{}; mean {} (expected 0), mean absolute value {} (expected the scale 2)",
        passed.message,
        fmt(mean),
        fmt(mean_abs)
    );
    Ok(passed)
}

fn count_noise() -> Graded {
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let good: Vec<bool> = table
        .text_column("credit_risk")
        .expect("credit_risk")
        .iter()
        .map(|v| *v == Some("good"))
        .collect();
    let count = good.iter().filter(|&&g| g).count() as f64;
    let epsilon = 0.5;
    let mut r = rng(202);
    let noise: Vec<f64> = (0..N)
        .map(|_| private_count(&good, epsilon, &mut r) - count)
        .collect();
    let mut again = rng(202);
    let replay: Vec<f64> = (0..10)
        .map(|_| private_count(&good, epsilon, &mut again) - count)
        .collect();
    ensure(replay.iter().zip(&noise).all(|(a, b)| a == b), || {
        "private_count: the same seed gave different releases: draw the noise from the `rng` given only (the grade must be reproducible)".to_string()
    })?;
    let (mean, scale) = check_noise(
        "private_count of good credits, epsilon 0.5",
        &noise,
        1.0 / epsilon,
        &[
            (
                epsilon,
                "the scale is epsilon / sensitivity, inverted: it must be sensitivity / epsilon = 2 (smaller epsilon, more noise)",
            ),
            (
                1.0,
                "the scale ignores epsilon: it must be sensitivity / epsilon",
            ),
        ],
    )?;
    pass(format!(
        "over {N} releases of the count {count}: noise mean {} (unbiased), mean absolute noise {} ≈ 1 / epsilon = 2",
        fmt(mean),
        fmt(scale)
    ))
}

fn mean_noise() -> Graded {
    let table = Table::dataset("german_credit.csv").expect("the grader reads german_credit.csv");
    let mut ages: Vec<f64> = table
        .numeric_column("age")
        .expect("age")
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    ages.truncate(400);
    // Two impossible ages (data-entry errors) that clamping to [18, 100] must tame.
    ages.push(999.0);
    ages.push(-5.0);
    let (lower, upper, epsilon) = (18.0, 100.0, 1.0);
    let n = ages.len() as f64;
    let clamped_mean = ages.iter().map(|v| v.clamp(lower, upper)).sum::<f64>() / n;
    let raw_mean = ages.iter().sum::<f64>() / n;
    let scale = (upper - lower) / (n * epsilon);
    let mut r = rng(303);
    let outputs: Vec<f64> = (0..N / 2)
        .map(|_| private_mean(&ages, lower, upper, epsilon, &mut r))
        .collect();
    let average = outputs.iter().sum::<f64>() / outputs.len() as f64;
    let band = Z * 2f64.sqrt() * scale / (outputs.len() as f64).sqrt();
    if (average - raw_mean).abs() <= band.max(1e-9) && (average - clamped_mean).abs() > band {
        return Err(fail(format!(
            "private_mean centres on {}, the mean without clamping; expected the clamped mean {}: without clamping one person can move the mean without bound, so no finite noise protects them",
            fmt(raw_mean),
            fmt(clamped_mean)
        )));
    }
    let noise: Vec<f64> = outputs.iter().map(|v| v - clamped_mean).collect();
    let (mean, mean_abs) = check_noise(
        "private_mean of ages clamped to [18, 100], epsilon 1",
        &noise,
        scale,
        &[
            (
                (upper - lower) / epsilon,
                "the scale uses the sensitivity of the sum, upper - lower; the mean's is (upper - lower) / n",
            ),
            (
                1.0 / epsilon,
                "the scale uses sensitivity 1 (a count's); the mean's is (upper - lower) / n",
            ),
            (
                epsilon / ((upper - lower) / n),
                "the scale is epsilon / sensitivity, inverted: it must be sensitivity / epsilon = (upper - lower) / (n epsilon) (smaller epsilon, more noise)",
            ),
        ],
    )?;
    pass(format!(
        "centred on the clamped mean {} (noise mean {}), mean absolute noise {} ≈ (upper - lower) / (n epsilon) = {}",
        fmt(clamped_mean),
        fmt(mean),
        fmt(mean_abs),
        fmt(scale)
    ))
}
