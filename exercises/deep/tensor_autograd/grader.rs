// Grader of deep/tensor_autograd.

use learnml_grader::grade::*;
use learnml_kit::split::{Rng, rng};
use ndarray::{Array2, ArrayD, Axis, Ix2};
use rand::Rng as _;

use super::exercise::{
    Graph, add_backward, matmul_backward, mean_backward, relu_backward, reshape_backward,
    sum_backward,
};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("matmul_backward", matmul_check),
    ("add_backward", add_check),
    ("relu_backward", relu_check),
    ("sum_mean_backward", reductions_check),
    ("reshape_backward", reshape_check),
    ("graph_backward", graph_check),
];

/// Central differences use this step (CS231n's); the analytic gradient must agree to this
/// relative error ||analytic - numeric|| / (||analytic|| + ||numeric||).
const STEP: f64 = 1e-5;
const MAX_RELATIVE_ERROR: f64 = 1e-6;

fn random(r: &mut Rng, shape: &[usize], scale: f64) -> ArrayD<f64> {
    ArrayD::from_shape_fn(shape.to_vec(), |_| scale * r.gen_range(-1.0..1.0))
}

/// dL/dX by central differences of `f` at `x`, one entry at a time.
fn numeric(f: &dyn Fn(&ArrayD<f64>) -> f64, x: &ArrayD<f64>) -> ArrayD<f64> {
    let mut g = ArrayD::zeros(x.raw_dim());
    for (index, slot) in g.iter_mut().enumerate() {
        let at = |delta: f64| {
            let mut moved = x.clone();
            if let Some(v) = moved.iter_mut().nth(index) {
                *v += delta;
            }
            f(&moved)
        };
        *slot = (at(STEP) - at(-STEP)) / (2.0 * STEP);
    }
    g
}

fn norm(a: &ArrayD<f64>) -> f64 {
    a.iter().map(|v| v * v).sum::<f64>().sqrt()
}

fn relative_error(a: &ArrayD<f64>, b: &ArrayD<f64>) -> f64 {
    norm(&(a - b)) / (norm(a) + norm(b)).max(1e-300)
}

/// Compare a gradient with the expected one (shape, finiteness, relative error), naming
/// the classic wrong answers `wrong` (a wrong gradient and why) when the code gives one.
fn check_grad(
    what: &str,
    got: &ArrayD<f64>,
    expected: &ArrayD<f64>,
    wrong: &[(ArrayD<f64>, &str)],
) -> Result<(), Failed> {
    let named = |why: &str| {
        Err(fail(format!(
            "{what}: {why} (expected shape {:?}, got {:?})",
            expected.shape(),
            got.shape()
        )))
    };
    for (value, why) in wrong {
        let distinct = value.shape() != expected.shape()
            || relative_error(value, expected) > MAX_RELATIVE_ERROR;
        if distinct
            && value.shape() == got.shape()
            && got.iter().all(|v| v.is_finite())
            && relative_error(got, value) < MAX_RELATIVE_ERROR
        {
            return named(why);
        }
    }
    equal(&format!("{what}: shape"), &got.shape(), &expected.shape())
        .hint("a gradient always has the shape of the input it belongs to")?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: contains NaN or inf")
    })?;
    let error = relative_error(got, expected);
    if error < MAX_RELATIVE_ERROR {
        return Ok(());
    }
    let (worst, _) = got
        .iter()
        .zip(expected)
        .map(|(g, e)| (g - e).abs())
        .enumerate()
        .fold(
            (0, -1.0),
            |best, (i, d)| if d > best.1 { (i, d) } else { best },
        );
    Err(fail(format!(
        "{what}: relative error {} (bar < 1e-6) against central differences; largest \
         difference at flat index {worst}: analytic {}, numeric {}",
        fmt(error),
        fmt(got.iter().nth(worst).copied().unwrap_or(f64::NAN)),
        fmt(expected.iter().nth(worst).copied().unwrap_or(f64::NAN))
    )))
}

