// Grader of deep/scalar_values. Every expected value comes from the grader's own evaluation
// with f64's methods; the learner's graph is re-evaluated from its leaves by `reevaluate`.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use rand::Rng as _;

use super::exercise::{Graph, Node, Op, Var};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("add_mul", add_mul),
    ("pow_exp_ln", pow_exp_ln),
    ("tanh_relu", tanh_relu),
    ("composites", composites),
    ("random_graphs", random_graphs),
];

/// Values must agree to this relative error (the exact formulas agree to the last bits).
const REL: f64 = 1e-12;

const TRUNCATED: &str =
    "the exponent was truncated to an integer (`powi(p as i32)`): use `powf` for a real exponent";
const LOG10: &str = "this is log10: ln is the natural logarithm";

fn tolerance(expected: f64, scale: f64) -> f64 {
    REL * (1.0 + expected.abs() + scale)
}

/// The name of an operation, for messages.
fn describe(op: &Op) -> String {
    match op {
        Op::Leaf => "Op::Leaf".into(),
        Op::Add(a, b) => format!("Op::Add(Var({}), Var({}))", a.0, b.0),
        Op::Mul(a, b) => format!("Op::Mul(Var({}), Var({}))", a.0, b.0),
        Op::Pow(a, p) => format!("Op::Pow(Var({}), {})", a.0, fmt(*p)),
        Op::Exp(a) => format!("Op::Exp(Var({}))", a.0),
        Op::Ln(a) => format!("Op::Ln(Var({}))", a.0),
        Op::Tanh(a) => format!("Op::Tanh(Var({}))", a.0),
        Op::Relu(a) => format!("Op::Relu(Var({}))", a.0),
    }
}

/// The recorded operation must be `expected` (Add and Mul may list their parents either way).
fn check_op(what: &str, got: &Op, expected: &Op) -> Result<(), Failed> {
    let swapped = match *expected {
        Op::Add(a, b) => Some(Op::Add(b, a)),
        Op::Mul(a, b) => Some(Op::Mul(b, a)),
        _ => None,
    };
    if got == expected || swapped.as_ref() == Some(got) {
        return Ok(());
    }
    let why = if *got == Op::Leaf {
        ": the node is recorded as a leaf (Op::Leaf), so it lost its parents and backward could never reach them. Push the node with its operation and parents"
    } else if std::mem::discriminant(got) == std::mem::discriminant(expected) {
        ": the right operation with the wrong parents (or exponent)"
    } else {
        ": the wrong operation is recorded (a copy-paste from another method?)"
    };
    Err(fail(format!(
        "{what}: recorded {}, expected {}{why}",
        describe(got),
        describe(expected)
    )))
}

/// `out` is one new node appended to `before` (a snapshot of the nodes), which are unchanged.
fn one_new_node(what: &str, g: &Graph, before: &[Node], out: Var) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of nodes after the call (one new node)"),
        &g.nodes.len(),
        &(before.len() + 1),
    )
    .hint("each primitive pushes exactly one node, with `self.push(op, value)`")?;
    equal(
        &format!("{what}: the handle returned (the new node's index)"),
        &out.0,
        &before.len(),
    )?;
    ensure(g.grad(out) == 0.0, || {
        format!("{what}: the new node's grad is not 0 (backward sets it later)")
    })?;
    ensure(g.nodes[..before.len()] == *before, || {
        format!("{what}: the call changed nodes that existed before it (values, ops or grads)")
    })
    .hint("a new operation only appends a node: its parents are read, never written")
}

/// The graph's values recomputed by the grader from its leaves and recorded operations.
/// Parents must come before their child (nodes are appended as they are computed).
fn reevaluate(g: &Graph) -> Result<Vec<f64>, Failed> {
    let mut values: Vec<f64> = Vec::with_capacity(g.nodes.len());
    for (i, node) in g.nodes.iter().enumerate() {
        let parent = |v: &Var| -> Result<f64, Failed> {
            if v.0 < i {
                Ok(values[v.0])
            } else {
                Err(fail(format!(
                    "node {i} ({}) has a parent Var({}) that is not an earlier node",
                    describe(&node.op),
                    v.0
                )))
            }
        };
        let value = match &node.op {
            Op::Leaf => node.value,
            Op::Add(a, b) => parent(a)? + parent(b)?,
            Op::Mul(a, b) => parent(a)? * parent(b)?,
            Op::Pow(a, p) => parent(a)?.powf(*p),
            Op::Exp(a) => parent(a)?.exp(),
            Op::Ln(a) => parent(a)?.ln(),
            Op::Tanh(a) => parent(a)?.tanh(),
            Op::Relu(a) => parent(a)?.max(0.0),
        };
        values.push(value);
    }
    Ok(values)
}

