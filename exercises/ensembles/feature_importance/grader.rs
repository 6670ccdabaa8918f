// Grader of ensembles/feature_importance.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::Array2;
use rand::Rng as _;
use rand::seq::SliceRandom;

use super::exercise::{Node, mdi, permutation_importance, report};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("mdi_values", mdi_values),
    ("mdi_edge_cases", mdi_edge_cases),
    ("permutation_values", permutation_values),
    ("noise_column", noise_column),
];

const TOL: f64 = 1e-9;
const FEATURES: [&str; 6] = [
    "mean_texture",
    "mean_smoothness",
    "mean_symmetry",
    "mean_fractal_dimension",
    "se_texture",
    "worst_symmetry",
];

// ---------- the grader's own tree (CART, Gini, grown in preorder) ----------

fn gini(counts: &[usize]) -> f64 {
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    let mut s = 0.0;
    for &c in counts {
        let p = c as f64 / n as f64;
        s += p * p;
    }
    1.0 - s
}

fn counts_of(y: &[usize], rows: &[usize], n_classes: usize) -> Vec<usize> {
    let mut counts = vec![0; n_classes];
    for &i in rows {
        counts[y[i]] += 1;
    }
    counts
}

fn majority(counts: &[usize]) -> usize {
    let mut best = 0;
    for c in 0..counts.len() {
        if counts[c] > counts[best] {
            best = c;
        }
    }
    best
}

/// Best split of `rows`: (feature, threshold, left rows, right rows), first feature and
/// smallest threshold among equals; None when no split lowers the weighted Gini impurity.
fn best_split(
    x: &Array2<f64>,
    y: &[usize],
    rows: &[usize],
    n_classes: usize,
) -> Option<(usize, f64, Vec<usize>, Vec<usize>)> {
    let n = rows.len() as f64;
    let parent = gini(&counts_of(y, rows, n_classes)) * n;
    let mut best: Option<(f64, usize, f64)> = None;
    for f in 0..x.ncols() {
        let mut sorted = rows.to_vec();
        sorted.sort_by(|&a, &b| x[[a, f]].total_cmp(&x[[b, f]]));
        let mut left = vec![0; n_classes];
        let mut right = counts_of(y, rows, n_classes);
        for k in 0..sorted.len() - 1 {
            left[y[sorted[k]]] += 1;
            right[y[sorted[k]]] -= 1;
            let (a, b) = (x[[sorted[k], f]], x[[sorted[k + 1], f]]);
            if a == b {
                continue;
            }
            let nl = (k + 1) as f64;
            let cost = gini(&left) * nl + gini(&right) * (n - nl);
            if cost < parent - 1e-12 && best.is_none_or(|(c, _, _)| cost < c - 1e-12) {
                best = Some((cost, f, (a + b) / 2.0));
            }
        }
    }
    best.map(|(_, f, t)| {
        let (l, r): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| x[[i, f]] <= t);
        (f, t, l, r)
    })
}

fn grow(
    x: &Array2<f64>,
    y: &[usize],
    rows: &[usize],
    n_classes: usize,
    depth_left: usize,
    nodes: &mut Vec<Node>,
) -> usize {
    let counts = counts_of(y, rows, n_classes);
    let at = nodes.len();
    nodes.push(Node {
        feature: 0,
        threshold: 0.0,
        impurity: gini(&counts),
        n_samples: rows.len(),
        children: None,
        class: majority(&counts),
    });
    if depth_left == 0 || rows.len() < 2 {
        return at;
    }
    if let Some((f, t, l, r)) = best_split(x, y, rows, n_classes) {
        let left = grow(x, y, &l, n_classes, depth_left - 1, nodes);
        let right = grow(x, y, &r, n_classes, depth_left - 1, nodes);
        nodes[at].feature = f;
        nodes[at].threshold = t;
        nodes[at].children = Some((left, right));
    }
    at
}

