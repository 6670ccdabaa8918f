// Grader of deep/cnn_fashion.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, stratified_train_test};
use ndarray::{Array1, Array2, Array4, Axis};
use rand::Rng as _;
use rand::seq::SliceRandom;

use super::exercise::{Cnn, forward, gradients, predict, train, train_epoch};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("forward_logits", forward_logits),
    ("predict_argmax", predict_argmax),
    ("gradient_check", gradient_check),
    ("epoch_steps", epoch_steps),
    ("held_out_accuracy", held_out_accuracy),
];

/// The classes of fashion_mnist_500.csv in the source's order (labels 0 to 9).
const CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Central differences use this step; the analytic gradient must agree to this relative
/// error (CS231n's bar in double precision).
const EPS: f64 = 1e-6;
const MAX_RELATIVE_ERROR: f64 = 1e-5;

/// The bar on held-out accuracy (130 images, 13 per class). Majority class: 0.10. A linear
/// softmax model on the raw pixels (mini-batch SGD, batches of 16, 100 epochs, measured by the
/// author on this split) scores 0.846, 0.823 and 0.808 at steps 0.02, 0.05 and 0.1: with 370
/// training images and a few seconds, this CNN does not beat it. The reference CNN scored
/// 0.815 with seed 7 and 0.777 to 0.823 with seeds 1 to 6 and 8, so 0.72 leaves about 6
/// points for a different but sound choice of settings, while a network that does not learn
/// stays far below.
const ACCURACY_BAR: f64 = 0.72;

// ------------------------------------------------------------------------------------------
// The grader's own CNN, with loops, for small cases.
// ------------------------------------------------------------------------------------------

/// The layers' values: conv pre-activations z (n x f x h x w), pooled maps, logits.
struct Pass {
    z: Array4<f64>,
    logits: Array2<f64>,
}

/// Conv 3 x 3 (stride 1, padding 1) → relu (if `with_relu`) → 2 x 2 max-pool → flatten
/// (row-major over f, i, j; or over i, j, f if `channels_last`) → dense.
fn forward_ref(m: &Cnn, x: &Array4<f64>, with_relu: bool, channels_last: bool) -> Pass {
    let (n, c, h, w) = x.dim();
    let f = m.conv_b.len();
    let k = m.dense_b.len();
    let mut z = Array4::zeros((n, f, h, w));
    for im in 0..n {
        for g in 0..f {
            for i in 0..h {
                for j in 0..w {
                    let mut sum = m.conv_b[g];
                    for ch in 0..c {
                        for a in 0..3 {
                            for e in 0..3 {
                                let (r, q) = (i + a, j + e);
                                if r >= 1 && q >= 1 && r - 1 < h && q - 1 < w {
                                    sum += m.conv_w[[g, ch, a, e]] * x[[im, ch, r - 1, q - 1]];
                                }
                            }
                        }
                    }
                    z[[im, g, i, j]] = sum;
                }
            }
        }
    }
    let act = if with_relu {
        z.mapv(|v| v.max(0.0))
    } else {
        z.clone()
    };
    let (h2, w2) = (h / 2, w / 2);
    let mut logits = Array2::zeros((n, k));
    for im in 0..n {
        for out in 0..k {
            let mut sum = m.dense_b[out];
            for g in 0..f {
                for i in 0..h2 {
                    for j in 0..w2 {
                        let pooled = [(0, 0), (0, 1), (1, 0), (1, 1)]
                            .iter()
                            .map(|&(a, e)| act[[im, g, 2 * i + a, 2 * j + e]])
                            .fold(f64::NEG_INFINITY, f64::max);
                        let feature = if channels_last {
                            (i * w2 + j) * f + g
                        } else {
                            (g * h2 + i) * w2 + j
                        };
                        sum += pooled * m.dense_w[[feature, out]];
                    }
                }
            }
            logits[[im, out]] = sum;
        }
    }
    Pass { z, logits }
}

