// Grader of supervised/tree_depth.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

use super::exercise::{depth_curve, train};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("depth_respected", depth_respected),
    ("fitted_depth", fitted_depth),
    ("full_tree_overfits", full_tree_overfits),
    ("depth_curve_values", depth_curve_values),
    ("held_out_accuracy", held_out_accuracy),
];

const DEPTHS: [usize; 8] = [1, 2, 3, 4, 5, 6, 8, 12];

/// linfa-trees 0.8.1 breaks exact ties between equally good splits (and between classes of a
/// tied leaf) in `HashMap` order, which changes from run to run: two fits of the same deep tree
/// can differ on a few rows. Accuracies of refitted trees are compared within 0.02.
const TREE_TOLERANCE: f64 = 0.02;

type Split = (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>);

/// Breast cancer in three parts (stratified, seeded): 60 % train, 20 % validation, 20 % test.
fn three_way() -> (Split, Array2<f64>, Vec<usize>) {
    let (x, y, _) = common::classification("breast_cancer.csv", "diagnosis");
    let (x_rest, y_rest, x_test, y_test) = common::split_classes(&x, &y, |&c| c, 0.2, 3);
    let (x_train, y_train, x_val, y_val) = common::split_classes(&x_rest, &y_rest, |&c| c, 0.25, 4);
    ((x_train, y_train, x_val, y_val), x_test, y_test)
}

/// The best training accuracy any single threshold on any one feature can reach: a depth-1
/// tree (one split, two leaves) can never do better.
fn best_stump_accuracy(x: &Array2<f64>, y: &[usize]) -> f64 {
    let n = y.len() as f64;
    let mut best: f64 = 0.0;
    for column in x.columns() {
        let mut order: Vec<usize> = (0..y.len()).collect();
        order.sort_by(|&a, &b| column[a].total_cmp(&column[b]));
        let total_ones = y.iter().filter(|&&c| c == 1).count() as f64;
        let mut ones_left = 0.0;
        for (k, &i) in order.iter().enumerate() {
            let left = (k + 1) as f64;
            ones_left += if y[i] == 1 { 1.0 } else { 0.0 };
            let last = k + 1 == order.len() || column[order[k + 1]] != column[i];
            if !last {
                continue;
            }
            let ones_right = total_ones - ones_left;
            let zeros_left = left - ones_left;
            let zeros_right = (n - left) - ones_right;
            // Each side predicts its majority class.
            let right_count = ones_left.max(zeros_left) + ones_right.max(zeros_right);
            best = best.max(right_count / n);
        }
    }
    best
}

fn depth_respected() -> Graded {
    let ((x_train, y_train, _, _), _, _) = three_way();
    for depth in [1, 2, 3] {
        let tree = train(&x_train, &y_train, Some(depth));
        ensure(tree.depth() != depth + 1, || {
            format!(
                "train(.., Some({depth})) reports depth {}, one more than the limit: either the limit was not applied, or depth() counts the levels (root at 1) where the root is at depth 0",
                tree.depth()
            )
        })
        .hint("the fitted `DecisionTree` answers `max_depth()`, the root at depth 0")?;
        ensure(tree.depth() <= depth, || {
            format!(
                "train(.., Some({depth})) reports depth {}: the max_depth was not applied",
                tree.depth()
            )
        })
        .hint("`DecisionTree::params().max_depth(max_depth)` takes the Option as it is")?;
        ensure(tree.depth() >= 1, || {
            format!(
                "train(.., Some({depth})) reports depth 0 (a single leaf) on breast cancer: depth() must be the fitted tree's `max_depth()`"
            )
        })?;
    }
    let stump = train(&x_train, &y_train, Some(1));
    let predicted = stump.predict(&x_train);
    common::one_per_row(&predicted, x_train.nrows())?;
    let got = common::accuracy(&y_train, &predicted);
    let ceiling = best_stump_accuracy(&x_train, &y_train);
    ensure(got <= ceiling + 1e-12, || {
        format!(
            "the depth-1 tree's training accuracy is {}, above {}, the best any single split reaches: the tree is deeper than 1",
            fmt(got),
            fmt(ceiling)
        )
    })?;
    pass(format!(
        "depths ≤ 1, 2, 3 as asked; the stump's training accuracy {} ≤ {} (best single split)",
        fmt(got),
        fmt(ceiling)
    ))
}

