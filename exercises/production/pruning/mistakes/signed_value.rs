//! mistake: ranks the weights by signed value, pruning the most negative ones instead of the smallest |w|
//! fails: prune_global, prune_layerwise
//! message: "signed value"

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
    let total: usize = layers.iter().map(|l| l.weights.len()).sum();
    let zeros: usize = layers
        .iter()
        .map(|l| l.weights.iter().filter(|&&w| w == 0.0).count())
        .sum();
    zeros as f64 / total as f64
}

/// Zero the `floor(s * n)` weights of smallest |w| among the `n` weights given (in order);
/// ties go to the earlier weight.
fn prune_smallest(weights: &mut [&mut f64], s: f64) {
    let k = (s * weights.len() as f64).floor() as usize;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[a].total_cmp(weights[b])); // stable
    for &i in &order[..k] {
        *weights[i] = 0.0;
    }
}

/// Global magnitude pruning: a copy of `layers` where the `floor(s * N)` weights of smallest
/// |w| over ALL weight matrices together (N weights in all) are set to 0. Ties: the weight of
/// the earlier layer first, then the earlier in row-major order. Biases are left unchanged.
pub fn prune_global(layers: &[Layer], s: f64) -> Vec<Layer> {
    let mut pruned = layers.to_vec();
    let mut all: Vec<&mut f64> = pruned
        .iter_mut()
        .flat_map(|l| l.weights.iter_mut())
        .collect();
    prune_smallest(&mut all, s);
    pruned
}

/// Layer-wise magnitude pruning: in each layer separately, the `floor(s * N_l)` weights of
/// smallest |w| of that layer (N_l weights) are set to 0 (ties: row-major order). Biases are
/// left unchanged.
pub fn prune_layerwise(layers: &[Layer], s: f64) -> Vec<Layer> {
    let mut pruned = layers.to_vec();
    for layer in &mut pruned {
        let mut weights: Vec<&mut f64> = layer.weights.iter_mut().collect();
        prune_smallest(&mut weights, s);
    }
    pruned
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

/// Prune globally at each sparsity of `grid`, keep the largest one whose drop in VALIDATION
/// accuracy (unpruned minus pruned) is `<= 0.01 + 1e-9`, and report its test accuracy.
pub fn choose_sparsity(
    layers: &[Layer],
    grid: &[f64],
    (x_val, y_val): (&Array2<f64>, &[usize]),
    (x_test, y_test): (&Array2<f64>, &[usize]),
) -> Choice {
    let base = accuracy(&predict(layers, x_val), y_val);
    let mut best = (0.0, 0.0);
    for &s in grid {
        let drop = base - accuracy(&predict(&prune_global(layers, s), x_val), y_val);
        if drop <= 0.01 + 1e-9 && s >= best.0 {
            best = (s, drop);
        }
    }
    let chosen = prune_global(layers, best.0);
    Choice {
        sparsity: best.0,
        val_drop: best.1,
        test_accuracy: accuracy(&predict(&chosen, x_test), y_test),
    }
}
