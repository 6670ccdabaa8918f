//! alternative: the gradient accumulated row by row, the average as a fold of size-scaled models

// trends/fedavg: federated averaging of logistic regressions, checked against central training.

use ndarray::{Array1, Array2};

/// `epochs` steps of full-batch gradient descent on the mean logistic loss of one client's
/// data, starting from `w`. `x` is `n x d` (the last column is all ones: its weight is the
/// intercept), `y` holds labels 0 or 1, `w` has `d` weights. One step:
/// w ← w − lr · Xᵀ(σ(Xw) − y) / n, with σ(z) = 1 / (1 + e^(−z)).
pub fn local_train(
    w: &Array1<f64>,
    x: &Array2<f64>,
    y: &Array1<f64>,
    epochs: usize,
    lr: f64,
) -> Array1<f64> {
    let mut w = w.clone();
    let n = x.nrows() as f64;
    for _ in 0..epochs {
        let mut gradient = Array1::<f64>::zeros(w.len());
        for (row, &label) in x.rows().into_iter().zip(y) {
            let p = 1.0 / (1.0 + (-row.dot(&w)).exp());
            gradient.scaled_add(p - label, &row);
        }
        w.scaled_add(-lr / n, &gradient);
    }
    w
}

/// The server's aggregation: the average of the clients' weight vectors, client k weighted
/// by `sizes[k] / Σ sizes` (its share of the training examples).
pub fn weighted_average(models: &[Array1<f64>], sizes: &[usize]) -> Array1<f64> {
    let total = sizes.iter().sum::<usize>() as f64;
    models
        .iter()
        .zip(sizes)
        .map(|(model, &size)| model * size as f64)
        .fold(Array1::zeros(models[0].len()), |sum, weighted| {
            sum + weighted
        })
        / total
}

/// Federated averaging (McMahan et al., 2017) with every client taking part in every round.
/// The global weights start at 0; each round, every client runs `local_train` for
/// `local_epochs` from the global weights on its own `(x, y)`, and the server replaces the
/// global weights by `weighted_average` of the results, weighted by the clients' row counts.
pub fn fed_avg(
    clients: &[(Array2<f64>, Array1<f64>)],
    rounds: usize,
    local_epochs: usize,
    lr: f64,
) -> Array1<f64> {
    let mut global = Array1::zeros(clients[0].0.ncols());
    let sizes: Vec<usize> = clients.iter().map(|(x, _)| x.nrows()).collect();
    for _ in 0..rounds {
        let locals: Vec<Array1<f64>> = clients
            .iter()
            .map(|(x, y)| local_train(&global, x, y, local_epochs, lr))
            .collect();
        global = weighted_average(&locals, &sizes);
    }
    global
}
