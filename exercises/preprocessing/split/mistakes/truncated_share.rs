//! mistake: converts the share with `as usize` alone, which truncates 14.75 to 14
//! fails: class_counts, imbalanced
//! message: "rounded down"

// preprocessing/split: a seeded, shuffled, stratified train/test split of row indices.
// `learnml next` shows the full statement; `learnml check` grades this file.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;

/// Split the rows `0..labels.len()` into `(train, test)` index vectors (any order): for each
/// class `c` (a value of `labels`) with `n_c` rows, `round(n_c * test_fraction)` rows chosen at
/// random go to `test`, the others to `train`. The same `seed` always gives the same split.
///
/// Suggested approach: `let mut rng = learnml_kit::split::rng(seed);` and
/// `rand::seq::SliceRandom::shuffle` on each class's rows, classes in increasing order.
pub fn stratified_split(
    labels: &[usize],
    test_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let mut by_class: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &label) in labels.iter().enumerate() {
        by_class.entry(label).or_default().push(i);
    }
    let mut rng = learnml_kit::split::rng(seed);
    let mut train = Vec::new();
    let mut test = Vec::new();
    for rows in by_class.values_mut() {
        rows.shuffle(&mut rng);
        let n_test = (rows.len() as f64 * test_fraction) as usize;
        test.extend_from_slice(&rows[..n_test]);
        train.extend_from_slice(&rows[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}