fn fit_tree(x: &Array2<f64>, y: &[usize], n_classes: usize, max_depth: usize) -> Vec<Node> {
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let mut nodes = Vec::new();
    grow(x, y, &rows, n_classes, max_depth, &mut nodes);
    nodes
}

fn tree_predict(nodes: &[Node], x: &Array2<f64>) -> Vec<usize> {
    let mut out = Vec::with_capacity(x.nrows());
    for i in 0..x.nrows() {
        let mut at = 0;
        while let Some((l, r)) = nodes[at].children {
            at = if x[[i, nodes[at].feature]] <= nodes[at].threshold {
                l
            } else {
                r
            };
        }
        out.push(nodes[at].class);
    }
    out
}

fn tree_accuracy(nodes: &[Node], x: &Array2<f64>, y: &[usize]) -> f64 {
    let p = tree_predict(nodes, x);
    let mut right = 0;
    for i in 0..y.len() {
        if p[i] == y[i] {
            right += 1;
        }
    }
    right as f64 / y.len() as f64
}

// ---------- the grader's importances, right and wrong ----------

#[derive(Clone, Copy, PartialEq)]
enum Weighting {
    Right,
    NoNodeWeight,
    NoWeights,
}

/// MDI summed per feature, before normalization.
fn mdi_raw(nodes: &[Node], n_features: usize, weighting: Weighting) -> Vec<f64> {
    let mut imp = vec![0.0; n_features];
    let n = nodes[0].n_samples as f64;
    for node in nodes {
        if let Some((l, r)) = node.children {
            let nt = node.n_samples as f64;
            let nl = nodes[l].n_samples as f64;
            let nr = nodes[r].n_samples as f64;
            let d = match weighting {
                Weighting::Right => {
                    nt / n
                        * (node.impurity
                            - nl / nt * nodes[l].impurity
                            - nr / nt * nodes[r].impurity)
                }
                Weighting::NoNodeWeight => {
                    node.impurity - nl / nt * nodes[l].impurity - nr / nt * nodes[r].impurity
                }
                Weighting::NoWeights => node.impurity - nodes[l].impurity - nodes[r].impurity,
            };
            imp[node.feature] += d;
        }
    }
    imp
}

fn normalized(v: &[f64]) -> Vec<f64> {
    let total: f64 = v.iter().sum();
    if total > 0.0 {
        v.iter().map(|x| x / total).collect()
    } else {
        v.to_vec()
    }
}

fn expected_mdi(nodes: &[Node], n_features: usize) -> Vec<f64> {
    normalized(&mdi_raw(nodes, n_features, Weighting::Right))
}

fn wrong_mdis(nodes: &[Node], n_features: usize) -> Vec<(Vec<f64>, &'static str)> {
    vec![
        (
            mdi_raw(nodes, n_features, Weighting::Right),
            "not normalized: divide by the sum so that the importances add up to 1",
        ),
        (
            normalized(&mdi_raw(nodes, n_features, Weighting::NoNodeWeight)),
            "not weighted by node sizes: each split's decrease counts N_t/N (a split near a leaf \
             moves few rows)",
        ),
        (
            normalized(&mdi_raw(nodes, n_features, Weighting::NoWeights)),
            "not weighted by node sizes: the children's impurities are weighted by N_l/N_t and \
             N_r/N_t, and the decrease by N_t/N",
        ),
    ]
}

#[derive(Clone, Copy, PartialEq)]
enum Perm {
    Drop,
    AccuracyAfter,
    NoRestore,
    /// one copy of the column per column, shuffled again at every repeat
    Reshuffled,
    /// the repeats in the outer loop, the columns inside
    RepeatsOuter,
}

