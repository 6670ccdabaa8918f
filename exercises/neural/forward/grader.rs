// Grader of neural/forward.

use learnml_grader::grade::*;
use learnml_kit::split::rng;
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{Forward, forward};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("shapes", shapes),
    ("hidden_layer", hidden_layer),
    ("output_layer", output_layer),
    ("large_logits", large_logits),
    ("hidden_batch", hidden_batch),
];

struct Net {
    x: Array2<f64>,
    w1: Array2<f64>,
    b1: Array1<f64>,
    w2: Array2<f64>,
    b2: Array1<f64>,
}

/// The classic wrong variants the grader computes to name a mistake.
#[derive(Clone, Copy, Default)]
struct Variant {
    transpose_w1: bool,
    transpose_w2: bool,
    no_relu: bool,
    no_b1: bool,
    bias_after_relu: bool,
    softmax_columns: bool,
}

/// The grader's own forward pass, with explicit loops (independent of ndarray's `dot`).
fn reference(net: &Net, v: Variant) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let (n, d) = net.x.dim();
    let h = net.b1.len();
    let k = net.b2.len();
    let w1 = |a: usize, j: usize| {
        if v.transpose_w1 {
            net.w1[[j, a]]
        } else {
            net.w1[[a, j]]
        }
    };
    let w2 = |a: usize, c: usize| {
        if v.transpose_w2 {
            net.w2[[c, a]]
        } else {
            net.w2[[a, c]]
        }
    };
    let mut hidden = Array2::zeros((n, h));
    for i in 0..n {
        for j in 0..h {
            let s: f64 = (0..d).map(|a| net.x[[i, a]] * w1(a, j)).sum();
            let b = if v.no_b1 { 0.0 } else { net.b1[j] };
            hidden[[i, j]] = match (v.no_relu, v.bias_after_relu) {
                (true, _) => s + b,
                (false, true) => s.max(0.0) + b,
                (false, false) => (s + b).max(0.0),
            };
        }
    }
    let mut logits = Array2::zeros((n, k));
    for i in 0..n {
        for c in 0..k {
            logits[[i, c]] = (0..h).map(|a| hidden[[i, a]] * w2(a, c)).sum::<f64>() + net.b2[c];
        }
    }
    let mut probs = Array2::zeros((n, k));
    if v.softmax_columns {
        for c in 0..k {
            let m = (0..n)
                .map(|i| logits[[i, c]])
                .fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = (0..n).map(|i| (logits[[i, c]] - m).exp()).sum();
            for i in 0..n {
                probs[[i, c]] = (logits[[i, c]] - m).exp() / total;
            }
        }
    } else {
        for i in 0..n {
            let m = (0..k)
                .map(|c| logits[[i, c]])
                .fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = (0..k).map(|c| (logits[[i, c]] - m).exp()).sum();
            for c in 0..k {
                probs[[i, c]] = (logits[[i, c]] - m).exp() / total;
            }
        }
    }
    (hidden, logits, probs)
}

/// 5 examples, d = 3, h = 4, k = 2: no two dimensions equal, so a transposed product panics.
fn small() -> Net {
    Net {
        x: array![
            [1.0, 2.0, -1.0],
            [0.5, -1.5, 2.0],
            [-2.0, 0.0, 1.0],
            [3.0, 1.0, 0.5],
            [0.0, -1.0, -2.0]
        ],
        w1: array![
            [0.2, -0.5, 1.0, 0.3],
            [-0.4, 0.1, 0.6, -0.2],
            [0.7, 0.3, -0.8, 0.5]
        ],
        b1: array![0.1, -0.2, 0.0, 0.3],
        w2: array![[1.0, -1.0], [0.5, 0.8], [-0.6, 0.4], [0.9, -0.3]],
        b2: array![0.05, -0.05],
    }
}

