// Grader of deep/normalization.

use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use ndarray::{Array1, Array2};
use rand::Rng as _;

use super::exercise::{BatchNorm, batch_norm_backward, kaiming_normal, layer_norm, xavier_uniform};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("xavier_uniform", xavier_check),
    ("kaiming_normal", kaiming_check),
    ("batch_norm_train", bn_train_check),
    ("batch_norm_eval", bn_eval_check),
    ("batch_norm_backward", bn_backward_check),
    ("layer_norm", layer_norm_check),
];

const EPS: f64 = 1e-5;
/// Central differences use this step (CS231n's); the analytic gradient must agree to this
/// relative error ||analytic - numeric|| / (||analytic|| + ||numeric||).
const STEP: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-6;

fn random(r: &mut Rng, rows: usize, cols: usize, scale: f64, shift: f64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |_| shift + scale * r.gen_range(-1.0..1.0))
}

/// Mean and variance (divided by `n - ddof`) of each column, with loops.
fn column_stats(x: &Array2<f64>, ddof: f64) -> (Vec<f64>, Vec<f64>) {
    let (n, d) = x.dim();
    let mut means = vec![0.0; d];
    let mut vars = vec![0.0; d];
    for j in 0..d {
        let m = (0..n).map(|i| x[[i, j]]).sum::<f64>() / n as f64;
        means[j] = m;
        vars[j] = (0..n).map(|i| (x[[i, j]] - m).powi(2)).sum::<f64>() / (n as f64 - ddof);
    }
    (means, vars)
}

/// γ (x − mean) / √(var + ε) + β per column, with the given statistics.
fn normalize(
    x: &Array2<f64>,
    mean: &[f64],
    var: &[f64],
    gamma: &[f64],
    beta: &[f64],
) -> Array2<f64> {
    Array2::from_shape_fn(x.dim(), |(i, j)| {
        gamma[j] * (x[[i, j]] - mean[j]) / (var[j] + EPS).sqrt() + beta[j]
    })
}

fn bn_train_ref(x: &Array2<f64>, gamma: &[f64], beta: &[f64]) -> Array2<f64> {
    let (mean, var) = column_stats(x, 0.0);
    normalize(x, &mean, &var, gamma, beta)
}

/// Shape, finiteness, then closeness, naming a classic wrong answer the code gives.
fn check_matrix(
    what: &str,
    got: &Array2<f64>,
    expected: &Array2<f64>,
    tolerance: f64,
    wrong: &[(Array2<f64>, &str)],
) -> Result<(), Failed> {
    equal(&format!("{what}: shape"), &got.dim(), &expected.dim())?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let near =
        |a: &Array2<f64>, b: &Array2<f64>| a.iter().zip(b).all(|(p, q)| (p - q).abs() <= tolerance);
    if near(got, expected) {
        return Ok(());
    }
    for (value, why) in wrong {
        if !near(value, expected) && near(got, value) {
            let (i, j) = worst(got, expected);
            let (e, g) = (expected[[i, j]], got[[i, j]]);
            // Every digit when the short forms agree (a difference past 4 digits, like ε's).
            let (e, g) = if fmt(e) == fmt(g) {
                (format!("{e}"), format!("{g}"))
            } else {
                (fmt(e), fmt(g))
            };
            return Err(fail(format!(
                "{what}: at [{i}, {j}] expected {e}, got {g}: {why}"
            )));
        }
    }
    matrix_close(what, got, expected, tolerance)
}

fn worst(a: &Array2<f64>, b: &Array2<f64>) -> (usize, usize) {
    let mut best = ((0, 0), -1.0);
    for ((i, j), v) in a.indexed_iter() {
        let d = (v - b[[i, j]]).abs();
        if d > best.1 {
            best = ((i, j), d);
        }
    }
    best.0
}

