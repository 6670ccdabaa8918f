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
    let _ = (x, y, weights);
    todo!("every feature, every midpoint threshold, both polarities")
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
    let _ = (x, y, rounds);
    todo!("weights 1/n; fit, err, alpha, reweight, renormalize")
}

impl Model {
    /// sign(Σ_t alphas[t] · stumps[t](row)) for each row of `x`, with sign(0) = +1.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        let _ = x;
        todo!("the sign of the alpha-weighted sum of the stumps")
    }
}
