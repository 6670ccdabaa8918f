// Grader of production/pruning.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::Rng as _;

use super::exercise::{Layer, choose_sparsity, prune_global, prune_layerwise, sparsity};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("sparsity", sparsity_check),
    ("prune_global", prune_global_check),
    ("prune_layerwise", prune_layerwise_check),
    ("choose_sparsity", choose_sparsity_check),
];

const GRID: [f64; 20] = [
    0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8,
    0.85, 0.9, 0.95,
];
/// The seed of the validation/test split of the held-out rows (see `choose_sparsity_check`).
const SPLIT_SEED: u64 = 1001;
const SPARSITIES: [f64; 6] = [0.0, 0.3, 0.5, 0.62, 0.9, 1.0];

// ---------- the grader's own pruning, right and wrong ----------

#[derive(Clone, Copy, PartialEq)]
enum Rank {
    Magnitude,
    Signed,
}

/// Zero the k first entries of `pool` (layer, index or None for a bias, value) once sorted by
/// the key, ties in pool order (the pool lists layers in order, weights row-major).
fn zero_smallest(
    layers: &mut [Layer],
    pool: Vec<(usize, Option<usize>, f64)>,
    k: usize,
    rank: Rank,
) {
    let mut pool = pool;
    let key = |v: f64| if rank == Rank::Signed { v } else { v.abs() };
    pool.sort_by(|a, b| key(a.2).total_cmp(&key(b.2)));
    for &(l, at, _) in pool.iter().take(k) {
        if let Some(i) = at {
            let cols = layers[l].weights.ncols();
            layers[l].weights[[i / cols, i % cols]] = 0.0;
        }
    }
}

fn pool_of(layers: &[Layer], only: Option<usize>) -> Vec<(usize, Option<usize>, f64)> {
    let mut pool = Vec::new();
    for (l, layer) in layers.iter().enumerate() {
        if only.is_some_and(|o| o != l) {
            continue;
        }
        let cols = layer.weights.ncols();
        for i in 0..layer.weights.nrows() {
            for j in 0..cols {
                pool.push((l, Some(i * cols + j), layer.weights[[i, j]]));
            }
        }
    }
    pool
}

fn count(s: f64, n: usize, rounded: bool) -> usize {
    let k = s * n as f64;
    if rounded {
        k.round() as usize
    } else {
        k.floor() as usize
    }
    .min(n)
}

fn global(layers: &[Layer], s: f64, rank: Rank, rounded: bool) -> Vec<Layer> {
    let mut out = layers.to_vec();
    let pool = pool_of(layers, None);
    let k = count(s, pool.len(), rounded);
    zero_smallest(&mut out, pool, k, rank);
    out
}

fn layerwise(layers: &[Layer], s: f64, rank: Rank, rounded: bool) -> Vec<Layer> {
    let mut out = layers.to_vec();
    for l in 0..layers.len() {
        let pool = pool_of(layers, Some(l));
        let k = count(s, pool.len(), rounded);
        zero_smallest(&mut out, pool, k, rank);
    }
    out
}

/// Global pruning with the biases in the ranking too (the mistake).
fn global_with_biases(layers: &[Layer], s: f64) -> Vec<Layer> {
    let mut out = layers.to_vec();
    let mut pool: Vec<(usize, Option<usize>, f64, usize)> = Vec::new();
    for (l, layer) in layers.iter().enumerate() {
        for (_, at, v) in pool_of(layers, Some(l)) {
            pool.push((l, at, v, 0));
        }
        for (b, &v) in layer.bias.iter().enumerate() {
            pool.push((l, None, v, b));
        }
    }
    let k = count(s, pool.len(), false);
    pool.sort_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
    for &(l, at, _, b) in pool.iter().take(k) {
        match at {
            Some(i) => {
                let cols = out[l].weights.ncols();
                out[l].weights[[i / cols, i % cols]] = 0.0;
            }
            None => out[l].bias[b] = 0.0,
        }
    }
    out
}

// ---------- comparisons ----------

fn same_layers(a: &[Layer], b: &[Layer]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.weights == y.weights && x.bias == y.bias)
}

