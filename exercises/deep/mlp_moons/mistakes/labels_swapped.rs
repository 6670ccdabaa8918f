//! mistake: hinge_loss maps the labels the wrong way round (class 0 to y = +1, class 1 to y = -1), so the trained network predicts the opposite class
//! fails: hinge_loss, held_out_accuracy, hidden_moons
//! message: "classes swapped"

// deep/mlp_moons: a multilayer perceptron of scalar values, trained by SGD on two moons.
// `learnml show deep/mlp_moons` shows the full statement; `learnml check deep/mlp_moons` grades this file.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

// ---- Given: the engine of deep/scalar_values and deep/autodiff, complete. ----
/// A handle on a node of a [`Graph`]: its index in `graph.nodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var(pub usize);

/// How a node was computed, with its parents' handles.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(dead_code)] // the whole engine is given; this exercise uses part of it
pub enum Op {
    /// An input or a parameter: no parents.
    Leaf,
    Add(Var, Var),
    Mul(Var, Var),
    /// `Pow(x, p)` is x^p for the constant exponent p (not a node).
    Pow(Var, f64),
    Exp(Var),
    /// The natural logarithm.
    Ln(Var),
    Tanh(Var),
    /// max(0, x), with relu(0) = 0.
    Relu(Var),
}

/// One scalar of the computation: how it was made, its value, and (for deep/autodiff) the
/// gradient of the output with respect to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub op: Op,
    pub value: f64,
    pub grad: f64,
}

/// An arena of nodes: a node refers to its parents by index, so no `Rc<RefCell<..>>` is needed.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
}

#[allow(dead_code)] // the whole engine is given; this exercise uses part of it
impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a node with this operation and forward value (grad 0); return its handle.
    pub fn push(&mut self, op: Op, value: f64) -> Var {
        self.nodes.push(Node {
            op,
            value,
            grad: 0.0,
        });
        Var(self.nodes.len() - 1)
    }

    /// A new input or parameter holding `value`.
    pub fn leaf(&mut self, value: f64) -> Var {
        self.push(Op::Leaf, value)
    }

    /// The forward value of `v`.
    pub fn value(&self, v: Var) -> f64 {
        self.nodes[v.0].value
    }

    /// The gradient stored at `v` (set by `backward` in deep/autodiff).
    pub fn grad(&self, v: Var) -> f64 {
        self.nodes[v.0].grad
    }

    /// How `v` was computed.
    pub fn op(&self, v: Var) -> Op {
        self.nodes[v.0].op
    }

    /// a + b: one new node `Op::Add(a, b)`.
    pub fn add(&mut self, a: Var, b: Var) -> Var {
        self.push(Op::Add(a, b), self.value(a) + self.value(b))
    }

    /// a · b: one new node `Op::Mul(a, b)`.
    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        self.push(Op::Mul(a, b), self.value(a) * self.value(b))
    }

    /// x^p for a constant real exponent p: one new node `Op::Pow(x, p)`.
    pub fn pow(&mut self, x: Var, p: f64) -> Var {
        self.push(Op::Pow(x, p), self.value(x).powf(p))
    }

    /// e^x: one new node `Op::Exp(x)`.
    pub fn exp(&mut self, x: Var) -> Var {
        self.push(Op::Exp(x), self.value(x).exp())
    }

    /// The natural logarithm of x: one new node `Op::Ln(x)`.
    pub fn ln(&mut self, x: Var) -> Var {
        self.push(Op::Ln(x), self.value(x).ln())
    }

    /// tanh x, finite for every finite x: one new node `Op::Tanh(x)`.
    pub fn tanh(&mut self, x: Var) -> Var {
        self.push(Op::Tanh(x), self.value(x).tanh())
    }

    /// max(0, x), relu(0) = 0: one new node `Op::Relu(x)`.
    pub fn relu(&mut self, x: Var) -> Var {
        self.push(Op::Relu(x), self.value(x).max(0.0))
    }

    /// -x, built from the primitives above (x times a leaf holding -1).
    pub fn neg(&mut self, x: Var) -> Var {
        let minus_one = self.leaf(-1.0);
        self.mul(x, minus_one)
    }

    /// a - b, built from the primitives above.
    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        let minus_b = self.neg(b);
        self.add(a, minus_b)
    }

    /// a / b, built from the primitives above (a times b to the power -1).
    pub fn div(&mut self, a: Var, b: Var) -> Var {
        let inverse = self.pow(b, -1.0);
        self.mul(a, inverse)
    }
}

