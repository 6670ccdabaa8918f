// Grader of trends/fedavg.
//
// breast_cancer.csv, positive class `malignant` (1), stratified 75/25 split (seed 42),
// features standardized with the training split's mean and population standard deviation,
// then a column of ones appended (the intercept's weight is last). The training rows are
// dealt to clients of unequal sizes; the test rows are only used here, to score.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split::{rows, shuffled, stratified_train_test};
use ndarray::{Array1, Array2, Axis, array, concatenate};

use super::exercise::{fed_avg, local_train, weighted_average};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("local_step", local_step),
    ("weighted_average", weighted_average_check),
    ("one_epoch_is_central", one_epoch_is_central),
    ("held_out_accuracy", held_out_accuracy),
];

const LR: f64 = 0.5;
/// Shares of the training rows held by the 4 clients.
const SHARES: [f64; 4] = [0.4, 0.3, 0.2, 0.1];

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The grader's own full-batch gradient descent on the mean logistic loss.
fn gd(w: &Array1<f64>, x: &Array2<f64>, y: &Array1<f64>, steps: usize, lr: f64) -> Array1<f64> {
    let mut w = w.clone();
    for _ in 0..steps {
        let p = x.dot(&w).mapv(sigmoid);
        w = &w - &(lr * x.t().dot(&(p - y)) / x.nrows() as f64);
    }
    w
}

struct Data {
    x_train: Array2<f64>,
    y_train: Array1<f64>,
    x_test: Array2<f64>,
    y_test: Array1<f64>,
}

fn data() -> Data {
    let table = Table::dataset("breast_cancer.csv").expect("the grader reads breast_cancer.csv");
    let columns = table.columns_except(&["diagnosis"]);
    let x = table.numeric(&columns).expect("numeric features");
    let (labels, classes) = table.labels("diagnosis").expect("diagnosis labels");
    let malignant = classes
        .iter()
        .position(|c| c == "malignant")
        .expect("a malignant class");
    let y: Vec<f64> = labels
        .iter()
        .map(|&l| if l == malignant { 1.0 } else { 0.0 })
        .collect();
    let (train, test) = stratified_train_test(&labels, 0.25, 42);
    let (x_train, x_test) = (rows(&x, &train), rows(&x, &test));
    let mean = x_train.mean_axis(Axis(0)).expect("rows");
    let std = x_train
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let prepare = |m: &Array2<f64>| {
        let scaled = (m - &mean) / &std;
        concatenate![Axis(1), scaled, Array2::ones((m.nrows(), 1))]
    };
    let pick = |idx: &[usize]| Array1::from(idx.iter().map(|&i| y[i]).collect::<Vec<_>>());
    Data {
        x_train: prepare(&x_train),
        y_train: pick(&train),
        x_test: prepare(&x_test),
        y_test: pick(&test),
    }
}

/// Deal the rows in `order` to clients holding SHARES of them.
fn shards(x: &Array2<f64>, y: &Array1<f64>, order: &[usize]) -> Vec<(Array2<f64>, Array1<f64>)> {
    let n = order.len();
    let mut clients = Vec::new();
    let mut start = 0;
    for (k, share) in SHARES.iter().enumerate() {
        let end = if k + 1 == SHARES.len() {
            n
        } else {
            start + (share * n as f64).round() as usize
        };
        let idx = &order[start..end];
        clients.push((
            rows(x, idx),
            Array1::from(idx.iter().map(|&i| y[i]).collect::<Vec<_>>()),
        ));
        start = end;
    }
    clients
}

fn accuracy(w: &Array1<f64>, x: &Array2<f64>, y: &Array1<f64>) -> f64 {
    let predicted = x.dot(w).mapv(|z| if z > 0.0 { 1.0 } else { 0.0 });
    predicted.iter().zip(y).filter(|(p, t)| p == t).count() as f64 / y.len() as f64
}

