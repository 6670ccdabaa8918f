// Grader of ensembles/bagging_oob.

use learnml_grader::Goal;
use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

use super::exercise::{bootstrap_indices, fit_bag, oob_error, out_of_bag_votes};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("bootstrap", bootstrap),
    ("oob_votes", oob_votes),
    ("oob_error_rows", oob_error_rows),
    ("bag_oob_estimate", bag_oob_estimate),
    ("bag_beats_tree", bag_beats_tree),
];

const N_TREES: usize = 50;

/// The stratified 70/30 splits of breast_cancer the bag is graded on (the first three seeds):
/// one bag's held-out accuracy moves by ±1.5 % with its bootstrap draws, a mean over three
/// splits much less.
const SPLIT_SEEDS: [u64; 3] = [1, 2, 3];

/// Breast cancer split 70/30 (stratified, seeded): (x_train, y_train, x_test, y_test).
fn breast_cancer(seed: u64) -> (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>) {
    let table = Table::dataset("breast_cancer.csv").unwrap_or_else(|e| panic!("{e}"));
    let columns = table.columns_except(&["diagnosis"]);
    let x = table.numeric(&columns).unwrap_or_else(|e| panic!("{e}"));
    let (y, _) = table.labels("diagnosis").unwrap_or_else(|e| panic!("{e}"));
    let (train, test) = split::stratified_train_test(&y, 0.3, seed);
    (
        split::rows(&x, &train),
        split::pick(&y, &train),
        split::rows(&x, &test),
        split::pick(&y, &test),
    )
}

fn bootstrap() -> Graded {
    let n = 50;
    let calls = 200;
    let mut rng = split::rng(11);
    let mut counts = vec![0usize; n];
    let mut unique = 0.0;
    for _ in 0..calls {
        let sample = bootstrap_indices(n, &mut rng);
        equal("length of a bootstrap sample of 50 rows", &sample.len(), &n)?;
        if let Some(&bad) = sample.iter().find(|&&i| i >= n) {
            return Err(fail(format!(
                "a bootstrap sample of 0..50 holds the index {bad}, out of range"
            )));
        }
        let mut seen = vec![false; n];
        for &i in &sample {
            seen[i] = true;
            counts[i] += 1;
        }
        unique += seen.iter().filter(|&&s| s).count() as f64 / n as f64;
    }
    let unique = unique / calls as f64;
    // With replacement a row is left out with probability (1 - 1/n)^n, about e^-1: a sample
    // holds 1 - (49/50)^50 = 63.6 % of the distinct rows on average (the sd of this mean over
    // 200 samples is about 0.005).
    let expected = 1.0 - (1.0 - 1.0 / n as f64).powi(n as i32);
    if unique > 0.999 {
        return Err(fail(format!(
            "every bootstrap sample holds each row exactly once: sampling without replacement \
             (a shuffle) gives the whole set back; expected about {} distinct rows per sample",
            fmt(expected)
        )))
        .hint("draw `rng.gen_range(0..n)` n times: some rows come twice, about 37 % never");
    }
    close(
        "mean share of distinct rows in 200 bootstrap samples of 50",
        unique,
        expected,
        0.03,
    )
    .hint("draw each index independently and uniformly in 0..n")?;
    // Each row is drawn 200 times on average over the 10,000 draws (sd 14).
    for (i, &c) in counts.iter().enumerate() {
        ensure((120..=280).contains(&c), || {
            format!(
                "row {i} of 0..50 was drawn {c} times in 200 samples (expected about 200): \
                 the draws are not uniform over 0..n (does the range miss row {i}?)"
            )
        })
        .hint("`rng.gen_range(0..n)` draws from 0 to n - 1, both included")?;
    }
    let a = bootstrap_indices(30, &mut split::rng(5));
    let b = bootstrap_indices(30, &mut split::rng(5));
    ensure(a == b, || {
        "two rngs seeded alike gave two different samples: draw from the rng you are given, \
         not from `thread_rng()`"
            .into()
    })?;
    equal(
        "bootstrap sample of 1 row",
        &bootstrap_indices(1, &mut split::rng(1)),
        &vec![0],
    )?;
    pass(format!(
        "200 samples of 50: {} distinct rows per sample on average (theory {}), every row \
         drawn about equally often, the same seed gives the same sample",
        fmt(unique),
        fmt(expected)
    ))
}

