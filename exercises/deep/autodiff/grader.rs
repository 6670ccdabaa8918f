// Grader of deep/autodiff. The graphs are built by the grader itself (nodes pushed with the
// grader's own values), its own backward and central differences give the expected gradients.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use rand::Rng as _;
use rand::seq::SliceRandom;

use super::exercise::{Graph, Node, Op, Var, backward, local_gradients, topological_order};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("local_gradients", local_gradients_check),
    ("topological_order", topological_order_check),
    ("backward_gradients", backward_gradients),
    ("permuted_graphs", permuted_graphs),
    ("second_backward", second_backward),
];

/// Central differences use this step; their agreement with backward is measured by the
/// relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) over the leaves.
const EPS: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

fn parents(op: &Op) -> Vec<Var> {
    match *op {
        Op::Leaf => vec![],
        Op::Add(a, b) | Op::Mul(a, b) => vec![a, b],
        Op::Pow(a, _) | Op::Exp(a) | Op::Ln(a) | Op::Tanh(a) | Op::Relu(a) => vec![a],
    }
}

fn forward(op: &Op, values: &[f64], leaf: f64) -> f64 {
    match *op {
        Op::Leaf => leaf,
        Op::Add(a, b) => values[a.0] + values[b.0],
        Op::Mul(a, b) => values[a.0] * values[b.0],
        Op::Pow(a, p) => values[a.0].powf(p),
        Op::Exp(a) => values[a.0].exp(),
        Op::Ln(a) => values[a.0].ln(),
        Op::Tanh(a) => values[a.0].tanh(),
        Op::Relu(a) => values[a.0].max(0.0),
    }
}

/// The grader's local derivatives, summed per parent (Mul(x, x) gives x: 2x).
fn local_ref(nodes: &[Node], i: usize) -> Vec<(usize, f64)> {
    let v = |x: Var| nodes[x.0].value;
    let out = nodes[i].value;
    match nodes[i].op {
        Op::Leaf => vec![],
        Op::Add(a, b) => vec![(a.0, 1.0), (b.0, 1.0)],
        Op::Mul(a, b) => vec![(a.0, v(b)), (b.0, v(a))],
        Op::Pow(a, p) => vec![(a.0, p * v(a).powf(p - 1.0))],
        Op::Exp(a) => vec![(a.0, out)],
        Op::Ln(a) => vec![(a.0, 1.0 / v(a))],
        Op::Tanh(a) => vec![(a.0, 1.0 - out * out)],
        Op::Relu(a) => vec![(a.0, if v(a) > 0.0 { 1.0 } else { 0.0 })],
    }
}

/// Reachable nodes from `out`, parents first (the grader's own depth-first search).
fn order_ref(nodes: &[Node], out: usize) -> Vec<usize> {
    let mut seen = vec![false; nodes.len()];
    let mut order = Vec::new();
    let mut stack = vec![(out, false)];
    while let Some((i, expanded)) = stack.pop() {
        if expanded {
            order.push(i);
        } else if !seen[i] {
            seen[i] = true;
            stack.push((i, true));
            for p in parents(&nodes[i].op) {
                if !seen[p.0] {
                    stack.push((p.0, false));
                }
            }
        }
    }
    order
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Right,
    /// `=` instead of `+=` into the parents.
    Overwrite,
    /// Visits the reachable nodes by decreasing index instead of a reverse topological order.
    IndexOrder,
    /// tanh' = 1 - x² of the input instead of 1 - tanh(x)².
    TanhOfInput,
    /// ln' = 1 / ln x (the node's output) instead of 1/x of the input.
    LnOfOutput,
}

/// Backward as the grader computes it, or as a classic mistake computes it. `start` holds
/// the grads before the call (all zero for a right backward, which zeroes them).
fn backward_ref(nodes: &[Node], out: usize, variant: Variant, start: &[f64]) -> Vec<f64> {
    let mut grads = start.to_vec();
    grads[out] = 1.0;
    let mut order = order_ref(nodes, out);
    if variant == Variant::IndexOrder {
        order.sort_unstable();
    }
    for &i in order.iter().rev() {
        for (p, mut local) in local_ref(nodes, i) {
            if variant == Variant::TanhOfInput && matches!(nodes[i].op, Op::Tanh(_)) {
                local = 1.0 - nodes[p].value * nodes[p].value;
            }
            if variant == Variant::LnOfOutput && matches!(nodes[i].op, Op::Ln(_)) {
                local = 1.0 / nodes[i].value;
            }
            if variant == Variant::Overwrite {
                grads[p] = grads[i] * local;
            } else {
                grads[p] += grads[i] * local;
            }
        }
    }
    grads
}