/// The derivative of node `v` with respect to each of its parents, at the stored values: one
/// `(parent, d v / d parent)` pair per operand, so `Mul(x, x)` gives two pairs for x.
/// A leaf has none. Conventions: d tanh(x)/dx = 1 - tanh(x)², relu'(x) = 1 if x > 0 else 0
/// (relu'(0) = 0, PyTorch's convention).
pub fn local_gradients(g: &Graph, v: Var) -> Vec<(Var, f64)> {
    let value = g.value(v);
    match g.op(v) {
        Op::Leaf => vec![],
        Op::Add(a, b) => vec![(a, 1.0), (b, 1.0)],
        Op::Mul(a, b) => vec![(a, g.value(b)), (b, g.value(a))],
        Op::Pow(x, p) => vec![(x, p * g.value(x).powf(p - 1.0))],
        Op::Exp(x) => vec![(x, value)],
        Op::Ln(x) => vec![(x, 1.0 / g.value(x))],
        Op::Tanh(x) => vec![(x, 1.0 - value * value)],
        Op::Relu(x) => vec![(x, if g.value(x) > 0.0 { 1.0 } else { 0.0 })],
    }
}

/// Every node reachable from `out` through the recorded parents, each exactly once, each
/// after all of its parents (so `out` comes last). Node ids need not follow creation order.
pub fn topological_order(g: &Graph, out: Var) -> Vec<Var> {
    fn visit(g: &Graph, v: Var, seen: &mut [bool], order: &mut Vec<Var>) {
        if seen[v.0] {
            return;
        }
        seen[v.0] = true;
        for (parent, _) in local_gradients(g, v) {
            visit(g, parent, seen, order);
        }
        order.push(v);
    }
    let mut seen = vec![false; g.nodes.len()];
    let mut order = Vec::new();
    visit(g, out, &mut seen, &mut order);
    order
}

/// Reverse-mode autodiff: set every node's `grad` to d out / d node. Zero all grads, seed
/// `out` with 1, then visit the nodes from `out` back to the leaves (the reverse of a
/// topological order), adding (`+=`) each node's grad times its local gradient into its
/// parents. Nodes that `out` does not depend on end with grad 0.
pub fn backward(g: &mut Graph, out: Var) {
    for node in &mut g.nodes {
        node.grad = 0.0;
    }
    g.nodes[out.0].grad = 1.0;
    for v in topological_order(g, out).into_iter().rev() {
        let grad = g.grad(v);
        for (parent, local) in local_gradients(g, v) {
            g.nodes[parent.0].grad += grad * local;
        }
    }
}

// ---- Given: the parameters of a multilayer perceptron, as leaves of a graph. ----

/// One neuron: its weights (one per input) and its bias, leaves of the graph.
#[derive(Debug, Clone)]
pub struct Neuron {
    pub w: Vec<Var>,
    pub b: Var,
}

/// A multilayer perceptron: `layers[k]` holds the neurons of layer k. Hidden layers apply
/// tanh, the last layer (one neuron: the score) is linear.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub layers: Vec<Vec<Neuron>>,
}

impl Mlp {
    /// New parameters pushed as leaves of `g`, for layer sizes such as `[2, 16, 16, 1]`
    /// (inputs first): weights uniform in [-1, 1] / sqrt(fan-in), biases 0, seeded.
    pub fn new(g: &mut Graph, sizes: &[usize], seed: u64) -> Mlp {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let layers = sizes
            .windows(2)
            .map(|pair| {
                let scale = 1.0 / (pair[0] as f64).sqrt();
                (0..pair[1])
                    .map(|_| Neuron {
                        w: (0..pair[0])
                            .map(|_| g.leaf(scale * rng.gen_range(-1.0..1.0)))
                            .collect(),
                        b: g.leaf(0.0),
                    })
                    .collect()
            })
            .collect();
        Mlp { layers }
    }

