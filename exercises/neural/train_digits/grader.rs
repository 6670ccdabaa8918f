// Grader of neural/train_digits.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rng, rows, stratified_train_test};
use ndarray::{Array1, Array2, array};
use rand::Rng as _;

use super::exercise::{Params, Settings, gradients, predict, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("predict_argmax", predict_argmax),
    ("initialization", initialization),
    ("gradient_mean", gradient_mean),
    ("shuffle_each_epoch", shuffle_each_epoch),
    ("training_loss", training_loss),
    ("held_out_accuracy", held_out_accuracy),
    ("reproducible", reproducible),
    ("hidden_split", hidden_split),
];

const N_CLASSES: usize = 10;

/// The public settings: a 64-64-10 network, 30 epochs of batches of 16 at learning rate 0.05.
/// (At 0.1 to 0.2, some seeds spike late in training: the bar would be luck.)
fn settings() -> Settings {
    Settings {
        hidden: 64,
        epochs: 30,
        batch_size: 16,
        learning_rate: 0.05,
        seed: 7,
    }
}

/// The bar on held-out accuracy. A constant predictor scores about 0.10 (the largest class is
/// 183 of 1797 images). Measured with the reference over 4 splits (seeds 42, 2024, 1, 2) x 5
/// training seeds: 0.947 to 0.980 (mean 0.963) with the public settings, 0.951 to 0.976 (mean
/// 0.961) with the hidden ones; the last epoch's training loss was at most 0.106. So 0.92
/// fails none of them, while a network that does not learn lands near 0.10.
const ACCURACY_BAR: f64 = 0.92;

struct Split {
    x_train: Array2<f64>,
    y_train: Vec<usize>,
    x_test: Array2<f64>,
    y_test: Vec<usize>,
}

/// digits.csv with pixels divided by 16 (so in [0, 1]), split 75 / 25 by class with `seed`.
fn digits(seed: u64) -> Result<Split, Failed> {
    let table = Table::dataset("digits.csv")
        .map_err(|e| fail(format!("the grader could not load digits.csv: {e}")))?;
    let pixels = table.columns_except(&["digit"]);
    let x = table
        .numeric(&pixels)
        .map_err(|e| fail(format!("digits.csv: {e}")))?
        / 16.0;
    let y: Vec<usize> = table
        .numeric_column("digit")
        .map_err(|e| fail(format!("digits.csv: {e}")))?
        .into_iter()
        .map(|v| v.unwrap_or(0.0) as usize)
        .collect();
    let (train_rows, test_rows) = stratified_train_test(&y, 0.25, seed);
    Ok(Split {
        x_train: rows(&x, &train_rows),
        y_train: train_rows.iter().map(|&i| y[i]).collect(),
        x_test: rows(&x, &test_rows),
        y_test: test_rows.iter().map(|&i| y[i]).collect(),
    })
}

/// The grader's own argmax of the logits, with loops.
fn argmax_ref(p: &Params, x: &Array2<f64>) -> Vec<usize> {
    let (n, d) = x.dim();
    let (h, k) = (p.b1.len(), p.b2.len());
    (0..n)
        .map(|i| {
            let hidden: Vec<f64> = (0..h)
                .map(|j| ((0..d).map(|a| x[[i, a]] * p.w1[[a, j]]).sum::<f64>() + p.b1[j]).max(0.0))
                .collect();
            let logits: Vec<f64> = (0..k)
                .map(|c| (0..h).map(|j| hidden[j] * p.w2[[j, c]]).sum::<f64>() + p.b2[c])
                .collect();
            (0..k).fold(0, |best, c| if logits[c] > logits[best] { c } else { best })
        })
        .collect()
}

fn accuracy(predicted: &[usize], truth: &[usize]) -> f64 {
    predicted.iter().zip(truth).filter(|(p, t)| p == t).count() as f64 / truth.len() as f64
}

fn predictions(p: &Params, x: &Array2<f64>) -> Result<Vec<usize>, Failed> {
    let predicted = predict(p, x);
    equal(
        "number of predictions (one per row)",
        &predicted.len(),
        &x.nrows(),
    )?;
    ensure(predicted.iter().all(|&c| c < N_CLASSES), || {
        "predict returned a class outside 0..10".to_string()
    })
    .hint("classes are 0 to 9, the column index of the largest logit")?;
    Ok(predicted)
}

