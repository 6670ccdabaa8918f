// Grader of preprocessing/split.

use std::collections::BTreeMap;

use learnml_grader::data::Table;
use learnml_grader::grade::*;

use super::exercise::stratified_split;

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("partition", partition),
    ("class_counts", class_counts),
    ("seeded", seeded),
    ("shuffled", shuffled),
    ("imbalanced", imbalanced),
];

fn labels(file: &str, target: &str) -> Vec<usize> {
    Table::dataset(file)
        .expect("the grader reads its dataset")
        .labels(target)
        .expect("the target has no gaps")
        .0
}

fn wine() -> Vec<usize> {
    labels("wine.csv", "cultivar")
}

fn iris() -> Vec<usize> {
    labels("iris.csv", "species")
}

/// `n` and the noun, singular for 1: "1 row", "3 rows".
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v
}

/// Train and test must be disjoint, without repeats, and together hold every row.
fn check_partition(what: &str, n: usize, train: &[usize], test: &[usize]) -> Result<(), Failed> {
    if let Some(bad) = train.iter().chain(test).find(|&&i| i >= n) {
        return Err(fail(format!(
            "{what}: index {bad} is out of range: there are {n} rows (0..{n})"
        )));
    }
    let mut seen = vec![0u32; n];
    for &i in train.iter().chain(test) {
        seen[i] += 1;
    }
    if let Some(i) = seen.iter().position(|&c| c > 1) {
        return Err(fail(format!(
            "{what}: row {i} appears {} times across train and test",
            seen[i]
        )))
        .hint("each row goes to exactly one part: split each class's shuffled rows at one point");
    }
    if let Some(i) = seen.iter().position(|&c| c == 0) {
        return Err(fail(format!(
            "{what}: row {i} is in neither part ({} of {n} rows placed)",
            train.len() + test.len()
        )));
    }
    Ok(())
}

/// Per class: (rows, test rows), for the class values that occur.
fn per_class(labels: &[usize], test: &[usize]) -> BTreeMap<usize, (usize, usize)> {
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for &l in labels {
        counts.entry(l).or_default().0 += 1;
    }
    for &i in test {
        if let Some(c) = counts.get_mut(&labels[i]) {
            c.1 += 1;
        }
    }
    counts
}

fn check_counts(what: &str, labels: &[usize], fraction: f64, test: &[usize]) -> Result<(), Failed> {
    let counts = per_class(labels, test);
    let all_match = |rule: fn(f64) -> f64| {
        counts
            .values()
            .all(|(n, got)| *got == rule(*n as f64 * fraction) as usize)
    };
    let half_even = all_match(f64::round_ties_even);
    let floored = all_match(f64::floor);
    for (class, (n, got)) in &counts {
        let exact = *n as f64 * fraction;
        if (*got as f64 - exact).abs() >= 1.0 {
            return Err(fail(format!(
                "{what}: class {class} has {}, so {n} x {fraction} = {} belong in the test set (rounded: {}); got {got}, more than one sample off: the class ratios are not preserved",
                count(*n, "row", "rows"),
                fmt(exact),
                exact.round()
            )))
            .hint("a plain shuffle of all rows is not stratified: shuffle and cut each class separately");
        }
    }
    for (class, (n, got)) in &counts {
        let exact = *n as f64 * fraction;
        let want = exact.round() as usize;
        if *got != want {
            let (diagnosis, hint) = if half_even {
                (
                    ": every share was rounded half to even (12.5 to 12, as Python's `round`)",
                    "use `f64::round`, which rounds half away from zero",
                )
            } else if floored {
                (
                    ": every share was rounded down (truncated)",
                    "use `f64::round`, not `as usize` alone (which truncates) or `floor`",
                )
            } else {
                (
                    "",
                    "take round(n_c x fraction) rows of each class for the test set",
                )
            };
            return Err(fail(format!(
                "{what}: class {class} has {}, so round({n} x {fraction}) = {}; got {got}{diagnosis}",
                count(*n, "row", "rows"),
                count(want, "test row", "test rows")
            )))
            .hint(hint);
        }
    }
    Ok(())
}