/// The grader's out-of-bag majority vote. `include` decides which (in_bag) models vote;
/// `smallest` breaks ties toward the smallest class (else the largest).
fn votes_by(
    samples: &[Vec<usize>],
    predictions: &[Vec<usize>],
    n: usize,
    k: usize,
    include: fn(bool) -> bool,
    smallest: bool,
) -> Vec<Option<usize>> {
    // Which of the n rows each sample holds (indices beyond n belong to another set).
    let in_bag: Vec<Vec<bool>> = samples
        .iter()
        .map(|sample| {
            let mut mask = vec![false; n];
            for &j in sample {
                if j < n {
                    mask[j] = true;
                }
            }
            mask
        })
        .collect();
    let mut result = Vec::new();
    for i in 0..n {
        let mut counts = vec![0usize; k];
        for m in 0..samples.len() {
            if include(in_bag[m][i]) {
                counts[predictions[m][i]] += 1;
            }
        }
        let most = *counts.iter().max().unwrap_or(&0);
        if most == 0 {
            result.push(None);
        } else if smallest {
            result.push(counts.iter().position(|&c| c == most));
        } else {
            result.push(counts.iter().rposition(|&c| c == most));
        }
    }
    result
}

fn out_of_bag(in_bag: bool) -> bool {
    !in_bag
}

fn every_model(_: bool) -> bool {
    true
}

fn in_bag_only(in_bag: bool) -> bool {
    in_bag
}

/// A random voting case: n rows, b models with bootstrap samples, k classes.
fn voting_case(seed: u64, n: usize, b: usize, k: usize) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut rng = split::rng(seed);
    let samples = (0..b)
        .map(|_| (0..n).map(|_| rng.gen_range(0..n)).collect())
        .collect();
    let predictions = (0..b)
        .map(|_| (0..n).map(|_| rng.gen_range(0..k)).collect())
        .collect();
    (samples, predictions)
}

fn oob_votes() -> Graded {
    // Public case: 4 rows, 3 models, 2 classes.
    // Row 0 is in every sample: no vote. Row 1 is out of bag for models 0 and 2 only, which
    // say 1 and 0: a tie, to class 0 (model 1, in bag, says 1). Row 2 is out of bag for model 2
    // only (class 0; models 0 and 1, in bag, say 1). Row 3 is out of bag for models 1 and 2,
    // which both say 1.
    let samples = vec![vec![0, 2, 3, 3], vec![0, 1, 2, 2], vec![0, 0, 1, 1]];
    let predictions = vec![vec![1, 1, 1, 0], vec![1, 1, 1, 1], vec![1, 0, 0, 1]];
    let mut cases = vec![(
        "the public case (4 rows, 3 models, 2 classes)".to_string(),
        samples,
        predictions,
        2,
    )];
    for (seed, n, b, k) in [
        (1, 8, 3, 2),
        (2, 10, 4, 3),
        (3, 12, 2, 2),
        (4, 9, 5, 3),
        (5, 15, 6, 2),
        (6, 7, 3, 4),
    ] {
        let (samples, predictions) = voting_case(seed, n, b, k);
        cases.push((
            format!("random case {seed} ({n} rows, {b} models, {k} classes)"),
            samples,
            predictions,
            k,
        ));
    }
    for (what, samples, predictions, k) in &cases {
        let n = predictions[0].len();
        let got = out_of_bag_votes(samples, predictions, *k);
        equal(&format!("{what}: number of votes"), &got.len(), &n)?;
        if let Some(bad) = got.iter().flatten().find(|&&c| c >= *k) {
            return Err(fail(format!(
                "{what}: a vote for class {bad}, not in 0..{k}"
            )));
        }
        let expected = votes_by(samples, predictions, n, *k, out_of_bag, true);
        if got == expected {
            continue;
        }
        let wrong = [
            (
                votes_by(samples, predictions, n, *k, every_model, true),
                "every model voted, in-bag models included (that is the training error of \
                 the bag, not an out-of-bag estimate)",
            ),
            (
                votes_by(samples, predictions, n, *k, in_bag_only, true),
                "only the in-bag models voted: a row is out of bag for the models whose sample \
                 does NOT contain it",
            ),
            (
                votes_by(samples, predictions, n, *k, out_of_bag, false),
                "ties went to the largest class; the convention is the smallest",
            ),
        ];
        for (variant, why) in &wrong {
            if got == *variant {
                return Err(fail(format!(
                    "{what}: expected {expected:?}, got {got:?}: {why}"
                )));
            }
        }
        if let Some(i) = (0..n).find(|&i| expected[i].is_none() && got[i].is_some()) {
            return Err(fail(format!(
                "{what}: row {i} is in every bootstrap sample, so it has no out-of-bag model \
                 and must get None, got {:?}: a row in every sample got a vote",
                got[i]
            )));
        }
        return Err(fail(format!("{what}: expected {expected:?}, got {got:?}")))
            .hint("count the votes of the models whose sample does not contain the row");
    }
    pass(
        "out-of-bag votes of 7 cases: only models that did not see the row, ties to the smallest class, None for rows in every sample",
    )
}