/// Shapes first, then exact equality, naming a known wrong variant, else the first difference.
fn compare_layers(
    what: &str,
    original: &[Layer],
    got: &[Layer],
    expected: &[Layer],
    wrong: &[(Vec<Layer>, &str)],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of layers"),
        &got.len(),
        &expected.len(),
    )?;
    for (l, (g, e)) in got.iter().zip(expected).enumerate() {
        equal(
            &format!("{what}: shape of layer {l}'s weights"),
            &g.weights.dim(),
            &e.weights.dim(),
        )?;
        equal(
            &format!("{what}: length of layer {l}'s bias"),
            &g.bias.len(),
            &e.bias.len(),
        )?;
    }
    if same_layers(got, expected) {
        return Ok(());
    }
    for (variant, why) in wrong {
        if same_layers(got, variant) && !same_layers(variant, expected) {
            return Err(fail(format!("{what}: {why}")));
        }
    }
    if other_ties(original, got, expected) {
        return Err(fail(format!(
            "{what}: the right number of weights zeroed and the right magnitudes, but other \
             weights among equal |w|: ties go to the earlier layer, then row-major order (a \
             stable ascending sort)"
        )));
    }
    for (l, (g, e)) in got.iter().zip(expected).enumerate() {
        for (b, ev) in e.bias.iter().enumerate() {
            if g.bias[b] != *ev {
                return Err(fail(format!(
                    "{what}: layer {l}, bias [{b}]: expected {}, got {}: pruned biases, but \
                     biases are not pruned (convention)",
                    fmt(*ev),
                    fmt(g.bias[b])
                )));
            }
        }
    }
    for (l, (g, e)) in got.iter().zip(expected).enumerate() {
        for ((i, j), ev) in e.weights.indexed_iter() {
            let gv = g.weights[[i, j]];
            if gv != *ev {
                return Err(fail(format!(
                    "{what}: layer {l}, weight [{i}, {j}]: expected {}, got {}",
                    fmt(*ev),
                    fmt(gv)
                )));
            }
        }
    }
    Ok(())
}

/// True when `got` keeps every weight of `original` or zeroes it, its biases are unchanged, and
/// the magnitudes it zeroed are those `expected` zeroed, at other places: another tie-break.
fn other_ties(original: &[Layer], got: &[Layer], expected: &[Layer]) -> bool {
    let zeroed = |pruned: &[Layer]| -> Option<Vec<f64>> {
        let mut out = Vec::new();
        for (o, p) in original.iter().zip(pruned) {
            if o.bias != p.bias {
                return None;
            }
            for (ov, pv) in o.weights.iter().zip(&p.weights) {
                if *pv == 0.0 && *ov != 0.0 {
                    out.push(ov.abs());
                } else if pv != ov {
                    return None;
                }
            }
        }
        out.sort_by(f64::total_cmp);
        Some(out)
    };
    match (zeroed(got), zeroed(expected)) {
        (Some(g), Some(e)) => g == e && !same_layers(got, expected),
        _ => false,
    }
}

fn zeros(layers: &[Layer]) -> usize {
    layers
        .iter()
        .map(|l| l.weights.iter().filter(|&&w| w == 0.0).count())
        .sum()
}

/// Seeded layers 5→4→3→2 on a grid of 0.25 (ties, and w next to −w), the last layers larger.
fn random_layers(seed: u64) -> Vec<Layer> {
    let mut rng = split::rng(seed);
    let shapes = [(5, 4), (4, 3), (3, 2)];
    shapes
        .iter()
        .enumerate()
        .map(|(l, &(i, o))| {
            let scale = 1.0 + l as f64;
            let mut draw = || (rng.gen_range(-8i32..=8) as f64) * 0.25 * scale;
            let weights = Array2::from_shape_fn((i, o), |_| draw());
            let bias = Array1::from_shape_fn(o, |_| draw() * 0.1 + 0.05);
            Layer { weights, bias }
        })
        .collect()
}

// ---------- checks ----------

fn sparsity_check() -> Graded {
    for case in 0..4u64 {
        let mut layers = random_layers(10 + case);
        // exact zeros in some biases too, which must not count
        layers[0].bias[1] = 0.0;
        layers[2].bias[0] = 0.0;
        let n_w: usize = layers.iter().map(|l| l.weights.len()).sum();
        let n_b: usize = layers.iter().map(|l| l.bias.len()).sum();
        let z_w = zeros(&layers);
        let z_b: usize = layers
            .iter()
            .map(|l| l.bias.iter().filter(|&&b| b == 0.0).count())
            .sum();
        let expected = z_w as f64 / n_w as f64;
        let per_layer: f64 = layers
            .iter()
            .map(|l| {
                l.weights.iter().filter(|&&w| w == 0.0).count() as f64 / l.weights.len() as f64
            })
            .sum::<f64>()
            / layers.len() as f64;
        let got = sparsity(&layers);
        close_naming(
            &format!(
                "sparsity of seeded layers {} ({z_w} zero weights of {n_w})",
                case + 1
            ),
            got,
            expected,
            1e-12,
            &[
                (
                    (z_w + z_b) as f64 / (n_w + n_b) as f64,
                    "the biases were counted: the sparsity is over the weights only",
                ),
                (
                    1.0 - expected,
                    "gave the density (share of nonzero weights)",
                ),
                (
                    per_layer,
                    "averaged the layers' sparsities instead of pooling their weights",
                ),
            ],
        )?;
    }
    pass("sparsity = zero weights / all weights, biases excluded, on 4 seeded networks")
}