fn finite_params(p: &Params) -> Result<(), Failed> {
    let all = p.w1.iter().chain(&p.b1).chain(&p.w2).chain(&p.b2);
    ensure(all.into_iter().all(|v| v.is_finite()), || "the trained parameters contain NaN or inf".to_string())
        .hint("the loss diverged: check the sign of the update (w -= learning_rate * gradient) and that the gradient is a mean over the batch")
}

fn predict_argmax() -> Graded {
    let split = digits(42)?;
    let mut r = rng(3);
    let mut m =
        |rows: usize, cols: usize| Array2::from_shape_fn((rows, cols), |_| r.gen_range(-1.0..1.0));
    let p = Params {
        w1: m(64, 8),
        b1: m(1, 8).row(0).to_owned(),
        w2: m(8, 10),
        b2: m(1, 10).row(0).to_owned(),
    };
    let x = rows(&split.x_test, &(0..40).collect::<Vec<_>>());
    let expected = argmax_ref(&p, &x);
    let got = predict(&p, &x);
    equal("number of predictions for 40 rows", &got.len(), &40)?;
    let shifted: Vec<usize> = expected.iter().map(|c| c + 1).collect();
    let hint = if got == shifted {
        "off by one: classes are 0 to 9, the column index itself"
    } else {
        "the predicted class is the index of the largest logit of the row (the largest probability is at the same index, softmax is increasing)"
    };
    equal(
        "classes predicted by fixed random weights for 40 images",
        &got,
        &expected,
    )
    .hint(hint)?;
    pass("predict returns the argmax of each row's logits")
}

fn std_and_mean(values: &Array2<f64>) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.sum() / n;
    ((values.mapv(|v| (v - mean).powi(2)).sum() / n).sqrt(), mean)
}

fn initialization() -> Graded {
    let split = digits(42)?;
    // h = 32 differs from d = 64, so a W2 drawn with fan-in d is told apart.
    let zero_epochs = Settings {
        epochs: 0,
        hidden: 32,
        ..settings()
    };
    let (p, losses) = train(&split.x_train, &split.y_train, N_CLASSES, &zero_epochs);
    equal("number of epoch losses after 0 epochs", &losses.len(), &0)?;
    equal("w1 shape (d, h) with h = 32", &p.w1.dim(), &(64, 32))?;
    equal("b1 length", &p.b1.len(), &32)?;
    equal("w2 shape (h, k)", &p.w2.dim(), &(32, 10))?;
    equal("b2 length", &p.b2.len(), &10)?;
    ensure(p.b1.iter().chain(&p.b2).all(|&v| v == 0.0), || {
        "the biases do not start at 0".to_string()
    })?;
    let (s1, m1) = std_and_mean(&p.w1);
    ensure(s1 > 0.0, || "w1 starts constant (all equal)".to_string())
        .hint("symmetry: hidden units that start with equal weights compute the same thing at the start. Draw W1 at random")?;
    // He initialization: standard deviation sqrt(2 / fan_in). 2048 and 320 draws estimate it
    // within a few percent; 15 % leaves room, and the named wrong values are far outside it.
    let (e1, e2) = ((2.0f64 / 64.0).sqrt(), (2.0f64 / 32.0).sqrt());
    let within = |got: f64, value: f64| (got - value).abs() <= 0.15 * value;
    let variance = "that is the variance 2 / fan-in used as the standard deviation: `Normal::new` takes the standard deviation, its square root";
    let named = |what: &str, got: f64, expected: f64, wrong: &[(f64, &str)]| {
        if !within(got, expected)
            && let Some((_, why)) = wrong.iter().find(|(w, _)| within(got, *w))
        {
            return Err(fail(format!(
                "{what}: expected {} (± 15 %), got {}: {why}",
                fmt(expected),
                fmt(got)
            )));
        }
        close(what, got, expected, 0.15 * expected)
    };
    named(
        "standard deviation of the initial w1 (He: sqrt(2/d) = sqrt(2/64))",
        s1,
        e1,
        &[(2.0 / 64.0, variance)],
    )
    .hint("W1 ~ N(0, 2/d): `Normal::new(0.0, (2.0 / d as f64).sqrt())`")?;
    close("mean of the initial w1", m1, 0.0, 0.02)?;
    let (s2, m2) = std_and_mean(&p.w2);
    named(
        "standard deviation of the initial w2 (He: sqrt(2/h) = sqrt(2/32))",
        s2,
        e2,
        &[
            (
                (2.0f64 / 64.0).sqrt(),
                "that is sqrt(2/d): W2's fan-in is h (the hidden units), not d",
            ),
            (2.0 / 32.0, variance),
        ],
    )
    .hint("W2 ~ N(0, 2/h): its fan-in is h, not d")?;
    close("mean of the initial w2", m2, 0.0, 0.05)?;
    pass(format!(
        "He initialization: std(w1) = {}, std(w2) = {}, biases 0",
        fmt(s1),
        fmt(s2)
    ))
}

