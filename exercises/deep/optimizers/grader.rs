// Grader of deep/optimizers.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::Array1;
use rand::Rng as _;

use super::exercise::{AdamState, SgdMomentum, adam_step, adamw_step};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("sgd_momentum", sgd_check),
    ("adam_steps", adam_check),
    ("adamw_decoupled", adamw_check),
    ("quadratic", quadratic_check),
];

/// What a NaN or inf in Adam's trajectory most likely means.
const ADAM_NOT_FINITE: &str = ": the bias correction divided by 1 − β^0 = 0? The step count t \
     starts at 1 on the first step (t ← t + 1 before correcting)";

/// Trajectories are compared entry by entry to this relative tolerance.
const RELATIVE: f64 = 1e-11;

/// The gradient at step k (from 0) and parameters θ.
type GradFn<'a> = &'a dyn Fn(usize, &[f64]) -> Vec<f64>;

/// What the grader's own optimizer does: the right rule, or a classic variant of it.
#[derive(Clone, Copy, Default)]
struct Rule {
    dampened: bool,
    velocity_after: bool,
    no_bias_correction: bool,
    eps_inside: bool,
    decoupled: bool,
    decay_after: bool,
    decay_without_lr: bool,
    /// Kingma and Ba's "efficient" form: lr_t = lr √(1 − β2^t) / (1 − β1^t) and ε added to √v
    /// (not √v̂), which amounts to a larger ε in the first steps.
    eps_on_raw_v: bool,
}

/// SGD with momentum, plain loops; θ after each of `steps` steps.
fn sgd_ref(theta0: &[f64], grad: GradFn, steps: usize, lr: f64, mu: f64, r: Rule) -> Vec<Vec<f64>> {
    let mut theta = theta0.to_vec();
    let mut v = vec![0.0; theta.len()];
    let mut out = Vec::new();
    for k in 0..steps {
        let g = grad(k, &theta);
        for i in 0..theta.len() {
            if r.velocity_after {
                theta[i] -= lr * v[i];
            }
            v[i] = mu * v[i] + if r.dampened { (1.0 - mu) * g[i] } else { g[i] };
            if !r.velocity_after {
                theta[i] -= lr * v[i];
            }
        }
        out.push(theta.clone());
    }
    out
}

/// Adam (L2 weight decay) or AdamW (decoupled), plain loops; θ after each step.
fn adam_ref(
    theta0: &[f64],
    grad: GradFn,
    steps: usize,
    lr: f64,
    wd: f64,
    r: Rule,
) -> Vec<Vec<f64>> {
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
    let mut theta = theta0.to_vec();
    let (mut m, mut v) = (vec![0.0; theta.len()], vec![0.0; theta.len()]);
    let mut out = Vec::new();
    for k in 0..steps {
        let t = (k + 1) as i32;
        let raw = grad(k, &theta);
        for i in 0..theta.len() {
            let g = if r.decoupled {
                raw[i]
            } else {
                raw[i] + wd * theta[i]
            };
            if r.decoupled && !r.decay_after {
                theta[i] -= if r.decay_without_lr { wd } else { lr * wd } * theta[i];
            }
            m[i] = b1 * m[i] + (1.0 - b1) * g;
            v[i] = b2 * v[i] + (1.0 - b2) * g * g;
            let (m_hat, v_hat) = if r.no_bias_correction {
                (m[i], v[i])
            } else {
                (m[i] / (1.0 - b1.powi(t)), v[i] / (1.0 - b2.powi(t)))
            };
            let denominator = if r.eps_inside {
                (v_hat + eps).sqrt()
            } else {
                v_hat.sqrt() + eps
            };
            if r.eps_on_raw_v {
                let lr_t = lr * (1.0 - b2.powi(t)).sqrt() / (1.0 - b1.powi(t));
                theta[i] -= lr_t * m[i] / (v[i].sqrt() + eps);
            } else {
                theta[i] -= lr * m_hat / denominator;
            }
            if r.decoupled && r.decay_after {
                theta[i] -= lr * wd * theta[i];
            }
        }
        out.push(theta.clone());
    }
    out
}