fn prune_global_check() -> Graded {
    for case in 0..3u64 {
        let layers = random_layers(20 + case);
        for &s in &SPARSITIES {
            let got = prune_global(&layers, s);
            let expected = global(&layers, s, Rank::Magnitude, false);
            compare_layers(
                &format!("prune_global(network {}, {s})", case + 1),
                &layers,
                &got,
                &expected,
                &[
                    (
                        layerwise(&layers, s, Rank::Magnitude, false),
                        "pruned each layer separately (layer-wise): global pruning ranks all \
                         the weights together",
                    ),
                    (
                        global(&layers, s, Rank::Signed, false),
                        "pruned by signed value (the most negative weights): rank by |w|",
                    ),
                    (
                        global_with_biases(&layers, s),
                        "pruned biases too: biases are not pruned (convention), and they are \
                         not in the count",
                    ),
                    (
                        global(&layers, s, Rank::Magnitude, true),
                        "rounded s·N: prune floor(s·N) weights",
                    ),
                ],
            )
            .hint(
                "rank every weight of every layer by |w| (ties: earlier layer, then row-major)",
            )?;
        }
        ensure(same_layers(&layers, &random_layers(20 + case)), || {
            "prune_global changed the layers it was given".into()
        })?;
    }
    pass("global magnitude pruning at sparsities 0 to 1 on 3 seeded networks with ties")
}

fn prune_layerwise_check() -> Graded {
    for case in 0..3u64 {
        let layers = random_layers(30 + case);
        for &s in &SPARSITIES {
            let got = prune_layerwise(&layers, s);
            let expected = layerwise(&layers, s, Rank::Magnitude, false);
            compare_layers(
                &format!("prune_layerwise(network {}, {s})", case + 1),
                &layers,
                &got,
                &expected,
                &[
                    (
                        global(&layers, s, Rank::Magnitude, false),
                        "pruned all layers together (global): layer-wise prunes floor(s·N_l) in \
                         each layer",
                    ),
                    (
                        layerwise(&layers, s, Rank::Signed, false),
                        "pruned by signed value (the most negative weights): rank by |w|",
                    ),
                    (
                        layerwise(&layers, s, Rank::Magnitude, true),
                        "rounded s·N_l: prune floor(s·N_l) weights",
                    ),
                ],
            )
            .hint(
                "in each layer, zero its floor(s·N_l) weights of smallest |w| (ties: row-major)",
            )?;
        }
    }
    pass("layer-wise magnitude pruning at sparsities 0 to 1 on 3 seeded networks with ties")
}

// ---------- the trained network ----------

fn grader_predict(layers: &[Layer], x: &Array2<f64>) -> Vec<usize> {
    let mut h = x.clone();
    for (l, layer) in layers.iter().enumerate() {
        h = h.dot(&layer.weights) + &layer.bias;
        if l + 1 < layers.len() {
            h.mapv_inplace(|v| if v > 0.0 { v } else { 0.0 });
        }
    }
    let mut out = Vec::new();
    for row in h.rows() {
        let mut best = 0;
        for j in 1..row.len() {
            if row[j] > row[best] {
                best = j;
            }
        }
        out.push(best);
    }
    out
}

/// The smallest gap between the two largest outputs over the rows of `x`.
fn logit_gap(layers: &[Layer], x: &Array2<f64>) -> f64 {
    let mut h = x.clone();
    for (l, layer) in layers.iter().enumerate() {
        h = h.dot(&layer.weights) + &layer.bias;
        if l + 1 < layers.len() {
            h.mapv_inplace(|v| if v > 0.0 { v } else { 0.0 });
        }
    }
    let mut gap = f64::INFINITY;
    for row in h.rows() {
        let mut sorted = row.to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        gap = gap.min(sorted[0] - sorted[1]);
    }
    gap
}

fn grader_accuracy(layers: &[Layer], x: &Array2<f64>, y: &[usize]) -> f64 {
    let p = grader_predict(layers, x);
    p.iter().zip(y).filter(|(a, b)| a == b).count() as f64 / y.len() as f64
}