fn expected_permutation(
    nodes: &[Node],
    x: &Array2<f64>,
    y: &[usize],
    n_repeats: usize,
    seed: u64,
    how: Perm,
) -> Vec<f64> {
    let mut rng = split::rng(seed);
    let base = tree_accuracy(nodes, x, y);
    if how == Perm::RepeatsOuter {
        let mut sums = vec![0.0; x.ncols()];
        for _ in 0..n_repeats {
            for (j, sum) in sums.iter_mut().enumerate() {
                let mut column: Vec<f64> = (0..x.nrows()).map(|i| x[[i, j]]).collect();
                column.shuffle(&mut rng);
                let mut work = x.clone();
                for i in 0..x.nrows() {
                    work[[i, j]] = column[i];
                }
                *sum += base - tree_accuracy(nodes, &work, y);
            }
        }
        return sums.iter().map(|s| s / n_repeats as f64).collect();
    }
    let mut work = x.clone();
    let mut out = Vec::new();
    for j in 0..x.ncols() {
        let mut sum = 0.0;
        let mut kept: Vec<f64> = (0..x.nrows()).map(|i| x[[i, j]]).collect();
        for _ in 0..n_repeats {
            if how != Perm::NoRestore {
                work = x.clone();
            }
            let mut column: Vec<f64> = (0..x.nrows()).map(|i| work[[i, j]]).collect();
            if how == Perm::Reshuffled {
                kept.shuffle(&mut rng);
                column = kept.clone();
            } else {
                column.shuffle(&mut rng);
            }
            for i in 0..x.nrows() {
                work[[i, j]] = column[i];
            }
            let acc = tree_accuracy(nodes, &work, y);
            sum += match how {
                Perm::AccuracyAfter => acc,
                _ => base - acc,
            };
        }
        out.push(sum / n_repeats as f64);
    }
    out
}

fn wrong_permutations(
    nodes: &[Node],
    x: &Array2<f64>,
    y: &[usize],
    n_repeats: usize,
    seed: u64,
) -> Vec<(Vec<f64>, &'static str)> {
    let right = expected_permutation(nodes, x, y, n_repeats, seed, Perm::Drop);
    vec![
        (
            expected_permutation(nodes, x, y, n_repeats, seed, Perm::AccuracyAfter),
            "gave the accuracy after shuffling, not the drop (accuracy before minus after)",
        ),
        (
            right.iter().map(|v| -v).collect(),
            "gave the negated drop: importance = accuracy before - accuracy after shuffling",
        ),
        (
            expected_permutation(nodes, x, y, n_repeats, seed, Perm::NoRestore),
            "the earlier columns stayed shuffled: shuffle a fresh copy of the original column \
             each time, every other column as it was",
        ),
        (
            expected_permutation(nodes, x, y, n_repeats, seed, Perm::Reshuffled),
            "each repeat shuffled the previous repeat's shuffle: copy the ORIGINAL column at \
             every repeat (the protocol the grader replays)",
        ),
        (
            expected_permutation(nodes, x, y, n_repeats, seed, Perm::RepeatsOuter),
            "the shuffles were drawn in another order (repeats outside, columns inside): loop \
             over the columns, and inside over the repeats, so that the draws match",
        ),
    ]
}

// ---------- comparisons ----------

/// Length and finiteness first, then the expected values, naming a known wrong variant.
fn compare(
    what: &str,
    got: &[f64],
    expected: &[f64],
    wrong: &[(Vec<f64>, &str)],
) -> Result<(), Failed> {
    equal(
        &format!("{what}: number of values"),
        &got.len(),
        &expected.len(),
    )?;
    ensure(got.iter().all(|v| v.is_finite()), || {
        format!("{what}: every value must be finite, got {}", show_vec(got))
    })?;
    let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(p, q)| (p - q).abs() <= TOL);
    if near(got, expected) {
        return Ok(());
    }
    for (variant, why) in wrong {
        if near(got, variant) && !near(variant, expected) {
            return Err(fail(format!(
                "{what}: expected {}, got {}: {why}",
                show_vec(expected),
                show_vec(got)
            )));
        }
    }
    all_close(what, got, expected, TOL)
}

fn show_vec(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| fmt(*x)).collect();
    format!("[{}]", items.join(", "))
}