/// Σ_ij g[i, j] (A B)[i, j], with loops.
fn matmul_objective(a: &ArrayD<f64>, b: &ArrayD<f64>, g: &ArrayD<f64>) -> f64 {
    let (n, k, m) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    let mut total = 0.0;
    for i in 0..n {
        for j in 0..m {
            let c: f64 = (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum();
            total += g[[i, j]] * c;
        }
    }
    total
}

fn two(a: &ArrayD<f64>) -> Array2<f64> {
    a.view()
        .into_dimensionality::<Ix2>()
        .expect("built 2-D by the grader")
        .to_owned()
}

fn matmul_check() -> Graded {
    // The first case has a square B (k = m), where dC·B has the right shape but not the
    // right values; the others draw n, k, m in 1..=5.
    let mut r = rng(11);
    let mut shapes = vec![(3, 4, 4)];
    for _ in 0..5 {
        shapes.push((r.gen_range(1..=5), r.gen_range(1..=5), r.gen_range(1..=5)));
    }
    for &(n, k, m) in &shapes {
        let a = random(&mut r, &[n, k], 1.0);
        let b = random(&mut r, &[k, m], 1.0);
        let g = random(&mut r, &[n, m], 1.0);
        let (ga, gb) = matmul_backward(&two(&a), &two(&b), &two(&g));
        let (ga, gb) = (ga.into_dyn(), gb.into_dyn());
        let num_a = numeric(&|x| matmul_objective(x, &b, &g), &a);
        let num_b = numeric(&|x| matmul_objective(&a, x, &g), &b);
        let mut wrong_a = vec![];
        if k == m {
            wrong_a.push((
                two(&g).dot(&two(&b)).into_dyn(),
                "dC·B: transposed the wrong way, dA = dC·Bᵀ ((n, m)·(m, k) = (n, k))",
            ));
        }
        let wrong_b = [(
            two(&g).t().dot(&two(&a)).into_dyn(),
            "this is dBᵀ = dCᵀ·A: transposed the wrong way, dB = Aᵀ·dC ((k, n)·(n, m) = (k, m))",
        )];
        let what = format!("A ({n}, {k}), B ({k}, {m}): dL/dA");
        check_grad(&what, &ga, &num_a, &wrong_a)
            .hint("dA = dC·Bᵀ: each entry of A meets a row of B")?;
        let what = format!("A ({n}, {k}), B ({k}, {m}): dL/dB");
        check_grad(&what, &gb, &num_b, &wrong_b).hint("dB = Aᵀ·dC")?;
    }
    pass("dA = dC·Bᵀ and dB = Aᵀ·dC agree with central differences on 6 seeded shapes")
}

fn add_check() -> Graded {
    let mut r = rng(12);
    let (n, m) = (r.gen_range(2..=5), r.gen_range(2..=5));
    let cases: Vec<(Vec<usize>, Vec<usize>, &str)> = vec![
        (vec![n, m], vec![m], "a bias (m) added to every row"),
        (vec![n, m], vec![1, m], "a bias (1, m) added to every row"),
        (
            vec![n, m],
            vec![n, 1],
            "a column (n, 1) added to every column",
        ),
        (vec![n, m], vec![n, m], "two tensors of the same shape"),
        (
            vec![2, n, m],
            vec![m],
            "a bias (m) added to a (2, n, m) tensor",
        ),
    ];
    for (a_shape, b_shape, what) in &cases {
        let a = random(&mut r, a_shape, 1.0);
        let b = random(&mut r, b_shape, 1.0);
        let g = random(&mut r, (&a + &b).shape(), 1.0);
        let objective = |x: &ArrayD<f64>, y: &ArrayD<f64>| ((x + y) * &g).sum();
        let num_a = numeric(&|x| objective(x, &b), &a);
        let num_b = numeric(&|y| objective(&a, y), &b);
        let (ga, gb) = add_backward(a_shape, b_shape, &g);
        check_grad(&format!("{what}: dL/dA, A {a_shape:?}"), &ga, &num_a, &[])?;
        let mut wrong = vec![(
            g.clone(),
            "not summed over the broadcast (batch) axis: B was used for every row, so its \
             gradient adds up every row's share",
        )];
        if b_shape.len() == 2 && b_shape[0] == 1 {
            wrong.push((
                g.sum_axis(Axis(0)),
                "summed, but the size-1 axis was dropped: keep B's shape (1, m)",
            ));
        }
        if b_shape.len() < a_shape.len() {
            let mut mean = g.clone();
            while mean.ndim() > b_shape.len() {
                mean = mean.mean_axis(Axis(0)).expect("non-empty");
            }
            wrong.push((mean, "averaged over the batch axis: sum, do not average"));
        }
        check_grad(
            &format!("{what}: dL/dB, B {b_shape:?}"),
            &gb,
            &num_b,
            &wrong,
        )
        .hint("sum_to_shape(grad, b_shape) sums away the axes broadcasting added")?;
    }
    pass("add_backward gives each input its own shape, summing over broadcast axes (5 cases)")
}

fn relu_check() -> Graded {
    let mut r = rng(13);
    for case in 0..4 {
        let shape = [r.gen_range(2..=6), r.gen_range(2..=6)];
        // Entries at least 0.01 away from the kink, then every fifth set to exactly 0.
        let mut x = random(&mut r, &shape, 1.0).mapv(|v| if v.abs() < 0.01 { 0.5 } else { v });
        let g = random(&mut r, &shape, 1.0);
        let smooth = x.clone();
        let num = numeric(&|y| (y.mapv(|v| v.max(0.0)) * &g).sum(), &smooth);
        let got = relu_backward(&smooth, &g);
        let wrong = [
            (
                &g * &smooth.mapv(|v| v.max(0.0)),
                "multiplied by the output relu(x): the derivative is the mask [x > 0], not relu(x)",
            ),
            (g.clone(), "no mask: the gradient must stop where x ≤ 0"),
            (
                g.mapv(|v| v.max(0.0)),
                "the mask came from the gradient (relu applied to dY): the mask is x > 0, from \
                 the op's input x",
            ),
        ];
        check_grad(
            &format!("case {case}, X {shape:?}: dL/dX"),
            &got,
            &num,
            &wrong,
        )
        .hint("dX = dY where x > 0, and 0 elsewhere")?;
        for (i, v) in x.iter_mut().enumerate() {
            if i % 5 == 0 {
                *v = 0.0;
            }
        }
        let expected =
            ArrayD::from_shape_fn(x.raw_dim(), |i| if x[&i] > 0.0 { g[&i] } else { 0.0 });
        let ge = ArrayD::from_shape_fn(x.raw_dim(), |i| if x[&i] >= 0.0 { g[&i] } else { 0.0 });
        let got = relu_backward(&x, &g);
        check_grad(
            &format!("case {case}, X {shape:?} with exact zeros: dL/dX"),
            &got,
            &expected,
            &[(
                ge,
                "the gradient passes at x = 0: the convention here (PyTorch's) is relu'(0) = 0, \
                 a mask of x > 0, not x >= 0",
            )],
        )?;
    }
    pass("relu_backward masks with x > 0 (relu'(0) = 0), on 4 seeded cases with exact zeros")
}

fn reductions_check() -> Graded {
    let mut r = rng(14);
    let shapes = [
        vec![r.gen_range(2..=7)],
        vec![r.gen_range(2..=5), r.gen_range(2..=5)],
        vec![2, r.gen_range(2..=4), r.gen_range(2..=4)],
    ];
    for shape in &shapes {
        let x = random(&mut r, shape, 1.0);
        let g: f64 = r.gen_range(0.5..2.0);
        let count = x.len() as f64;
        let num_sum = numeric(&|y| g * y.sum(), &x);
        let num_mean = numeric(&|y| g * y.sum() / y.len() as f64, &x);
        check_grad(
            &format!("sum over X {shape:?}, dL/ds = {}: dL/dX", fmt(g)),
            &sum_backward(shape, g),
            &num_sum,
            &[(
                num_sum.mapv(|v| v / count),
                "divided by the count: that is the rule of mean, each entry counts once in a sum",
            )],
        )
        .hint("every entry of X adds to s once: dX = dL/ds everywhere")?;
        check_grad(
            &format!("mean over X {shape:?}, dL/dm = {}: dL/dX", fmt(g)),
            &mean_backward(shape, g),
            &num_mean,
            &{
                let mut wrong = vec![(
                    num_sum.clone(),
                    "not divided by the count: the mean is the sum / count, so each entry gets dL/dm / count",
                )];
                if shape.len() > 1 {
                    wrong.push((
                        num_sum.mapv(|v| v / shape[0] as f64),
                        "divided by the length of the first axis only: the count is the number \
                         of all entries, the product of the shape",
                    ));
                }
                wrong
            },
        )
        .hint("dX = dL/dm / (number of entries) everywhere")?;
    }
    pass("sum spreads dL/ds to every entry, mean spreads dL/dm / count (3 seeded shapes)")
}

fn reshape_check() -> Graded {
    let mut r = rng(15);
    let (a, b, c) = (r.gen_range(2..=4), r.gen_range(2..=4), r.gen_range(2..=4));
    let b = if b == a { a + 1 } else { b };
    let cases = [
        (vec![a, b], vec![b, a]),
        (vec![a, b, c], vec![a, b * c]),
        (vec![a, b], vec![a * b]),
        (vec![a * b], vec![b, a]),
    ];
    for (from, to) in &cases {
        let x = random(&mut r, from, 1.0);
        let g = random(&mut r, to, 1.0);
        let objective = |y: &ArrayD<f64>| y.iter().zip(&g).map(|(p, q)| p * q).sum::<f64>();
        let num = numeric(&objective, &x);
        let mut wrong = vec![(
            g.clone(),
            "not reshaped back to the input's shape: dY has the output's shape",
        )];
        if to.len() == 2 && from.len() == 2 && to[0] == from[1] && to[1] == from[0] {
            wrong.push((
                g.t().to_owned(),
                "transposed, not reshaped back: a reshape keeps the row-major order of the entries",
            ));
        }
        check_grad(
            &format!("X {from:?} reshaped to {to:?}: dL/dX"),
            &reshape_backward(from, &g),
            &num,
            &wrong,
        )
        .hint("reshape dY back to x_shape, row-major (ndarray's to_shape)")?;
    }
    pass("reshape_backward reshapes dY back to the input's shape, row-major (4 cases)")
}

/// Builds the network's parameters with one leaf replaced.
type With<'a> = &'a dyn Fn(&ArrayD<f64>) -> Mlp;

struct Mlp {
    x: ArrayD<f64>,
    w1: ArrayD<f64>,
    b1: ArrayD<f64>,
    w2: ArrayD<f64>,
    b2: ArrayD<f64>,
}

/// relu(x w1 + b1) and relu(h1 w2 + b2) with loops, and the pre-activations.
fn mlp_layers(p: &Mlp) -> (Array2<f64>, Array2<f64>, Vec<f64>) {
    let layer = |input: &Array2<f64>, w: &ArrayD<f64>, b: &ArrayD<f64>, pre: &mut Vec<f64>| {
        let (n, d, h) = (input.nrows(), w.shape()[0], w.shape()[1]);
        Array2::from_shape_fn((n, h), |(i, j)| {
            let z = (0..d).map(|a| input[[i, a]] * w[[a, j]]).sum::<f64>() + b[[j]];
            pre.push(z);
            z.max(0.0)
        })
    };
    let mut pre = Vec::new();
    let h1 = layer(&two(&p.x), &p.w1, &p.b1, &mut pre);
    let h2 = layer(&h1, &p.w2, &p.b2, &mut pre);
    (h1, h2, pre)
}

/// L = mean(relu(h1 w2 + b2)) + sum(h1), h1 = relu(x w1 + b1): h1 feeds two paths.
fn mlp_loss(p: &Mlp) -> f64 {
    let (h1, h2, _) = mlp_layers(p);
    h2.sum() / h2.len() as f64 + h1.sum()
}

fn mlp_case(seed: u64) -> Mlp {
    for attempt in 0.. {
        let mut r = rng(seed + 1000 * attempt);
        let (n, d, h, k) = (5, 4, 6, 3);
        let p = Mlp {
            x: random(&mut r, &[n, d], 1.0),
            w1: random(&mut r, &[d, h], 0.8),
            b1: random(&mut r, &[h], 0.3),
            w2: random(&mut r, &[h, k], 0.8),
            b2: random(&mut r, &[k], 0.3).mapv(|v| v + 0.3),
        };
        if mlp_layers(&p).2.iter().all(|z| z.abs() > 1e-3) {
            return p;
        }
    }
    unreachable!("the loop only ends by returning")
}

fn graph_check() -> Graded {
    let p = mlp_case(16);
    let mut graph = Graph::new();
    let x = graph.leaf(p.x.clone());
    let w1 = graph.leaf(p.w1.clone());
    let b1 = graph.leaf(p.b1.clone());
    let w2 = graph.leaf(p.w2.clone());
    let b2 = graph.leaf(p.b2.clone());
    let z1 = graph.matmul(x, w1);
    let a1 = graph.add(z1, b1);
    let h1 = graph.relu(a1);
    let z2 = graph.matmul(h1, w2);
    let a2 = graph.add(z2, b2);
    let h2 = graph.relu(a2);
    let n_out = graph.value(h2).len();
    let flat = graph.reshape(h2, &[n_out]);
    let m = graph.mean(flat);
    let s = graph.sum(h1);
    let loss = graph.add(m, s);
    close(
        "the forward value of L",
        graph.value(loss).sum(),
        mlp_loss(&p),
        1e-10,
    )?;
    let grads = graph.backward(loss);
    equal("number of gradients", &grads.len(), &graph.nodes.len())?;
    let leaves: [(&str, usize, With); 5] = [
        ("x (5, 4)", x, &|v| Mlp {
            x: v.clone(),
            ..clone_mlp(&p)
        }),
        ("w1 (4, 6)", w1, &|v| Mlp {
            w1: v.clone(),
            ..clone_mlp(&p)
        }),
        ("b1 (6)", b1, &|v| Mlp {
            b1: v.clone(),
            ..clone_mlp(&p)
        }),
        ("w2 (6, 3)", w2, &|v| Mlp {
            w2: v.clone(),
            ..clone_mlp(&p)
        }),
        ("b2 (3)", b2, &|v| Mlp {
            b2: v.clone(),
            ..clone_mlp(&p)
        }),
    ];
    for (name, id, with) in leaves {
        let at = graph.value(id).clone();
        let num = numeric(&|v| mlp_loss(&with(v)), &at);
        check_grad(
            &format!("through the graph: dL/d{name}"),
            &grads[id],
            &num,
            &[],
        )
        .hint("check the op-by-op checks first: the graph only chains your rules")?;
    }
    pass(
        "L = mean(relu(h1 W2 + b2)) + sum(h1), h1 = relu(X W1 + b1): every leaf's gradient \
         agrees with central differences (h1 feeds two paths; their shares add up)",
    )
}

fn clone_mlp(p: &Mlp) -> Mlp {
    Mlp {
        x: p.x.clone(),
        w1: p.w1.clone(),
        b1: p.b1.clone(),
        w2: p.w2.clone(),
        b2: p.b2.clone(),
    }
}