/// d = h = k = 3: a transposed weight matrix does not panic here, it gives wrong numbers.
fn square() -> Net {
    Net {
        x: array![
            [1.0, -2.0, 0.5],
            [0.0, 1.0, 2.0],
            [-1.0, 0.5, -0.5],
            [2.0, 2.0, 1.0]
        ],
        w1: array![[0.3, -0.7, 0.2], [0.9, 0.4, -0.5], [-0.1, 0.6, 0.8]],
        b1: array![0.2, -0.1, 0.4],
        w2: array![[0.5, -0.4, 1.2], [-0.8, 0.7, 0.1], [0.3, 0.9, -0.6]],
        b2: array![0.1, 0.0, -0.2],
    }
}

fn run(net: &Net) -> Forward {
    forward(&net.x, &net.w1, &net.b1, &net.w2, &net.b2)
}

/// Append the diagnosis of a recognised wrong variant to the failure's message.
fn naming(result: Result<(), Failed>, why: &str) -> Result<(), Failed> {
    result.map_err(|mut failed| {
        failed.message = format!("{}: {why}", failed.message);
        failed
    })
}

fn matches(got: &Array2<f64>, other: &Array2<f64>) -> bool {
    got.dim() == other.dim() && got.iter().zip(other).all(|(g, o)| (g - o).abs() < 1e-9)
}

const TOLERANCE: f64 = 1e-10;

fn shapes() -> Graded {
    let out = run(&small());
    equal(
        "hidden shape (n, h) for n = 5, d = 3, h = 4, k = 2",
        &out.hidden.dim(),
        &(5, 4),
    )
    .hint("X (n x d) times W1 (d x h) is n x h: `x.dot(w1)`, with W1 as given, not transposed")?;
    equal("logits shape (n, k)", &out.logits.dim(), &(5, 2))?;
    equal("probs shape (n, k)", &out.probs.dim(), &(5, 2))?;
    pass("hidden 5 x 4, logits 5 x 2, probs 5 x 2")
}

fn hidden_layer() -> Graded {
    let net = square();
    let out = run(&net);
    let (expected, _, _) = reference(&net, Variant::default());
    if !matches(&out.hidden, &expected) {
        let named = [
            (
                Variant {
                    transpose_w1: true,
                    ..Default::default()
                },
                "this is X W1ᵀ: W1 is d x h and X W1 is `x.dot(w1)`; with d = h the transposed product runs and is wrong",
            ),
            (
                Variant {
                    no_relu: true,
                    ..Default::default()
                },
                "negative values remain: apply relu, max(0, ·), after adding the bias",
            ),
            (
                Variant {
                    no_b1: true,
                    ..Default::default()
                },
                "the bias b1 is missing: add it to every row of X W1 (broadcasting `+ b1` does it)",
            ),
            (
                Variant {
                    bias_after_relu: true,
                    ..Default::default()
                },
                "you added b1 after relu: the activation applies to X W1 + b1",
            ),
        ];
        for (variant, hint) in named {
            if matches(&out.hidden, &reference(&net, variant).0) {
                naming(
                    matrix_close(
                        "hidden (square case d = h = 3)",
                        &out.hidden,
                        &expected,
                        TOLERANCE,
                    ),
                    hint,
                )?;
            }
        }
    }
    matrix_close(
        "hidden (square case d = h = 3)",
        &out.hidden,
        &expected,
        TOLERANCE,
    )?;
    let net = small();
    matrix_close(
        "hidden (5 x 4 case)",
        &run(&net).hidden,
        &reference(&net, Variant::default()).0,
        TOLERANCE,
    )?;
    pass("hidden = relu(X W1 + b1) within 1e-10")
}

