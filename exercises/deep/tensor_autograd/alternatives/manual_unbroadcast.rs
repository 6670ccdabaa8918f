//! alternative: matmul by triple loops, the broadcast input's gradient undone by hand (each gradient entry added to the input entry it was read from) instead of sum_to_shape, relu with Zip, reshape by collecting the row-major entries

// deep/tensor_autograd: the backward rule of each tensor op of a small autograd engine.
// `learnml show deep/tensor_autograd` shows the full statement; `learnml check deep/tensor_autograd` grades this file.

use ndarray::{Array2, ArrayD, Axis, Ix2};

// ---- Given: the engine (graph, forward, topological order, sum_to_shape). Do not edit. ----

/// What produced a node: a leaf (an input or a parameter) or an op on earlier nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Leaf,
    MatMul(usize, usize),
    Add(usize, usize),
    Relu(usize),
    Sum(usize),
    Mean(usize),
    Reshape(usize),
}

/// A node of the graph: its value (computed by the forward pass) and the op that made it.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: ArrayD<f64>,
    pub op: Op,
}

/// An arena of tensor nodes; a node refers to its inputs by their index in `nodes`.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
}

/// A 2-D copy of a tensor that must be 2-D (the operands of a matrix product).
pub fn as2(a: &ArrayD<f64>) -> Array2<f64> {
    a.view()
        .into_dimensionality::<Ix2>()
        .expect("a 2-D tensor")
        .to_owned()
}

/// Sums `grad` down to `shape`, undoing NumPy broadcasting: leading axes that broadcasting
/// added are summed away, and axes where `shape` has size 1 are summed, keeping the axis.
/// `sum_to_shape` of a (n, m) gradient to `[m]` or `[1, m]` sums over the batch axis 0.
pub fn sum_to_shape(grad: &ArrayD<f64>, shape: &[usize]) -> ArrayD<f64> {
    let mut g = grad.clone();
    while g.ndim() > shape.len() {
        g = g.sum_axis(Axis(0));
    }
    for (axis, &size) in shape.iter().enumerate() {
        if size == 1 && g.shape()[axis] != 1 {
            g = g.sum_axis(Axis(axis)).insert_axis(Axis(axis));
        }
    }
    g
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, value: ArrayD<f64>, op: Op) -> usize {
        self.nodes.push(Node { value, op });
        self.nodes.len() - 1
    }

    pub fn value(&self, id: usize) -> &ArrayD<f64> {
        &self.nodes[id].value
    }

    /// An input or a parameter.
    pub fn leaf(&mut self, value: ArrayD<f64>) -> usize {
        self.push(value, Op::Leaf)
    }

    /// The matrix product of two 2-D tensors, (n, k) · (k, m) → (n, m).
    pub fn matmul(&mut self, a: usize, b: usize) -> usize {
        let value = as2(self.value(a)).dot(&as2(self.value(b))).into_dyn();
        self.push(value, Op::MatMul(a, b))
    }

    /// The sum with NumPy broadcasting, e.g. (n, m) + (m) adds a bias to every row.
    pub fn add(&mut self, a: usize, b: usize) -> usize {
        let value = self.value(a) + self.value(b);
        self.push(value, Op::Add(a, b))
    }

    /// max(x, 0) element-wise.
    pub fn relu(&mut self, a: usize) -> usize {
        let value = self.value(a).mapv(|v| v.max(0.0));
        self.push(value, Op::Relu(a))
    }

    /// The sum of all entries, a 0-d tensor.
    pub fn sum(&mut self, a: usize) -> usize {
        let value = ArrayD::from_elem(vec![], self.value(a).sum());
        self.push(value, Op::Sum(a))
    }

    /// The mean of all entries, a 0-d tensor.
    pub fn mean(&mut self, a: usize) -> usize {
        let x = self.value(a);
        let value = ArrayD::from_elem(vec![], x.sum() / x.len() as f64);
        self.push(value, Op::Mean(a))
    }

    /// The same entries in row-major (C) order under a new shape of the same size.
    pub fn reshape(&mut self, a: usize, shape: &[usize]) -> usize {
        let value = self
            .value(a)
            .to_shape(shape.to_vec())
            .expect("a shape with as many entries")
            .to_owned();
        self.push(value, Op::Reshape(a))
    }

    fn inputs(&self, id: usize) -> Vec<usize> {
        match self.nodes[id].op {
            Op::Leaf => vec![],
            Op::MatMul(a, b) | Op::Add(a, b) => vec![a, b],
            Op::Relu(a) | Op::Sum(a) | Op::Mean(a) | Op::Reshape(a) => vec![a],
        }
    }

    /// The nodes `root` depends on, each after all of its inputs (a depth-first post-order).
    pub fn topological_order(&self, root: usize) -> Vec<usize> {
        let mut order = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![(root, false)];
        while let Some((id, finished)) = stack.pop() {
            if finished {
                order.push(id);
            } else if !seen[id] {
                seen[id] = true;
                stack.push((id, true));
                for input in self.inputs(id) {
                    if !seen[input] {
                        stack.push((input, false));
                    }
                }
            }
        }
        order
    }

    /// dL/d(node) for every node, where L is the 0-d node `root`: the gradients start at 1
    /// for the root and flow back in reverse topological order; each op hands its inputs
    /// their share (your `*_backward` functions), which is added to what they already have.
    pub fn backward(&self, root: usize) -> Vec<ArrayD<f64>> {
        let mut grads: Vec<ArrayD<f64>> = self
            .nodes
            .iter()
            .map(|n| ArrayD::zeros(n.value.raw_dim()))
            .collect();
        grads[root].fill(1.0);
        for id in self.topological_order(root).into_iter().rev() {
            let g = grads[id].clone();
            let shape = |i: usize| self.nodes[i].value.shape().to_vec();
            let shares: Vec<(usize, ArrayD<f64>)> = match self.nodes[id].op {
                Op::Leaf => vec![],
                Op::MatMul(a, b) => {
                    let (ga, gb) =
                        matmul_backward(&as2(self.value(a)), &as2(self.value(b)), &as2(&g));
                    vec![(a, ga.into_dyn()), (b, gb.into_dyn())]
                }
                Op::Add(a, b) => {
                    let (ga, gb) = add_backward(&shape(a), &shape(b), &g);
                    vec![(a, ga), (b, gb)]
                }
                Op::Relu(a) => vec![(a, relu_backward(self.value(a), &g))],
                Op::Sum(a) => vec![(a, sum_backward(&shape(a), g.sum()))],
                Op::Mean(a) => vec![(a, mean_backward(&shape(a), g.sum()))],
                Op::Reshape(a) => vec![(a, reshape_backward(&shape(a), &g))],
            };
            for (input, share) in shares {
                assert_eq!(
                    share.shape(),
                    grads[input].shape(),
                    "the backward of node {id} ({:?}) gave its input {input} a gradient of the wrong shape",
                    self.nodes[id].op
                );
                grads[input] += &share;
            }
        }
        grads
    }
}