/// Mean cross-entropy, natural log: (1/n) Σ [logsumexp(logits_i) - logits[i, y_i]].
fn loss_ref(m: &Cnn, x: &Array4<f64>, y: &[usize]) -> f64 {
    let logits = forward_ref(m, x, true, false).logits;
    let mut total = 0.0;
    for (row, &label) in logits.rows().into_iter().zip(y) {
        let top = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let lse = top + row.iter().map(|v| (v - top).exp()).sum::<f64>().ln();
        total += lse - row[label];
    }
    total / y.len() as f64
}

/// The parameters flattened, in the order conv_w, conv_b, dense_w, dense_b.
fn flat(m: &Cnn) -> Vec<f64> {
    m.conv_w
        .iter()
        .chain(&m.conv_b)
        .chain(&m.dense_w)
        .chain(&m.dense_b)
        .copied()
        .collect()
}

/// A model of the same shapes as `like` from flattened parameters.
fn unflat(like: &Cnn, v: &[f64]) -> Cnn {
    let mut m = like.clone();
    for (slot, value) in m
        .conv_w
        .iter_mut()
        .chain(m.conv_b.iter_mut())
        .chain(m.dense_w.iter_mut())
        .chain(m.dense_b.iter_mut())
        .zip(v)
    {
        *slot = *value;
    }
    m
}

/// Central differences of the grader's loss with respect to every parameter.
fn numeric(m: &Cnn, x: &Array4<f64>, y: &[usize]) -> Cnn {
    let theta = flat(m);
    let grads: Vec<f64> = (0..theta.len())
        .map(|k| {
            let at = |delta: f64| {
                let mut t = theta.clone();
                t[k] += delta;
                loss_ref(&unflat(m, &t), x, y)
            };
            (at(EPS) - at(-EPS)) / (2.0 * EPS)
        })
        .collect();
    unflat(m, &grads)
}

/// A seeded small case: n images c x h x w with pixels in [0, 1], a CNN of f filters and k
/// classes with random weights, and labels. Pre-activations and the gaps inside every pooling
/// window stay at least 1e-4 away from the kinks, so central differences are exact enough.
fn small_case(
    seed: u64,
    n: usize,
    c: usize,
    h: usize,
    w: usize,
    f: usize,
    k: usize,
) -> (Cnn, Array4<f64>, Vec<usize>) {
    for attempt in 0.. {
        let mut r = rng(seed + 1000 * attempt);
        let mut u = |lo: f64, hi: f64| r.gen_range(lo..hi);
        let x = Array4::from_shape_fn((n, c, h, w), |_| u(0.0, 1.0));
        let model = Cnn {
            conv_w: Array4::from_shape_fn((f, c, 3, 3), |_| u(-0.6, 0.6)),
            conv_b: Array1::from_shape_fn(f, |_| u(-0.2, 0.2)),
            dense_w: Array2::from_shape_fn((f * (h / 2) * (w / 2), k), |_| u(-0.6, 0.6)),
            dense_b: Array1::from_shape_fn(k, |_| u(-0.2, 0.2)),
        };
        let y: Vec<usize> = (0..n).map(|i| (i * 7 + seed as usize) % k).collect();
        let z = forward_ref(&model, &x, true, false).z;
        let clear_of_zero = z.iter().all(|v| v.abs() > 1e-4);
        let mut clear_of_ties = true;
        for ((im, g, i, j), _) in z.indexed_iter() {
            if i % 2 == 0 && j % 2 == 0 && i + 1 < h && j + 1 < w {
                let mut window: Vec<f64> = [(0, 0), (0, 1), (1, 0), (1, 1)]
                    .iter()
                    .map(|&(a, e)| z[[im, g, i + a, j + e]].max(0.0))
                    .collect();
                window.sort_by(|a, b| b.total_cmp(a));
                if window[0] > 0.0 && window[0] - window[1] < 1e-4 {
                    clear_of_ties = false;
                }
            }
        }
        if clear_of_zero && clear_of_ties {
            return (model, x, y);
        }
    }
    unreachable!("the loop only ends by returning")
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// ||a - b|| / (||a|| + ||b||): 0 when equal.
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
    norm(&diff) / (norm(a) + norm(b)).max(1e-300)
}