/// `a · b` with plain loops in a fixed order: unlike ndarray's `dot` (whose kernels pick SIMD
/// and fused multiply-adds by CPU), the same bits on every machine, so the trained network is.
fn matmul(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let (n, m, p) = (a.nrows(), a.ncols(), b.ncols());
    let mut out = Array2::zeros((n, p));
    for i in 0..n {
        for k in 0..m {
            let aik = a[[i, k]];
            for j in 0..p {
                out[[i, j]] += aik * b[[k, j]];
            }
        }
    }
    out
}

/// A 64-32-10 ReLU network trained with mini-batch SGD and momentum on softmax cross-entropy.
fn train(x: &Array2<f64>, y: &[usize]) -> Vec<Layer> {
    let mut rng = split::rng(5);
    let sizes = [(64, 32), (32, 10)];
    let mut layers: Vec<Layer> = sizes
        .iter()
        .map(|&(i, o)| {
            let a = (6.0 / i as f64).sqrt();
            Layer {
                weights: Array2::from_shape_fn((i, o), |_| rng.gen_range(-a..a)),
                bias: Array1::zeros(o),
            }
        })
        .collect();
    let mut velocity: Vec<(Array2<f64>, Array1<f64>)> = layers
        .iter()
        .map(|l| (Array2::zeros(l.weights.dim()), Array1::zeros(l.bias.len())))
        .collect();
    let (lr, momentum, batch) = (0.05, 0.9, 32);
    for epoch in 0..25u64 {
        let order = split::shuffled(x.nrows(), 100 + epoch);
        for chunk in order.chunks(batch) {
            let xb = x.select(Axis(0), chunk);
            let h_pre = matmul(xb.view(), layers[0].weights.view()) + &layers[0].bias;
            let h = h_pre.mapv(|v| v.max(0.0));
            let mut z = matmul(h.view(), layers[1].weights.view()) + &layers[1].bias;
            for mut row in z.rows_mut() {
                let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                row.mapv_inplace(|v| (v - m).exp());
                let s = row.sum();
                row.mapv_inplace(|v| v / s);
            }
            for (r, &i) in chunk.iter().enumerate() {
                z[[r, y[i]]] -= 1.0;
            }
            let dz = z / chunk.len() as f64;
            let gw2 = matmul(h.t(), dz.view());
            let gb2 = dz.sum_axis(Axis(0));
            let mut dh = matmul(dz.view(), layers[1].weights.t());
            dh.zip_mut_with(&h_pre, |d, &p| {
                if p <= 0.0 {
                    *d = 0.0
                }
            });
            let gw1 = matmul(xb.t(), dh.view());
            let gb1 = dh.sum_axis(Axis(0));
            for (l, (gw, gb)) in [(gw1, gb1), (gw2, gb2)].into_iter().enumerate() {
                let v = &mut velocity[l];
                v.0 = &v.0 * momentum - &(gw * lr);
                v.1 = &v.1 * momentum - &(gb * lr);
                layers[l].weights += &v.0;
                layers[l].bias += &v.1;
            }
        }
    }
    layers
}

/// The largest sparsity of the grid whose accuracy drop on (x, y) is at most one point.
fn choose(
    layers: &[Layer],
    prune: &dyn Fn(&[Layer], f64) -> Vec<Layer>,
    x: &Array2<f64>,
    y: &[usize],
) -> f64 {
    let base = grader_accuracy(layers, x, y);
    let mut chosen = 0.0;
    for &s in &GRID {
        if base - grader_accuracy(&prune(layers, s), x, y) <= 0.01 + 1e-9 {
            chosen = s;
        }
    }
    chosen
}