fn oob_error_rows() -> Graded {
    let mut cases = vec![(
        "votes [None, Some(1), Some(0), None, Some(2)], y [0, 1, 1, 2, 2]".to_string(),
        vec![None, Some(1), Some(0), None, Some(2)],
        vec![0, 1, 1, 2, 2],
    )];
    for seed in 1..=5u64 {
        let mut rng = split::rng(100 + seed);
        let n = 10 + 3 * seed as usize;
        let votes: Vec<Option<usize>> = (0..n)
            .map(|i| (i % 4 != 1).then(|| rng.gen_range(0..3)))
            .collect();
        let y: Vec<usize> = (0..n).map(|_| rng.gen_range(0..3)).collect();
        cases.push((format!("random case {seed} ({n} rows)"), votes, y));
    }
    for (what, votes, y) in &cases {
        let n = votes.len();
        let voted = votes.iter().filter(|v| v.is_some()).count();
        let wrong = votes
            .iter()
            .zip(y)
            .filter(|(v, t)| v.is_some_and(|v| v != **t))
            .count();
        let expected = wrong as f64 / voted as f64;
        let got = oob_error(votes, y);
        close_naming(
            &format!("out-of-bag error of {what}"),
            got,
            expected,
            1e-12,
            &[
                (
                    wrong as f64 / n as f64,
                    "divided by all n rows: the rows without a vote were counted as right; \
                     leave them out of the denominator",
                ),
                (
                    (wrong + n - voted) as f64 / n as f64,
                    "the rows without a vote were counted as errors; leave them out",
                ),
                (
                    1.0 - expected,
                    "that is the out-of-bag accuracy, not the error",
                ),
            ],
        )
        .hint("errors among the rows with Some(vote), divided by the number of such rows")?;
    }
    pass("out-of-bag error over the voted rows only, in 6 cases")
}

/// The class each tree predicts for each row of `x`, after checking that each tree splits on
/// features of `x` only and predicts one of the two classes.
fn tree_votes(
    trees: &[DecisionTree<f64, usize>],
    x: &Array2<f64>,
) -> Result<Vec<Vec<usize>>, Failed> {
    let mut votes = Vec::new();
    for (m, tree) in trees.iter().enumerate() {
        ensure(tree.features().iter().all(|&f| f < x.ncols()), || {
            format!(
                "tree {m} splits on a feature outside the {} columns",
                x.ncols()
            )
        })?;
        let p: Array1<usize> = tree.predict(x);
        ensure(p.iter().all(|&c| c < 2), || {
            format!("tree {m} predicts a class outside 0..2")
        })?;
        votes.push(p.to_vec());
    }
    Ok(votes)
}

