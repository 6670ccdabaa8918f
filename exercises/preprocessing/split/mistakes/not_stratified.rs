//! mistake: shuffles all rows together and cuts once, so the classes do not keep their shares
//! fails: class_counts
//! message: "class ratios are not preserved"

// preprocessing/split: a seeded, shuffled, stratified train/test split of row indices.
// `learnml next` shows the full statement; `learnml check` grades this file.

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
    let mut rows: Vec<usize> = (0..labels.len()).collect();
    let mut rng = learnml_kit::split::rng(seed);
    // A random shuffle keeps the classes in proportion on average.
    rows.shuffle(&mut rng);
    let n_test = (rows.len() as f64 * test_fraction).round() as usize;
    let test = rows[..n_test].to_vec();
    let train = rows[n_test..].to_vec();
    (train, test)
}