    /// Every parameter, layer by layer, each neuron's weights then its bias.
    pub fn parameters(&self) -> Vec<Var> {
        let mut params = Vec::new();
        for neuron in self.layers.iter().flatten() {
            params.extend(&neuron.w);
            params.push(neuron.b);
        }
        params
    }
}

// ---- Your work: forward pass, loss, SGD step, training. ----

/// One neuron on inputs `x` (as many as its weights): s = Σ_i w_i x_i + b, then tanh(s) if
/// `nonlinear`, else s itself.
pub fn neuron_forward(g: &mut Graph, neuron: &Neuron, x: &[Var], nonlinear: bool) -> Var {
    let s = neuron.w.iter().zip(x).fold(neuron.b, |acc, (&w, &xi)| {
        let p = g.mul(xi, w);
        g.add(p, acc)
    });
    if nonlinear { g.tanh(s) } else { s }
}

/// The network's score for one example `x`: every hidden layer applies tanh, the last layer
/// (a single neuron) is linear. A positive score predicts class 1.
pub fn mlp_forward(g: &mut Graph, mlp: &Mlp, x: &[Var]) -> Var {
    let mut h: Vec<Var> = x.to_vec();
    for (k, layer) in mlp.layers.iter().enumerate() {
        let hidden = k + 1 < mlp.layers.len();
        h = layer
            .iter()
            .map(|neuron| neuron_forward(g, neuron, &h, hidden))
            .collect();
    }
    h[0]
}

/// The mean hinge loss (1/n) Σ_i max(0, 1 - y_i s_i) of the scores, labels 0 and 1 mapped to
/// y = -1 and +1, as a node of the graph.
pub fn hinge_loss(g: &mut Graph, scores: &[Var], labels: &[usize]) -> Var {
    let one = g.leaf(1.0);
    let mut terms = Vec::with_capacity(scores.len());
    for (&s, &label) in scores.iter().zip(labels) {
        let minus_y = g.leaf(if label == 0 { -1.0 } else { 1.0 });
        let m = g.mul(minus_y, s);
        let t = g.add(one, m);
        terms.push(g.relu(t));
    }
    let mut total = terms[0];
    for &t in &terms[1..] {
        total = g.add(total, t);
    }
    let n = g.leaf(scores.len() as f64);
    g.div(total, n)
}

/// One step of gradient descent: every parameter's value moves by -learning_rate × its grad.
pub fn sgd_step(g: &mut Graph, params: &[Var], learning_rate: f64) {
    params.iter().for_each(|p| {
        let node = &mut g.nodes[p.0];
        node.value -= learning_rate * node.grad;
    });
}

/// Train an MLP on the rows of `x` (n x 2) with labels `y` (0 or 1), seeded by `seed`.
/// Returns the graph and the network, whose parameters are leaves of that graph.
pub fn train(x: &Array2<f64>, y: &[usize], seed: u64) -> (Graph, Mlp) {
    let mut g = Graph::new();
    let mlp = Mlp::new(&mut g, &[2, 16, 16, 1], seed);
    let params = mlp.parameters();
    let n_params = g.nodes.len();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed.wrapping_add(1));
    let mut rows: Vec<usize> = (0..x.nrows()).collect();
    for _epoch in 0..100 {
        // Fisher-Yates shuffle, then mini-batches in order
        for i in (1..rows.len()).rev() {
            let j = rng.gen_range(0..=i);
            rows.swap(i, j);
        }
        for batch in rows.chunks(50) {
            g.nodes.truncate(n_params);
            let mut scores = Vec::new();
            let mut labels = Vec::new();
            for &r in batch {
                let a = g.leaf(x[[r, 0]]);
                let b = g.leaf(x[[r, 1]]);
                scores.push(mlp_forward(&mut g, &mlp, &[a, b]));
                labels.push(y[r]);
            }
            let loss = hinge_loss(&mut g, &scores, &labels);
            backward(&mut g, loss);
            sgd_step(&mut g, &params, 1.0);
        }
    }
    g.nodes.truncate(n_params);
    (g, mlp)
}
