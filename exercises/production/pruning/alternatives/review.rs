//! alternative: review: lexicographic (|w|, layer, row, column) keys with an unstable sort, indexed_iter, the grid's largest acceptable s by max_by (any grid order)

// production/pruning: global and layer-wise magnitude pruning; sparsity chosen on validation.
// `learnml show production/pruning` shows the full statement; `learnml check production/pruning` grades this file.

use ndarray::{Array1, Array2};

/// One dense layer (given): `outputs = inputs · weights + bias`.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Shape (n_inputs, n_outputs).
    pub weights: Array2<f64>,
    /// Shape (n_outputs,). Biases are never pruned and never counted in the sparsity.
    pub bias: Array1<f64>,
}

/// The class of each row of `x` (given): ReLU after every layer but the last, then the index
/// of the largest output (the first one on a tie).
pub fn predict(layers: &[Layer], x: &Array2<f64>) -> Vec<usize> {
    let mut h = x.clone();
    for (l, layer) in layers.iter().enumerate() {
        h = h.dot(&layer.weights) + &layer.bias;
        if l + 1 < layers.len() {
            h.mapv_inplace(|v| v.max(0.0));
        }
    }
    h.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (j, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// The share of rows where `predicted` equals `y` (given).
pub fn accuracy(predicted: &[usize], y: &[usize]) -> f64 {
    let right = predicted.iter().zip(y).filter(|(p, t)| p == t).count();
    right as f64 / y.len() as f64
}

/// The share of weights (over all weight matrices together; biases excluded) that are exactly 0.
pub fn sparsity(layers: &[Layer]) -> f64 {
    let (zeros, total) = layers.iter().fold((0usize, 0usize), |(z, t), l| {
        (
            z + l.weights.iter().filter(|&&w| w == 0.0).count(),
            t + l.weights.len(),
        )
    });
    zeros as f64 / total as f64
}

/// Zero the `k` smallest |w| among the listed weights; keys break ties explicitly.
fn zero_smallest(layers: &mut [Layer], which: &[usize], s: f64) {
    // (|w|, layer, row, column): sorted lexicographically, so ties go to the earlier layer,
    // then row-major order.
    let mut keys: Vec<(f64, usize, usize, usize)> = which
        .iter()
        .flat_map(|&l| {
            layers[l]
                .weights
                .indexed_iter()
                .map(move |((r, c), &w)| (w.abs(), l, r, c))
                .collect::<Vec<_>>()
        })
        .collect();
    let k = (s * keys.len() as f64).floor() as usize;
    keys.sort_unstable_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    for &(_, l, r, c) in keys.iter().take(k) {
        layers[l].weights[[r, c]] = 0.0;
    }
}

/// Global magnitude pruning.
pub fn prune_global(layers: &[Layer], s: f64) -> Vec<Layer> {
    let mut out = layers.to_vec();
    let all: Vec<usize> = (0..out.len()).collect();
    zero_smallest(&mut out, &all, s);
    out
}

/// Layer-wise magnitude pruning.
pub fn prune_layerwise(layers: &[Layer], s: f64) -> Vec<Layer> {
    let mut out = layers.to_vec();
    for l in 0..out.len() {
        zero_smallest(&mut out, &[l], s);
    }
    out
}

/// The sparsity chosen for deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The largest sparsity of the grid whose validation accuracy drop is at most 0.01.
    pub sparsity: f64,
    /// Validation accuracy of the unpruned model minus that of the chosen pruned one.
    pub val_drop: f64,
    /// Test accuracy of the chosen pruned model.
    pub test_accuracy: f64,
}

/// Prune globally at each sparsity of `grid`, keep the largest acceptable one.
pub fn choose_sparsity(
    layers: &[Layer],
    grid: &[f64],
    (x_val, y_val): (&Array2<f64>, &[usize]),
    (x_test, y_test): (&Array2<f64>, &[usize]),
) -> Choice {
    let base = accuracy(&predict(layers, x_val), y_val);
    let (sparsity, val_drop) = grid
        .iter()
        .map(|&s| {
            (
                s,
                base - accuracy(&predict(&prune_global(layers, s), x_val), y_val),
            )
        })
        .filter(|&(_, drop)| drop <= 0.01 + 1e-9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("the grid contains 0");
    let chosen = prune_global(layers, sparsity);
    Choice {
        sparsity,
        val_drop,
        test_accuracy: accuracy(&predict(&chosen, x_test), y_test),
    }
}