fn local_step() -> Graded {
    let x = array![
        [1.0, 2.0, 1.0],
        [0.5, -1.0, 1.0],
        [-1.5, 0.0, 1.0],
        [2.0, 1.0, 1.0]
    ];
    let y = array![1.0, 0.0, 0.0, 1.0];
    let w = array![0.2, -0.1, 0.05];
    let got = local_train(&w, &x, &y, 1, 0.5);
    equal("number of weights after one epoch", &got.len(), &3)?;
    let expected = gd(&w, &x, &y, 1, 0.5);
    let residual = x.dot(&w).mapv(sigmoid) - &y;
    let mistakes = [
        (
            &w + &(0.5 * x.t().dot(&residual) / 4.0),
            "gradient ascent: the step goes up the loss (sign flipped)",
        ),
        (
            &w - &(0.5 * x.t().dot(&residual)),
            "the gradient summed over rows instead of averaged (no / n)",
        ),
        (
            &w - &(0.5 * x.t().dot(&(x.dot(&w) - &y)) / 4.0),
            "the squared-error gradient: σ is missing from the prediction",
        ),
    ];
    for (wrong, name) in &mistakes {
        if got.iter().zip(wrong).all(|(g, e)| (g - e).abs() < 1e-9) {
            return Err(fail(format!(
                "local_train after one epoch gave [{}]: {name}",
                got.iter().map(|v| fmt(*v)).collect::<Vec<_>>().join(", ")
            )))
            .hint("w ← w − lr · Xᵀ(σ(Xw) − y) / n");
        }
    }
    all_close(
        "weights after 1 epoch from w = [0.2, −0.1, 0.05], lr 0.5",
        &got.to_vec(),
        &expected.to_vec(),
        1e-9,
    )
    .hint("w ← w − lr · Xᵀ(σ(Xw) − y) / n, with σ(z) = 1 / (1 + e^(−z))")?;
    let got = local_train(&w, &x, &y, 3, 0.5);
    let expected = gd(&w, &x, &y, 3, 0.5);
    all_close(
        "weights after 3 epochs",
        &got.to_vec(),
        &expected.to_vec(),
        1e-9,
    )
    .hint("each epoch is one full-batch step starting from the previous epoch's weights")?;
    equal(
        "the start weights after local_train (must be left unchanged)",
        &w.to_vec(),
        &vec![0.2, -0.1, 0.05],
    )?;
    pass("one and three epochs of w ← w − lr · Xᵀ(σ(Xw) − y) / n")
}

fn weighted_average_check() -> Graded {
    let models = vec![array![1.0, 2.0], array![3.0, 4.0], array![10.0, 0.0]];
    let sizes = [1, 1, 2];
    let got = weighted_average(&models, &sizes);
    // (1·1 + 1·3 + 2·10) / 4 = 6, (1·2 + 1·4 + 2·0) / 4 = 1.5; the unweighted mean is [14/3, 2].
    if got.len() == 2 && (got[0] - 14.0 / 3.0).abs() < 1e-9 && (got[1] - 2.0).abs() < 1e-9 {
        return Err(fail("weighted_average gave [4.667, 2], the unweighted mean of the models; expected [6, 1.5]".to_string()))
            .hint("weight client k by sizes[k] / Σ sizes: a client with twice the data counts twice");
    }
    all_close(
        "weighted_average([[1, 2], [3, 4], [10, 0]], sizes [1, 1, 2])",
        &got.to_vec(),
        &[6.0, 1.5],
        1e-9,
    )
    .hint("Σ_k sizes[k] · models[k] / Σ_k sizes[k]")?;
    let got = weighted_average(&[array![-1.0, 0.5, 2.0]], &[7]);
    all_close(
        "weighted_average of a single model",
        &got.to_vec(),
        &[-1.0, 0.5, 2.0],
        1e-12,
    )?;
    pass("[6, 1.5]: client k weighted by its share of the examples")
}

