//! alternative: brute-force stumps, ties (within 1e-12) broken at random by a generator seeded from the weights

// ensembles/adaboost: discrete AdaBoost on decision stumps, labels -1 / +1.
// `learnml show ensembles/adaboost` shows the full statement; `learnml check ensembles/adaboost` grades this file.

use ndarray::{Array2, ArrayView1};
use rand::Rng;

/// A decision stump: `polarity` (+1 or -1) where `x[feature] > threshold`, `-polarity` elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Stump {
    pub feature: usize,
    pub threshold: f64,
    pub polarity: f64,
}

impl Stump {
    /// The stump's label (+1 or -1) for one row. Given: do not change it.
    pub fn predict(&self, row: ArrayView1<f64>) -> f64 {
        if row[self.feature] > self.threshold {
            self.polarity
        } else {
            -self.polarity
        }
    }
}

/// The stump with the smallest weighted error Σ weights[i] over the rows it gets wrong.
/// `y` holds -1 / +1, `weights` are non-negative and sum to 1. Thresholds: the midpoints
/// between consecutive distinct sorted values of a feature; polarity +1 or -1. Any stump of
/// smallest error will do (ties are yours to break).
pub fn fit_stump(x: &Array2<f64>, y: &[f64], weights: &[f64]) -> Stump {
    // Every candidate with its weighted error, summed plainly over the rows.
    let mut candidates: Vec<(f64, Stump)> = Vec::new();
    for feature in 0..x.ncols() {
        let mut values: Vec<f64> = x.column(feature).to_vec();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for pair in values.windows(2) {
            for polarity in [1.0, -1.0] {
                let stump = Stump {
                    feature,
                    threshold: (pair[0] + pair[1]) / 2.0,
                    polarity,
                };
                let error: f64 = x
                    .rows()
                    .into_iter()
                    .zip(y.iter().zip(weights))
                    .filter(|(row, (label, _))| stump.predict(*row) != **label)
                    .map(|(_, (_, w))| w)
                    .sum();
                candidates.push((error, stump));
            }
        }
    }
    let best = candidates
        .iter()
        .map(|(e, _)| *e)
        .fold(f64::INFINITY, f64::min);
    // Ties (within rounding) broken at random, seeded by the weights themselves.
    let ties: Vec<Stump> = candidates
        .into_iter()
        .filter(|(e, _)| *e <= best + 1e-12)
        .map(|(_, s)| s)
        .collect();
    let seed = weights
        .iter()
        .fold(0u64, |h, w| h.rotate_left(5) ^ w.to_bits());
    let pick = learnml_kit::split::rng(seed).gen_range(0..ties.len().max(1));
    ties.into_iter().nth(pick).unwrap_or(Stump {
        feature: 0,
        threshold: 0.0,
        polarity: 1.0,
    })
}

/// A boosted ensemble: round t added `stumps[t]` with weight `alphas[t]`.
#[derive(Debug, Clone)]
pub struct Model {
    pub stumps: Vec<Stump>,
    pub alphas: Vec<f64>,
}

/// Discrete AdaBoost for at most `rounds` rounds. Weights start at 1/n. Each round: fit the
/// best stump on the weights, err = its weighted error; stop (without adding it) if err >= 1/2;
/// if err = 0, add it with alpha = 1 and stop; else alpha = ½ ln((1 - err) / err), add the
/// stump, w_i <- w_i · exp(-alpha · y_i · h(x_i)) and renormalize the weights to sum 1.
pub fn adaboost(x: &Array2<f64>, y: &[f64], rounds: usize) -> Model {
    let n = x.nrows();
    let mut weights = vec![1.0 / n as f64; n];
    let mut model = Model {
        stumps: Vec::new(),
        alphas: Vec::new(),
    };
    for _ in 0..rounds {
        let stump = fit_stump(x, y, &weights);
        let h: Vec<f64> = x.rows().into_iter().map(|row| stump.predict(row)).collect();
        let err: f64 = (0..n).filter(|&i| h[i] != y[i]).map(|i| weights[i]).sum();
        if err >= 0.5 {
            break;
        }
        if err == 0.0 {
            model.stumps.push(stump);
            model.alphas.push(1.0);
            break;
        }
        let alpha = 0.5 * ((1.0 - err) / err).ln();
        for i in 0..n {
            weights[i] *= (-alpha * y[i] * h[i]).exp();
        }
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= total);
        model.stumps.push(stump);
        model.alphas.push(alpha);
    }
    model
}

impl Model {
    /// sign(Σ_t alphas[t] · stumps[t](row)) for each row of `x`, with sign(0) = +1.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        x.rows()
            .into_iter()
            .map(|row| {
                let score: f64 = self
                    .stumps
                    .iter()
                    .zip(&self.alphas)
                    .map(|(s, a)| a * s.predict(row))
                    .sum();
                if score >= 0.0 { 1.0 } else { -1.0 }
            })
            .collect()
    }
}