/// Small sets that need fewer levels than the limit allows: depth() must be the depth the
/// tree reached, not the limit it was given. On 0..9 the classes 000111100 need two splits
/// (the best first split is at 3: its left side is pure, while a split at 7 leaves 0001111
/// mixed), and 00001111 needs one.
fn fitted_depth() -> Graded {
    let x = Array2::from_shape_fn((9, 1), |(i, _)| i as f64);
    let cases: [(&[usize], usize, &str); 2] = [
        (&[0, 0, 0, 0, 0, 1, 1, 1, 1], 1, "0 0 0 0 0 1 1 1 1"),
        (&[0, 0, 0, 1, 1, 1, 1, 0, 0], 2, "0 0 0 1 1 1 1 0 0"),
    ];
    for (y, expected, shown) in cases {
        for limit in [Some(6), None] {
            let tree = train(&x, y, limit);
            let predicted = tree.predict(&x);
            common::one_per_row(&predicted, 9)?;
            let got = tree.depth();
            let case = format!(
                "x = 0, 1, ..., 8 with classes {shown}, max_depth {}",
                limit.map_or("None".to_string(), |d| d.to_string())
            );
            if limit == Some(got) {
                return Err(fail(format!(
                    "{case}: depth() returned {got}, the requested limit, but the fitted tree has depth {expected}: it stopped when its leaves were pure"
                )))
                .hint("ask the fitted tree (`max_depth()`), never echo the parameter");
            }
            if got == expected + 1 {
                return Err(fail(format!(
                    "{case}: depth() returned {got}, expected {expected}: it counts the levels (root at 1), but the root is at depth 0"
                )))
                .hint("a single split (a stump) has depth 1");
            }
            equal(
                &format!("depth of the tree fitted on {case}"),
                &got,
                &expected,
            )
            .hint("the fitted tree's `max_depth()`, the root at depth 0")?;
        }
    }
    pass(
        "depth() is the fitted tree's: 1 and 2 on sets that need no more, with a limit of 6 or none",
    )
}

fn full_tree_overfits() -> Graded {
    let ((x_train, y_train, x_val, y_val), _, _) = three_way();
    let tree = train(&x_train, &y_train, None);
    let on_train = tree.predict(&x_train);
    common::one_per_row(&on_train, x_train.nrows())?;
    let train_accuracy = common::accuracy(&y_train, &on_train);
    // breast cancer has no two identical rows with different labels, so a tree grown until
    // its leaves are pure classifies every training row right.
    close(
        "training accuracy of the unlimited tree (max_depth None)",
        train_accuracy,
        1.0,
        1e-12,
    )
    .hint("with max_depth None the tree splits until every leaf is pure")?;
    let val_accuracy = common::accuracy(&y_val, &tree.predict(&x_val));
    ensure(val_accuracy < 1.0, || {
        "validation accuracy of the unlimited tree is 1: it should not be perfect on rows it never saw".to_string()
    })?;
    pass(format!(
        "unlimited depth {}: training accuracy 1, validation {}: a gap of {} from memorizing the training rows",
        tree.depth(),
        fmt(val_accuracy),
        fmt(1.0 - val_accuracy)
    ))
}

