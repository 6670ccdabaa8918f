// Grader of supervised/knn.

#[path = "../common.rs"]
mod common;

use learnml_grader::Goal;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array2, array};

use super::exercise::{choose_k, nearest, nearest_linfa, predict};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("nearest_public", nearest_public),
    ("nearest_linfa_agrees", nearest_linfa_agrees),
    ("predict_public", predict_public),
    ("choose_k_on_validation", choose_k_on_validation),
    ("held_out_accuracy", held_out_accuracy),
];

const CANDIDATES: [usize; 8] = [1, 3, 5, 7, 9, 11, 13, 15];

fn iris_split() -> (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>) {
    let (x, y, _) = common::classification("iris.csv", "species");
    common::split_classes(&x, &y, |&c| c, 0.3, 11)
}

fn distance(x: &Array2<f64>, i: usize, point: &[f64]) -> f64 {
    x.row(i)
        .iter()
        .zip(point)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// The grader's k nearest (brute force, stable on ties) and its vote.
fn grader_predict(
    x_train: &Array2<f64>,
    y_train: &[usize],
    x: &Array2<f64>,
    k: usize,
) -> Vec<usize> {
    let n_classes = y_train.iter().max().map_or(0, |m| m + 1);
    x.rows()
        .into_iter()
        .map(|row| {
            let point = row.to_vec();
            let mut order: Vec<usize> = (0..x_train.nrows()).collect();
            order.sort_by(|&a, &b| {
                distance(x_train, a, &point).total_cmp(&distance(x_train, b, &point))
            });
            let mut votes = vec![0; n_classes];
            for &i in &order[..k] {
                votes[y_train[i]] += 1;
            }
            let most = *votes.iter().max().unwrap();
            votes.iter().position(|&v| v == most).unwrap()
        })
        .collect()
}

fn nearest_public() -> Graded {
    // Points on a line: distances from 2.0 are 2, 1, 0.5, 1, 3 (rows 1 and 3 tie at 1).
    let x = array![[0.0], [1.0], [2.5], [3.0], [5.0]];
    let point = ndarray::arr1(&[2.0]);
    let got = nearest(&x, point.view(), 3);
    let case = "training rows [0], [1], [2.5], [3], [5], point [2], k = 3";
    if got == vec![2, 3, 1] {
        return Err(fail(format!(
            "nearest of {case}: got {got:?}, expected [2, 1, 3]: rows 1 and 3 are at equal distance 1, and the tie is not broken by the lower index first"
        )))
        .hint("a stable sort keeps rows at equal distance in index order");
    }
    if got == vec![4, 0, 1] || got == vec![4, 0, 3] {
        return Err(fail(format!(
            "nearest of {case}: got {got:?}, the farthest rows first"
        )))
        .hint("sort by increasing distance");
    }
    equal(
        &format!("nearest of {case} (rows 1 and 3 tie at distance 1)"),
        &got,
        &vec![2, 1, 3],
    )
    .hint(
        "sort the indices by distance with a stable sort so that a tie keeps the lower index first",
    )?;
    let got = nearest(&x, point.view(), 5);
    equal(
        "nearest with k = n (every row, nearest first)",
        &got,
        &vec![2, 1, 3, 0, 4],
    )?;
    // 40 rows at 1, -1, 2.5 or -3 from the point 0: 24 rows tie at distance 1. Sorts of more
    // than about 20 elements reorder equal keys unless the sort is stable (or breaks ties by
    // index), so this case sees an unstable sort that the 5 rows above cannot.
    let values: Vec<f64> = (0..40)
        .map(|i| match (i * 7) % 5 {
            0 | 3 => 1.0,
            1 => -1.0,
            2 => 2.5,
            _ => -3.0,
        })
        .collect();
    let x = Array2::from_shape_vec((40, 1), values.clone()).expect("40 x 1");
    let point = ndarray::arr1(&[0.0]);
    let got = nearest(&x, point.view(), 14);
    let expected: Vec<usize> = (0..40)
        .filter(|&i| values[i].abs() == 1.0)
        .take(14)
        .collect();
    equal("number of neighbours (40 rows, k = 14)", &got.len(), &14)?;
    ensure(got.iter().all(|&i| i < 40), || {
        format!("nearest returned an index out of range: {got:?}")
    })?;
    if got != expected && got.iter().all(|&i| values[i].abs() == 1.0) {
        return Err(fail(format!(
            "nearest of the point [0] among 40 rows, 24 of them at equal distance 1, k = 14: got {got:?}, expected {expected:?}: the nearest distances are right, but rows at equal distance are not in index order (an unstable sort, or a tie-break other than the lower index first)"
        )))
        .hint("`sort_by` is stable (`sort_unstable_by` is not): equal distances then keep the lower index first; or compare (distance, index) pairs");
    }
    equal(
        "nearest of the point [0] among 40 rows at distance 1, 2.5 or 3, k = 14",
        &got,
        &expected,
    )?;
    pass("[2, 1, 3]: nearest first, ties by index (also among 24 rows at equal distance)")
}

fn nearest_linfa_agrees() -> Graded {
    let (x_train, _, x_test, _) = iris_split();
    for (q, row) in x_test.rows().into_iter().enumerate().step_by(5) {
        let point = row.to_vec();
        let got = nearest_linfa(&x_train, row, 5);
        equal(
            &format!("number of neighbours of held-out point {q} (k = 5)"),
            &got.len(),
            &5,
        )?;
        ensure(got.iter().all(|&i| i < x_train.nrows()), || {
            format!("nearest_linfa returned an index out of range: {got:?}")
        })?;
        let mut distances: Vec<f64> = (0..x_train.nrows())
            .map(|i| distance(&x_train, i, &point))
            .collect();
        let got_distances: Vec<f64> = got.iter().map(|&i| distances[i]).collect();
        distances.sort_by(f64::total_cmp);
        // iris has duplicate rows, so compare distances (which neighbour of a tie comes first
        // is the tree's choice), not indices.
        all_close(&format!("distances of the 5 neighbours of point {q}, nearest first"), &got_distances, &distances[..5], 1e-12)
            .hint("`CommonNearestNeighbour::KdTree.from_batch(x_train, L2Dist)?.k_nearest(point, k)?` returns (point, index) pairs")?;
    }
    pass("linfa-nn's k-d tree finds the same 5 nearest distances as brute force on 9 iris points")
}

fn predict_public() -> Graded {
    let x = array![[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]];
    let y = [0, 0, 0, 1, 1, 1];
    let points = array![[0.5], [11.5], [6.0]];
    let got = predict(&x, &y, &points, 3);
    equal("classes of [0.5], [11.5], [6] with k = 3 (classes 0 near 0-2, 1 near 10-12)", &got, &vec![0, 1, 0])
        .hint("[6] is at distance 4 from rows 2 (class 0) and 3 (class 1), then 5 from rows 1 and 4: with ties in index order the 3 nearest are rows 2, 3, 1, and class 0 wins 2 to 1")?;
    // k = 2 on a point between two classes: one vote each, the smallest class wins.
    let got = predict(&array![[0.0], [1.0]], &[1, 0], &array![[0.5]], 2);
    if got == vec![1] {
        return Err(fail(
            "class of [0.5] from rows [0] (class 1) and [1] (class 0), k = 2, a 1-1 vote: expected 0, got 1: the tied vote went to the first neighbour's class (or the larger class), not to the smallest class index",
        ))
        .hint("count votes per class, then take the first position of the maximum");
    }
    equal(
        "class of [0.5] from rows [0] (class 1) and [1] (class 0), k = 2: a 1-1 vote",
        &got,
        &vec![0],
    )
    .hint("a tied vote goes to the smallest class index, not to the first neighbour's class")?;
    let got = predict(&x, &y, &x, 1);
    equal("k = 1 on the training rows themselves", &got, &y.to_vec())
        .hint("with k = 1 every training row is its own nearest neighbour")?;
    pass("majority vote, ties to the smallest class, k = 1 reproduces the training labels")
}

/// The grader's validation accuracy of each candidate k: the stated split of the training rows
/// (`split::train_test(n, 0.3, 0)`), neighbours from the fit part, scored on the validation part.
fn validation_scores(x: &Array2<f64>, y: &[usize]) -> Vec<f64> {
    let (fit, validation) = split::train_test(x.nrows(), 0.3, 0);
    let (x_fit, y_fit) = (split::rows(x, &fit), split::pick(y, &fit));
    let (x_val, y_val) = (split::rows(x, &validation), split::pick(y, &validation));
    CANDIDATES
        .iter()
        .map(|&k| common::accuracy(&y_val, &grader_predict(&x_fit, &y_fit, &x_val, k)))
        .collect()
}

fn choose_k_on_validation() -> Graded {
    let (x, y, _, _) = iris_split();
    let got = choose_k(&x, &y, &CANDIDATES);
    ensure(CANDIDATES.contains(&got), || {
        format!("choose_k returned k = {got}, which is not a candidate {CANDIDATES:?}")
    })?;
    let scores = validation_scores(&x, &y);
    let best = scores.iter().cloned().fold(f64::MIN, f64::max);
    let expected = CANDIDATES[scores.iter().position(|&s| s == best).unwrap()];
    let table: Vec<String> = CANDIDATES
        .iter()
        .zip(&scores)
        .map(|(k, s)| format!("k={k}: {}", fmt(*s)))
        .collect();
    if got == 1 && expected != 1 {
        return Err(fail(format!("choose_k returned 1, expected {expected} (validation accuracies {}): k = 1 is what training accuracy picks, since every row is its own nearest neighbour", table.join(", "))))
            .hint("score each k on the validation rows, predicted from the fit rows only: never on the rows the neighbours come from");
    }
    if let Some(at) = CANDIDATES.iter().position(|&k| k == got)
        && scores[at] == best
        && got > expected
    {
        return Err(fail(format!("choose_k returned {got}, expected {expected} (validation accuracies {}): k = {got} ties for the best accuracy, and a tie goes to the smallest k", table.join(", "))))
            .hint("replace the best only when a score is strictly higher (`>`, not `>=`)");
    }
    equal(&format!("chosen k (validation accuracies {})", table.join(", ")), &got, &expected)
        .hint("split with `learnml_kit::split::train_test(x.nrows(), 0.3, 0)`; keep the smallest k among equal accuracies")?;
    pass(format!(
        "k = {expected}, the best validation accuracy ({})",
        fmt(best)
    ))
}

fn held_out_accuracy() -> Graded {
    let (x, y, x_test, y_test) = iris_split();
    // The split keeps iris's class order: shuffle the held-out rows (and their truth in the
    // same order), so that the position of a row says nothing about its class.
    let order = split::shuffled(x_test.nrows(), 12);
    let (x_test, y_test) = (split::rows(&x_test, &order), split::pick(&y_test, &order));
    let k = choose_k(&x, &y, &CANDIDATES);
    // The k is the learner's choice: judge it, do not trust it. On iris every candidate clears
    // the bar (k = 15 scores 0.98), so the chosen k must have the best validation accuracy of
    // the grader's own search (any of the tied best; the tie rule is choose_k_on_validation's).
    let Some(at) = CANDIDATES.iter().position(|&c| c == k) else {
        return Err(fail(format!(
            "choose_k returned k = {k}, which is not a candidate {CANDIDATES:?}"
        )));
    };
    let scores = validation_scores(&x, &y);
    let best = scores.iter().copied().fold(f64::MIN, f64::max);
    if scores[at] < best {
        let best_k: Vec<usize> = CANDIDATES
            .iter()
            .zip(&scores)
            .filter(|&(_, &s)| s == best)
            .map(|(&c, _)| c)
            .collect();
        return Err(fail(format!(
            "choose_k returned k = {k}, whose validation accuracy is {}, but the best is {} (k in {best_k:?}): k is not chosen on the validation split, and a held-out score of an unchosen k grades nothing",
            fmt(scores[at]),
            fmt(best)
        )))
        .hint("score each candidate on the validation rows and return the best one");
    }
    let predicted = predict(&x, &y, &x_test, k);
    common::one_per_row(&predicted, x_test.nrows())?;
    // Three balanced classes: a constant predictor scores 0.33.
    bar(
        &format!("accuracy on a held-out 30 % of iris (k = {k})"),
        common::accuracy(&y_test, &predicted),
        0.90,
        Goal::AtLeast,
    )
}