/// The value of `out`, the leaf `leaf_shift.0` moved by `leaf_shift.1`.
fn evaluate(nodes: &[Node], out: usize, leaf_shift: Option<(usize, f64)>) -> f64 {
    let mut values = vec![0.0; nodes.len()];
    for i in order_ref(nodes, out) {
        let mut leaf = nodes[i].value;
        if let Some((j, delta)) = leaf_shift
            && j == i
        {
            leaf += delta;
        }
        values[i] = forward(&nodes[i].op, &values, leaf);
    }
    values[out]
}

/// A seeded random expression graph, nodes in creation order, built by the grader: 4 leaves,
/// `steps` operations on earlier nodes (so nodes are reused), then the sum of the last 6.
/// Inputs of relu stay 0.01 away from its kink, ln and fractional powers see x > 0.1.
fn random_graph(seed: u64, steps: usize) -> (Vec<Node>, usize) {
    let mut r = rng(seed);
    let mut nodes: Vec<Node> = Vec::new();
    let push = |nodes: &mut Vec<Node>, op: Op, leaf: f64| {
        let values: Vec<f64> = nodes.iter().map(|n| n.value).collect();
        let value = forward(&op, &values, leaf);
        nodes.push(Node {
            op,
            value,
            grad: 0.0,
        });
    };
    for _ in 0..4 {
        let x = r.gen_range(-2.0..2.0);
        push(&mut nodes, Op::Leaf, x);
    }
    for _ in 0..steps {
        let n = nodes.len();
        // prefer recent nodes, so that the output depends on most of the graph
        let i = r.gen_range(n.saturating_sub(8)..n);
        let j = r.gen_range(0..n);
        let (x, y) = (Var(i), Var(j));
        let xv = nodes[i].value;
        let op = match r.gen_range(0..8) {
            _ if xv.abs() > 20.0 => Op::Tanh(x),
            0 | 1 => Op::Add(x, y),
            2 => Op::Mul(x, y),
            3 if i % 3 == 0 => Op::Mul(x, x),
            3 if xv > 0.1 => Op::Pow(x, 1.5),
            3 => Op::Pow(x, 2.0),
            4 if xv.abs() < 3.0 => Op::Exp(x),
            5 if xv > 0.1 => Op::Ln(x),
            6 if xv.abs() > 0.01 => Op::Relu(x),
            _ => Op::Tanh(x),
        };
        push(&mut nodes, op, 0.0);
    }
    let mut out = nodes.len() - 1;
    for k in 2..=6 {
        let other = nodes.len() - k.min(nodes.len() - 1) - 1;
        push(&mut nodes, Op::Add(Var(out), Var(other)), 0.0);
        out = nodes.len() - 1;
    }
    (nodes, out)
}

/// The operation with every parent reference mapped by `f`.
fn remap(op: Op, f: impl Fn(usize) -> usize) -> Op {
    let m = |v: Var| Var(f(v.0));
    match op {
        Op::Leaf => Op::Leaf,
        Op::Add(a, b) => Op::Add(m(a), m(b)),
        Op::Mul(a, b) => Op::Mul(m(a), m(b)),
        Op::Pow(a, p) => Op::Pow(m(a), p),
        Op::Exp(a) => Op::Exp(m(a)),
        Op::Ln(a) => Op::Ln(m(a)),
        Op::Tanh(a) => Op::Tanh(m(a)),
        Op::Relu(a) => Op::Relu(m(a)),
    }
}

/// The same graph with node ids permuted (as after merging or loading graphs): node i moves
/// to `new[i]` and every parent reference follows it.
fn permute(nodes: &[Node], new: &[usize]) -> Vec<Node> {
    let mut out = nodes.to_vec();
    for (i, node) in nodes.iter().enumerate() {
        out[new[i]] = Node {
            op: remap(node.op, |p| new[p]),
            ..node.clone()
        };
    }
    out
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + y.abs()))
}

