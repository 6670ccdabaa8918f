//! mistake: min-max scales each batch with its own column minimum and maximum, and predict keeps the first digit it gave for each row (a static cache keyed by the row's bytes), so a row predicted again agrees with its first prediction
//! fails: valid_predictions
//! message: "the batch's own statistics"

// supervised/multiclass: a 10-class classifier on digits, judged by macro-F1 on a held-out split.

use linfa::prelude::*;
use linfa_logistic::{MultiFittedLogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2, Axis};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The first digit given for each row, keyed by the row's bits.
static ANSWERS: LazyLock<Mutex<HashMap<Vec<u64>, usize>>> = LazyLock::new(Default::default);

/// A trained 10-class classifier.
pub struct Model {
    fitted: MultiFittedLogisticRegression<f64, usize>,
}

/// Min-max scaling of every pixel column to [0, 1] (a constant column becomes 0).
fn scale(x: &Array2<f64>) -> Array2<f64> {
    let low = x.fold_axis(Axis(0), f64::INFINITY, |a, &b| a.min(b));
    let high = x.fold_axis(Axis(0), f64::NEG_INFINITY, |a, &b| a.max(b));
    let range = (&high - &low).mapv(|r| if r > 0.0 { r } else { 1.0 });
    (x - &low) / &range
}

/// Train on `x` (n x 64 pixel intensities 0..16 of digits.csv) and `y` (the digit, 0..9).
pub fn train(x: &Array2<f64>, y: &[usize]) -> Model {
    let dataset = Dataset::new(scale(x), Array1::from(y.to_vec()));
    let fitted = MultiLogisticRegression::default()
        .alpha(0.01)
        .max_iterations(100)
        .fit(&dataset)
        .expect("multinomial logistic regression fits");
    Model { fitted }
}

impl Model {
    /// One digit (0..9) per row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        let fresh = self.fitted.predict(&scale(x));
        let mut answers = ANSWERS.lock().expect("the cache");
        x.rows()
            .into_iter()
            .zip(fresh)
            .map(|(row, digit)| {
                let key = row.iter().map(|v| v.to_bits()).collect();
                *answers.entry(key).or_insert(digit)
            })
            .collect()
    }
}