/// The grader's own batch gradients of the mean cross-entropy, with loops: (loss, gradients).
#[allow(clippy::needless_range_loop)] // index loops read like the algebra
fn gradients_ref(x: &Array2<f64>, y: &[usize], p: &Params) -> (f64, Params) {
    let (n, d) = x.dim();
    let (h, k) = (p.b1.len(), p.b2.len());
    let mut g = Params {
        w1: Array2::zeros((d, h)),
        b1: Array1::zeros(h),
        w2: Array2::zeros((h, k)),
        b2: Array1::zeros(k),
    };
    let mut loss = 0.0;
    for i in 0..n {
        let z1: Vec<f64> = (0..h)
            .map(|j| (0..d).map(|a| x[[i, a]] * p.w1[[a, j]]).sum::<f64>() + p.b1[j])
            .collect();
        let hidden: Vec<f64> = z1.iter().map(|v| v.max(0.0)).collect();
        let logits: Vec<f64> = (0..k)
            .map(|c| (0..h).map(|j| hidden[j] * p.w2[[j, c]]).sum::<f64>() + p.b2[c])
            .collect();
        let m = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = logits.iter().map(|v| (v - m).exp()).sum();
        let probs: Vec<f64> = logits.iter().map(|v| (v - m).exp() / total).collect();
        loss -= probs[y[i]].ln() / n as f64;
        let d_logits: Vec<f64> = (0..k)
            .map(|c| (probs[c] - f64::from(u8::from(c == y[i]))) / n as f64)
            .collect();
        for c in 0..k {
            g.b2[c] += d_logits[c];
            for j in 0..h {
                g.w2[[j, c]] += hidden[j] * d_logits[c];
            }
        }
        for j in 0..h {
            if z1[j] > 0.0 {
                let d_z1: f64 = (0..k).map(|c| d_logits[c] * p.w2[[j, c]]).sum();
                g.b1[j] += d_z1;
                for a in 0..d {
                    g.w1[[a, j]] += x[[i, a]] * d_z1;
                }
            }
        }
    }
    (loss, g)
}

fn flat(p: &Params) -> Vec<f64> {
    p.w1.iter()
        .chain(&p.b1)
        .chain(&p.w2)
        .chain(&p.b2)
        .copied()
        .collect()
}

