// preprocessing/split: a seeded, shuffled, stratified train/test split of row indices.
// `learnml show preprocessing/split` shows the full statement; `learnml check preprocessing/split` grades this file.

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
    let _ = (labels, test_fraction, seed);
    todo!("group the rows by class, shuffle each group with a seeded rng, cut it")
}