fn depth_curve_values() -> Graded {
    let ((x_train, y_train, x_val, y_val), _, _) = three_way();
    let got = depth_curve(&x_train, &y_train, &x_val, &y_val, &DEPTHS);
    equal(
        "number of (train, validation) pairs",
        &got.len(),
        &DEPTHS.len(),
    )?;
    // The expected accuracies come from the grader's own trees: depth_curve was handed y_val,
    // so the learner's own train and predict could answer the validation labels it kept.
    let dataset = Dataset::new(x_train.clone(), Array1::from(y_train.clone()));
    for (&depth, &(g_train, g_val)) in DEPTHS.iter().zip(&got) {
        let tree = DecisionTree::params()
            .max_depth(Some(depth))
            .fit(&dataset)
            .expect("the grader's tree fits");
        let e_train = common::accuracy(&y_train, &tree.predict(&x_train).to_vec());
        let e_val = common::accuracy(&y_val, &tree.predict(&x_val).to_vec());
        let gap = e_train - e_val;
        let near = |g: f64, a: f64, b: f64| (g - a).abs() < (g - b).abs();
        if gap > TREE_TOLERANCE && near(g_train, e_val, e_train) && near(g_val, e_train, e_val) {
            return Err(fail(format!(
                "depth {depth}: got ({}, {}), the pair is swapped: (training, validation) expected",
                fmt(g_train),
                fmt(g_val)
            )));
        }
        if gap > TREE_TOLERANCE && near(g_val, e_train, e_val) {
            return Err(fail(format!(
                "depth {depth}: the validation accuracy {} is the training accuracy ({}): it was computed on the training rows",
                fmt(g_val),
                fmt(e_train)
            )))
            .hint("score the validation rows x_val against y_val");
        }
        for (which, rows, g, e) in [
            ("training", "training rows", g_train, e_train),
            ("validation", "validation rows", g_val, e_val),
        ] {
            ensure((g - e).abs() <= TREE_TOLERANCE, || {
                format!(
                    "{which} accuracy at depth {depth}: got {}, but a Gini tree of that depth fitted on the training rows scores {} on the {rows} (the grader fits its own with linfa-trees; ± {})",
                    fmt(g),
                    fmt(e),
                    fmt(TREE_TOLERANCE)
                )
            })
            .hint("fit one tree per depth on (x_train, y_train), then count its right predictions on each set")?;
        }
    }
    let first = got[0];
    let last = got[got.len() - 1];
    pass(format!(
        "training accuracy rises from {} (depth 1) to {} (depth 12) while validation goes from {} to {}",
        fmt(first.0),
        fmt(last.0),
        fmt(first.1),
        fmt(last.1)
    ))
}

fn held_out_accuracy() -> Graded {
    let ((x_train, y_train, x_val, y_val), x_test, y_test) = three_way();
    let curve = depth_curve(&x_train, &y_train, &x_val, &y_val, &DEPTHS);
    equal(
        "number of (train, validation) pairs",
        &curve.len(),
        &DEPTHS.len(),
    )?;
    // The depth with the best validation accuracy in the learner's curve (the shallowest on a
    // tie). The curve is the learner's own numbers, so the depth is judged against the
    // validation accuracies of the grader's own trees (fitted on the training rows): it must be
    // within the trees' tolerance of their best. On these rows the grader's trees are the same
    // on every run (no tied leaf): 0.913 at depth 1, 0.9391 at depths 2, 4 and deeper.
    let best = curve.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    let index = curve.iter().position(|p| p.1 == best).unwrap_or(0);
    let depth = DEPTHS[index];
    let dataset = Dataset::new(x_train.clone(), Array1::from(y_train.clone()));
    let grader_val: Vec<f64> = DEPTHS
        .iter()
        .map(|&d| {
            let tree = DecisionTree::params()
                .max_depth(Some(d))
                .fit(&dataset)
                .expect("the grader's tree fits");
            common::accuracy(&y_val, &tree.predict(&x_val).to_vec())
        })
        .collect();
    let grader_best = grader_val.iter().copied().fold(f64::MIN, f64::max);
    let grader_depth = DEPTHS[grader_val
        .iter()
        .position(|&v| v == grader_best)
        .unwrap_or(0)];
    ensure(grader_val[index] >= grader_best - TREE_TOLERANCE, || {
        format!(
            "your curve picks depth {depth} (validation accuracy {} in your curve), but the grader's own trees fitted on the training rows score {} on the validation rows at depth {depth}, and {} at depth {grader_depth}: the depth must be chosen on the validation accuracy of trees fitted on the training rows (± {})",
            fmt(curve[index].1),
            fmt(grader_val[index]),
            fmt(grader_best),
            fmt(TREE_TOLERANCE)
        )
    })
    .hint("the validation accuracy of each depth: fit on (x_train, y_train), count the right predictions on (x_val, y_val)")?;
    // That depth, refitted by the learner's `train` on the training rows and scored on the
    // 20 % test rows the code never saw.
    let predicted = train(&x_train, &y_train, Some(depth)).predict(&x_test);
    common::one_per_row(&predicted, x_test.nrows())?;
    // Majority class (benign): 0.63. A single tree of moderate depth reaches about 0.93.
    bar(
        &format!("held-out accuracy of the depth chosen on validation ({depth})"),
        common::accuracy(&y_test, &predicted),
        0.90,
        Goal::AtLeast,
    )
}