fn same_shapes(a: &Cnn, b: &Cnn) -> bool {
    a.conv_w.dim() == b.conv_w.dim()
        && a.conv_b.len() == b.conv_b.len()
        && a.dense_w.dim() == b.dense_w.dim()
        && a.dense_b.len() == b.dense_b.len()
}

fn shapes(m: &Cnn) -> String {
    format!(
        "conv_w {:?}, conv_b {}, dense_w {:?}, dense_b {}",
        m.conv_w.dim(),
        m.conv_b.len(),
        m.dense_w.dim(),
        m.dense_b.len()
    )
}

// ------------------------------------------------------------------------------------------
// The checks.
// ------------------------------------------------------------------------------------------

fn forward_logits() -> Graded {
    // (seed, n, c, h, w, f, k): one channel and two, square and not.
    for (seed, n, c, h, w, f, k) in [(1, 3, 1, 6, 6, 2, 3), (2, 2, 2, 4, 6, 3, 4)] {
        let (model, x, _) = small_case(seed, n, c, h, w, f, k);
        let what = format!(
            "logits of {n} images {c}x{h}x{w} through conv ({f} filters) → relu → pool → dense ({k} classes)"
        );
        let got = forward(&model, &x);
        equal(&format!("{what}: shape (n, k)"), &got.dim(), &(n, k))?;
        ensure(got.iter().all(|v| v.is_finite()), || {
            format!("{what}: contains NaN or inf")
        })?;
        let expected = forward_ref(&model, &x, true, false).logits;
        let near = |a: &Array2<f64>| got.iter().zip(a).all(|(p, q)| (p - q).abs() <= 1e-9);
        if near(&expected) {
            continue;
        }
        let why = if near(&forward_ref(&model, &x, false, false).logits) {
            "the relu is missing: without it, conv, pool and dense are (almost) linear, and the CNN is barely more than a linear model. Apply relu to the conv output before pooling"
        } else if near(&forward_ref(&model, &x, true, true).logits) {
            "the features are flattened in the order (i, j, filter): the convention here is PyTorch's flatten(1) of the f x h/2 x w/2 maps, row-major, so feature (g, i, j) is column (g·h/2 + i)·w/2 + j of dense_w"
        } else {
            return Err(fail(format!("{what}: the logits differ from the expected ones by up to {}", fmt(got.iter().zip(&expected).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)))))
                .hint("conv2d_forward(x, conv_w, conv_b, 1, 1) → relu → maxpool_forward → reshape to (n, f·h/2·w/2) → dense_forward(flat, dense_w, dense_b)");
        };
        return Err(fail(format!("{what}: {why}")));
    }
    pass(
        "2 seeded cases (1 and 2 channels): the logits match conv → relu → pool → flatten → dense within 1e-9",
    )
}

fn predict_argmax() -> Graded {
    let (model, x, _) = small_case(3, 20, 1, 8, 8, 3, 10);
    let logits = forward_ref(&model, &x, true, false).logits;
    let expected: Vec<usize> = logits
        .rows()
        .into_iter()
        .map(|row| (0..row.len()).fold(0, |best, c| if row[c] > row[best] { c } else { best }))
        .collect();
    let got = predict(&model, &x);
    equal("number of predictions for 20 images", &got.len(), &20)?;
    if got != expected {
        let shifted: Vec<usize> = expected.iter().map(|c| c + 1).collect();
        let why = if got == shifted {
            ": off by one, the classes are 0 to 9, the column index of the largest logit itself"
        } else {
            ""
        };
        return Err(fail(format!(
            "classes predicted for 20 random 8 x 8 images by a fixed random CNN: expected {expected:?}, got {got:?}{why}"
        )))
        .hint("the predicted class is the index of the largest logit of the row (softmax does not change which one is largest)");
    }
    ensure(predict(&model, &x) == got, || {
        "predict gave different classes on a second call with the same model and images: it must be deterministic".to_string()
    })?;
    pass("predict returns the argmax of each row's logits, the same on every call")
}