fn sample_stats(w: &Array2<f64>) -> (f64, f64) {
    let n = w.len() as f64;
    let mean = w.sum() / n;
    let var = w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

/// The same seed must give the same matrix, another seed another one.
fn uses_the_rng(what: &str, draw: &dyn Fn(u64) -> Array2<f64>) -> Result<(), Failed> {
    ensure(draw(7) == draw(7), || {
        format!(
            "{what}: two draws with the same seed differ: draw every entry from the `rng` you are given"
        )
    })?;
    ensure(draw(7) != draw(8), || {
        format!(
            "{what}: two different seeds gave the same matrix: draw from the `rng` you are given"
        )
    })
}

fn xavier_check() -> Graded {
    let (fan_in, fan_out) = (300, 100);
    let w = xavier_uniform(fan_in, fan_out, &mut rng(61));
    equal(
        "xavier_uniform(300, 100): shape (fan_in, fan_out)",
        &w.dim(),
        &(fan_in, fan_out),
    )?;
    ensure(w.iter().all(|v| v.is_finite()), || {
        "xavier_uniform: NaN or inf".to_string()
    })?;
    show(Figure::Histogram {
        title: "xavier_uniform(300, 100): your 30 000 weights".into(),
        values: w.iter().copied().collect(),
        bins: 24,
    });
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
    let largest = w.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let candidates = [
        (
            (6.0 / fan_in as f64).sqrt(),
            "√(6 / fan_in): Xavier with fan_in only; Glorot's limit uses fan_in + fan_out",
        ),
        (
            (3.0 / fan_in as f64).sqrt(),
            "√(3 / fan_in): LeCun's uniform limit, not Glorot's √(6 / (fan_in + fan_out))",
        ),
        (
            (6.0 / fan_out as f64).sqrt(),
            "√(6 / fan_out): Xavier with fan_out only; the limit uses fan_in + fan_out",
        ),
        (
            (2.0 / (fan_in + fan_out) as f64).sqrt(),
            "√(2 / (fan_in + fan_out)): that is the standard deviation, the limit a is √3 times it",
        ),
    ];
    // The largest of 30 000 uniform draws stays below 0.999 a with probability e^−30 only.
    for (value, why) in candidates {
        if (largest - value).abs() < 0.01 * value && (largest - limit).abs() > 0.01 * limit {
            return Err(fail(format!(
                "xavier_uniform(300, 100): the largest |w| is {}, the expected limit a = {}: your limit looks like {why}",
                fmt(largest),
                fmt(limit)
            )));
        }
    }
    ensure(largest <= limit, || {
        format!(
            "xavier_uniform(300, 100): |w| reaches {}, beyond the limit a = √(6 / 400) = {}: draw uniformly on [−a, a]",
            fmt(largest),
            fmt(limit)
        )
    })?;
    ensure(largest >= 0.99 * limit, || {
        format!(
            "xavier_uniform(300, 100): the largest |w| is {}, but 30 000 uniform draws on [−a, a] reach 0.99 a = {}",
            fmt(largest),
            fmt(0.99 * limit)
        )
    })?;
    let (mean, var) = sample_stats(&w);
    let expected_var = limit * limit / 3.0;
    // Standard error of the mean: √(a²/3 / 30 000); of the variance: about 0.5 %.
    let se_mean = (expected_var / w.len() as f64).sqrt();
    close(
        "xavier_uniform: sample mean (± 5 standard errors)",
        mean,
        0.0,
        5.0 * se_mean,
    )?;
    close(
        "xavier_uniform: sample variance, a² / 3 = 2 / (fan_in + fan_out) (± 3 %)",
        var,
        expected_var,
        0.03 * expected_var,
    )
    .hint("a uniform law on [−a, a] has variance a² / 3")?;
    uses_the_rng("xavier_uniform(30, 20)", &|seed| {
        xavier_uniform(30, 20, &mut rng(seed))
    })?;
    pass(format!(
        "30 000 weights within [−a, a], a = {}, largest |w| = {}, variance {} (expected {}), mean {}",
        fmt(limit),
        fmt(largest),
        fmt(var),
        fmt(expected_var),
        fmt(mean)
    ))
}

fn kaiming_check() -> Graded {
    let (fan_in, fan_out) = (200, 150);
    let w = kaiming_normal(fan_in, fan_out, &mut rng(62));
    equal(
        "kaiming_normal(200, 150): shape (fan_in, fan_out)",
        &w.dim(),
        &(fan_in, fan_out),
    )?;
    ensure(w.iter().all(|v| v.is_finite()), || {
        "kaiming_normal: NaN or inf".to_string()
    })?;
    show(Figure::Histogram {
        title: "kaiming_normal(200, 150): your 30 000 weights".into(),
        values: w.iter().copied().collect(),
        bins: 24,
    });
    let std = (2.0 / fan_in as f64).sqrt();
    let (mean, var) = sample_stats(&w);
    let got_std = var.sqrt();
    // The sample standard deviation of 30 000 normal draws is within 0.4 % (one standard
    // error) of the true one: ± 2 % is 5 standard errors.
    let wrong = [
        (
            (2.0 / fan_out as f64).sqrt(),
            "√(2 / fan_out): mode fan_out; He's (PyTorch's default mode) uses fan_in",
        ),
        (
            (1.0 / fan_in as f64).sqrt(),
            "√(1 / fan_in): LeCun's; He's keeps the factor 2 that relu halves",
        ),
        (
            (2.0 / (fan_in + fan_out) as f64).sqrt(),
            "√(2 / (fan_in + fan_out)): Glorot's; He's uses fan_in only",
        ),
        (
            2.0 / fan_in as f64,
            "2 / fan_in: the variance was passed where Normal::new takes the standard deviation",
        ),
    ];
    let tolerance = 0.02 * std;
    for (value, why) in wrong {
        if (got_std - value).abs() < 0.02 * value && (value - std).abs() > tolerance {
            return Err(fail(format!(
                "kaiming_normal(200, 150): sample standard deviation {}, expected √(2 / fan_in) = {}: this is {why}",
                fmt(got_std),
                fmt(std)
            )));
        }
    }
    close(
        "kaiming_normal: sample standard deviation, √(2 / fan_in) (± 2 %)",
        got_std,
        std,
        tolerance,
    )?;
    let se_mean = std / (w.len() as f64).sqrt();
    close(
        "kaiming_normal: sample mean (± 5 standard errors)",
        mean,
        0.0,
        5.0 * se_mean,
    )?;
    // A normal law puts 68.3 % of its mass within one standard deviation; a uniform law of
    // the same variance 57.7 %.
    let inside = w.iter().filter(|v| v.abs() <= std).count() as f64 / w.len() as f64;
    ensure((inside - 0.6827).abs() < 0.02, || {
        format!(
            "kaiming_normal: {:.1} % of the weights within one standard deviation, a normal law gives 68.3 % (a uniform one 57.7 %): draw from a normal law",
            100.0 * inside
        )
    })?;
    uses_the_rng("kaiming_normal(30, 20)", &|seed| {
        kaiming_normal(30, 20, &mut rng(seed))
    })?;
    pass(format!(
        "30 000 weights: standard deviation {} (expected {}), mean {}, {:.1} % within one standard deviation (normal: 68.3 %)",
        fmt(got_std),
        fmt(std),
        fmt(mean),
        100.0 * inside
    ))
}

fn bn_train_check() -> Graded {
    let mut r = rng(63);
    let d = 4;
    let mut bn = BatchNorm::new(d);
    let gamma: Vec<f64> = (0..d).map(|_| r.gen_range(0.5..2.0)).collect();
    let beta: Vec<f64> = (0..d).map(|_| r.gen_range(-1.0..1.0)).collect();
    bn.gamma = Array1::from(gamma.clone());
    bn.beta = Array1::from(beta.clone());
    let (mut run_mean, mut run_var) = (vec![0.0; d], vec![1.0; d]);
    let (mut biased_var, mut swapped_mean, mut swapped_var) =
        (vec![1.0; d], vec![0.0; d], vec![1.0; d]);
    for (batch, n) in [6, 9, 4].into_iter().enumerate() {
        let x = random(&mut r, n, d, 2.0, 3.0);
        let y = bn.forward_train(&x);
        let (mean, var) = column_stats(&x, 0.0);
        let (_, unbiased) = column_stats(&x, 1.0);
        let expected = normalize(&x, &mean, &var, &gamma, &beta);
        check_matrix(
            &format!("batch {batch} ({n} x {d}): training output"),
            &y,
            &expected,
            1e-9,
            &[
                (
                    normalize(&x, &mean, &unbiased, &gamma, &beta),
                    "normalized with the unbiased variance (÷ (n − 1)): PyTorch normalizes with the biased batch variance (÷ n)",
                ),
                (
                    Array2::from_shape_fn(x.dim(), |(i, j)| {
                        gamma[j] * (x[[i, j]] - mean[j]) / (var[j].sqrt() + EPS) + beta[j]
                    }),
                    "ε outside the square root, (x − μ) / (σ + ε): PyTorch adds ε to the variance, (x − μ) / √(σ² + ε)",
                ),
                (
                    Array2::from_shape_fn(x.dim(), |(i, j)| {
                        gamma[j] * (x[[i, j]] - mean[j]) / var[j].sqrt() + beta[j]
                    }),
                    "ε is missing: PyTorch divides by √(σ² + ε), ε = 1e-5, which keeps a constant feature finite",
                ),
            ],
        )?;
        for j in 0..d {
            run_mean[j] = 0.9 * run_mean[j] + 0.1 * mean[j];
            run_var[j] = 0.9 * run_var[j] + 0.1 * unbiased[j];
            biased_var[j] = 0.9 * biased_var[j] + 0.1 * var[j];
            swapped_mean[j] = 0.1 * swapped_mean[j] + 0.9 * mean[j];
            swapped_var[j] = 0.1 * swapped_var[j] + 0.9 * unbiased[j];
        }
        let what = format!("after batch {batch}: running_mean");
        equal(&format!("{what}: length"), &bn.running_mean.len(), &d)?;
        equal(
            &format!("after batch {batch}: running_var: length"),
            &bn.running_var.len(),
            &d,
        )?;
        for j in 0..d {
            close_naming(
                &format!("{what}[{j}]"),
                bn.running_mean[j],
                run_mean[j],
                1e-9,
                &[(
                    swapped_mean[j],
                    "the momentum weights the old estimate: PyTorch's running ← (1 − momentum) running + momentum · batch, momentum = 0.1 (Keras's momentum is the opposite)",
                )],
            )?;
            close_naming(
                &format!("after batch {batch}: running_var[{j}]"),
                bn.running_var[j],
                run_var[j],
                1e-9,
                &[
                    (
                        biased_var[j],
                        "the running variance was updated with the biased batch variance: PyTorch uses the unbiased one (÷ (n − 1)) for the running estimate, while it normalizes with the biased one",
                    ),
                    (
                        swapped_var[j],
                        "the momentum weights the old estimate: running ← (1 − momentum) running + momentum · batch, momentum = 0.1",
                    ),
                ],
            )?;
        }
    }
    pass(
        "3 batches of 6, 9 and 4 examples: outputs (biased batch variance, ε = 1e-5 inside the root) and running estimates (momentum 0.1, unbiased variance) as PyTorch computes them",
    )
}

fn bn_eval_check() -> Graded {
    let mut r = rng(64);
    let d = 3;
    let mut bn = BatchNorm::new(d);
    let gamma: Vec<f64> = (0..d).map(|_| r.gen_range(0.5..2.0)).collect();
    let beta: Vec<f64> = (0..d).map(|_| r.gen_range(-1.0..1.0)).collect();
    let mean: Vec<f64> = (0..d).map(|_| r.gen_range(-2.0..2.0)).collect();
    let var: Vec<f64> = (0..d).map(|_| r.gen_range(0.5..3.0)).collect();
    bn.gamma = Array1::from(gamma.clone());
    bn.beta = Array1::from(beta.clone());
    bn.running_mean = Array1::from(mean.clone());
    bn.running_var = Array1::from(var.clone());
    for n in [5, 1] {
        let x = random(&mut r, n, d, 2.0, 1.0);
        let got = bn.forward_eval(&x);
        let expected = normalize(&x, &mean, &var, &gamma, &beta);
        let mut wrong = vec![];
        if n > 1 {
            wrong.push((
                bn_train_ref(&x, &gamma, &beta),
                "batch statistics at evaluation: in eval mode batch norm uses the running mean and variance, so a prediction does not depend on the rest of the batch",
            ));
        } else {
            let (m, v) = column_stats(&x, 0.0);
            wrong.push((
                normalize(&x, &m, &v, &gamma, &beta),
                "batch statistics at evaluation: a batch of one example normalizes to 0, every output is β; eval mode uses the running mean and variance",
            ));
        }
        check_matrix(
            &format!("evaluation on a batch of {n}, with set running estimates"),
            &got,
            &expected,
            1e-9,
            &wrong,
        )
        .hint("y = γ (x − running_mean) / √(running_var + ε) + β")?;
    }
    pass("evaluation mode uses the running mean and variance (a batch of 5, and of 1)")
}

/// L = Σ g ⊙ BN(x; γ, β), training mode: central differences of every input.
fn bn_numeric(
    x: &Array2<f64>,
    gamma: &[f64],
    beta: &[f64],
    g: &Array2<f64>,
) -> (Array2<f64>, Vec<f64>, Vec<f64>) {
    let loss =
        |x: &Array2<f64>, gamma: &[f64], beta: &[f64]| (bn_train_ref(x, gamma, beta) * g).sum();
    let dx = Array2::from_shape_fn(x.dim(), |(i, j)| {
        let mut plus = x.clone();
        plus[[i, j]] += STEP;
        let mut minus = x.clone();
        minus[[i, j]] -= STEP;
        (loss(&plus, gamma, beta) - loss(&minus, gamma, beta)) / (2.0 * STEP)
    });
    let vary = |v: &[f64], j: usize, delta: f64| {
        let mut w = v.to_vec();
        w[j] += delta;
        w
    };
    let dgamma = (0..gamma.len())
        .map(|j| {
            (loss(x, &vary(gamma, j, STEP), beta) - loss(x, &vary(gamma, j, -STEP), beta))
                / (2.0 * STEP)
        })
        .collect();
    let dbeta = (0..beta.len())
        .map(|j| {
            (loss(x, gamma, &vary(beta, j, STEP)) - loss(x, gamma, &vary(beta, j, -STEP)))
                / (2.0 * STEP)
        })
        .collect();
    (dx, dgamma, dbeta)
}

fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|t| t * t).sum::<f64>().sqrt();
    norm(&mut a.iter().zip(b).map(|(p, q)| p - q))
        / (norm(&mut a.iter().copied()) + norm(&mut b.iter().copied())).max(1e-300)
}

