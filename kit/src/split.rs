//! Seeded randomness for graders and learners: the same seed gives the same shuffle and the
//! same split on every machine (Xoshiro256++ is specified bit for bit, unlike `StdRng`).

use ndarray::{Array2, Axis};
use rand::SeedableRng;
use rand::seq::SliceRandom;
pub use rand_xoshiro::Xoshiro256PlusPlus as Rng;

pub fn rng(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// `0..n` in a seeded random order.
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng(seed));
    order
}

/// Shuffled train and test row indices, `round(n * test_fraction)` of them for the test.
pub fn train_test(n: usize, test_fraction: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let order = shuffled(n, seed);
    let n_test = (n as f64 * test_fraction).round() as usize;
    let (test, train) = order.split_at(n_test);
    (train.to_vec(), test.to_vec())
}

/// Like [`train_test`], but each class keeps its share in both parts (within one sample).
pub fn stratified_train_test(
    labels: &[usize],
    test_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let n_classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut train = Vec::new();
    let mut test = Vec::new();
    for class in 0..n_classes {
        let members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        let order = shuffled(members.len(), seed.wrapping_add(class as u64));
        let n_test = (members.len() as f64 * test_fraction).round() as usize;
        for (k, &position) in order.iter().enumerate() {
            if k < n_test {
                test.push(members[position])
            } else {
                train.push(members[position])
            }
        }
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

/// The rows of `x` at `indices`, in that order.
pub fn rows(x: &Array2<f64>, indices: &[usize]) -> Array2<f64> {
    x.select(Axis(0), indices)
}

/// The entries of `v` at `indices`, in that order.
pub fn pick<T: Clone>(v: &[T], indices: &[usize]) -> Vec<T> {
    indices.iter().map(|&i| v[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_split_and_partition() {
        let (train, test) = train_test(10, 0.3, 7);
        assert_eq!((train.clone(), test.clone()), train_test(10, 0.3, 7));
        assert_eq!(test.len(), 3);
        let mut all: Vec<usize> = train.into_iter().chain(test).collect();
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_ne!(shuffled(50, 1), shuffled(50, 2));
    }

    #[test]
    fn stratified_keeps_class_shares() {
        let labels: Vec<usize> = (0..100).map(|i| usize::from(i % 10 == 0)).collect();
        let (train, test) = stratified_train_test(&labels, 0.2, 3);
        assert_eq!(test.len(), 20);
        assert_eq!(test.iter().filter(|&&i| labels[i] == 1).count(), 2);
        assert_eq!(train.len(), 80);
    }
}