fn gradient_check() -> Graded {
    for (seed, n, c, h, w, f, k) in [(4, 3, 1, 6, 6, 2, 3), (5, 4, 2, 4, 6, 2, 4)] {
        let (model, x, y) = small_case(seed, n, c, h, w, f, k);
        let what = format!("gradients on {n} images {c}x{h}x{w}, {f} filters, {k} classes");
        let (loss, g) = gradients(&model, &x, &y);
        close(
            &format!("{what}: the loss returned (mean cross-entropy)"),
            loss,
            loss_ref(&model, &x, &y),
            1e-9,
        )
        .hint("the loss of softmax_cross_entropy on the logits of forward")?;
        ensure(same_shapes(&g, &model), || {
            format!(
                "{what}: the gradients have shapes {}, the parameters {}",
                shapes(&g),
                shapes(&model)
            )
        })?;
        let num = numeric(&model, &x, &y);
        let names = ["conv_w", "conv_b", "dense_w", "dense_b"];
        let got = [
            g.conv_w.iter().copied().collect::<Vec<_>>(),
            g.conv_b.to_vec(),
            g.dense_w.iter().copied().collect(),
            g.dense_b.to_vec(),
        ];
        let want = [
            num.conv_w.iter().copied().collect::<Vec<_>>(),
            num.conv_b.to_vec(),
            num.dense_w.iter().copied().collect(),
            num.dense_b.to_vec(),
        ];
        for ((name, a), b) in names.iter().zip(&got).zip(&want) {
            ensure(a.iter().all(|v| v.is_finite()), || {
                format!("{what}: d{name} contains NaN or inf")
            })?;
            let error = relative_error(a, b);
            ensure(error < MAX_RELATIVE_ERROR, || {
                format!(
                    "{what}: d{name}: relative error ||analytic - numeric|| / (||analytic|| + ||numeric||) = {} (bar < 1e-5)",
                    fmt(error)
                )
            })
            .hint("backward in reverse order: softmax_cross_entropy → dense_backward → reshape to the pooled shape → maxpool_backward (with the relu output) → relu_backward (with z) → conv2d_backward")?;
        }
    }
    pass(
        "2 seeded cases: the loss and all four gradients agree with central differences (relative error < 1e-5)",
    )
}

/// The grader's SGD epoch: batches of `order.chunks(batch)`, central-difference gradients,
/// p -= sign · lr · g. Returns the model, the mean loss of the epoch (each batch's loss
/// weighted by its size) and the unweighted mean of the batch losses (a classic slip).
fn epoch_ref(
    m: &Cnn,
    x: &Array4<f64>,
    y: &[usize],
    order: &[usize],
    lr: f64,
    batch: usize,
    sign: f64,
) -> (Cnn, f64, f64) {
    let mut theta = flat(m);
    let mut total = 0.0;
    let mut batch_losses = Vec::new();
    for chunk in order.chunks(batch) {
        let xb = x.select(Axis(0), chunk);
        let yb: Vec<usize> = chunk.iter().map(|&i| y[i]).collect();
        let current = unflat(m, &theta);
        let loss = loss_ref(&current, &xb, &yb);
        total += loss * chunk.len() as f64;
        batch_losses.push(loss);
        let g = flat(&numeric(&current, &xb, &yb));
        for (t, d) in theta.iter_mut().zip(&g) {
            *t -= sign * lr * d;
        }
    }
    let unweighted = batch_losses.iter().sum::<f64>() / batch_losses.len().max(1) as f64;
    (unflat(m, &theta), total / y.len() as f64, unweighted)
}