fn output_layer() -> Graded {
    let net = square();
    let out = run(&net);
    let (hidden, logits, probs) = reference(&net, Variant::default());
    matrix_close("hidden (square case), which the output layer uses", &out.hidden, &hidden, TOLERANCE)
        .hint("the hidden layer is wrong, so the logits cannot be right: pass the `hidden_layer` check first")?;
    let transposed = reference(
        &net,
        Variant {
            transpose_w2: true,
            ..Default::default()
        },
    );
    if matches(&out.logits, &transposed.1) && !matches(&out.logits, &logits) {
        naming(
            matrix_close(
                "logits (square case h = k = 3)",
                &out.logits,
                &logits,
                TOLERANCE,
            ),
            "this is H W2ᵀ: W2 is h x k and H W2 is `hidden.dot(w2)`",
        )?;
    }
    if matches(&out.logits, &logits.mapv(|v| v.max(0.0))) && !matches(&out.logits, &logits) {
        naming(
            matrix_close(
                "logits (square case h = k = 3)",
                &out.logits,
                &logits,
                TOLERANCE,
            ),
            "relu was applied to the logits: logits = H W2 + b2 with no activation, softmax comes after",
        )?;
    }
    matrix_close(
        "logits (square case h = k = 3)",
        &out.logits,
        &logits,
        TOLERANCE,
    )
    .hint("logits = H W2 + b2, with no activation: softmax comes after")?;
    let columns = reference(
        &net,
        Variant {
            softmax_columns: true,
            ..Default::default()
        },
    )
    .2;
    if matches(&out.probs, &columns) {
        naming(
            matrix_close("probs (square case)", &out.probs, &probs, TOLERANCE),
            "you normalized each column (over the examples): softmax is over the k classes of each row, so each row sums to 1",
        )?;
    }
    matrix_close("probs (square case)", &out.probs, &probs, TOLERANCE)?;
    let net = small();
    let (_, logits, probs) = reference(&net, Variant::default());
    let out = run(&net);
    matrix_close("logits (5 x 2 case)", &out.logits, &logits, TOLERANCE)?;
    matrix_close("probs (5 x 2 case)", &out.probs, &probs, TOLERANCE)?;
    pass("logits = H W2 + b2 and row-wise softmax probs within 1e-10")
}

fn large_logits() -> Graded {
    let mut net = square();
    net.w2 *= 1000.0;
    let out = run(&net);
    let (hidden, _, probs) = reference(&net, Variant::default());
    matrix_close("hidden (square case)", &out.hidden, &hidden, TOLERANCE)
        .hint("the hidden layer is wrong, so the probabilities cannot be right: pass the `hidden_layer` check first")?;
    ensure(out.probs.iter().all(|v| v.is_finite()), || {
        "probs with W2 scaled by 1000 (logits in the thousands) contain NaN or inf: overflow, the softmax exponentiated without subtracting each row's max".to_string()
    })
    .hint("overflow: e^z is inf for z > 709.8; subtract each row's max logit before exponentiating (the previous exercise's stable softmax)")?;
    matrix_close(
        "probs with W2 scaled by 1000",
        &out.probs,
        &probs,
        TOLERANCE,
    )?;
    pass("probs finite and right with logits in the thousands")
}

fn hidden_batch() -> Graded {
    let mut r = rng(17);
    let mut random = |rows: usize, cols: usize, scale: f64| {
        Array2::from_shape_fn((rows, cols), |_| scale * r.gen_range(-1.0..1.0))
    };
    let (n, d, h, k) = (50, 64, 32, 10);
    let x = random(n, d, 1.0);
    let w1 = random(d, h, 0.3);
    let w2 = random(h, k, 0.5);
    let b1 = random(1, h, 0.1).row(0).to_owned();
    let b2 = random(1, k, 0.1).row(0).to_owned();
    let net = Net { x, w1, b1, w2, b2 };
    let out = run(&net);
    let (hidden, logits, probs) = reference(&net, Variant::default());
    let what = "hidden case n = 50, d = 64, h = 32, k = 10";
    matrix_close(&format!("{what}: hidden"), &out.hidden, &hidden, TOLERANCE)?;
    matrix_close(&format!("{what}: logits"), &out.logits, &logits, TOLERANCE)?;
    matrix_close(&format!("{what}: probs"), &out.probs, &probs, TOLERANCE)?;
    pass("a hidden 50 x 64 batch through a 64-32-10 network right within 1e-10")
}