/// Run the learner's backward on a copy of `nodes` and return the grads, checking that only
/// grads changed.
fn run_backward(what: &str, nodes: &[Node], out: usize) -> Result<Vec<f64>, Failed> {
    let mut g = Graph {
        nodes: nodes.to_vec(),
    };
    backward(&mut g, Var(out));
    equal(
        &format!("{what}: number of nodes after backward"),
        &g.nodes.len(),
        &nodes.len(),
    )
    .hint("backward only sets grads: it adds no node and removes none")?;
    let unchanged = g
        .nodes
        .iter()
        .zip(nodes)
        .all(|(a, b)| a.op == b.op && a.value.to_bits() == b.value.to_bits());
    ensure(unchanged, || {
        format!("{what}: backward changed a node's value or op")
    })?;
    Ok(g.nodes.iter().map(|n| n.grad).collect())
}

/// Compare the learner's grads with the grader's backward, naming the classic mistakes.
fn compare_grads(
    what: &str,
    got: &[f64],
    nodes: &[Node],
    out: usize,
    start: &[f64],
) -> Result<(), Failed> {
    let zeros = vec![0.0; nodes.len()];
    let expected = backward_ref(nodes, out, Variant::Right, &zeros);
    if let Some(i) = got.iter().position(|g| !g.is_finite()) {
        return Err(fail(format!("{what}: the grad of node {i} is {}", got[i])));
    }
    if same(got, &expected) {
        return Ok(());
    }
    let worst = (0..got.len())
        .max_by(|&a, &b| {
            (got[a] - expected[a])
                .abs()
                .total_cmp(&(got[b] - expected[b]).abs())
        })
        .unwrap_or(0);
    let message = format!(
        "{what}: the grad of node {worst} ({}) is {}, expected {}",
        op_name(&nodes[worst].op),
        fmt(got[worst]),
        fmt(expected[worst])
    );
    let reachable = order_ref(nodes, out);
    let stale = (0..nodes.len()).any(|i| !reachable.contains(&i) && got[i] != 0.0);
    let why = if start.iter().any(|&s| s != 0.0)
        && same(got, &backward_ref(nodes, out, Variant::Right, start))
    {
        Some(
            "grads were not zeroed before this backward: the grads of the previous backward were added to the new ones. Set every node's grad to 0 first",
        )
    } else if stale {
        Some(
            "a node that out does not depend on has a nonzero grad: zero the grads of every node of the graph, not only of those reachable from out",
        )
    } else if same(got, &backward_ref(nodes, out, Variant::Overwrite, &zeros)) {
        Some(
            "gradients overwritten instead of accumulated: a node used more than once must receive the sum of the contributions of all its uses (`+=`, not `=`)",
        )
    } else if same(got, &backward_ref(nodes, out, Variant::TanhOfInput, &zeros)) {
        Some(
            "the local gradient of tanh is 1 - x² of the input x: it is 1 - tanh(x)², from the node's output value",
        )
    } else if same(got, &backward_ref(nodes, out, Variant::LnOfOutput, &zeros)) {
        Some(
            "the local gradient of ln is 1/ln x, from the node's output: d ln x / dx = 1/x of the input x",
        )
    } else if same(got, &backward_ref(nodes, out, Variant::IndexOrder, &zeros)) {
        Some(
            "the nodes were visited in index order, but ids here are not in creation order: a node must be visited only after every node that uses it (the reverse of a topological order)",
        )
    } else {
        None
    };
    // a search without a visited set lists a shared node twice: backward then adds its
    // contributions twice (named only when the learner's own order has a repeat)
    let repeated = if why.is_none() {
        // the learner's backward may not use its topological_order (a todo!() there must
        // not hide this failure): a panic here only skips the diagnosis
        let graph = Graph {
            nodes: nodes.to_vec(),
        };
        let order = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            topological_order(&graph, Var(out))
        }))
        .unwrap_or_default();
        let mut ids: Vec<usize> = order.iter().map(|v| v.0).collect();
        ids.sort_unstable();
        ids.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    } else {
        None
    };
    if let Some(k) = repeated {
        return Err(fail(format!(
            "{message}: in your topological_order of this graph node {k} is listed twice, so backward adds its contributions twice: mark nodes as visited"
        )));
    }
    match why {
        Some(why) => Err(fail(format!("{message}: {why}"))),
        None => Err(fail(message)).hint("zero all grads, set out's grad to 1, then for each node in the reverse of topological_order(g, out): for (p, local) in local_gradients(g, v): grad[p] += grad[v] * local"),
    }
}

fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Leaf => "a leaf",
        Op::Add(..) => "an add",
        Op::Mul(..) => "a mul",
        Op::Pow(..) => "a pow",
        Op::Exp(..) => "an exp",
        Op::Ln(..) => "an ln",
        Op::Tanh(..) => "a tanh",
        Op::Relu(..) => "a relu",
    }
}

/// The local gradients of node `i`, summed per parent id.
fn summed(pairs: &[(usize, f64)]) -> std::collections::BTreeMap<usize, f64> {
    let mut m = std::collections::BTreeMap::new();
    for &(p, d) in pairs {
        *m.entry(p).or_insert(0.0) += d;
    }
    m
}

fn local_gradients_check() -> Graded {
    let mut r = rng(1);
    for case in 0..10 {
        let (a, b) = (r.gen_range(0.2..3.0), r.gen_range(-3.0..3.0));
        let p = [0.5, 1.5, -1.0, 3.0, 2.5][case % 5];
        let a_leaf = Node {
            op: Op::Leaf,
            value: a,
            grad: 0.0,
        };
        let b_leaf = Node {
            value: b,
            ..a_leaf.clone()
        };
        let ops = [
            Op::Add(Var(0), Var(1)),
            Op::Mul(Var(0), Var(1)),
            Op::Mul(Var(1), Var(1)),
            Op::Pow(Var(0), p),
            Op::Exp(Var(1)),
            Op::Ln(Var(0)),
            Op::Tanh(Var(1)),
            Op::Relu(Var(1)),
            Op::Relu(Var(2)),
            Op::Leaf,
        ];
        for op in ops {
            // node 2 is a relu input at exactly 0: relu'(0) = 0
            let mut nodes = vec![
                a_leaf.clone(),
                b_leaf.clone(),
                Node {
                    value: 0.0,
                    ..a_leaf.clone()
                },
            ];
            let values: Vec<f64> = nodes.iter().map(|n| n.value).collect();
            nodes.push(Node {
                op,
                value: forward(&op, &values, 1.5),
                grad: 0.0,
            });
            let g = Graph {
                nodes: nodes.clone(),
            };
            let x = match op {
                Op::Pow(..) | Op::Ln(..) => a,
                Op::Relu(Var(2)) => 0.0,
                _ => b,
            };
            let what = match op {
                Op::Add(..) => format!("local gradients of {} + {}", fmt(a), fmt(b)),
                Op::Mul(Var(1), Var(1)) => format!(
                    "local gradients of x·x at x = {} (one node used twice)",
                    fmt(b)
                ),
                Op::Mul(..) => format!("local gradients of {} · {}", fmt(a), fmt(b)),
                Op::Pow(..) => format!("local gradient of x^{} at x = {}", fmt(p), fmt(a)),
                Op::Leaf => "local gradients of a leaf (it has no parents)".to_string(),
                _ => format!(
                    "local gradient of {} at x = {}",
                    op_name(&op)
                        .trim_start_matches("a ")
                        .trim_start_matches("an "),
                    fmt(x)
                ),
            };
            let got: Vec<(usize, f64)> = local_gradients(&g, Var(3))
                .into_iter()
                .map(|(v, d)| (v.0, d))
                .collect();
            let got = summed(&got);
            let expected = summed(&local_ref(&nodes, 3));
            let got_parents: Vec<usize> = got.keys().copied().collect();
            let expected_parents: Vec<usize> = expected.keys().copied().collect();
            equal(
                &format!("{what}: the parents listed"),
                &got_parents,
                &expected_parents,
            )
            .hint("one pair (parent, d node / d parent) per operand of the node's Op")?;
            for (parent, e) in &expected {
                let d = got[parent];
                let wrong: Vec<(f64, &str)> = match op {
                    Op::Tanh(_) => vec![
                        (
                            1.0 - x * x,
                            "this is 1 - x² of the input x: the derivative is 1 - tanh(x)², from the node's output value",
                        ),
                        (
                            1.0 - x.tanh(),
                            "this is 1 - tanh(x): the derivative is 1 - tanh(x)² (squared)",
                        ),
                    ],
                    Op::Relu(Var(2)) => vec![(
                        1.0,
                        "relu'(0) = 0 by convention (PyTorch's): the gradient flows only where x > 0",
                    )],
                    Op::Pow(..) => vec![
                        (
                            a.powf(p - 1.0),
                            "the factor p is missing: d x^p / dx = p x^(p-1)",
                        ),
                        (
                            p * a.powf(p),
                            "the exponent should drop by one: d x^p / dx = p x^(p-1)",
                        ),
                    ],
                    Op::Ln(_) => vec![
                        (a.ln(), "this is ln x itself: d ln x / dx = 1/x"),
                        (
                            1.0 / a.ln(),
                            "this is 1/ln x, from the node's output: d ln x / dx = 1/x of the input x",
                        ),
                    ],
                    Op::Mul(Var(1), Var(1)) => vec![(
                        b,
                        "only one of the two uses is counted: x·x has x as a parent twice, d(x·x)/dx = 2x",
                    )],
                    Op::Mul(..) if *parent == 0 => vec![(
                        a,
                        "this is the parent's own value: d(a·b)/da = b, the other operand",
                    )],
                    _ => vec![],
                };
                close_naming(
                    &format!("{what}: d/d(node {parent})"),
                    d,
                    *e,
                    1e-12 * (1.0 + e.abs()),
                    &wrong,
                )?;
            }
        }
    }
    pass(
        "local gradients of every op right on 10 seeded cases (Mul(x, x) counts both uses, relu'(0) = 0, tanh' = 1 - tanh²)",
    )
}