/// Every stored value agrees with the grader's re-evaluation of the recorded operations.
fn consistent(what: &str, g: &Graph) -> Result<(), Failed> {
    let values = reevaluate(g)?;
    for (i, (node, v)) in g.nodes.iter().zip(&values).enumerate() {
        let agree =
            (node.value - v).abs() <= tolerance(*v, 0.0) || (node.value.is_nan() && v.is_nan());
        if !agree {
            return Err(fail(format!(
                "{what}: node {i} stores the value {} but its recorded operation {} gives {}: the value and the recorded operation disagree",
                fmt(node.value),
                describe(&node.op),
                fmt(*v)
            )));
        }
    }
    Ok(())
}

/// Apply one primitive through the learner's method and check node, op and value.
#[allow(clippy::too_many_arguments)]
fn apply(
    g: &mut Graph,
    what: &str,
    call: impl FnOnce(&mut Graph) -> Var,
    op: Op,
    expected: f64,
    scale: f64,
    wrong: &[(f64, &str)],
) -> Result<Var, Failed> {
    let before = g.nodes.clone();
    let out = call(g);
    one_new_node(what, g, &before, out)?;
    let value = g.nodes[out.0].value;
    close_naming(
        &format!("{what}: value"),
        value,
        expected,
        tolerance(expected, scale),
        wrong,
    )?;
    check_op(what, &g.op(out), &op)?;
    Ok(out)
}

fn seeded_values(seed: u64, n: usize, low: f64, high: f64) -> Vec<f64> {
    let mut r = rng(seed);
    (0..n).map(|_| r.gen_range(low..high)).collect()
}

fn add_mul() -> Graded {
    let xs = seeded_values(1, 16, -3.0, 3.0);
    for pair in xs.chunks(2) {
        let (a, b) = (pair[0], pair[1]);
        let mut g = Graph::new();
        let (va, vb) = (g.leaf(a), g.leaf(b));
        let s = apply(
            &mut g,
            &format!("add({}, {})", fmt(a), fmt(b)),
            |g| g.add(va, vb),
            Op::Add(va, vb),
            a + b,
            a.abs() + b.abs(),
            &[(a * b, "this is the product")],
        )?;
        apply(
            &mut g,
            &format!("mul({}, {})", fmt(a), fmt(b)),
            |g| g.mul(va, vb),
            Op::Mul(va, vb),
            a * b,
            0.0,
            &[(a + b, "this is the sum")],
        )?;
        // a node used as both operands: exercise 2 must see the parent twice
        apply(
            &mut g,
            "mul(s, s), one node used twice",
            |g| g.mul(s, s),
            Op::Mul(s, s),
            (a + b) * (a + b),
            0.0,
            &[],
        )?;
    }
    pass(
        "add and mul push one node each, with their value and Op::Add / Op::Mul of the right parents (8 seeded pairs, and x·x recorded as Mul(x, x))",
    )
}

fn pow_exp_ln() -> Graded {
    let positives = seeded_values(2, 8, 0.1, 4.0);
    let anys = seeded_values(3, 8, -3.0, 3.0);
    for (k, (&x, &y)) in positives.iter().zip(&anys).enumerate() {
        let mut g = Graph::new();
        let (vx, vy) = (g.leaf(x), g.leaf(y));
        // fractional exponents on positive bases, integer exponents on any base
        let p = [0.5, 1.5, -0.5, 2.5][k % 4];
        let n = [2.0, 3.0, -1.0, -2.0][k % 4];
        apply(
            &mut g,
            &format!("pow({}, {})", fmt(x), fmt(p)),
            |g| g.pow(vx, p),
            Op::Pow(vx, p),
            x.powf(p),
            0.0,
            &[(x.powi(p as i32), TRUNCATED)],
        )?;
        if y.abs() > 0.1 {
            apply(
                &mut g,
                &format!("pow({}, {})", fmt(y), fmt(n)),
                |g| g.pow(vy, n),
                Op::Pow(vy, n),
                y.powf(n),
                0.0,
                &[],
            )?;
        }
        apply(
            &mut g,
            &format!("exp({})", fmt(y)),
            |g| g.exp(vy),
            Op::Exp(vy),
            y.exp(),
            0.0,
            &[],
        )?;
        apply(
            &mut g,
            &format!("ln({})", fmt(x)),
            |g| g.ln(vx),
            Op::Ln(vx),
            x.ln(),
            0.0,
            &[
                (x.log10(), LOG10),
                (x.log2(), "this is log2: ln is the natural logarithm"),
            ],
        )?;
    }
    pass(
        "pow (real and integer exponents), exp and ln: values and recorded ops right on 8 seeded cases",
    )
}

