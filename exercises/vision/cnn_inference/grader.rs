// Grader of vision/cnn_inference.
//
// The network: 8 fixed 3x3 edge filters (both polarities of horizontal, vertical and the two
// diagonal gradients; none is symmetric, so a flipped kernel changes every output), relu,
// 2x2 max-pool, and a dense layer that the grader trains on the pooled features of the
// digits training split (linfa-logistic's multinomial regression: deterministic, well under a
// second). The learner's forward pass is compared with the grader's own loops on seeded
// inputs; confusion and top-k on hand-made cases where transposition and ties matter.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, stratified_train_test};
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2, Array3, Array4, array};
use rand::Rng as _;

use super::exercise::{Cnn, confusion_matrix, conv2d, forward, max_pool2, top_k_accuracy};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("conv2d", check_conv2d),
    ("max_pool", check_max_pool),
    ("forward", check_forward),
    ("confusion", check_confusion),
    ("top_k", check_top_k),
    ("held_out", check_held_out),
];

// ---------------------------------------------------------------- the grader's network

/// Cross-correlation with loops (or a true convolution: the kernel flipped).
fn ref_conv(x: &Array3<f64>, w: &Array4<f64>, b: &Array1<f64>, flip: bool) -> Array3<f64> {
    let (c_in, n, m) = x.dim();
    let (c_out, _, kr, kc) = w.dim();
    let mut out = Array3::zeros((c_out, n + 1 - kr, m + 1 - kc));
    for o in 0..c_out {
        for i in 0..n + 1 - kr {
            for j in 0..m + 1 - kc {
                let mut s = b[o];
                for c in 0..c_in {
                    for u in 0..kr {
                        for v in 0..kc {
                            let (wu, wv) = if flip {
                                (kr - 1 - u, kc - 1 - v)
                            } else {
                                (u, v)
                            };
                            s += w[[o, c, wu, wv]] * x[[c, i + u, j + v]];
                        }
                    }
                }
                out[[o, i, j]] = s;
            }
        }
    }
    out
}

