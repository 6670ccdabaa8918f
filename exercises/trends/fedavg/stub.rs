// trends/fedavg: federated averaging of logistic regressions trained on clients' shards.
// `learnml show trends/fedavg` shows the full statement; `learnml check trends/fedavg` grades this file.

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
    let _ = (w, x, y, epochs, lr);
    todo!("gradient descent on the client's own data")
}

/// The server's aggregation: the average of the clients' weight vectors, client k weighted
/// by `sizes[k] / Σ sizes` (its share of the training examples).
pub fn weighted_average(models: &[Array1<f64>], sizes: &[usize]) -> Array1<f64> {
    let _ = (models, sizes);
    todo!("average the models, weighted by shard size")
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
    let _ = (clients, rounds, local_epochs, lr);
    todo!("rounds of local training and weighted averaging")
}