fn error_of(votes: &[Option<usize>], y: &[usize]) -> f64 {
    let voted: Vec<(usize, usize)> = votes
        .iter()
        .zip(y)
        .filter_map(|(v, &t)| v.map(|v| (v, t)))
        .collect();
    voted.iter().filter(|(v, t)| v != t).count() as f64 / voted.len().max(1) as f64
}

/// Validate the learner's bag: as many samples as trees, each a sample of 0..n.
fn valid_bag(samples: &[Vec<usize>], n_trees: usize, n: usize) -> Result<(), Failed> {
    equal("number of bootstrap samples", &samples.len(), &N_TREES)?;
    equal("number of trees", &n_trees, &N_TREES)?;
    for (m, s) in samples.iter().enumerate() {
        equal(&format!("length of sample {m}"), &s.len(), &n)?;
        ensure(s.iter().all(|&i| i < n), || {
            format!("sample {m} holds a row index outside 0..{n}")
        })?;
    }
    // Two equal samples of n draws from 0..n: a generator seeded again for each tree.
    for m in 1..samples.len() {
        if let Some(k) = (0..m).find(|&k| samples[k] == samples[m]) {
            return Err(fail(format!(
                "bootstrap samples {k} and {m} are identical, so their trees are too: the \
                 rng was seeded again for a tree; create `split::rng(seed)` once, before the \
                 loop, and draw every sample from it"
            )));
        }
    }
    Ok(())
}

/// The grader's own trees, one unpruned linfa tree per bootstrap sample of the learner's bag.
/// The held-out numbers come from these, so that they depend on the learner's samples (checked
/// by `valid_bag`) and not on what its trees could have been fitted on besides the rows given.
fn grader_trees(
    x: &Array2<f64>,
    y: &[usize],
    samples: &[Vec<usize>],
) -> Result<Vec<DecisionTree<f64, usize>>, Failed> {
    samples
        .iter()
        .map(|sample| {
            let targets: Array1<usize> = sample.iter().map(|&i| y[i]).collect();
            DecisionTree::params()
                .fit(&Dataset::new(x.select(Axis(0), sample), targets))
                .map_err(|e| fail(format!("the grader's tree on a bootstrap sample: {e}")))
        })
        .collect()
}