fn tanh_relu() -> Graded {
    let mut xs = seeded_values(4, 10, -4.0, 4.0);
    xs.extend([0.0, 1000.0, -1000.0, 30.0]);
    for &x in &xs {
        let mut g = Graph::new();
        let vx = g.leaf(x);
        let what = format!("tanh({})", fmt(x));
        let before = g.nodes.clone();
        let out = g.tanh(vx);
        one_new_node(&what, &g, &before, out)?;
        let got = g.nodes[out.0].value;
        if !got.is_finite() && x.is_finite() {
            return Err(fail(format!(
                "{what}: got {got}, expected {}: the ratio (e^x - e^-x) / (e^x + e^-x) overflows to inf / inf = NaN for |x| ≥ 710. Use `f64::tanh`, or a form that only exponentiates negative numbers",
                fmt(x.tanh())
            )));
        }
        close(
            &format!("{what}: value"),
            got,
            x.tanh(),
            tolerance(x.tanh(), 0.0),
        )?;
        check_op(&what, &g.op(out), &Op::Tanh(vx))?;
        apply(
            &mut g,
            &format!("relu({})", fmt(x)),
            |g| g.relu(vx),
            Op::Relu(vx),
            if x > 0.0 { x } else { 0.0 },
            0.0,
            &[(0.01 * x, "this is a leaky relu: relu is 0 for every x ≤ 0")],
        )?;
    }
    pass("tanh (finite at ±1000) and relu (relu(0) = 0, 0 below): values and recorded ops right")
}

fn composites() -> Graded {
    let xs = seeded_values(5, 12, -3.0, 3.0);
    for pair in xs.chunks(2) {
        let (a, mut b) = (pair[0], pair[1]);
        if b.abs() < 0.2 {
            b += 0.5;
        }
        let cases: [(&str, f64, f64, &str); 3] = [
            ("neg", -a, a, "this is x itself"),
            (
                "sub",
                a - b,
                b - a,
                "this is b - a: the operands are swapped",
            ),
            (
                "div",
                a / b,
                b / a,
                "this is b / a: the operands are swapped",
            ),
        ];
        for (name, expected, wrong, why) in cases {
            let mut g = Graph::new();
            let (va, vb) = (g.leaf(a), g.leaf(b));
            let out = match name {
                "neg" => g.neg(va),
                "sub" => g.sub(va, vb),
                _ => g.div(va, vb),
            };
            let what = if name == "neg" {
                format!("neg({})", fmt(a))
            } else {
                format!("{name}({}, {})", fmt(a), fmt(b))
            };
            ensure(out.0 < g.nodes.len(), || {
                format!("{what}: returned Var({}), not a node of the graph", out.0)
            })?;
            let kept = g.nodes.first().map(|n| n.value) == Some(a)
                && g.nodes.get(1).map(|n| n.value) == Some(b);
            ensure(kept, || {
                format!(
                    "{what}: the operands' values changed: build a new node, never modify a parent"
                )
            })?;
            let got = g.nodes[out.0].value;
            close_naming(
                &format!("{what}: value"),
                got,
                expected,
                tolerance(expected, a.abs() + b.abs()),
                &[(wrong, why)],
            )?;
            ensure(g.nodes[out.0].op != Op::Leaf, || {
                format!(
                    "{what}: the result is a leaf (Op::Leaf) holding the right number, so it is cut from a and b and backward could not reach them: build it from the primitives (mul, add, pow) instead"
                )
            })?;
            consistent(&what, &g)?;
            let mut reached = vec![false; g.nodes.len()];
            reached[out.0] = true;
            for i in (0..g.nodes.len()).rev() {
                if reached[i] {
                    match g.nodes[i].op {
                        Op::Add(p, q) | Op::Mul(p, q) => {
                            reached[p.0] = true;
                            reached[q.0] = true;
                        }
                        Op::Pow(p, _) | Op::Exp(p) | Op::Ln(p) | Op::Tanh(p) | Op::Relu(p) => {
                            reached[p.0] = true
                        }
                        Op::Leaf => {}
                    }
                }
            }
            let operands: &[usize] = if name == "neg" { &[0] } else { &[0, 1] };
            ensure(operands.iter().all(|&i| reached[i]), || {
                format!(
                    "{what}: the result does not depend on its operand nodes through the recorded operations: backward could not reach them"
                )
            })?;
        }
    }
    pass(
        "neg, sub and div are built from the primitives: right values, and the recorded graph leads back to the operands",
    )
}

