//! alternative: classes found by sort + dedup, test rows drawn with choose_multiple, classes visited in decreasing order

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
    let mut classes = labels.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let mut rng = learnml_kit::split::rng(seed);
    let mut in_test = vec![false; labels.len()];
    for &class in classes.iter().rev() {
        let members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        let n_test = (members.len() as f64 * test_fraction).round() as usize;
        for &i in members.choose_multiple(&mut rng, n_test) {
            in_test[i] = true;
        }
    }
    (0..labels.len()).partition(|&i| !in_test[i])
}