/// Runs the learner's optimizer step by step; θ after each step, validated.
fn run(
    what: &str,
    theta0: &[f64],
    grad: GradFn,
    steps: usize,
    mut step: impl FnMut(&mut Array1<f64>, &Array1<f64>),
) -> Result<Vec<Vec<f64>>, Failed> {
    let mut theta = Array1::from(theta0.to_vec());
    let mut out = Vec::new();
    for k in 0..steps {
        let g = Array1::from(grad(k, theta.as_slice().unwrap_or(&[])));
        step(&mut theta, &g);
        equal(
            &format!("{what}: number of parameters after step {}", k + 1),
            &theta.len(),
            &theta0.len(),
        )?;
        out.push(theta.to_vec());
    }
    Ok(out)
}

fn agrees(got: &[Vec<f64>], expected: &[Vec<f64>], upto: usize) -> bool {
    got.iter().zip(expected).take(upto + 1).all(|(g, e)| {
        g.iter()
            .zip(e)
            .all(|(a, b)| (a - b).abs() <= RELATIVE * b.abs().max(1.0))
    })
}

/// Compare a trajectory with the expected one step by step; at the first difference, name
/// a variant whose trajectory the code follows, if any.
fn compare(
    what: &str,
    got: &[Vec<f64>],
    expected: &[Vec<f64>],
    wrong: &[(Vec<Vec<f64>>, &str)],
    not_finite: &str,
) -> Result<(), Failed> {
    for (k, (g, e)) in got.iter().zip(expected).enumerate() {
        if let Some(i) = g.iter().position(|v| !v.is_finite()) {
            return Err(fail(format!(
                "{what}: after step {}, θ[{i}] = {}{not_finite}",
                k + 1,
                fmt(g[i])
            )));
        }
        if agrees(got, expected, k) {
            continue;
        }
        let i = (0..e.len())
            .find(|&i| (g[i] - e[i]).abs() > RELATIVE * e[i].abs().max(1.0))
            .unwrap_or(0);
        // Show every digit when the short forms are the same (a difference past 4 digits).
        let (shown_e, shown_g) = if fmt(e[i]) == fmt(g[i]) {
            (format!("{}", e[i]), format!("{}", g[i]))
        } else {
            (fmt(e[i]), fmt(g[i]))
        };
        let message = format!(
            "{what}: after step {}, θ[{i}] expected {shown_e}, got {shown_g}",
            k + 1
        );
        for (variant, why) in wrong {
            if !agrees(variant, expected, k) && agrees(got, variant, k) {
                return Err(fail(format!("{message}: {why}")));
            }
        }
        return Err(fail(message));
    }
    Ok(())
}

/// A seeded gradient sequence: `steps` gradients of `dim` entries, of size about `scale`.
fn sequence(seed: u64, dim: usize, steps: usize, scale: f64) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut r = rng(seed);
    let theta0 = (0..dim).map(|_| r.gen_range(-1.0..1.0)).collect();
    let grads = (0..steps)
        .map(|_| (0..dim).map(|_| scale * r.gen_range(-1.0..1.0)).collect())
        .collect();
    (theta0, grads)
}

fn sgd_check() -> Graded {
    let cases = [(31, 0.1, 0.9), (32, 0.05, 0.5), (33, 0.2, 0.99)];
    for (seed, lr, mu) in cases {
        let (theta0, grads) = sequence(seed, 4, 6, 1.0);
        let grad = |k: usize, _: &[f64]| grads[k].clone();
        let what = format!("SGD lr = {lr}, momentum = {mu}, 6 seeded gradients");
        let mut opt = SgdMomentum::new(lr, mu, theta0.len());
        let got = run(&what, &theta0, &grad, 6, |t, g| opt.step(t, g))?;
        let expected = sgd_ref(&theta0, &grad, 6, lr, mu, Rule::default());
        let variant = |r: Rule| sgd_ref(&theta0, &grad, 6, lr, mu, r);
        let wrong = [
            (
                variant(Rule {
                    dampened: true,
                    ..Rule::default()
                }),
                "this is the dampened momentum v ← μ v + (1 − μ) g, another convention; PyTorch's \
                 (dampening = 0) is v ← μ v + g",
            ),
            (
                variant(Rule {
                    velocity_after: true,
                    ..Rule::default()
                }),
                "θ moved with the old velocity before updating it: the first step must already \
                 be lr·g (v ← μ v + g first, then θ ← θ − lr v)",
            ),
            (
                sgd_ref(&theta0, &grad, 6, lr, 0.0, Rule::default()),
                "plain SGD: the momentum term μ v is missing",
            ),
        ];
        compare(&what, &got, &expected, &wrong, ": not finite")
            .hint("v ← μ v + g, then θ ← θ − lr v, with v = 0 before the first step")?;
    }
    pass(
        "SGD with momentum (PyTorch's convention) follows the expected trajectory on 3 seeded runs of 6 steps",
    )
}