/// Random expression graphs built through the learner's methods and mirrored by the grader.
fn random_graphs() -> Graded {
    for seed in 0..6u64 {
        let mut r = rng(100 + seed);
        let mut g = Graph::new();
        let mut mirror: Vec<f64> = Vec::new();
        let mut vars: Vec<Var> = Vec::new();
        for _ in 0..4 {
            let x = r.gen_range(-2.0..2.0);
            vars.push(g.leaf(x));
            mirror.push(x);
        }
        for step in 0..40 {
            let i = r.gen_range(0..vars.len());
            let j = r.gen_range(0..vars.len());
            let (x, y) = (mirror[i], mirror[j]);
            let (vi, vj) = (vars[i], vars[j]);
            let kind = r.gen_range(0..7);
            let what = |op: &str| format!("random graph {seed}, step {step}: {op}");
            let out = match kind {
                _ if x.abs() > 50.0 => apply(
                    &mut g,
                    &what("tanh"),
                    |g| g.tanh(vi),
                    Op::Tanh(vi),
                    x.tanh(),
                    0.0,
                    &[],
                )?,
                0 => apply(
                    &mut g,
                    &what("add"),
                    |g| g.add(vi, vj),
                    Op::Add(vi, vj),
                    x + y,
                    x.abs() + y.abs(),
                    &[],
                )?,
                1 => apply(
                    &mut g,
                    &what("mul"),
                    |g| g.mul(vi, vj),
                    Op::Mul(vi, vj),
                    x * y,
                    0.0,
                    &[],
                )?,
                2 if x > 0.05 => apply(
                    &mut g,
                    &what("pow 1.5"),
                    |g| g.pow(vi, 1.5),
                    Op::Pow(vi, 1.5),
                    x.powf(1.5),
                    0.0,
                    &[(x.powi(1), TRUNCATED)],
                )?,
                2 => apply(
                    &mut g,
                    &what("pow 2"),
                    |g| g.pow(vi, 2.0),
                    Op::Pow(vi, 2.0),
                    x * x,
                    0.0,
                    &[],
                )?,
                3 if x.abs() < 3.0 => apply(
                    &mut g,
                    &what("exp"),
                    |g| g.exp(vi),
                    Op::Exp(vi),
                    x.exp(),
                    0.0,
                    &[],
                )?,
                4 if x > 0.05 => apply(
                    &mut g,
                    &what("ln"),
                    |g| g.ln(vi),
                    Op::Ln(vi),
                    x.ln(),
                    0.0,
                    &[(x.log10(), LOG10)],
                )?,
                5 => apply(
                    &mut g,
                    &what("relu"),
                    |g| g.relu(vi),
                    Op::Relu(vi),
                    x.max(0.0),
                    0.0,
                    &[],
                )?,
                _ => apply(
                    &mut g,
                    &what("tanh"),
                    |g| g.tanh(vi),
                    Op::Tanh(vi),
                    x.tanh(),
                    0.0,
                    &[],
                )?,
            };
            vars.push(out);
            mirror.push(g.nodes[out.0].value);
        }
        consistent(&format!("random graph {seed}"), &g)?;
    }
    pass(
        "6 seeded random expression graphs of 44 nodes: every value and recorded operation right, and the grader's re-evaluation of your graph agrees",
    )
}