// ---- Yours: the backward rule of each op. ----

/// Loops over the triple index.
pub fn matmul_backward(
    a: &Array2<f64>,
    b: &Array2<f64>,
    grad: &Array2<f64>,
) -> (Array2<f64>, Array2<f64>) {
    let (n, k) = a.dim();
    let m = b.ncols();
    let mut da = Array2::zeros((n, k));
    let mut db = Array2::zeros((k, m));
    for i in 0..n {
        for p in 0..k {
            for j in 0..m {
                da[[i, p]] += grad[[i, j]] * b[[p, j]];
                db[[p, j]] += a[[i, p]] * grad[[i, j]];
            }
        }
    }
    (da, db)
}

/// Broadcasting undone by hand: every entry of the gradient goes to the entry of the input
/// it was read from (right-aligned axes, size-1 axes read at 0).
fn unbroadcast(shape: &[usize], grad: &ArrayD<f64>) -> ArrayD<f64> {
    let mut out = ArrayD::zeros(shape.to_vec());
    let offset = grad.ndim() - shape.len();
    for (index, &g) in grad.indexed_iter() {
        let source: Vec<usize> = (0..shape.len())
            .map(|ax| {
                if shape[ax] == 1 {
                    0
                } else {
                    index[ax + offset]
                }
            })
            .collect();
        out[source.as_slice()] += g;
    }
    out
}

pub fn add_backward(
    a_shape: &[usize],
    b_shape: &[usize],
    grad: &ArrayD<f64>,
) -> (ArrayD<f64>, ArrayD<f64>) {
    (sum_to_shape(grad, a_shape), unbroadcast(b_shape, grad))
}

pub fn relu_backward(x: &ArrayD<f64>, grad: &ArrayD<f64>) -> ArrayD<f64> {
    let mut out = grad.clone();
    ndarray::Zip::from(&mut out).and(x).for_each(|g, &v| {
        if v <= 0.0 {
            *g = 0.0;
        }
    });
    out
}

pub fn sum_backward(x_shape: &[usize], grad: f64) -> ArrayD<f64> {
    ArrayD::ones(x_shape.to_vec()) * grad
}

pub fn mean_backward(x_shape: &[usize], grad: f64) -> ArrayD<f64> {
    let count: usize = x_shape.iter().product();
    ArrayD::from_elem(x_shape.to_vec(), grad * (1.0 / count as f64))
}

pub fn reshape_backward(x_shape: &[usize], grad: &ArrayD<f64>) -> ArrayD<f64> {
    let flat: Vec<f64> = grad.iter().copied().collect();
    ArrayD::from_shape_vec(x_shape.to_vec(), flat).unwrap()
}