fn adam_check() -> Graded {
    // (seed, gradient scale, lr, L2 weight decay): the tiny gradients make ε matter.
    let cases = [
        (41, 1.0, 0.1, 0.0),
        (42, 1e-4, 0.01, 0.0),
        (43, 0.5, 0.05, 0.1),
    ];
    for (seed, scale, lr, wd) in cases {
        let (theta0, grads) = sequence(seed, 3, 5, scale);
        let grad = |k: usize, _: &[f64]| grads[k].clone();
        let what = format!(
            "Adam lr = {lr}, weight_decay = {wd}, 5 seeded gradients of size ~{}",
            fmt(scale)
        );
        let mut s = AdamState::new(lr, wd, theta0.len());
        let got = run(&what, &theta0, &grad, 5, |t, g| adam_step(&mut s, t, g))?;
        let variant = |r: Rule| adam_ref(&theta0, &grad, 5, lr, wd, r);
        let expected = variant(Rule::default());
        let wrong = [
            (
                variant(Rule {
                    no_bias_correction: true,
                    ..Rule::default()
                }),
                "no bias correction: m and v start at 0, so early steps need m̂ = m / (1 − β1^t) \
                 and v̂ = v / (1 − β2^t)",
            ),
            (
                variant(Rule {
                    eps_inside: true,
                    ..Rule::default()
                }),
                "ε inside the square root: PyTorch adds ε outside, θ ← θ − lr m̂ / (√v̂ + ε)",
            ),
            (
                variant(Rule {
                    eps_on_raw_v: true,
                    ..Rule::default()
                }),
                "ε added to √v instead of √v̂ (the paper's \"efficient\" form with \
                 lr_t = lr √(1 − β2^t) / (1 − β1^t)): it makes ε larger by 1 / √(1 − β2^t) in \
                 the first steps; PyTorch's rule is θ ← θ − lr m̂ / (√v̂ + ε)",
            ),
            (
                variant(Rule {
                    decoupled: true,
                    ..Rule::default()
                }),
                "the weight decay was decoupled (that is AdamW): Adam's weight_decay is L2, \
                 g ← g + λ θ before the moments",
            ),
        ];
        compare(&what, &got, &expected, &wrong, ADAM_NOT_FINITE).hint(
            "t ← t + 1; m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; θ ← θ − lr m̂ / (√v̂ + ε)",
        )?;
    }
    pass(
        "Adam (bias correction, ε outside the root, L2 weight decay) follows the expected \
         trajectory on 3 seeded runs, one with gradients of size 1e-4",
    )
}

fn adamw_check() -> Graded {
    let cases = [
        (51, 1.0, 0.05, 0.5),
        (52, 0.3, 0.1, 0.2),
        (53, 1.0, 0.01, 0.0),
    ];
    for (seed, scale, lr, wd) in cases {
        let (theta0, grads) = sequence(seed, 4, 5, scale);
        let theta0: Vec<f64> = theta0.iter().map(|t| 3.0 * t).collect();
        let grad = |k: usize, _: &[f64]| grads[k].clone();
        let what = format!("AdamW lr = {lr}, weight_decay = {wd}, 5 seeded gradients");
        let mut s = AdamState::new(lr, wd, theta0.len());
        let got = run(&what, &theta0, &grad, 5, |t, g| adamw_step(&mut s, t, g))?;
        let decoupled = Rule {
            decoupled: true,
            ..Rule::default()
        };
        let variant = |r: Rule| adam_ref(&theta0, &grad, 5, lr, wd, r);
        let expected = variant(decoupled);
        let wrong = [
            (
                variant(Rule::default()),
                "this is L2 in the gradient (g ← g + λ θ, then Adam), i.e. Adam's weight_decay; \
                 AdamW decouples it: θ ← θ − lr λ θ, then the Adam step on the raw gradient",
            ),
            (
                variant(Rule {
                    decay_without_lr: true,
                    ..decoupled
                }),
                "the decay is not scaled by the learning rate: PyTorch's AdamW shrinks θ by \
                 lr·λ·θ",
            ),
            (
                variant(Rule {
                    decay_after: true,
                    ..decoupled
                }),
                "the decay was applied after the Adam step: PyTorch decays θ first, θ ← θ(1 − lr λ)",
            ),
            (
                variant(Rule {
                    no_bias_correction: true,
                    ..decoupled
                }),
                "no bias correction: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)",
            ),
            (
                variant(Rule {
                    eps_on_raw_v: true,
                    ..decoupled
                }),
                "ε added to √v instead of √v̂ (the paper's \"efficient\" form): PyTorch's \
                 rule is θ ← θ − lr m̂ / (√v̂ + ε)",
            ),
        ];
        compare(&what, &got, &expected, &wrong, ADAM_NOT_FINITE)
            .hint("θ ← θ − lr λ θ first, then the same Adam update as adam_step without L2")?;
    }
    pass(
        "AdamW (decay θ ← θ − lr λ θ, decoupled from the Adam step) follows the expected trajectory on 3 seeded runs",
    )
}

