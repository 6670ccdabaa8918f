// Grader of deep/mlp_moons. The moons are generated here (scikit-learn's make_moons
// convention) with a seed; the learner's `train` sees only the training points, the
// held-out points and the grader's own forward pass stay here.

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, shuffled};
use ndarray::Array2;
use rand::Rng as _;

use super::exercise::{
    Graph, Mlp, Neuron, Node, Op, Var, backward, hinge_loss, mlp_forward, neuron_forward, sgd_step,
    train,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("neuron_and_layers", neuron_and_layers),
    ("hinge_loss", hinge_loss_check),
    ("sgd_step", sgd_step_check),
    ("held_out_accuracy", held_out_accuracy),
    ("hidden_moons", hidden_moons),
];

/// The bar on held-out accuracy (500 fresh points). See `held_out_accuracy` for the numbers.
const ACCURACY_BAR: f64 = 0.95;
/// The bar on the hidden moons (noisier, another seed).
const HIDDEN_BAR: f64 = 0.93;

fn normal(r: &mut learnml_kit::split::Rng) -> f64 {
    // Box-Muller
    let u1: f64 = r.gen_range(f64::EPSILON..1.0);
    let u2: f64 = r.r#gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// scikit-learn's `make_moons(n, noise)`: the upper half circle (class 0) at
/// (cos t, sin t) and the lower one (class 1) at (1 - cos t, 1 - sin t - 0.5), t evenly
/// spaced in [0, π], n/2 points each (the upper one gets the smaller half), Gaussian noise of
/// standard deviation `noise` on both coordinates, rows shuffled.
fn make_moons(n: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut r = rng(seed);
    let n_out = n / 2;
    let n_in = n - n_out;
    let spaced = |k: usize, m: usize| std::f64::consts::PI * k as f64 / (m.max(2) - 1) as f64;
    let mut points: Vec<([f64; 2], usize)> = Vec::with_capacity(n);
    for k in 0..n_out {
        let t = spaced(k, n_out);
        points.push(([t.cos(), t.sin()], 0));
    }
    for k in 0..n_in {
        let t = spaced(k, n_in);
        points.push(([1.0 - t.cos(), 1.0 - t.sin() - 0.5], 1));
    }
    for (p, _) in &mut points {
        p[0] += noise * normal(&mut r);
        p[1] += noise * normal(&mut r);
    }
    let order = shuffled(n, seed + 1);
    let x = Array2::from_shape_fn((n, 2), |(i, j)| points[order[i]].0[j]);
    let y = order.iter().map(|&i| points[i].1).collect();
    (x, y)
}

/// The grader's own logistic regression (full-batch gradient descent on the mean
/// cross-entropy, features as given): the linear baseline.
fn linear_baseline(x: &Array2<f64>, y: &[usize], x_test: &Array2<f64>, y_test: &[usize]) -> f64 {
    let n = x.nrows() as f64;
    let (mut w, mut b) = ([0.0f64; 2], 0.0f64);
    for _ in 0..3000 {
        let (mut gw, mut gb) = ([0.0; 2], 0.0);
        for (row, &label) in x.rows().into_iter().zip(y) {
            let p = 1.0 / (1.0 + (-(w[0] * row[0] + w[1] * row[1] + b)).exp());
            let d = p - label as f64;
            gw[0] += d * row[0];
            gw[1] += d * row[1];
            gb += d;
        }
        w[0] -= 0.5 * gw[0] / n;
        w[1] -= 0.5 * gw[1] / n;
        b -= 0.5 * gb / n;
    }
    let right = x_test
        .rows()
        .into_iter()
        .zip(y_test)
        .filter(|(row, label)| usize::from(w[0] * row[0] + w[1] * row[1] + b > 0.0) == **label)
        .count();
    right as f64 / y_test.len() as f64
}

/// The trained network as plain numbers (weights[k][j] = neuron j of layer k), after
/// checking that the learner's structure is a 2-...-1 network whose parameters are in range.
struct Net {
    weights: Vec<Vec<Vec<f64>>>,
    biases: Vec<Vec<f64>>,
}

fn extract(g: &Graph, mlp: &Mlp, inputs: usize) -> Result<Net, Failed> {
    ensure(!mlp.layers.is_empty(), || {
        "the trained network has no layer".to_string()
    })?;
    let mut fan_in = inputs;
    let mut net = Net {
        weights: Vec::new(),
        biases: Vec::new(),
    };
    for (k, layer) in mlp.layers.iter().enumerate() {
        ensure(!layer.is_empty(), || {
            format!("layer {k} of the trained network has no neuron")
        })?;
        let mut w = Vec::new();
        let mut b = Vec::new();
        for (j, neuron) in layer.iter().enumerate() {
            equal(
                &format!("number of weights of neuron {j} of layer {k} (its fan-in)"),
                &neuron.w.len(),
                &fan_in,
            )?;
            let read = |v: Var| -> Result<f64, Failed> {
                let value = g.nodes.get(v.0).map(|n| n.value);
                match value {
                    Some(value) if value.is_finite() => Ok(value),
                    Some(_) => Err(fail(format!("a parameter of layer {k} is NaN or infinite after training")))
                        .hint("the training diverged: check the sign of the SGD step and the learning rate"),
                    None => Err(fail(format!("a parameter of layer {k} is Var({}), not a node of the returned graph", v.0))),
                }
            };
            w.push(
                neuron
                    .w
                    .iter()
                    .map(|&v| read(v))
                    .collect::<Result<Vec<f64>, Failed>>()?,
            );
            b.push(read(neuron.b)?);
        }
        fan_in = layer.len();
        net.weights.push(w);
        net.biases.push(b);
    }
    equal(
        "number of neurons of the last layer (one score)",
        &fan_in,
        &1,
    )?;
    Ok(net)
}

/// The grader's forward pass: tanh on hidden layers, the last layer linear.
fn score(net: &Net, x: &[f64]) -> f64 {
    let mut a = x.to_vec();
    let last = net.weights.len() - 1;
    for (k, (w, b)) in net.weights.iter().zip(&net.biases).enumerate() {
        a = w
            .iter()
            .zip(b)
            .map(|(row, bias)| {
                let s = row.iter().zip(&a).map(|(wi, ai)| wi * ai).sum::<f64>() + bias;
                if k < last { s.tanh() } else { s }
            })
            .collect();
    }
    a[0]
}

fn leaf(value: f64) -> Node {
    Node {
        op: Op::Leaf,
        value,
        grad: 0.0,
    }
}

fn neuron_and_layers() -> Graded {
    let mut r = rng(1);
    for case in 0..6 {
        let n_in = 2 + case % 4;
        let mut g = Graph::new();
        let x: Vec<Var> = (0..n_in).map(|_| g.leaf(r.gen_range(-2.0..2.0))).collect();
        let w: Vec<Var> = (0..n_in).map(|_| g.leaf(r.gen_range(-1.0..1.0))).collect();
        let b = g.leaf(r.gen_range(-1.0..1.0));
        let neuron = Neuron { w: w.clone(), b };
        let v = |g: &Graph, var: Var| g.nodes[var.0].value;
        let s: f64 = w
            .iter()
            .zip(&x)
            .map(|(&wi, &xi)| v(&g, wi) * v(&g, xi))
            .sum::<f64>()
            + v(&g, b);
        let no_bias = s - v(&g, b);
        for nonlinear in [true, false] {
            let what = format!("neuron with {n_in} inputs, nonlinear = {nonlinear}");
            let before = g.nodes.len();
            let out = neuron_forward(&mut g, &neuron, &x, nonlinear);
            ensure(g.nodes.len() >= before, || {
                format!("{what}: neuron_forward removed nodes of the graph: only push new nodes")
            })?;
            ensure(out.0 < g.nodes.len(), || {
                format!("{what}: returned Var({}), not a node of the graph", out.0)
            })?;
            let got = g.nodes[out.0].value;
            let expected = if nonlinear { s.tanh() } else { s };
            let wrong = [
                (
                    if nonlinear { no_bias.tanh() } else { no_bias },
                    "the bias is missing: s = Σ w_i x_i + b",
                ),
                (
                    if nonlinear { s } else { s.tanh() },
                    if nonlinear {
                        "tanh is missing: a hidden neuron outputs tanh(s)"
                    } else {
                        "tanh was applied, but nonlinear = false asks for s itself"
                    },
                ),
            ];
            close_naming(
                &format!("{what}: value"),
                got,
                expected,
                1e-12 * (1.0 + expected.abs()),
                &wrong,
            )?;
            // the output must be connected to the bias and the weights: backward reaches them
            backward(&mut g, out);
            let slope = if nonlinear {
                1.0 - expected * expected
            } else {
                1.0
            };
            close(&format!("{what}: d out / d b, through the graph"), g.nodes[b.0].grad, slope, 1e-9)
                .hint("build the output from the graph's operations (mul, add, tanh), never as a new leaf")?;
            for (i, (&wi, &xi)) in w.iter().zip(&x).enumerate() {
                close(
                    &format!("{what}: d out / d w{i}"),
                    g.nodes[wi.0].grad,
                    slope * v(&g, xi),
                    1e-9,
                )?;
            }
        }
    }
    for (sizes, seed) in [
        (vec![2, 4, 3, 1], 5u64),
        (vec![3, 5, 1], 6),
        (vec![2, 6, 6, 6, 1], 7),
    ] {
        let mut g = Graph::new();
        let mlp = Mlp::new(&mut g, &sizes, seed);
        let net = extract(&g, &mlp, sizes[0])
            .map_err(|e| fail(format!("the given Mlp::new was changed: {}", e.message)))?;
        let inputs: Vec<f64> = (0..sizes[0]).map(|_| r.gen_range(-2.0..2.0)).collect();
        let x: Vec<Var> = inputs.iter().map(|&xi| g.leaf(xi)).collect();
        let what = format!("mlp_forward of a {sizes:?} network");
        let out = mlp_forward(&mut g, &mlp, &x);
        ensure(out.0 < g.nodes.len(), || {
            format!("{what}: returned Var({}), not a node of the graph", out.0)
        })?;
        let expected = score(&net, &inputs);
        let tanh_out = expected.tanh();
        // a network without any tanh
        let linear = {
            let mut a = inputs.clone();
            for (w, b) in net.weights.iter().zip(&net.biases) {
                a = w
                    .iter()
                    .zip(b)
                    .map(|(row, bias)| {
                        row.iter().zip(&a).map(|(wi, ai)| wi * ai).sum::<f64>() + bias
                    })
                    .collect();
            }
            a[0]
        };
        close_naming(
            &format!("{what}: the score"),
            g.nodes[out.0].value,
            expected,
            1e-12 * (1.0 + expected.abs()),
            &[
                (
                    tanh_out,
                    "tanh was applied to the output: the last layer is linear (the score may be any real number)",
                ),
                (
                    linear,
                    "no tanh anywhere: the hidden layers apply tanh, otherwise the network is a linear function of x",
                ),
            ],
        )?;
    }
    pass(
        "neuron_forward (value, and backward reaches its weights and bias) and mlp_forward (tanh hidden layers, linear output) right on seeded cases",
    )
}

fn hinge_loss_check() -> Graded {
    let mut r = rng(2);
    for case in 0..6 {
        let n = 3 + case;
        let mut g = Graph::new();
        let values: Vec<f64> = (0..n).map(|_| r.gen_range(-2.5..2.5)).collect();
        let labels: Vec<usize> = (0..n).map(|i| (i + case) % 2).collect();
        let scores: Vec<Var> = values.iter().map(|&s| g.leaf(s)).collect();
        let ys: Vec<f64> = labels
            .iter()
            .map(|&l| if l == 1 { 1.0 } else { -1.0 })
            .collect();
        let hinge: Vec<f64> = values
            .iter()
            .zip(&ys)
            .map(|(s, y)| (1.0 - y * s).max(0.0))
            .collect();
        let expected = hinge.iter().sum::<f64>() / n as f64;
        let zero_one = values
            .iter()
            .zip(&labels)
            .map(|(s, &l)| (1.0 - l as f64 * s).max(0.0))
            .sum::<f64>()
            / n as f64;
        let no_max = values
            .iter()
            .zip(&ys)
            .map(|(s, y)| 1.0 - y * s)
            .sum::<f64>()
            / n as f64;
        let what = format!("mean hinge loss of {n} seeded scores");
        let out = hinge_loss(&mut g, &scores, &labels);
        ensure(out.0 < g.nodes.len(), || {
            format!("{what}: returned Var({}), not a node of the graph", out.0)
        })?;
        let swapped = values
            .iter()
            .zip(&ys)
            .map(|(s, y)| (1.0 + y * s).max(0.0))
            .sum::<f64>()
            / n as f64;
        ensure(
            g.nodes.len() > n && g.nodes[..n].iter().zip(&values).all(|(a, &v)| a.value == v),
            || {
                format!(
                    "{what}: hinge_loss removed or changed the score nodes: only push new nodes"
                )
            },
        )?;
        close_naming(
            &what,
            g.nodes[out.0].value,
            expected,
            1e-12 * (1.0 + expected),
            &[
                (
                    swapped,
                    "the classes swapped: class 0 must be y = -1 and class 1 y = +1 (a positive score predicts class 1)",
                ),
                (
                    expected * n as f64,
                    "this is the sum over the examples: the loss is the mean, divide by n",
                ),
                (
                    zero_one,
                    "the labels were used as 0 and 1: the hinge loss needs y = -1 for class 0 and +1 for class 1",
                ),
                (
                    no_max,
                    "max(0, ·) is missing: an example beyond the margin (y s > 1) must add 0, not a negative amount",
                ),
            ],
        )?;
        ensure(g.nodes[out.0].op != Op::Leaf, || {
            format!(
                "{what}: the loss is a leaf: build it with the graph's operations so that backward reaches the scores"
            )
        })?;
        backward(&mut g, out);
        for (i, &s) in scores.iter().enumerate() {
            let expected_grad = if 1.0 - ys[i] * values[i] > 0.0 {
                -ys[i] / n as f64
            } else {
                0.0
            };
            close(
                &format!("{what}: d loss / d score {i} (through the graph)"),
                g.nodes[s.0].grad,
                expected_grad,
                1e-12,
            )?;
        }
    }
    pass(
        "mean hinge loss (labels mapped to -1 and +1) right on 6 seeded cases, and backward through it gives -y_i/n inside the margin, 0 beyond",
    )
}

fn sgd_step_check() -> Graded {
    let mut r = rng(3);
    let mut nodes: Vec<Node> = (0..12).map(|_| leaf(r.gen_range(-1.0..1.0))).collect();
    for node in &mut nodes {
        node.grad = r.gen_range(-2.0..2.0);
    }
    // a computed node that is not a parameter
    nodes.push(Node {
        op: Op::Add(Var(0), Var(1)),
        value: nodes[0].value + nodes[1].value,
        grad: 1.0,
    });
    let params: Vec<Var> = [0, 2, 3, 5, 7, 8, 11].into_iter().map(Var).collect();
    let learning_rate = 0.3;
    let mut g = Graph {
        nodes: nodes.clone(),
    };
    sgd_step(&mut g, &params, learning_rate);
    equal(
        "number of nodes after sgd_step",
        &g.nodes.len(),
        &nodes.len(),
    )?;
    for (i, (after, before)) in g.nodes.iter().zip(&nodes).enumerate() {
        let is_param = params.contains(&Var(i));
        let expected = if is_param {
            before.value - learning_rate * before.grad
        } else {
            before.value
        };
        let what = if is_param {
            format!(
                "parameter Var({i}) after a step of 0.3 (value {}, grad {})",
                fmt(before.value),
                fmt(before.grad)
            )
        } else {
            format!("node {i}, not among the parameters")
        };
        close_naming(
            &what,
            after.value,
            expected,
            1e-12,
            &[
                (
                    before.value + learning_rate * before.grad,
                    "wrong sign: a descent step moves against the gradient, value -= learning_rate × grad",
                ),
                (before.value - before.grad, "the learning rate is missing"),
            ],
        )?;
    }
    pass("sgd_step moves each parameter by -learning_rate × grad and leaves the other nodes alone")
}

/// Train on `n_train` seeded moons, score on 500 fresh ones; show the predictions.
fn accuracy_on(seed: u64, noise: f64, train_seed: u64, bar_value: f64, name: &str) -> Graded {
    let (x, y) = make_moons(200, noise, seed);
    let (x_test, y_test) = make_moons(500, noise, seed + 1000);
    let (g, mlp) = train(&x, &y, train_seed);
    let net = extract(&g, &mlp, 2)?;
    let predicted: Vec<usize> = x_test
        .rows()
        .into_iter()
        .map(|row| usize::from(score(&net, &[row[0], row[1]]) > 0.0))
        .collect();
    show(Figure::Scatter {
        title: format!(
            "{name}: your network's predictions on the held-out points (group = predicted class)"
        ),
        x_label: "x1".into(),
        y_label: "x2".into(),
        points: x_test.rows().into_iter().map(|r| [r[0], r[1]]).collect(),
        groups: predicted.clone(),
    });
    let accuracy = predicted
        .iter()
        .zip(&y_test)
        .filter(|(p, t)| p == t)
        .count() as f64
        / y_test.len() as f64;
    let baseline = linear_baseline(&x, &y, &x_test, &y_test);
    let note = format!(
        "; a linear classifier (the grader's logistic regression) reaches {}",
        fmt(baseline)
    );
    let graded = bar(
        &format!("{name}: held-out accuracy"),
        accuracy,
        bar_value,
        Goal::AtLeast,
    );
    if graded.is_err() && accuracy < 0.6 {
        return graded
            .map_err(|mut f| {
                f.message.push_str(": near or below chance (0.5), the network did not learn: a step uphill (wrong sign in sgd_step?), parameters never updated, or the classes swapped (a positive score means class 1)");
                f
            })
            .note(&note);
    }
    if graded.is_err() && accuracy <= baseline + 0.01 {
        return graded
            .map_err(|mut f| {
                f.message.push_str(": no better than a linear classifier: do the hidden layers apply tanh? Without a nonlinearity the network is a linear function of x");
                f
            })
            .note(&note);
    }
    graded.hint("train longer or with a larger learning rate (the reference: 2-16-16-1, 300 steps on random batches of 32, learning rate from 1.0 down to 0.1); check that the loss falls").note(&note)
}

/// Two moons of 200 training points, noise 0.15 (seed 11), 500 fresh points held out.
/// Measured: the reference (2-16-16-1, 300 SGD steps on batches of 32) reaches 0.99 with
/// training seed 7, and 0.966 to 0.99 over 10 training seeds; the grader's logistic
/// regression 0.864. The bar 0.95 sits well above the linear baseline and below every seed.
fn held_out_accuracy() -> Graded {
    accuracy_on(11, 0.15, 7, ACCURACY_BAR, "moons, noise 0.15")
}

/// Another seed and more noise (0.2), another training seed. Measured: the reference 0.96
/// with training seed 99, 0.948 to 0.964 over 10 training seeds; logistic regression 0.866.
fn hidden_moons() -> Graded {
    accuracy_on(23, 0.2, 99, HIDDEN_BAR, "hidden moons, noise 0.2")
}