fn epoch_steps() -> Graded {
    // 10 images, batches of 4 (4, 4, 2): the parameters after one epoch tell the order in
    // which the examples came and the steps taken.
    let (model, x, y) = small_case(6, 10, 1, 4, 4, 2, 3);
    let (lr, batch, seed) = (0.5, 4, 9);
    let what = "one epoch of SGD on 10 images 1x4x4 (batches of 4, learning rate 0.5)";
    let mut learner = model.clone();
    let returned = train_epoch(&mut learner, &x, &y, lr, batch, &mut rng(seed));
    ensure(same_shapes(&learner, &model), || {
        format!("{what}: the model's shapes changed to {}", shapes(&learner))
    })?;
    ensure(flat(&learner).iter().all(|v| v.is_finite()), || {
        format!("{what}: the parameters contain NaN or inf")
    })?;
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.shuffle(&mut rng(seed));
    let (expected, mean_loss, unweighted) = epoch_ref(&model, &x, &y, &order, lr, batch, 1.0);
    let got = flat(&learner);
    let near = |m: &Cnn| got.iter().zip(&flat(m)).all(|(a, b)| (a - b).abs() <= 1e-7);
    if !near(&expected) {
        let rows: Vec<usize> = (0..y.len()).collect();
        let why = if learner == model {
            "the parameters did not change: update the model itself (`model.conv_w.scaled_add(-learning_rate, &g.conv_w)`...), not a copy"
        } else if near(&epoch_ref(&model, &x, &y, &rows, lr, batch, 1.0).0) {
            "the batches were taken in the order of the rows: the examples are not shuffled. Shuffle 0..n with `order.shuffle(rng)` at the start of every epoch, so that every epoch sees new batches"
        } else if near(&epoch_ref(&model, &x, &y, &order, lr, batch, -1.0).0) {
            "the steps go up the gradient (wrong sign): p -= learning_rate · dL/dp"
        } else {
            "the parameters differ from those of plain SGD steps on the shuffled batches"
        };
        return Err(fail(format!("{what}: {why}")))
            .hint("`let mut order: Vec<usize> = (0..n).collect(); order.shuffle(rng);` then for each `order.chunks(batch_size)`: gradients of the batch, and p -= learning_rate · g for all four parameters");
    }
    close_naming(
        &format!("{what}: the mean training loss returned"),
        returned,
        mean_loss,
        1e-9,
        &[(
            unweighted,
            "the unweighted mean of the batch losses: the last batch holds 2 images, not 4, so weight each batch's loss by its size and divide by n",
        )],
    )
    .hint("the mean over the examples: each batch's loss (before its step) times its size, summed, divided by n")?;
    // One step on one batch (batch_size = n) must lower the loss on that batch.
    let (model, x, y) = small_case(7, 6, 1, 6, 6, 2, 3);
    let before = loss_ref(&model, &x, &y);
    let mut stepped = model.clone();
    train_epoch(&mut stepped, &x, &y, 0.1, 6, &mut rng(1));
    ensure(same_shapes(&stepped, &model), || {
        format!(
            "one step on 6 images: the model's shapes changed to {}",
            shapes(&stepped)
        )
    })?;
    let after = loss_ref(&stepped, &x, &y);
    ensure(after < before, || {
        format!(
            "one step of learning rate 0.1 on a batch of 6 images moved its loss from {} to {}: it must fall",
            fmt(before),
            fmt(after)
        )
    })?;
    pass(format!(
        "the epoch shuffles with the given RNG and takes plain SGD steps; one step lowers a batch's loss from {} to {}",
        fmt(before),
        fmt(after)
    ))
}