/// f(θ) = ½ Σ a_i (θ_i − c_i)², an ill-conditioned bowl (curvatures 1, 5 and 25).
const CURVATURE: [f64; 3] = [1.0, 5.0, 25.0];
const CENTRE: [f64; 3] = [1.0, -2.0, 0.5];

fn bowl(theta: &[f64]) -> f64 {
    (0..3)
        .map(|i| 0.5 * CURVATURE[i] * (theta[i] - CENTRE[i]).powi(2))
        .sum()
}

fn bowl_grad(_: usize, theta: &[f64]) -> Vec<f64> {
    (0..3)
        .map(|i| CURVATURE[i] * (theta[i] - CENTRE[i]))
        .collect()
}

fn quadratic_check() -> Graded {
    let theta0 = [-2.0, 2.0, 3.0];
    let steps = 60;
    let mut sgd = SgdMomentum::new(0.02, 0.9, 3);
    let sgd_path = run("SGD on the bowl", &theta0, &bowl_grad, steps, |t, g| {
        sgd.step(t, g)
    })?;
    let mut adam = AdamState::new(0.1, 0.0, 3);
    let adam_path = run("Adam on the bowl", &theta0, &bowl_grad, steps, |t, g| {
        adam_step(&mut adam, t, g)
    })?;
    let mut adamw = AdamState::new(0.1, 0.05, 3);
    let adamw_path = run("AdamW on the bowl", &theta0, &bowl_grad, steps, |t, g| {
        adamw_step(&mut adamw, t, g)
    })?;
    let curve = |name: &str, path: &[Vec<f64>]| Series {
        name: name.into(),
        points: std::iter::once(bowl(&theta0))
            .chain(path.iter().map(|t| bowl(t)))
            .enumerate()
            .map(|(k, f)| [k as f64, f])
            .filter(|p| p[1].is_finite())
            .collect(),
    };
    show(Figure::Lines {
        title: "f(θ) = ½ Σ a_i (θ_i − c_i)², a = (1, 5, 25), along your trajectories".into(),
        x_label: "step".into(),
        y_label: "f(θ)".into(),
        series: vec![
            curve("SGD momentum 0.9, lr 0.02", &sgd_path),
            curve("Adam lr 0.1", &adam_path),
            curve("AdamW lr 0.1, λ 0.05", &adamw_path),
        ],
        target: None,
    });
    let tolerance_note = ": not finite";
    compare(
        "SGD with momentum on the bowl, 60 steps",
        &sgd_path,
        &sgd_ref(&theta0, &bowl_grad, steps, 0.02, 0.9, Rule::default()),
        &[],
        tolerance_note,
    )?;
    compare(
        "Adam on the bowl, 60 steps",
        &adam_path,
        &adam_ref(&theta0, &bowl_grad, steps, 0.1, 0.0, Rule::default()),
        &[],
        ADAM_NOT_FINITE,
    )?;
    compare(
        "AdamW on the bowl, 60 steps",
        &adamw_path,
        &adam_ref(
            &theta0,
            &bowl_grad,
            steps,
            0.1,
            0.05,
            Rule {
                decoupled: true,
                ..Rule::default()
            },
        ),
        &[],
        tolerance_note,
    )?;
    let last = |p: &[Vec<f64>]| p.last().map_or(f64::NAN, |t| bowl(t));
    pass(format!(
        "60 steps on an ill-conditioned bowl (f = {} at the start) follow the expected \
         trajectories: f = {} (SGD momentum), {} (Adam), {} (AdamW)",
        fmt(bowl(&theta0)),
        fmt(last(&sgd_path)),
        fmt(last(&adam_path)),
        fmt(last(&adamw_path))
    ))
}
