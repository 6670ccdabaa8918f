//! mistake: w·exp(+alpha·y·h): upweights the rows the stump got right
//! fails: adaboost_rounds
//! message: "sign flipped"

// ensembles/adaboost: discrete AdaBoost on decision stumps, labels -1 / +1.
// `learnml show ensembles/adaboost` shows the full statement; `learnml check ensembles/adaboost` grades this file.

use ndarray::{Array2, ArrayView1};

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
    let n = x.nrows();
    let total: f64 = weights.iter().sum();
    let mut best = (
        f64::INFINITY,
        Stump {
            feature: 0,
            threshold: 0.0,
            polarity: 1.0,
        },
    );
    for feature in 0..x.ncols() {
        let column = x.column(feature);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| column[a].total_cmp(&column[b]));
        // Polarity +1 errs on the positives at or below the threshold and on the negatives
        // above it. Start with everything above (every negative wrong), then move rows left.
        let mut error_plus: f64 = (0..n).filter(|&i| y[i] < 0.0).map(|i| weights[i]).sum();
        for k in 0..n - 1 {
            let i = order[k];
            error_plus += if y[i] > 0.0 { weights[i] } else { -weights[i] };
            let (low, high) = (column[i], column[order[k + 1]]);
            if low == high {
                continue;
            }
            let threshold = (low + high) / 2.0;
            for (error, polarity) in [(error_plus, 1.0), (total - error_plus, -1.0)] {
                if error < best.0 {
                    best = (
                        error,
                        Stump {
                            feature,
                            threshold,
                            polarity,
                        },
                    );
                }
            }
        }
    }
    best.1
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
            weights[i] *= (alpha * y[i] * h[i]).exp();
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
