//! alternative: tanh from exp_m1 of -2|x| with copysign (accurate near 0), relu by if, values read from self.nodes, neg as leaf times x, sub and div with operands in reversed order

// deep/scalar_values: a graph of scalar values, each node recording its operation and parents.
// `learnml show deep/scalar_values` shows the full statement; `learnml check deep/scalar_values` grades this file.

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
        let v = self.nodes[a.0].value + self.nodes[b.0].value;
        self.push(Op::Add(a, b), v)
    }

    /// a · b: one new node `Op::Mul(a, b)`.
    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        let (x, y) = (self.value(a), self.value(b));
        self.push(Op::Mul(a, b), x * y)
    }

    /// x^p for a constant real exponent p: one new node `Op::Pow(x, p)`.
    pub fn pow(&mut self, x: Var, p: f64) -> Var {
        let v = self.value(x).powf(p);
        self.push(Op::Pow(x, p), v)
    }

    /// e^x: one new node `Op::Exp(x)`.
    pub fn exp(&mut self, x: Var) -> Var {
        let v = self.value(x).exp();
        self.push(Op::Exp(x), v)
    }

    /// The natural logarithm of x: one new node `Op::Ln(x)`.
    pub fn ln(&mut self, x: Var) -> Var {
        let v = self.value(x).ln();
        self.push(Op::Ln(x), v)
    }

    /// tanh x, finite for every finite x: one new node `Op::Tanh(x)`.
    pub fn tanh(&mut self, x: Var) -> Var {
        let t = self.value(x);
        let e = (-2.0 * t.abs()).exp_m1();
        let v = (-e / (2.0 + e)).copysign(t);
        self.push(Op::Tanh(x), v)
    }

    /// max(0, x), relu(0) = 0: one new node `Op::Relu(x)`.
    pub fn relu(&mut self, x: Var) -> Var {
        let t = self.value(x);
        let v = if t > 0.0 { t } else { 0.0 };
        self.push(Op::Relu(x), v)
    }

    /// -x, built from the primitives above (x times a leaf holding -1).
    pub fn neg(&mut self, x: Var) -> Var {
        let m = self.leaf(-1.0);
        self.mul(m, x)
    }

    /// a - b, built from the primitives above.
    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        let nb = self.neg(b);
        self.add(nb, a)
    }

    /// a / b, built from the primitives above (a times b to the power -1).
    pub fn div(&mut self, a: Var, b: Var) -> Var {
        let inv = self.pow(b, -1.0);
        self.mul(inv, a)
    }
}