fn near(a: &Params, b: &Params) -> bool {
    let (a, b) = (flat(a), flat(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-9)
}

/// A tiny network and batch: 3 examples, d = 3, h = 4, k = 3, every hidden unit active on some
/// example.
fn tiny() -> (Array2<f64>, Vec<usize>, Params) {
    let x = array![[0.5, 1.0, 0.0], [1.0, 0.25, 0.75], [0.0, 0.5, 1.0]];
    let y = vec![2, 0, 1];
    let p = Params {
        w1: array![
            [0.4, -0.3, 0.2, 0.5],
            [0.1, 0.6, -0.4, 0.3],
            [-0.2, 0.3, 0.5, 0.2]
        ],
        b1: array![0.1, 0.0, -0.05, 0.2],
        w2: array![
            [0.3, -0.2, 0.5],
            [-0.4, 0.6, 0.1],
            [0.2, 0.3, -0.5],
            [0.5, -0.1, 0.2]
        ],
        b2: array![0.05, -0.1, 0.0],
    };
    (x, y, p)
}

fn gradient_mean() -> Graded {
    let (x, y, p) = tiny();
    let (loss, g) = gradients(&x, &y, &p);
    let (expected_loss, expected) = gradients_ref(&x, &y, &p);
    close_naming(
        "mean cross-entropy of a 3-example batch",
        loss,
        expected_loss,
        1e-9,
        &[(
            3.0 * expected_loss,
            "that is the sum of the losses; the loss is their mean over the batch (divide by n)",
        )],
    )?;
    let shapes = [g.w1.dim(), (g.b1.len(), 1), g.w2.dim(), (g.b2.len(), 1)];
    equal(
        "gradient shapes (w1, b1, w2, b2)",
        &shapes,
        &[(3, 4), (4, 1), (4, 3), (3, 1)],
    )?;
    if !near(&g, &expected) {
        let scaled = |f: f64| Params {
            w1: &expected.w1 * f,
            b1: &expected.b1 * f,
            w2: &expected.w2 * f,
            b2: &expected.b2 * f,
        };
        if near(&g, &scaled(3.0)) {
            return Err(fail(
                "gradients of a 3-example batch are 3 times the expected ones: the gradient is a sum over the batch, missing the 1/n of the mean loss (divide dL/dlogits by the batch size)",
            ));
        }
        if near(&g, &scaled(-1.0)) {
            return Err(fail(
                "gradients of a 3-example batch have the wrong sign: dL/dlogits = probs - one_hot(y), divided by n",
            ));
        }
        let names = ["w1", "b1", "w2", "b2"];
        let got = [
            &g.w1.iter().copied().collect::<Vec<_>>(),
            &g.b1.to_vec(),
            &g.w2.iter().copied().collect(),
            &g.b2.to_vec(),
        ];
        let exp = [
            &expected.w1.iter().copied().collect::<Vec<_>>(),
            &expected.b1.to_vec(),
            &expected.w2.iter().copied().collect(),
            &expected.b2.to_vec(),
        ];
        for i in 0..4 {
            all_close(
                &format!("gradient of {} (3-example batch)", names[i]),
                got[i],
                exp[i],
                1e-9,
            )
            .hint("paste `gradients` from neural/backprop: it passes its gradient check there")?;
        }
    }
    pass("loss and gradients of a 3-example batch are the batch means")
}

/// One SGD epoch of batches of 1 in `order`, from `p`, with the grader's own gradients.
fn sgd_epoch(x: &Array2<f64>, y: &[usize], p: &Params, order: &[usize], lr: f64) -> Params {
    let mut p = p.clone();
    for &i in order {
        let (_, g) = gradients_ref(&x.select(ndarray::Axis(0), &[i]), &[y[i]], &p);
        p.w1.scaled_add(-lr, &g.w1);
        p.b1.scaled_add(-lr, &g.b1);
        p.w2.scaled_add(-lr, &g.w2);
        p.b2.scaled_add(-lr, &g.b2);
    }
    p
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut all = Vec::new();
    for rest in permutations(n - 1) {
        for at in 0..=rest.len() {
            let mut order = rest.clone();
            order.insert(at, n - 1);
            all.push(order);
        }
    }
    all.sort();
    all
}

fn shuffle_each_epoch() -> Graded {
    // 4 examples, batches of 1: the parameters after each epoch reveal the order in which
    // the examples were visited (SGD steps do not commute). The grader trains 0, 1, 2 and 3
    // epochs with the same seed, and finds each epoch's order among the 24.
    let x = array![
        [0.9, 0.1, 0.4],
        [0.2, 0.8, 0.5],
        [0.6, 0.7, 0.1],
        [0.3, 0.2, 0.9]
    ];
    let y = [0, 1, 2, 1];
    let s = |epochs: usize| Settings {
        hidden: 5,
        epochs,
        batch_size: 1,
        learning_rate: 0.5,
        seed: 3,
    };
    let orders = permutations(4);
    let mut previous = train(&x, &y, 3, &s(0)).0;
    let mut found = Vec::new();
    for epochs in 1..=3 {
        let (p, losses) = train(&x, &y, 3, &s(epochs));
        equal(
            &format!("number of epoch losses after {epochs} epochs"),
            &losses.len(),
            &epochs,
        )?;
        let order = orders
            .iter()
            .find(|order| near(&p, &sgd_epoch(&x, &y, &previous, order, 0.5)));
        let Some(order) = order else {
            return Err(fail(format!(
                "epoch {epochs} on 4 examples with batches of 1 matches no order of the examples: each step must be p -= learning_rate * gradient of one batch, taken from the parameters the previous step left (and train with the same seed must start from the same parameters)"
            )))
            .hint("the same seed must give the same initial parameters; then every batch takes one step w -= learning_rate * gradient for all four parameters");
        };
        found.push(order.clone());
        previous = p;
    }
    let shown = found
        .iter()
        .map(|o| format!("{o:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    ensure(found.iter().any(|o| *o != found[0]), || {
        format!(
            "the examples came in the same order in epochs 1, 2 and 3 ({shown}): the batches are not reshuffled; shuffle 0..n at the start of every epoch, with the one RNG seeded once"
        )
    })?;
    pass(format!(
        "a new order every epoch: {shown} in epochs 1, 2 and 3"
    ))
}

fn training_loss() -> Graded {
    let split = digits(42)?;
    let s = settings();
    let (p, losses) = train(&split.x_train, &split.y_train, N_CLASSES, &s);
    equal("number of epoch losses", &losses.len(), &s.epochs)?;
    ensure(losses.iter().all(|v| v.is_finite()), || {
        "an epoch loss is NaN or inf".to_string()
    })
    .hint("the loss diverged: check the sign of the update (w -= learning_rate * gradient)")?;
    finite_params(&p)?;
    let (first, last) = (losses[0], losses[losses.len() - 1]);
    ensure(last < first, || {
        format!(
            "the mean training loss went from {} (epoch 1) to {} (epoch {}): it should fall",
            fmt(first),
            fmt(last),
            s.epochs
        )
    })
    .hint(
        "if the loss rises you step up the gradient: the update is w -= learning_rate * gradient",
    )?;
    // The bar is on the loss the grader computes from the returned parameters: the losses
    // `train` reports are the learner's word, and made-up falling numbers must not pass.
    let (d, h) = (split.x_train.ncols(), p.b1.len());
    equal("shape of the trained w1", &p.w1.dim(), &(d, h))?;
    equal("shape of the trained w2", &p.w2.dim(), &(h, N_CLASSES))?;
    equal("length of the trained b2", &p.b2.len(), &N_CLASSES)?;
    let (loss, _) = gradients_ref(&split.x_train, &split.y_train, &p);
    // ln 10 = 2.303 is the loss of uniform predictions; a network that learns ends far below.
    bar(
        "mean training loss of the trained parameters (computed by the grader)",
        loss,
        0.3,
        Goal::AtMost,
    )
    .note(&format!("; your last epoch's reported loss: {}", fmt(last)))
    .hint("each epoch: shuffle, then for each batch compute the mean gradient and take w -= learning_rate * gradient for all four parameters")
}

fn held_out_accuracy() -> Graded {
    let split = digits(42)?;
    let (p, _) = train(&split.x_train, &split.y_train, N_CLASSES, &settings());
    finite_params(&p)?;
    let predicted = predictions(&p, &split.x_test)?;
    let name = format!("held-out accuracy ({} images)", split.y_test.len());
    let hint = "a constant predictor scores about 0.10. If the training loss falls but accuracy stays low, check predict (argmax of the logits)";
    bar(
        &name,
        accuracy(&predicted, &split.y_test),
        ACCURACY_BAR,
        Goal::AtLeast,
    )
    .hint(hint)
}

fn reproducible() -> Graded {
    let split = digits(42)?;
    let short = Settings {
        epochs: 3,
        ..settings()
    };
    let (p, first) = train(&split.x_train, &split.y_train, N_CLASSES, &short);
    let (q, second) = train(&split.x_train, &split.y_train, N_CLASSES, &short);
    let same = p.w1 == q.w1 && p.b1 == q.b1 && p.w2 == q.w2 && p.b2 == q.b2 && first == second;
    ensure(same, || "two trainings with the same seed gave different parameters".to_string())
        .hint("draw everything random (initial weights, shuffles) from one `learnml_kit::split::rng(settings.seed)`, never from `rand::thread_rng()`")?;
    let (other, _) = train(
        &split.x_train,
        &split.y_train,
        N_CLASSES,
        &Settings { seed: 8, ..short },
    );
    ensure(other.w1 != p.w1, || {
        "seeds 7 and 8 gave the same weights after 3 epochs".to_string()
    })
    .hint("seed the RNG with settings.seed")?;
    pass("same seed, same network; another seed, another network")
}

fn hidden_split() -> Graded {
    let split = digits(2024)?;
    let s = Settings {
        hidden: 32,
        epochs: 40,
        batch_size: 16,
        learning_rate: 0.03,
        seed: 11,
    };
    let (p, _) = train(&split.x_train, &split.y_train, N_CLASSES, &s);
    finite_params(&p)?;
    let predicted = predictions(&p, &split.x_test)?;
    let value = accuracy(&predicted, &split.y_test);
    let hint = if value < 0.2 {
        "about what a constant predictor scores (0.10): the network did not learn; check the sign of the step and that the updates reach the parameters"
    } else {
        "the public split passes but this one does not? Make sure train uses every field of settings (hidden, epochs, batch_size, learning_rate, seed), not the public values"
    };
    bar(
        "held-out accuracy on a hidden split with hidden settings",
        value,
        ACCURACY_BAR,
        Goal::AtLeast,
    )
    .hint(hint)
}