fn partition() -> Graded {
    let labels = wine();
    let (train, test) = stratified_split(&labels, 0.25, 42);
    check_partition("wine, fraction 0.25, seed 42", labels.len(), &train, &test)?;
    pass(format!(
        "{} training rows + {} test rows = {} rows, each once",
        train.len(),
        test.len(),
        labels.len()
    ))
}

fn class_counts() -> Graded {
    let labels = wine();
    for (fraction, seed) in [(0.25, 42), (0.3, 7)] {
        let (train, test) = stratified_split(&labels, fraction, seed);
        let what = format!("wine, fraction {fraction}, seed {seed}");
        check_partition(&what, labels.len(), &train, &test)?;
        check_counts(&what, &labels, fraction, &test)?;
    }
    let labels = iris();
    let (train, test) = stratified_split(&labels, 0.2, 3);
    check_partition("iris, fraction 0.2", labels.len(), &train, &test)?;
    check_counts("iris, fraction 0.2", &labels, 0.2, &test)?;
    // Wine's classes have 59, 71 and 48 rows: 0.25 of them is 14.75, 17.75 and 12.
    pass(
        "wine at 0.25: 15, 18 and 12 test rows per class (59, 71 and 48 rows); iris at 0.2: 10 per class",
    )
}

fn seeded() -> Graded {
    let labels = wine();
    let first = stratified_split(&labels, 0.25, 42);
    let again = stratified_split(&labels, 0.25, 42);
    equal("test rows of two calls with seed 42 (sorted)", &sorted(again.1.clone()), &sorted(first.1.clone()))
        .hint("create the generator from the seed inside the function (`learnml_kit::split::rng(seed)`), never from the clock or `thread_rng()`")?;
    let others: Vec<Vec<usize>> = [43, 44, 1000]
        .iter()
        .map(|&s| sorted(stratified_split(&labels, 0.25, s).1))
        .collect();
    let base = sorted(first.1);
    ensure(others.iter().all(|o| *o != base), || {
        "seeds 43, 44 or 1000 gave the same test rows as seed 42: the seed must drive the shuffle"
            .to_string()
    })
    .hint("seed the generator with the `seed` argument")?;
    pass("seed 42 twice gives the same split; seeds 43, 44 and 1000 give other splits")
}

fn shuffled() -> Graded {
    // iris.csv is sorted by species: rows 0-49, 50-99, 100-149.
    let labels = iris();
    for seed in [1, 2] {
        let (train, test) = stratified_split(&labels, 0.2, seed);
        check_partition("iris, fraction 0.2", labels.len(), &train, &test)?;
        let test = sorted(test);
        for class in 0..3 {
            let members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
            let chosen: Vec<usize> = test
                .iter()
                .copied()
                .filter(|&i| labels[i] == class)
                .collect();
            let k = chosen.len();
            if k == 0 {
                continue;
            }
            ensure(chosen != members[..k] && chosen != members[members.len() - k..], || {
                format!("iris, seed {seed}: the test rows of class {class} are its first or last {}: the rows were not shuffled", count(k, "row", "rows"))
            })
            .hint("shuffle each class's rows with the seeded generator before cutting")?;
        }
    }
    pass("the test rows of each iris species are spread over the class, not its first or last rows")
}

fn imbalanced() -> Graded {
    // Classes 0, 1, 3 and 9 with 50, 7, 3 and 1 rows, interleaved; class 2 is absent.
    let mut labels = Vec::new();
    for i in 0..50 {
        labels.push(0);
        if i < 7 {
            labels.push(1);
        }
        if i < 3 {
            labels.push(3);
        }
    }
    labels.push(9);
    // 0.25 x (50, 7, 3, 1) = 12.5, 1.75, 0.75, 0.25: rounded 13, 2, 1, 0.
    let (train, test) = stratified_split(&labels, 0.25, 11);
    check_partition("hidden labels, fraction 0.25", labels.len(), &train, &test)?;
    check_counts("hidden labels, fraction 0.25", &labels, 0.25, &test)?;
    pass("13, 2, 1 and 0 test rows for classes of 50, 7, 3 and 1 rows")
}