/// A seeded classification set whose label depends on the first two features, with noise.
fn random_set(seed: u64) -> (Array2<f64>, Vec<usize>, usize) {
    let mut rng = split::rng(seed);
    let n = rng.gen_range(30..70);
    let p = rng.gen_range(3..6);
    let k = rng.gen_range(2..4);
    let x = Array2::from_shape_fn((n, p), |_| (rng.r#gen::<f64>() * 20.0).round() / 4.0);
    let y = (0..n)
        .map(|i| {
            if rng.r#gen::<f64>() < 0.25 {
                rng.gen_range(0..k)
            } else {
                ((x[[i, 0]] + 0.5 * x[[i, 1]]) / 7.6) as usize % k
            }
        })
        .collect();
    (x, y, k)
}

// ---------- checks ----------

fn mdi_values() -> Graded {
    for case in 0..6u64 {
        let (x, y, k) = random_set(100 + case);
        let nodes = fit_tree(&x, &y, k, 2 + case as usize);
        let p = x.ncols();
        let got = mdi(&nodes, p);
        compare(
            &format!(
                "MDI, tree {} ({} nodes, {p} features)",
                case + 1,
                nodes.len()
            ),
            &got,
            &expected_mdi(&nodes, p),
            &wrong_mdis(&nodes, p),
        )
        .hint(
            "for each split: N_t/N * (imp_t - N_l/N_t * imp_l - N_r/N_t * imp_r), added to its \
             feature; then divide by the total",
        )?;
    }
    pass("MDI of 6 seeded trees (depths 2 to 7) matches the weighted, normalized formula")
}

fn mdi_edge_cases() -> Graded {
    // A tree without any split (one leaf): scikit-learn's importances are all 0.
    let leaf = vec![Node {
        feature: 0,
        threshold: 0.0,
        impurity: 0.5,
        n_samples: 10,
        children: None,
        class: 1,
    }];
    let got = mdi(&leaf, 3);
    compare(
        "MDI of a tree that is a single leaf (no split: all 0, not NaN)",
        &got,
        &[0.0; 3],
        &[],
    )
    .hint("when the total decrease is 0, return the zeros instead of dividing by 0")?;

    // The nodes listed in another order (root first, children anywhere after), and
    // more features than the tree uses: an unused feature scores exactly 0.
    let (x, y, k) = random_set(7);
    let preorder = fit_tree(&x, &y, k, 4);
    let mut order: Vec<usize> = (1..preorder.len()).collect();
    order.shuffle(&mut split::rng(8));
    order.insert(0, 0);
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let shuffled: Vec<Node> = order
        .iter()
        .map(|&old| {
            let mut node = preorder[old].clone();
            node.children = node.children.map(|(l, r)| (new_index[l], new_index[r]));
            node
        })
        .collect();
    let p = x.ncols() + 2;
    let got = mdi(&shuffled, p);
    compare(
        "MDI of a tree whose nodes are not in preorder, with 2 features it never uses",
        &got,
        &expected_mdi(&shuffled, p),
        &wrong_mdis(&shuffled, p),
    )
    .hint("follow `children` by index; do not assume where a node's children are in the list")?;
    pass("a single leaf gives all 0; node order does not matter; unused features score 0")
}

fn permutation_values() -> Graded {
    for case in 0..5u64 {
        let (x, y, k) = random_set(200 + case);
        let nodes = fit_tree(&x, &y, k, 3 + case as usize);
        let n_repeats = 1 + case as usize;
        let seed = 300 + case;
        let got = permutation_importance(&nodes, &x, &y, n_repeats, &mut split::rng(seed));
        compare(
            &format!(
                "permutation importance, case {} ({n_repeats} repeats)",
                case + 1
            ),
            &got,
            &expected_permutation(&nodes, &x, &y, n_repeats, seed, Perm::Drop),
            &wrong_permutations(&nodes, &x, &y, n_repeats, seed),
        )
        .hint(
            "for each column, then each repeat: copy the original column, `column.shuffle(rng)`, \
             score x with that column replaced, and average accuracy(x) - accuracy(shuffled)",
        )?;
    }
    pass("permutation importances of 5 seeded trees (1 to 5 repeats) follow the protocol")
}

fn noise_column() -> Graded {
    let table = Table::dataset("breast_cancer.csv").map_err(|e| fail(e.to_string()))?;
    let x0 = table.numeric(&FEATURES).map_err(|e| fail(e.to_string()))?;
    let (y, _) = table.labels("diagnosis").map_err(|e| fail(e.to_string()))?;
    let mut noise_rng = split::rng(11);
    let n = x0.nrows();
    let p = FEATURES.len() + 1;
    let x = Array2::from_shape_fn(
        (n, p),
        |(i, j)| {
            if j < FEATURES.len() { x0[[i, j]] } else { 0.0 }
        },
    );
    let mut x = x;
    for i in 0..n {
        x[[i, p - 1]] = noise_rng.r#gen::<f64>();
    }
    let (train, test) = split::train_test(n, 0.3, 12);
    let (x_train, y_train) = (split::rows(&x, &train), split::pick(&y, &train));
    let (x_test, y_test) = (split::rows(&x, &test), split::pick(&y, &test));
    let nodes = fit_tree(&x_train, &y_train, 2, usize::MAX);
    const REPEATS: usize = 10;
    const SEED: u64 = 13;

    let want_mdi = expected_mdi(&nodes, p);
    let want_test = expected_permutation(&nodes, &x_test, &y_test, REPEATS, SEED, Perm::Drop);
    let want_train = expected_permutation(&nodes, &x_train, &y_train, REPEATS, SEED, Perm::Drop);
    let mut labels: Vec<String> = FEATURES.iter().map(|s| s.to_string()).collect();
    labels.push("noise (random)".into());
    show(Figure::Table {
        title: "importance of each feature (grader's values)".into(),
        row_labels: labels,
        column_labels: vec![
            "MDI (training)".into(),
            "permutation (held-out)".into(),
            "permutation (training)".into(),
        ],
        cells: (0..p)
            .map(|j| vec![want_mdi[j], want_test[j], want_train[j]])
            .collect(),
    });

    let got = report(
        &nodes,
        (&x_train, &y_train),
        (&x_test, &y_test),
        REPEATS,
        &mut split::rng(SEED),
    );
    let train_acc = tree_accuracy(&nodes, &x_train, &y_train);
    let test_acc = tree_accuracy(&nodes, &x_test, &y_test);
    close_naming(
        "training accuracy",
        got.train_accuracy,
        train_acc,
        TOL,
        &[(test_acc, "the held-out accuracy")],
    )?;
    close_naming(
        "held-out accuracy",
        got.test_accuracy,
        test_acc,
        TOL,
        &[(train_acc, "the training accuracy")],
    )?;
    compare("MDI", &got.mdi, &want_mdi, &wrong_mdis(&nodes, p))?;
    let mut wrong = wrong_permutations(&nodes, &x_test, &y_test, REPEATS, SEED);
    wrong.push((
        want_train.clone(),
        "computed on the training data: the tree memorized those rows, so shuffling even the \
         noise column costs accuracy there; measure on the held-out rows",
    ));
    compare(
        "permutation importance",
        &got.permutation,
        &want_test,
        &wrong,
    )
    .hint("score the permutations on the held-out part (x_test, y_test)")?;
    let noise = p - 1;
    let rank = 1 + want_mdi.iter().filter(|&&v| v > want_mdi[noise]).count();
    pass(format!(
        "a fully grown tree (training accuracy {}, held-out {}) gives the random noise column \
         MDI {} (rank {rank} of {p}) but held-out permutation importance {} (on training rows: {})",
        fmt(train_acc),
        fmt(test_acc),
        fmt(want_mdi[noise]),
        fmt(want_test[noise]),
        fmt(want_train[noise])
    ))
}