fn gradient_check(
    what: &str,
    got: &[f64],
    num: &[f64],
    wrong: &[(Vec<f64>, &str)],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of entries"),
        &got.len(),
        &num.len(),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let error = relative_error(got, num);
    if error < MAX_RELATIVE_ERROR {
        return Ok(());
    }
    let message = format!(
        "{what}: relative error {} against central differences (bar < 1e-6)",
        fmt(error)
    );
    for (value, why) in wrong {
        if relative_error(got, value) < MAX_RELATIVE_ERROR {
            return Err(fail(format!("{message}: {why}")));
        }
    }
    Err(fail(message))
}

fn bn_backward_check() -> Graded {
    let mut r = rng(65);
    for case in 0..4 {
        let (n, d) = (r.gen_range(3..=8), r.gen_range(2..=5));
        let x = random(&mut r, n, d, 1.5, 0.5);
        let gamma: Vec<f64> = (0..d).map(|_| r.gen_range(0.5..2.0)).collect();
        let beta: Vec<f64> = (0..d).map(|_| r.gen_range(-1.0..1.0)).collect();
        let g = random(&mut r, n, d, 1.0, 0.0);
        let (dx, dgamma, dbeta) = batch_norm_backward(&x, &Array1::from(gamma.clone()), EPS, &g);
        equal(&format!("case {case}: dL/dx shape"), &dx.dim(), &(n, d))?;
        let (num_x, num_gamma, num_beta) = bn_numeric(&x, &gamma, &beta, &g);
        // Forgetting that μ and σ depend on x: dx = dout γ / σ.
        let (_, var) = column_stats(&x, 0.0);
        let direct = Array2::from_shape_fn((n, d), |(i, j)| {
            g[[i, j]] * gamma[j] / (var[j] + EPS).sqrt()
        });
        // Keeping the path through μ but not through σ².
        let centred = Array2::from_shape_fn((n, d), |(i, j)| {
            let mean_g = (0..n).map(|k| g[[k, j]]).sum::<f64>() / n as f64;
            (g[[i, j]] - mean_g) * gamma[j] / (var[j] + EPS).sqrt()
        });
        // The full rule, but with σ² the unbiased variance (÷ (n − 1)).
        let (mean, unbiased) = column_stats(&x, 1.0);
        let with_unbiased = Array2::from_shape_fn((n, d), |(i, j)| {
            let sigma = (unbiased[j] + EPS).sqrt();
            let xhat = |k: usize| (x[[k, j]] - mean[j]) / sigma;
            let mean_g = (0..n).map(|k| g[[k, j]]).sum::<f64>() / n as f64;
            let mean_gx = (0..n).map(|k| g[[k, j]] * xhat(k)).sum::<f64>() / n as f64;
            gamma[j] / sigma * (g[[i, j]] - mean_g - xhat(i) * mean_gx)
        });
        let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
        gradient_check(
            &format!("case {case} ({n} x {d}): dL/dx"),
            &flat(&dx),
            &flat(&num_x),
            &[
                (
                    flat(&direct),
                    "dx = dout γ / σ forgets the terms through the mean and variance: both are computed from x, so every x_i moves every output of its column",
                ),
                (
                    flat(&centred),
                    "the term through the mean is there, the term through the variance is missing: subtract x̂ · mean(dx̂ x̂) too",
                ),
                (
                    flat(&with_unbiased),
                    "σ from the unbiased variance (÷ (n − 1)): training-mode batch norm normalizes with the biased one (÷ n), and so does its backward",
                ),
            ],
        )
        .hint("dx = (1/n)(1/σ)(n dx̂ − Σ dx̂ − x̂ Σ dx̂ x̂) with dx̂ = dout γ, sums over the batch")?;
        gradient_check(
            &format!("case {case}: dL/dγ"),
            &dgamma.to_vec(),
            &num_gamma,
            &[],
        )
        .hint("dγ = Σ over the batch of dout x̂")?;
        gradient_check(
            &format!("case {case}: dL/dβ"),
            &dbeta.to_vec(),
            &num_beta,
            &[],
        )
        .hint("dβ = Σ over the batch of dout")?;
    }
    pass("dx, dγ and dβ agree with central differences on 4 seeded batches")
}

