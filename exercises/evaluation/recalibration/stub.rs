// evaluation/recalibration: Platt scaling and isotonic regression, fitted on a held-out split.
// `learnml show evaluation/recalibration` shows the full statement; `learnml check evaluation/recalibration` grades this file.

/// Platt scaling: P(y = 1 | s) = σ(a·s + b).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// The calibrated probability of a score (given code).
    pub fn predict(&self, score: f64) -> f64 {
        1.0 / (1.0 + (-(self.a * score + self.b)).exp())
    }
}

/// An isotonic calibration map: fitted points with `x` strictly increasing (one point per
/// distinct score) and `y` non-decreasing in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Isotonic {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

/// Both calibrators, fitted on the same split.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibrators {
    pub platt: Platt,
    pub isotonic: Isotonic,
}

/// Platt's a and b minimizing the log loss of σ(a·s + b) against the 0/1 labels (`true` = 1,
/// no target smoothing), by Newton's method from a = 0, b = 0. The data is never separable.
pub fn fit_platt(scores: &[f64], labels: &[bool]) -> Platt {
    let _ = (scores, labels);
    todo!("Newton's method on (a, b): gradient Σ (p - y)·(s, 1), Hessian Σ p(1 - p)·(s, 1)(s, 1)ᵀ")
}

/// Isotonic regression of the labels (1 for `true`) on the scores: pool tied scores first
/// (one point per distinct score, its label mean weighted by its count), then pool adjacent
/// violators until the fitted values are non-decreasing.
pub fn fit_isotonic(scores: &[f64], labels: &[bool]) -> Isotonic {
    let _ = (scores, labels);
    todo!("sort, pool ties, then merge adjacent blocks whose means decrease")
}

/// The calibrated probability of each score: linear interpolation between the fitted points,
/// clipped to the first and last fitted values outside [x_first, x_last].
pub fn predict_isotonic(model: &Isotonic, scores: &[f64]) -> Vec<f64> {
    let _ = (model, scores);
    todo!("find the two fitted points around each score and interpolate")
}

/// Calibrators for a model fitted on the training split: `train_*` are its scores and labels on
/// its own training rows, `cal_*` on a held-out calibration split it never saw.
pub fn recalibrate(
    train_scores: &[f64],
    train_y: &[bool],
    cal_scores: &[f64],
    cal_y: &[bool],
) -> Calibrators {
    let _ = (train_scores, train_y, cal_scores, cal_y);
    todo!("fit both calibrators on the split the model did not see")
}