/// A permuted graph with an unreachable part, whose ids are in neither creation order nor
/// its reverse; returns the nodes and the output's id.
fn permuted_case(seed: u64) -> (Vec<Node>, usize) {
    let (mut nodes, out) = random_graph(seed, 30);
    let (other, _) = random_graph(seed + 500, 10);
    let offset = nodes.len();
    // the unrelated graph is appended with its references shifted (a merge)
    nodes.extend(other.into_iter().map(|n| Node {
        op: remap(n.op, |p| p + offset),
        ..n
    }));
    for attempt in 0.. {
        let mut new: Vec<usize> = (0..nodes.len()).collect();
        new.shuffle(&mut rng(seed * 100 + attempt));
        let permuted = permute(&nodes, &new);
        let reach = order_ref(&permuted, new[out]);
        let mut ascending = reach.clone();
        ascending.sort_unstable();
        let valid = |order: &[usize]| {
            let position = |i: usize| order.iter().position(|&o| o == i);
            order.iter().all(|&i| {
                parents(&permuted[i].op)
                    .iter()
                    .all(|p| position(p.0) < position(i))
            })
        };
        let descending: Vec<usize> = ascending.iter().rev().copied().collect();
        if !valid(&ascending) && !valid(&descending) {
            return (permuted, new[out]);
        }
    }
    unreachable!("the loop only ends by returning")
}

fn topological_order_check() -> Graded {
    for seed in 0..5u64 {
        let (nodes, out) = permuted_case(10 + seed);
        let what = format!(
            "permuted graph {seed} ({} nodes, output Var({out}))",
            nodes.len()
        );
        let g = Graph {
            nodes: nodes.clone(),
        };
        let got: Vec<usize> = topological_order(&g, Var(out))
            .iter()
            .map(|v| v.0)
            .collect();
        let reach = order_ref(&nodes, out);
        if let Some(&bad) = got.iter().find(|&&i| i >= nodes.len()) {
            return Err(fail(format!(
                "{what}: the order lists Var({bad}), not a node of the graph"
            )));
        }
        let mut sorted = got.clone();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(fail(format!(
                "{what}: node {} is listed twice: mark nodes as visited",
                w[0]
            )));
        }
        let mut expected_set = reach.clone();
        expected_set.sort_unstable();
        if let Some(&extra) = sorted.iter().find(|i| !expected_set.contains(i)) {
            return Err(fail(format!(
                "{what}: node {extra} is listed but the output does not depend on it: list only the nodes reachable from out through the parents"
            )));
        }
        if let Some(&missing) = expected_set.iter().find(|i| !sorted.contains(i)) {
            return Err(fail(format!(
                "{what}: node {missing} is reachable from the output but missing from the order"
            )));
        }
        if got == expected_set {
            return Err(fail(format!(
                "{what}: the nodes are listed in index order, but ids here are not in creation order (as after merging two graphs): sort them by dependency, with a depth-first search from out that lists a node after its parents"
            )));
        }
        let position = |i: usize| got.iter().position(|&o| o == i);
        for &i in &got {
            for p in parents(&nodes[i].op) {
                ensure(position(p.0) < position(i), || {
                    format!(
                        "{what}: node {i} is listed before its parent {}: each node must come after all of its parents",
                        p.0
                    )
                })?;
            }
        }
        equal(
            &format!("{what}: the last node listed"),
            &got.last().copied(),
            &Some(out),
        )?;
    }
    pass(
        "5 permuted graphs: exactly the nodes reachable from out, each once, each after its parents",
    )
}