/// fashion_mnist_500.csv as images 1 x 28 x 28 with pixels in [0, 1], and labels 0 to 9.
fn fashion() -> Result<(Array4<f64>, Vec<usize>), Failed> {
    let table = Table::dataset("fashion_mnist_500.csv").map_err(|e| {
        fail(format!(
            "the grader could not load fashion_mnist_500.csv: {e}"
        ))
    })?;
    let pixels = table.columns_except(&["label"]);
    let x = table
        .numeric(&pixels)
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?
        / 255.0;
    let mut y = Vec::with_capacity(x.nrows());
    for label in table
        .text_column("label")
        .map_err(|e| fail(format!("fashion_mnist_500.csv: {e}")))?
    {
        let class = CLASSES.iter().position(|c| Some(*c) == label);
        y.push(
            class.ok_or_else(|| fail(format!("fashion_mnist_500.csv: unknown label {label:?}")))?,
        );
    }
    let n = x.nrows();
    let images = x.into_shape_with_order((n, 1, 28, 28)).map_err(|e| {
        fail(format!(
            "fashion_mnist_500.csv: 784 pixels per row expected: {e}"
        ))
    })?;
    Ok((images, y))
}

fn held_out_accuracy() -> Graded {
    let (x, y) = fashion()?;
    let (train_rows, test_rows) = stratified_train_test(&y, 0.25, 42);
    let x_train = x.select(Axis(0), &train_rows);
    let y_train: Vec<usize> = train_rows.iter().map(|&i| y[i]).collect();
    let x_test = x.select(Axis(0), &test_rows);
    let y_test: Vec<usize> = test_rows.iter().map(|&i| y[i]).collect();
    let (model, losses) = train(&x_train, &y_train, 10, 7);
    show(Figure::Lines {
        title: "mean training loss per epoch".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy".into(),
        series: vec![Series {
            name: "training loss".into(),
            points: losses
                .iter()
                .enumerate()
                .filter(|(_, l)| l.is_finite())
                .map(|(e, &l)| [(e + 1) as f64, l])
                .collect(),
        }],
        target: None,
    });
    ensure(!losses.is_empty(), || {
        "train returned no epoch losses".to_string()
    })?;
    let diverged = "the training diverged: the learning rate is far too high. Each step overshoots, the logits grow without bound, and the loss (then the weights) become inf or NaN; lower it (0.01 to 0.1 suits SGD here)";
    if let Some(epoch) = losses.iter().position(|l| !l.is_finite()) {
        return Err(fail(format!(
            "the mean training loss of epoch {} is {}: {diverged}",
            epoch + 1,
            losses[epoch]
        )));
    }
    ensure(flat(&model).iter().all(|v| v.is_finite()), || {
        format!("the trained parameters contain NaN or inf: {diverged}")
    })?;
    let (first, last) = (losses[0], losses[losses.len() - 1]);
    ensure(last < first && last < 10f64.ln(), || {
        format!(
            "the mean training loss went from {} (epoch 1) to {} (epoch {}), while uniform predictions give ln 10 = 2.303: the training diverged or did not learn. Check the sign of the step (p -= learning_rate · g) and lower the learning rate",
            fmt(first),
            fmt(last),
            losses.len()
        )
    })?;
    let predicted = predict(&model, &x_test);
    equal(
        "number of predictions (one per held-out image)",
        &predicted.len(),
        &y_test.len(),
    )?;
    ensure(predicted.iter().all(|&c| c < 10), || {
        "predict returned a class outside 0..10".to_string()
    })?;
    let accuracy = predicted
        .iter()
        .zip(&y_test)
        .filter(|(p, t)| p == t)
        .count() as f64
        / y_test.len() as f64;
    bar(
        &format!("held-out accuracy ({} images)", y_test.len()),
        accuracy,
        ACCURACY_BAR,
        Goal::AtLeast,
    )
    .hint("if the training loss falls but accuracy is low, check predict; if the loss stalls, try more epochs or a larger step that decays over the epochs")
    .note(&format!(
        "; training loss {} → {} over {} epochs; majority class 0.10, a linear model on the raw pixels 0.81 to 0.85",
        fmt(first),
        fmt(last),
        losses.len()
    ))
}
