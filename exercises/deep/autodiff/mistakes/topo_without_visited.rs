//! mistake: the depth-first search never checks `seen`, so a node used twice is listed twice (and backward adds its contributions twice)
//! fails: topological_order, backward_gradients, permuted_graphs, second_backward
//! message: "is listed twice"

// deep/autodiff: reverse-mode automatic differentiation on the graph of deep/scalar_values.
// `learnml show deep/autodiff` shows the full statement; `learnml check deep/autodiff` grades this file.

// ---- Given: the engine of deep/scalar_values, complete. Your work starts after it. ----

/// A handle on a node of a [`Graph`]: its index in `graph.nodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var(pub usize);

/// How a node was computed, with its parents' handles.
#[derive(Debug, Clone, Copy, PartialEq)]
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

// ---- Your work: the backward pass. ----

/// The derivative of node `v` with respect to each of its parents, at the stored values: one
/// `(parent, d v / d parent)` pair per operand, so `Mul(x, x)` gives two pairs for x.
/// A leaf has none. Conventions: d tanh(x)/dx = 1 - tanh(x)², relu'(x) = 1 if x > 0 else 0
/// (relu'(0) = 0, PyTorch's convention).
pub fn local_gradients(g: &Graph, v: Var) -> Vec<(Var, f64)> {
    let x = |p: Var| g.value(p);
    match g.op(v) {
        Op::Leaf => vec![],
        Op::Add(a, b) if a == b => vec![(a, 2.0)],
        Op::Add(a, b) => vec![(a, 1.0), (b, 1.0)],
        Op::Mul(a, b) if a == b => vec![(a, 2.0 * x(a))],
        Op::Mul(a, b) => vec![(a, x(b)), (b, x(a))],
        Op::Pow(a, p) => vec![(a, p * x(a).powf(p - 1.0))],
        Op::Exp(a) => vec![(a, x(a).exp())],
        Op::Ln(a) => vec![(a, x(a).recip())],
        Op::Tanh(a) => {
            let t = g.value(v);
            vec![(a, (1.0 - t) * (1.0 + t))]
        }
        Op::Relu(a) => vec![(a, if g.value(v) > 0.0 { 1.0 } else { 0.0 })],
    }
}

/// Every node reachable from `out` through the recorded parents, each exactly once, each
/// after all of its parents (so `out` comes last). Node ids need not follow creation order.
pub fn topological_order(g: &Graph, out: Var) -> Vec<Var> {
    fn visit(g: &Graph, v: Var, seen: &mut [bool], order: &mut Vec<Var>) {
        seen[v.0] = true;
        match g.op(v) {
            Op::Leaf => {}
            Op::Add(a, b) | Op::Mul(a, b) => {
                visit(g, a, seen, order);
                visit(g, b, seen, order);
            }
            Op::Pow(a, _) | Op::Exp(a) | Op::Ln(a) | Op::Tanh(a) | Op::Relu(a) => {
                visit(g, a, seen, order)
            }
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
    g.nodes.iter_mut().for_each(|n| n.grad = 0.0);
    g.nodes[out.0].grad = 1.0;
    let order = topological_order(g, out);
    for &v in order.iter().rev() {
        let upstream = g.grad(v);
        for (p, local) in local_gradients(g, v) {
            g.nodes[p.0].grad += upstream * local;
        }
    }
}