fn bag_oob_estimate() -> Graded {
    let splits = SPLIT_SEEDS.len() as f64;
    let (mut gap, mut oob_mean, mut test_mean, mut tree_mean) = (0.0, 0.0, 0.0, 0.0);
    for (s, &seed) in SPLIT_SEEDS.iter().enumerate() {
        let (x, y, x_test, y_test) = breast_cancer(seed);
        let what = format!("split {} of {}", s + 1, SPLIT_SEEDS.len());
        let n = x.nrows();
        let bag = fit_bag(&x, &y, N_TREES, 7);
        valid_bag(&bag.samples, bag.trees.len(), n)?;
        let train_votes = tree_votes(&bag.trees, &x)?;
        let test_votes = tree_votes(&bag.trees, &x_test)?;
        let test_all = |m: usize| {
            votes_by(
                &bag.samples[..m],
                &test_votes[..m],
                x_test.nrows(),
                2,
                every_model,
                true,
            )
        };
        if s == 0 {
            // The curves of the first split: out-of-bag and test error of the first m trees.
            let mut oob_curve = Vec::new();
            let mut test_curve = Vec::new();
            for m in 1..=N_TREES {
                let oob = votes_by(&bag.samples[..m], &train_votes[..m], n, 2, out_of_bag, true);
                oob_curve.push([m as f64, error_of(&oob, &y)]);
                test_curve.push([m as f64, error_of(&test_all(m), &y_test)]);
            }
            show(Figure::Lines {
                title: "Error of the first m trees (first split): out of bag vs held-out test"
                    .into(),
                x_label: "trees".into(),
                y_label: "error".into(),
                series: vec![
                    Series {
                        name: "out-of-bag".into(),
                        points: oob_curve,
                    },
                    Series {
                        name: "test".into(),
                        points: test_curve,
                    },
                ],
                target: None,
            });
        }
        let distinct: f64 = bag
            .samples
            .iter()
            .map(|s| {
                let mut seen = vec![false; n];
                s.iter().for_each(|&i| seen[i] = true);
                seen.iter().filter(|&&v| v).count() as f64 / n as f64
            })
            .sum::<f64>()
            / N_TREES as f64;
        ensure(distinct < 0.7, || {
            format!(
                "{what}: the bootstrap samples hold {} of the distinct rows on average, \
                 expected about 0.632: sampling without replacement?",
                fmt(distinct)
            )
        })?;
        // Each tree's error on its own out-of-bag rows, and their mean.
        let mut per_tree = Vec::new();
        for (sample, predicted) in bag.samples.iter().zip(&train_votes) {
            let mut in_bag = vec![false; n];
            sample.iter().for_each(|&i| in_bag[i] = true);
            let rows: Vec<usize> = (0..n).filter(|&i| !in_bag[i]).collect();
            let wrong = rows.iter().filter(|&&i| predicted[i] != y[i]).count();
            per_tree.push(wrong as f64 / rows.len().max(1) as f64);
        }
        let per_tree_mean = per_tree.iter().sum::<f64>() / N_TREES as f64;
        ensure(per_tree_mean > 0.0, || {
            format!(
                "{what}: no tree errs on a single one of its out-of-bag rows: were the trees \
                 fitted on all the training rows instead of their own bootstrap sample?"
            )
        })
        .hint("tree m is fitted on `x.select(Axis(0), &samples[m])` and the matching labels")?;
        let votes = votes_by(&bag.samples, &train_votes, n, 2, out_of_bag, true);
        let expected = error_of(&votes, &y);
        let voted = votes.iter().filter(|v| v.is_some()).count();
        let wrong = (expected * voted as f64).round();
        let training = error_of(
            &votes_by(&bag.samples, &train_votes, n, 2, every_model, true),
            &y,
        );
        let got = bag.oob_error(&x, &y);
        close_naming(
            &format!("{what}: the bag's out-of-bag error, recomputed from its trees and samples"),
            got,
            expected,
            1e-9,
            &[
                (
                    per_tree_mean,
                    "the mean of the trees' own out-of-bag errors, not the error of the \
                     ensemble's out-of-bag vote",
                ),
                (
                    training,
                    "every tree voted on every row: that is the bag's training error",
                ),
                (
                    wrong / n as f64,
                    "divided by all n rows: rows without an out-of-bag vote were counted as right",
                ),
                (
                    (wrong + (n - voted) as f64) / n as f64,
                    "the rows without a vote were counted as errors",
                ),
            ],
        )
        .hint("predict the training rows with every tree, then out_of_bag_votes, then oob_error")?;
        // The bar: the out-of-bag and held-out errors of the grader's trees on your samples.
        let trees = grader_trees(&x, &y, &bag.samples)?;
        let oob = error_of(
            &votes_by(
                &bag.samples,
                &tree_votes(&trees, &x)?,
                n,
                2,
                out_of_bag,
                true,
            ),
            &y,
        );
        let test_votes = tree_votes(&trees, &x_test)?;
        let test = votes_by(
            &bag.samples,
            &test_votes,
            x_test.nrows(),
            2,
            every_model,
            true,
        );
        let test_error = error_of(&test, &y_test);
        gap += (oob - test_error).abs() / splits;
        oob_mean += oob / splits;
        test_mean += test_error / splits;
        tree_mean += per_tree_mean / splits;
    }
    bar(
        &format!(
            "mean over {} splits of |out-of-bag error - held-out test error| (trees refitted by \
             the grader on your bootstrap samples)",
            SPLIT_SEEDS.len()
        ),
        gap,
        0.05,
        Goal::AtMost,
    )
    .note(&format!(
        "; mean out-of-bag error {} on the training rows, mean test error {} on held-out \
         rows, mean out-of-bag error of a single tree {}",
        fmt(oob_mean),
        fmt(test_mean),
        fmt(tree_mean)
    ))
}