fn one_epoch_is_central() -> Graded {
    let d = data();
    let order = shuffled(d.x_train.nrows(), 7);
    let clients = shards(&d.x_train, &d.y_train, &order);
    let rounds = 30;
    let got = fed_avg(&clients, rounds, 1, LR);
    equal("number of weights", &got.len(), &d.x_train.ncols())?;
    // With one local epoch, the weighted average of the clients' steps is one step on the
    // union: Σ_k (n_k / n) · Xₖᵀ(σ(Xₖw) − yₖ) / n_k = Xᵀ(σ(Xw) − y) / n.
    let central = gd(
        &Array1::zeros(d.x_train.ncols()),
        &d.x_train,
        &d.y_train,
        rounds,
        LR,
    );
    let mut unweighted = Array1::zeros(d.x_train.ncols());
    for _ in 0..rounds {
        let locals: Vec<Array1<f64>> = clients
            .iter()
            .map(|(x, y)| gd(&unweighted, x, y, 1, LR))
            .collect();
        unweighted = locals
            .iter()
            .fold(Array1::zeros(d.x_train.ncols()), |acc, m| acc + m)
            / locals.len() as f64;
    }
    let max_diff = |a: &Array1<f64>, b: &Array1<f64>| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    };
    if max_diff(&got, &unweighted) < 1e-8 && max_diff(&got, &central) > 1e-6 {
        return Err(fail(format!(
            "FedAvg with 1 local epoch equals the unweighted average of the clients (largest difference from central training {})",
            fmt(max_diff(&got, &central))
        )))
        .hint("the clients hold 40 %, 30 %, 20 % and 10 % of the data: weight each by its row count");
    }
    // Clients that continue from their own previous weights, not the global ones.
    let mut own: Vec<Array1<f64>> = vec![Array1::zeros(d.x_train.ncols()); clients.len()];
    let sizes: Vec<f64> = clients.iter().map(|(x, _)| x.nrows() as f64).collect();
    let mut drifting = Array1::zeros(d.x_train.ncols());
    for _ in 0..rounds {
        own = clients
            .iter()
            .zip(&own)
            .map(|((x, y), w)| gd(w, x, y, 1, LR))
            .collect();
        drifting = own
            .iter()
            .zip(&sizes)
            .fold(Array1::zeros(d.x_train.ncols()), |acc, (m, s)| acc + m * *s)
            / sizes.iter().sum::<f64>();
    }
    if max_diff(&got, &drifting) < 1e-8 && max_diff(&got, &central) > 1e-6 {
        return Err(fail(format!(
            "FedAvg with 1 local epoch: each client continued from its own previous weights instead of the global ones (largest difference from central training {})",
            fmt(max_diff(&got, &central))
        )))
        .hint("every round, each client starts local_train from the current global weights");
    }
    let diff = max_diff(&got, &central);
    ensure(diff <= 1e-8, || {
        format!(
            "after {rounds} rounds of 1 local epoch on 4 shards, FedAvg's weights differ from {rounds} steps of central gradient descent on the union by up to {} (tolerance 1e-8)",
            fmt(diff)
        )
    })
    .hint("start from zeros; every round, each client starts from the current global weights, not from its own previous ones")?;
    pass(format!(
        "{rounds} rounds of FedAvg with 1 local epoch = {rounds} steps of central gradient descent (within 1e-8)"
    ))
}

fn held_out_accuracy() -> Graded {
    let d = data();
    // Label-skewed clients: the training rows sorted by label (shuffled within a label), so the
    // first clients hold mostly benign tumours and the last ones only malignant.
    let order_in_label = shuffled(d.x_train.nrows(), 11);
    let mut order = order_in_label.clone();
    order.sort_by_key(|&i| d.y_train[i] as usize);
    let clients = shards(&d.x_train, &d.y_train, &order);
    let (rounds, epochs) = (40, 5);
    let w = fed_avg(&clients, rounds, epochs, LR);
    equal("number of weights", &w.len(), &d.x_train.ncols())?;
    ensure(w.iter().all(|v| v.is_finite()), || {
        "the weights hold NaN or infinite values".to_string()
    })?;
    let central = gd(
        &Array1::zeros(d.x_train.ncols()),
        &d.x_train,
        &d.y_train,
        rounds * epochs,
        LR,
    );
    let central_accuracy = accuracy(&central, &d.x_test, &d.y_test);
    let constant = 1.0 - d.y_test.mean().expect("rows");
    let got = accuracy(&w, &d.x_test, &d.y_test);
    let note = format!(
        "; central training on the union reaches {}, always predicting benign {}",
        fmt(central_accuracy),
        fmt(constant)
    );
    bar(
        "test accuracy of FedAvg (40 rounds x 5 local epochs, label-skewed clients)",
        got,
        central_accuracy - 0.03,
        Goal::AtLeast,
    )
    .note(&note)
    .hint("each round, every client must start from the current global weights and the server must average the clients' results, weighted by row count")
}