/// 2x2 pooling with stride 2, floor mode: the max (or the mean).
fn ref_pool(x: &Array3<f64>, mean: bool) -> Array3<f64> {
    let (c, n, m) = x.dim();
    let mut out = Array3::zeros((c, n / 2, m / 2));
    for ch in 0..c {
        for i in 0..n / 2 {
            for j in 0..m / 2 {
                let cells = [
                    x[[ch, 2 * i, 2 * j]],
                    x[[ch, 2 * i, 2 * j + 1]],
                    x[[ch, 2 * i + 1, 2 * j]],
                    x[[ch, 2 * i + 1, 2 * j + 1]],
                ];
                out[[ch, i, j]] = if mean {
                    cells.iter().sum::<f64>() / 4.0
                } else {
                    cells.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                };
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Wrong {
    None,
    Flip,
    ChannelsLast,
    NoRelu,
    SoftmaxOverBatch,
    Logits,
}

/// The pooled features of one image, flattened (channel, row, column), or channels last.
fn features(cnn: &Cnn, image: &Array3<f64>, wrong: Wrong) -> Vec<f64> {
    let conv = ref_conv(
        image,
        &cnn.conv_weight,
        &cnn.conv_bias,
        wrong == Wrong::Flip,
    );
    let conv = if wrong == Wrong::NoRelu {
        conv
    } else {
        conv.mapv(|v| v.max(0.0))
    };
    let pooled = ref_pool(&conv, false);
    let (c, n, m) = pooled.dim();
    let mut f = Vec::with_capacity(c * n * m);
    if wrong == Wrong::ChannelsLast {
        for i in 0..n {
            for j in 0..m {
                for ch in 0..c {
                    f.push(pooled[[ch, i, j]]);
                }
            }
        }
    } else {
        for ch in 0..c {
            for i in 0..n {
                for j in 0..m {
                    f.push(pooled[[ch, i, j]]);
                }
            }
        }
    }
    f
}

/// The grader's forward pass: probabilities (n, k), or one of the classic wrong variants.
fn ref_forward(cnn: &Cnn, images: &Array4<f64>, wrong: Wrong) -> Array2<f64> {
    let (n, k) = (images.dim().0, cnn.dense_bias.len());
    let mut logits = Array2::zeros((n, k));
    for i in 0..n {
        let image = images.index_axis(ndarray::Axis(0), i).to_owned();
        let f = features(cnn, &image, wrong);
        for c in 0..k {
            let mut s = cnn.dense_bias[c];
            for (a, v) in f.iter().enumerate() {
                s += cnn.dense_weight[[c, a]] * v;
            }
            logits[[i, c]] = s;
        }
    }
    match wrong {
        Wrong::Logits => logits,
        Wrong::SoftmaxOverBatch => {
            let mut p = logits.clone();
            for c in 0..k {
                let top = (0..n)
                    .map(|i| logits[[i, c]])
                    .fold(f64::NEG_INFINITY, f64::max);
                let total: f64 = (0..n).map(|i| (logits[[i, c]] - top).exp()).sum();
                for i in 0..n {
                    p[[i, c]] = (logits[[i, c]] - top).exp() / total;
                }
            }
            p
        }
        _ => {
            let mut p = logits.clone();
            for i in 0..n {
                let top = (0..k)
                    .map(|c| logits[[i, c]])
                    .fold(f64::NEG_INFINITY, f64::max);
                let total: f64 = (0..k).map(|c| (logits[[i, c]] - top).exp()).sum();
                for c in 0..k {
                    p[[i, c]] = (logits[[i, c]] - top).exp() / total;
                }
            }
            p
        }
    }
}

fn near2(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn near3(a: &Array3<f64>, b: &Array3<f64>, tol: f64) -> bool {
    a.dim() == b.dim() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn uniform<D: ndarray::Dimension, Sh: ndarray::ShapeBuilder<Dim = D>>(
    shape: Sh,
    r: &mut impl rand::Rng,
) -> ndarray::Array<f64, D> {
    ndarray::Array::from_shape_fn(shape, |_| r.gen_range(-1.0..1.0))
}

// ---------------------------------------------------------------- conv2d and pooling

fn check_conv2d() -> Graded {
    let mut r = rng(1);
    // (in channels, rows, cols, out channels, kernel rows, kernel cols)
    let shapes = [
        (1, 5, 5, 2, 3, 3),
        (2, 6, 7, 3, 3, 3),
        (1, 4, 6, 1, 2, 3),
        (3, 3, 3, 2, 3, 3),
    ];
    for (c_in, n, m, c_out, kr, kc) in shapes {
        let x: Array3<f64> = uniform((c_in, n, m), &mut r);
        let w: Array4<f64> = uniform((c_out, c_in, kr, kc), &mut r);
        let b: Array1<f64> = uniform(c_out, &mut r);
        let what = format!(
            "conv2d of a seeded ({c_in}, {n}, {m}) input with ({c_out}, {c_in}, {kr}, {kc}) weights"
        );
        let got = conv2d(&x, &w, &b);
        let expected = ref_conv(&x, &w, &b, false);
        equal(&format!("{what}: shape"), &got.dim(), &expected.dim()).hint(
            "(out_channels, rows - kernel_rows + 1, cols - kernel_cols + 1): stride 1, no padding",
        )?;
        if near3(&got, &expected, 1e-9) {
            continue;
        }
        ensure(!near3(&got, &ref_conv(&x, &w, &b, true), 1e-9), || {
            format!(
                "{what}: the kernel was flipped (a true convolution); PyTorch's conv2d is a cross-correlation: out[o, i, j] = bias[o] + Σ weight[o, c, u, v] · x[c, i + u, j + v]"
            )
        })?;
        let no_bias = ref_conv(&x, &w, &Array1::zeros(c_out), false);
        ensure(!near3(&got, &no_bias, 1e-9), || {
            format!("{what}: the bias is missing: add bias[o] once to every output of channel o")
        })?;
        let (g, e): (Vec<f64>, Vec<f64>) = (
            got.iter().copied().collect(),
            expected.iter().copied().collect(),
        );
        all_close(&format!("{what} (row-major values)"), &g, &e, 1e-9)
            .hint("sum over the input channels c and the kernel offsets u, v of weight[o, c, u, v] · x[c, i + u, j + v]")?;
    }
    pass(
        "cross-correlation, stride 1, no padding, with bias, on 4 seeded shapes (several channels, a non-square kernel)",
    )
}

fn check_max_pool() -> Graded {
    let mut r = rng(2);
    for (c, n, m) in [(2, 4, 6), (1, 5, 5), (3, 7, 4), (1, 1, 3)] {
        let x: Array3<f64> = uniform((c, n, m), &mut r);
        let what = format!("max_pool2 of a seeded ({c}, {n}, {m}) input");
        let got = max_pool2(&x);
        let expected = ref_pool(&x, false);
        equal(&format!("{what}: shape"), &got.dim(), &expected.dim())
            .hint("(channels, rows / 2, cols / 2): an odd last row or column is dropped")?;
        if near3(&got, &expected, 0.0) {
            continue;
        }
        ensure(!near3(&got, &ref_pool(&x, true), 1e-12), || {
            format!(
                "{what}: that is average pooling; max-pooling keeps the largest of each 2x2 window"
            )
        })?;
        let (g, e): (Vec<f64>, Vec<f64>) = (
            got.iter().copied().collect(),
            expected.iter().copied().collect(),
        );
        all_close(&format!("{what} (row-major values)"), &g, &e, 0.0)
            .hint("out[c, i, j] = max of x[c, 2i..2i+2, 2j..2j+2]")?;
    }
    pass("2x2 max-pooling with stride 2, floor mode, on 4 seeded inputs")
}

// ---------------------------------------------------------------- forward

fn random_cnn(r: &mut impl rand::Rng) -> Cnn {
    Cnn {
        conv_weight: uniform((3, 1, 3, 3), r),
        conv_bias: uniform(3, r) * 0.3,
        dense_weight: uniform((4, 3 * 2 * 2), r) * 2.0,
        dense_bias: uniform(4, r),
    }
}

fn check_forward() -> Graded {
    let mut r = rng(3);
    let cnn = random_cnn(&mut r);
    let images: Array4<f64> = uniform((5, 1, 6, 6), &mut r);
    let got = forward(&cnn, &images);
    let expected = ref_forward(&cnn, &images, Wrong::None);
    let what = "forward of a seeded 3-filter network on 5 random 6 x 6 images";
    equal(
        &format!("{what}: shape (images, classes)"),
        &got.dim(),
        &(5, 4),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: NaN or inf in the probabilities")
    })?;
    if near2(&got, &expected, 1e-9) {
        return pass(
            "conv → relu → max-pool → flatten (C, H, W) → dense → softmax over each row's classes: matches the grader's own pass",
        );
    }
    let named = [
        (
            Wrong::SoftmaxOverBatch,
            "softmax over the wrong axis: each column (a class across the batch) sums to 1; the softmax runs over the classes of each image, so each row sums to 1",
        ),
        (
            Wrong::Logits,
            "those are the logits: forward ends with a softmax over each image's classes",
        ),
        (
            Wrong::Flip,
            "the kernels were flipped (a true convolution); PyTorch's conv2d is a cross-correlation",
        ),
        (
            Wrong::ChannelsLast,
            "the features were flattened channels last (row, column, channel), TensorFlow's layout; PyTorch flattens (channel, row, column), the order the dense weights expect",
        ),
        (
            Wrong::NoRelu,
            "the relu is missing between the convolution and the pooling",
        ),
    ];
    for (wrong, why) in named {
        ensure(
            !near2(&got, &ref_forward(&cnn, &images, wrong), 1e-9),
            || format!("{what}: {why}"),
        )?;
    }
    matrix_close(what, &got, &expected, 1e-9)
        .hint("test conv2d and max_pool2 first; then relu, flatten in (channel, row, column) order, logits = dense_weight · features + dense_bias, softmax per row")?;
    pass("forward matches the grader's")
}

// ---------------------------------------------------------------- confusion and top-k

fn check_confusion() -> Graded {
    let truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 1];
    let predicted = [0, 1, 1, 1, 2, 2, 0, 2, 2, 1];
    let got = confusion_matrix(&truth, &predicted, 3);
    show(Figure::Table {
        title: "your confusion matrix of the hand-made case (rows: true class, columns: predicted)"
            .into(),
        row_labels: (0..3).map(|c| format!("true {c}")).collect(),
        column_labels: (0..3).map(|c| format!("pred {c}")).collect(),
        cells: got
            .rows()
            .into_iter()
            .map(|row| row.iter().map(|&v| v as f64).collect())
            .collect(),
    });
    let mut expected = Array2::<usize>::zeros((3, 3));
    for (&t, &p) in truth.iter().zip(&predicted) {
        expected[[t, p]] += 1;
    }
    equal("confusion matrix shape", &got.dim(), &(3, 3))?;
    ensure(got != expected.t().to_owned(), || {
        "the confusion matrix is transposed: rows are the true classes, columns the predicted ones (m[true, predicted])".to_string()
    })?;
    equal(
        "confusion matrix of truth [0, 0, 0, 1, 1, 2, 2, 2, 2, 1] and predictions [0, 1, 1, 1, 2, 2, 0, 2, 2, 1]",
        &got,
        &expected,
    )
    .hint("m[[t, p]] += 1 for each (true, predicted) pair")?;
    // A class that never occurs still gets its row and column.
    let got = confusion_matrix(&[0, 2], &[2, 2], 4);
    equal(
        "confusion matrix shape with 4 classes, two of them absent",
        &got.dim(),
        &(4, 4),
    )?;
    ensure(
        got.sum() == 2 && got[[0, 2]] == 1 && got[[2, 2]] == 1,
        || {
            format!(
                "confusion_matrix([0, 2], [2, 2], 4) should count (0, 2) and (2, 2) once each, got {got:?}"
            )
        },
    )?;
    pass(
        "rows are the true classes, columns the predicted ones; the diagonal holds the correct predictions",
    )
}

/// Top-k accuracy by the grader: ties count against the true class (pessimistic), or for it.
fn ref_top_k(scores: &Array2<f64>, truth: &[usize], k: usize, optimistic: bool) -> f64 {
    let mut hits = 0;
    for (i, &t) in truth.iter().enumerate() {
        let s = scores[[i, t]];
        let mut rivals = 0;
        for c in 0..scores.ncols() {
            let v = scores[[i, c]];
            if c != t && (v > s || (!optimistic && v == s)) {
                rivals += 1;
            }
        }
        if rivals < k {
            hits += 1;
        }
    }
    hits as f64 / truth.len() as f64
}

/// Top-k by a stable sort of the classes by decreasing score and the first k: ties broken by
/// class index (the smaller first), neither for nor against the true class.
fn top_k_by_sort(scores: &Array2<f64>, truth: &[usize], k: usize) -> f64 {
    let mut hits = 0;
    for (row, &t) in scores.rows().into_iter().zip(truth) {
        let mut classes: Vec<usize> = (0..row.len()).collect();
        classes.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
        hits += usize::from(classes.iter().take(k).any(|&c| c == t));
    }
    hits as f64 / truth.len() as f64
}

fn check_top_k() -> Graded {
    // Rows built so that k and ties matter: the true class is ranked 1st, 2nd (tied with
    // another), 3rd, tied with everything, and last; in the last row the true class is tied
    // with a larger class index (a sort by score would put it first).
    let scores = array![
        [0.7, 0.2, 0.1, 0.0],
        [0.4, 0.4, 0.1, 0.1],
        [0.1, 0.3, 0.4, 0.2],
        [0.25, 0.25, 0.25, 0.25],
        [0.5, 0.3, 0.2, 0.0],
        [0.2, 0.2, 0.5, 0.1],
        [0.1, 0.4, 0.4, 0.1]
    ];
    let truth = [0, 1, 3, 2, 3, 1, 1];
    let mut r = rng(4);
    let random: Array2<f64> = Array2::from_shape_fn((40, 5), |_| f64::from(r.gen_range(0..4u8)));
    let random_truth: Vec<usize> = (0..40).map(|_| r.gen_range(0..5)).collect();
    let cases = [
        ("7 hand-made score rows", &scores, &truth[..], 1),
        ("7 hand-made score rows", &scores, &truth[..], 2),
        ("7 hand-made score rows", &scores, &truth[..], 3),
        ("7 hand-made score rows", &scores, &truth[..], 4),
        (
            "40 seeded rows of integer scores (many ties)",
            &random,
            &random_truth[..],
            2,
        ),
    ];
    for (what, s, t, k) in cases {
        let got = top_k_accuracy(s, t, k);
        let expected = ref_top_k(s, t, k, false);
        close_naming(
            &format!("top-{k} accuracy of {what}"),
            got,
            expected,
            1e-12,
            &[
                (
                    ref_top_k(s, t, k, true),
                    "ties were counted optimistically (a true class tied with others counted as in the top k); here a tie counts against it: fewer than k other classes may score at least as high",
                ),
                (
                    top_k_by_sort(s, t, k),
                    "ties were broken by class index (the classes sorted by score and the first k taken), so a tied true class is in or out depending on its number; here a tie counts against it: fewer than k other classes may score at least as high",
                ),
            ],
        )
        .hint("count, for each row, the other classes scoring >= the true class's score; a hit when that count is < k")?;
    }
    pass(
        "top-k counts a row when fewer than k other classes score at least as high as the true class (ties count against it)",
    )
}

// ---------------------------------------------------------------- held out

/// Eight fixed 3x3 edge filters: both polarities of the vertical, horizontal and two diagonal
/// gradients. None is symmetric under a 180° turn (turned, each becomes its opposite).
fn filters() -> Array4<f64> {
    let base = [
        [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],
        [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]],
        [[0.0, 1.0, 2.0], [-1.0, 0.0, 1.0], [-2.0, -1.0, 0.0]],
        [[-2.0, -1.0, 0.0], [-1.0, 0.0, 1.0], [0.0, 1.0, 2.0]],
    ];
    let mut w = Array4::zeros((8, 1, 3, 3));
    for (f, kernel) in base.iter().enumerate() {
        for u in 0..3 {
            for v in 0..3 {
                w[[2 * f, 0, u, v]] = kernel[u][v];
                w[[2 * f + 1, 0, u, v]] = -kernel[u][v];
            }
        }
    }
    w
}

const BIAS: f64 = -0.1;

/// The bars on held-out digits: the given network reaches 0.967 top-1 and 0.998 top-3 on
/// this split (the same for every correct forward pass), a constant predictor about 0.1
/// top-1 and 0.3 top-3.
const TOP1_BAR: f64 = 0.93;
const TOP3_BAR: f64 = 0.98;

fn check_held_out() -> Graded {
    let table = Table::dataset("digits.csv")
        .map_err(|e| fail(format!("the grader could not load digits.csv: {e}")))?;
    let columns = table.columns_except(&["digit"]);
    let x = table
        .numeric(&columns)
        .map_err(|e| fail(format!("digits.csv: {e}")))?
        / 16.0;
    let y: Vec<usize> = table
        .numeric_column("digit")
        .map_err(|e| fail(format!("digits.csv: {e}")))?
        .into_iter()
        .map(|v| v.unwrap_or(0.0) as usize)
        .collect();
    let (train, test) = stratified_train_test(&y, 0.25, 42);
    let image = |i: usize| Array3::from_shape_fn((1, 8, 8), |(_, r, c)| x[[i, 8 * r + c]]);
    // The conv layer is fixed; the dense layer is trained by the grader on the training rows.
    let mut cnn = Cnn {
        conv_weight: filters(),
        conv_bias: Array1::from_elem(8, BIAS),
        dense_weight: Array2::zeros((10, 72)),
        dense_bias: Array1::zeros(10),
    };
    let mut f = Array2::zeros((train.len(), 72));
    for (row, &i) in train.iter().enumerate() {
        f.row_mut(row)
            .assign(&Array1::from(features(&cnn, &image(i), Wrong::None)));
    }
    let dataset = Dataset::new(
        f,
        Array1::from(train.iter().map(|&i| y[i]).collect::<Vec<_>>()),
    );
    let model = MultiLogisticRegression::default()
        .alpha(0.01)
        .max_iterations(200)
        .fit(&dataset)
        .map_err(|e| fail(format!("the grader's dense layer did not train: {e}")))?;
    for (column, &class) in model.classes().iter().enumerate() {
        for a in 0..72 {
            cnn.dense_weight[[class, a]] = model.params()[[a, column]];
        }
        cnn.dense_bias[class] = model.intercept()[column];
    }
    let mut images = Array4::zeros((test.len(), 1, 8, 8));
    for (row, &i) in test.iter().enumerate() {
        images
            .index_axis_mut(ndarray::Axis(0), row)
            .assign(&image(i));
    }
    let truth: Vec<usize> = test.iter().map(|&i| y[i]).collect();
    let probabilities = forward(&cnn, &images);
    equal(
        "forward on the held-out digits: shape",
        &probabilities.dim(),
        &(test.len(), 10),
    )?;
    ensure(
        probabilities.iter().all(|v| v.is_finite() && *v >= 0.0),
        || "the probabilities contain NaN, inf or negative values".to_string(),
    )?;
    let expected = ref_forward(&cnn, &images, Wrong::None);
    let predicted: Vec<usize> = probabilities
        .rows()
        .into_iter()
        .map(|row| (0..10).fold(0, |best, c| if row[c] > row[best] { c } else { best }))
        .collect();
    let confusion = confusion_matrix(&truth, &predicted, 10);
    if confusion.dim() == (10, 10) {
        show(Figure::Table {
            title: format!(
                "confusion matrix of the given CNN on {} held-out digits (rows: true digit, columns: predicted)",
                test.len()
            ),
            row_labels: (0..10).map(|d| d.to_string()).collect(),
            column_labels: (0..10).map(|d| d.to_string()).collect(),
            cells: confusion
                .rows()
                .into_iter()
                .map(|row| row.iter().map(|&v| v as f64).collect())
                .collect(),
        });
    }
    matrix_close(
        "held-out probabilities against the grader's forward pass",
        &probabilities,
        &expected,
        1e-9,
    )
    .hint("the checks above test each layer on small cases")?;
    let top1 = ref_top_k(&probabilities, &truth, 1, false);
    let top3 = ref_top_k(&probabilities, &truth, 3, false);
    ensure(top3 >= TOP3_BAR, || {
        format!(
            "held-out top-3 accuracy = {}, short of the bar ≥ {TOP3_BAR}",
            fmt(top3)
        )
    })?;
    bar(
        &format!(
            "held-out top-1 accuracy of the given CNN ({} digits)",
            test.len()
        ),
        top1,
        TOP1_BAR,
        Goal::AtLeast,
    )
    .note(&format!(
        "; top-3 accuracy {} (bar ≥ {TOP3_BAR}); a constant predictor: about 0.1",
        fmt(top3)
    ))
}