fn bag_beats_tree() -> Graded {
    let splits = SPLIT_SEEDS.len() as f64;
    let (mut bag_mean, mut own_mean, mut single_mean, mut majority_mean) = (0.0, 0.0, 0.0, 0.0);
    for (s, &seed) in SPLIT_SEEDS.iter().enumerate() {
        let (x, y, x_test, y_test) = breast_cancer(seed);
        let what = format!("split {} of {}", s + 1, SPLIT_SEEDS.len());
        let bag = fit_bag(&x, &y, N_TREES, 7);
        valid_bag(&bag.samples, bag.trees.len(), x.nrows())?;
        let got = bag.predict(&x_test);
        equal(
            &format!("{what}: number of predictions"),
            &got.len(),
            &x_test.nrows(),
        )?;
        let expected = votes_by(
            &bag.samples,
            &tree_votes(&bag.trees, &x_test)?,
            x_test.nrows(),
            2,
            every_model,
            true,
        );
        let expected: Vec<usize> = expected.into_iter().map(|v| v.unwrap_or(0)).collect();
        if let Some(i) = (0..got.len()).find(|&i| got[i] != expected[i]) {
            return Err(fail(format!(
                "Bag::predict, {what}, held-out row {i}: the trees' majority vote is {}, got \
                 {}: predict must be the majority vote of all the trees (ties to the smallest \
                 class)",
                expected[i], got[i]
            )));
        }
        let accuracy = |p: &[usize]| {
            p.iter().zip(&y_test).filter(|(a, b)| a == b).count() as f64 / y_test.len() as f64
        };
        // The bar: the vote of the grader's trees on your samples, not your trees' vote.
        let trees = grader_trees(&x, &y, &bag.samples)?;
        let refit = votes_by(
            &bag.samples,
            &tree_votes(&trees, &x_test)?,
            x_test.nrows(),
            2,
            every_model,
            true,
        );
        let refit: Vec<usize> = refit.into_iter().map(|v| v.unwrap_or(0)).collect();
        let targets: Array1<usize> = Array1::from(y.clone());
        let tree = DecisionTree::params()
            .fit(&Dataset::new(x.clone(), targets))
            .map_err(|e| fail(format!("the grader's single tree: {e}")))?;
        let single: Array1<usize> = tree.predict(&x_test);
        let majority = y_test.iter().filter(|&&c| c == 1).count() as f64 / y_test.len() as f64;
        bag_mean += accuracy(&refit) / splits;
        own_mean += accuracy(&got) / splits;
        single_mean += accuracy(&single.to_vec()) / splits;
        majority_mean += majority.max(1.0 - majority) / splits;
    }
    // Trees fitted on their samples vote alike up to linfa-trees' leaf ties: a vote well above
    // the refitted one saw more than the rows given.
    ensure(own_mean <= bag_mean + 0.015, || {
        format!(
            "the vote of your trees scores {} on the held-out rows, the vote of trees fitted on \
             your bootstrap samples {}: your trees were fitted on rows other than the training \
             rows given",
            fmt(own_mean),
            fmt(bag_mean)
        )
    })
    .hint("tree m is fitted on `x.select(Axis(0), &samples[m])` and the matching labels")?;
    bar(
        &format!(
            "mean held-out accuracy of the bag of {N_TREES} trees over {} splits (trees \
             refitted by the grader on your bootstrap samples)",
            SPLIT_SEEDS.len()
        ),
        bag_mean,
        0.925,
        Goal::AtLeast,
    )
    .note(&format!(
        "; your trees' own vote: {}; one unpruned tree on all the training rows: {}; always \
         the majority class: {}",
        fmt(own_mean),
        fmt(single_mean),
        fmt(majority_mean)
    ))
}