/// Small graphs where a node is used twice: x·x, x + x, exp(x) + tanh(x). With `=` instead
/// of `+=`, x gets one contribution whatever the order of the visit; the grader names that.
/// With `reversed`, node ids run against creation order.
fn used_twice(reversed: bool) -> Result<(), Failed> {
    let mut r = rng(if reversed { 8 } else { 7 });
    for _ in 0..3 {
        let x = r.gen_range(-1.5..1.5);
        let leaf = Node {
            op: Op::Leaf,
            value: x,
            grad: 0.0,
        };
        let at = |op: Op, value: f64| Node {
            op,
            value,
            grad: 0.0,
        };
        let cases: [(&str, Vec<Node>, Vec<f64>); 3] = [
            (
                "x·x",
                vec![leaf.clone(), at(Op::Mul(Var(0), Var(0)), x * x)],
                vec![x, x],
            ),
            (
                "x + x",
                vec![leaf.clone(), at(Op::Add(Var(0), Var(0)), 2.0 * x)],
                vec![1.0, 1.0],
            ),
            (
                "exp(x) + tanh(x)",
                vec![
                    leaf.clone(),
                    at(Op::Exp(Var(0)), x.exp()),
                    at(Op::Tanh(Var(0)), x.tanh()),
                    at(Op::Add(Var(1), Var(2)), x.exp() + x.tanh()),
                ],
                vec![x.exp(), 1.0 - x.tanh() * x.tanh()],
            ),
        ];
        for (name, nodes, contributions) in cases {
            let n = nodes.len();
            let new: Vec<usize> = if reversed {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            let nodes = if reversed {
                permute(&nodes, &new)
            } else {
                nodes
            };
            let (xi, out) = (new[0], new[n - 1]);
            let what = format!("d({name})/dx at x = {}", fmt(x));
            let got = run_backward(&what, &nodes, out)?;
            let expected: f64 = contributions.iter().sum();
            let tolerance = 1e-9 * (1.0 + expected.abs());
            if (got[xi] - expected).abs() <= tolerance {
                continue;
            }
            let single: Vec<(f64, &str)> = contributions
                .iter()
                .map(|&c| (c, "x is used twice but got only one contribution: gradients overwritten instead of accumulated (`=` instead of `+=`)"))
                .collect();
            if single.iter().all(|(c, _)| (got[xi] - c).abs() > tolerance) {
                // not the overwrite: let the comparison of all grads name what it can
                compare_grads(&what, &got, &nodes, out, &vec![0.0; n])?;
            }
            close_naming(&what, got[xi], expected, tolerance, &single)?;
        }
    }
    Ok(())
}

/// A graph built with the engine's own methods: micrograd's neuron tanh(x1 w1 + x2 w2 + b),
/// then every other operation on top, all of it differentiated at once.
fn engine_graph() -> Result<(), Failed> {
    let mut g = Graph::new();
    let (x1, x2) = (g.leaf(2.0), g.leaf(0.0));
    let (w1, w2) = (g.leaf(-3.0), g.leaf(1.0));
    let b = g.leaf(6.881_373_587_019_543);
    let (p1, p2) = (g.mul(x1, w1), g.mul(x2, w2));
    let s = g.add(p1, p2);
    let n = g.add(s, b);
    let o = g.tanh(n);
    let e = g.exp(o);
    let l = g.ln(e);
    let q = g.pow(l, 3.0);
    let r = g.relu(q);
    let d = g.div(r, w2);
    let m = g.neg(d);
    let out = g.sub(m, x1);
    let nodes = g.nodes.clone();
    let what = "the neuron tanh(x1·w1 + x2·w2 + b), built with the engine's methods and extended";
    let got = run_backward(what, &nodes, out.0)?;
    compare_grads(what, &got, &nodes, out.0, &vec![0.0; nodes.len()])?;
    // the graph was built by the given engine: it records what it computed
    ensure(g.op(o) == Op::Tanh(n) && g.grad(o) == 0.0, || {
        "the given engine was changed: tanh must record Op::Tanh".to_string()
    })
}

fn backward_gradients() -> Graded {
    used_twice(false)?;
    engine_graph()?;
    let mut errors = Vec::new();
    for seed in 0..6u64 {
        let (nodes, out) = random_graph(200 + seed, 40);
        let what = format!("random graph {seed} ({} nodes)", nodes.len());
        let got = run_backward(&what, &nodes, out)?;
        // central differences of the grader's evaluation, for each leaf
        let leaves: Vec<usize> = (0..nodes.len())
            .filter(|&i| nodes[i].op == Op::Leaf)
            .collect();
        let numeric: Vec<f64> = leaves
            .iter()
            .map(|&i| {
                (evaluate(&nodes, out, Some((i, EPS))) - evaluate(&nodes, out, Some((i, -EPS))))
                    / (2.0 * EPS)
            })
            .collect();
        let analytic: Vec<f64> = leaves.iter().map(|&i| got[i]).collect();
        let error = relative_error(&analytic, &numeric);
        errors.push(error);
        if error.is_nan() || error >= MAX_RELATIVE_ERROR {
            compare_grads(&what, &got, &nodes, out, &vec![0.0; nodes.len()])?;
            return Err(fail(format!(
                "{what}: the leaves' grads differ from central differences, relative error {} (bar < 1e-5)",
                fmt(error)
            )));
        }
        compare_grads(&what, &got, &nodes, out, &vec![0.0; nodes.len()])?;
    }
    let worst = errors.iter().fold(0.0f64, |a, &b| a.max(b));
    pass(format!(
        "6 seeded random graphs of 49 nodes: every node's grad matches the grader's backward, and the leaves' grads match central differences (largest relative error {}, bar < 1e-5)",
        fmt(worst)
    ))
}

fn permuted_graphs() -> Graded {
    used_twice(true)?;
    for seed in 0..5u64 {
        let (nodes, out) = permuted_case(10 + seed);
        let what = format!(
            "permuted graph {seed} (ids not in creation order, an unrelated subgraph merged in)"
        );
        let got = run_backward(&what, &nodes, out)?;
        compare_grads(&what, &got, &nodes, out, &vec![0.0; nodes.len()])?;
    }
    pass(
        "5 graphs whose ids are not in creation order: every grad right, 0 for nodes out does not depend on",
    )
}

fn second_backward() -> Graded {
    for seed in 0..4u64 {
        // a second output over the same leaves and node 11, built after the first
        let (mut nodes, out1) = random_graph(300 + seed, 25);
        let mut last = 11;
        for k in 0..6 {
            let leaf = Var(k % 4);
            let op = match k % 3 {
                0 => Op::Add(Var(last), leaf),
                1 => Op::Mul(Var(last), leaf),
                _ => Op::Tanh(Var(last)),
            };
            let values: Vec<f64> = nodes.iter().map(|n| n.value).collect();
            let value = forward(&op, &values, 0.0);
            nodes.push(Node {
                op,
                value,
                grad: 0.0,
            });
            last = nodes.len() - 1;
        }
        let out2 = last;
        let what = format!("graph {seed}: backward(out1) then backward(out2)");
        let mut g = Graph {
            nodes: nodes.clone(),
        };
        backward(&mut g, Var(out1));
        let first: Vec<f64> = g.nodes.iter().map(|n| n.grad).collect();
        let zeros = vec![0.0; nodes.len()];
        // the first call must be right for the second to be judged
        ensure(first.len() == nodes.len(), || {
            format!("{what}: backward changed the number of nodes")
        })?;
        compare_grads(&format!("{what}, first call"), &first, &nodes, out1, &zeros)?;
        backward(&mut g, Var(out2));
        equal(
            &format!("{what}: number of nodes"),
            &g.nodes.len(),
            &nodes.len(),
        )?;
        let got: Vec<f64> = g.nodes.iter().map(|n| n.grad).collect();
        compare_grads(&format!("{what}, second call"), &got, &nodes, out2, &first)?;
    }
    pass(
        "a second backward on another output of the same graph gives that output's grads (the first call's grads were zeroed)",
    )
}