fn choose_sparsity_check() -> Graded {
    let table = Table::dataset("digits.csv").map_err(|e| fail(e.to_string()))?;
    let columns = table.columns_except(&["digit"]);
    let x = table.numeric(&columns).map_err(|e| fail(e.to_string()))? / 16.0;
    let y: Vec<usize> = table
        .numeric(&["digit"])
        .map_err(|e| fail(e.to_string()))?
        .iter()
        .map(|&v| v as usize)
        .collect();
    let (train_rows, held) = split::train_test(x.nrows(), 0.4, 3);
    let layers = train(&split::rows(&x, &train_rows), &split::pick(&y, &train_rows));
    let by_global = |l: &[Layer], s: f64| global(l, s, Rank::Magnitude, false);
    let by_layer = |l: &[Layer], s: f64| layerwise(l, s, Rank::Magnitude, false);

    // The held-out rows split into validation and test halves by a fixed seed, chosen when the
    // exercise was written: on it, choosing on the test half gives another sparsity (0.25
    // against 0.45), so doing so is detected. The network is trained with plain loops (the same
    // bits on every CPU), and every prediction the choice rests on wins by a logit margin far
    // above last-bit differences; both are asserted, so a change fails loudly, never silently.
    let half = held.len() / 2;
    let order = split::shuffled(held.len(), SPLIT_SEED);
    let val: Vec<usize> = order[..half].iter().map(|&i| held[i]).collect();
    let test: Vec<usize> = order[half..].iter().map(|&i| held[i]).collect();
    let (xv, yv) = (split::rows(&x, &val), split::pick(&y, &val));
    let (xt, yt) = (split::rows(&x, &test), split::pick(&y, &test));
    let on_val = choose(&layers, &by_global, &xv, &yv);
    let on_test = choose(&layers, &by_global, &xt, &yt);
    ensure(on_val != on_test, || {
        format!(
            "learnml grader bug: split seed {SPLIT_SEED} no longer tells the validation choice \
             ({on_val}) from the test choice ({on_test})"
        )
    })?;
    let held_x = split::rows(&x, &held);
    let mut gap = logit_gap(&layers, &held_x);
    for &s in &GRID {
        gap = gap.min(logit_gap(&by_global(&layers, s), &held_x));
    }
    ensure(gap > 1e-9, || {
        format!("learnml grader bug: two logits within {gap:e}: a prediction too close to call")
    })?;
    let layerwise_choice = choose(&layers, &by_layer, &xv, &yv);

    let curve = |prune: &dyn Fn(&[Layer], f64) -> Vec<Layer>, xs: &Array2<f64>, ys: &[usize]| {
        GRID.iter()
            .map(|&s| [s, grader_accuracy(&prune(&layers, s), xs, ys)])
            .collect::<Vec<_>>()
    };
    let base_val = grader_accuracy(&layers, &xv, &yv);
    show(Figure::Lines {
        title: "accuracy of the pruned network".into(),
        x_label: "sparsity".into(),
        y_label: "accuracy".into(),
        series: vec![
            Series {
                name: "global, validation".into(),
                points: curve(&by_global, &xv, &yv),
            },
            Series {
                name: "global, test".into(),
                points: curve(&by_global, &xt, &yt),
            },
            Series {
                name: "layer-wise, validation".into(),
                points: curve(&by_layer, &xv, &yv),
            },
        ],
        target: Some(base_val - 0.01),
    });

    let got = choose_sparsity(&layers, &GRID, (&xv, &yv), (&xt, &yt));
    close_naming(
        "chosen sparsity",
        got.sparsity,
        on_val,
        1e-12,
        &[
            (
                on_test,
                "chosen on the test set: choose on validation data, and keep the test set for \
                 the final, unbiased estimate",
            ),
            (
                layerwise_choice,
                "chosen with layer-wise pruning: use prune_global",
            ),
        ],
    )
    .hint(
        "the largest s of the grid with accuracy(val, unpruned) - accuracy(val, pruned) <= 0.01",
    )?;
    // Recompute from the returned sparsity: nothing remembered can help.
    let chosen = global(&layers, on_val, Rank::Magnitude, false);
    let drop = base_val - grader_accuracy(&chosen, &xv, &yv);
    close_naming(
        "validation accuracy drop at the chosen sparsity",
        got.val_drop,
        drop,
        1e-9,
        &[(
            -drop,
            "pruned minus unpruned: the drop is the unpruned accuracy minus the pruned one",
        )],
    )
    .hint("unpruned minus pruned validation accuracy")?;
    let test_acc = grader_accuracy(&chosen, &xt, &yt);
    let layerwise_test = grader_accuracy(&by_layer(&layers, on_val), &xt, &yt);
    close_naming(
        "test accuracy at the chosen sparsity",
        got.test_accuracy,
        test_acc,
        1e-9,
        &[
            (
                layerwise_test,
                "the test accuracy of the layer-wise pruned network",
            ),
            (
                grader_accuracy(&layers, &xt, &yt),
                "the test accuracy of the unpruned network",
            ),
            (
                grader_accuracy(&chosen, &xv, &yv),
                "the validation accuracy",
            ),
        ],
    )?;
    let base_test = grader_accuracy(&layers, &xt, &yt);
    pass(format!(
        "sparsity {} chosen on validation (drop {}); on the untouched test part the pruned \
         network scores {} against {} unpruned (choosing on the test part would have given {})",
        fmt(on_val),
        fmt(drop),
        fmt(test_acc),
        fmt(base_test),
        fmt(on_test)
    ))
}