fn layer_norm_check() -> Graded {
    let mut r = rng(66);
    for case in 0..3 {
        let (n, d) = (r.gen_range(2..=6), r.gen_range(3..=7));
        let n = if n == d { n + 1 } else { n };
        let x = random(&mut r, n, d, 2.0, 1.0);
        let gamma: Vec<f64> = (0..d).map(|_| r.gen_range(0.5..2.0)).collect();
        let beta: Vec<f64> = (0..d).map(|_| r.gen_range(-1.0..1.0)).collect();
        let got = layer_norm(
            &x,
            &Array1::from(gamma.clone()),
            &Array1::from(beta.clone()),
            EPS,
        );
        let row_norm = |ddof: f64| {
            Array2::from_shape_fn((n, d), |(i, j)| {
                let m = (0..d).map(|k| x[[i, k]]).sum::<f64>() / d as f64;
                let v = (0..d).map(|k| (x[[i, k]] - m).powi(2)).sum::<f64>() / (d as f64 - ddof);
                gamma[j] * (x[[i, j]] - m) / (v + EPS).sqrt() + beta[j]
            })
        };
        check_matrix(
            &format!("case {case}: layer norm of {n} x {d}"),
            &got,
            &row_norm(0.0),
            1e-9,
            &[
                (
                    bn_train_ref(&x, &gamma, &beta),
                    "normalized over the batch axis (each feature across examples, that is batch norm): layer norm normalizes each example over its features",
                ),
                (
                    row_norm(1.0),
                    "the unbiased variance (÷ (d − 1)): layer norm divides by d",
                ),
            ],
        )
        .hint("per row: μ and σ² over the d features, then γ (x − μ) / √(σ² + ε) + β")?;
    }
    pass("layer norm normalizes each example over its features (3 seeded cases)")
}
