//! alternative: Newton written as IRLS with a closed-form 2×2 solve, naive repeated-pass PAV that drops the interior points of flat runs (as scikit-learn does), prediction by a linear scan

// evaluation/recalibration: Platt scaling and isotonic regression, fitted on a held-out split.

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
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..50 {
        // Weighted least squares on the working response z = a s + b + (y - p) / w.
        let (mut sw, mut sws, mut swss, mut swz, mut swsz) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&s, &y) in scores.iter().zip(labels) {
            let eta = a * s + b;
            let p = Platt { a, b }.predict(s);
            let w = (p * (1.0 - p)).max(1e-12);
            let z = eta + (if y { 1.0 } else { 0.0 } - p) / w;
            sw += w;
            sws += w * s;
            swss += w * s * s;
            swz += w * z;
            swsz += w * s * z;
        }
        let det = sw * swss - sws * sws;
        let new_a = (sw * swsz - sws * swz) / det;
        let new_b = (swss * swz - sws * swsz) / det;
        let change = (new_a - a).abs() + (new_b - b).abs();
        a = new_a;
        b = new_b;
        if change < 1e-12 {
            break;
        }
    }
    Platt { a, b }
}

/// Isotonic regression of the labels (1 for `true`) on the scores: pool tied scores first
/// (one point per distinct score, its label mean weighted by its count), then pool adjacent
/// violators until the fitted values are non-decreasing.
pub fn fit_isotonic(scores: &[f64], labels: &[bool]) -> Isotonic {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&i, &j| scores[i].total_cmp(&scores[j]));
    // Blocks: (first x, last x, weight, mean), ties merged as they come.
    let mut blocks: Vec<(f64, f64, f64, f64)> = Vec::new();
    for &i in &order {
        let v = if labels[i] { 1.0 } else { 0.0 };
        match blocks.last_mut() {
            Some(last) if last.1 == scores[i] => {
                last.3 = (last.3 * last.2 + v) / (last.2 + 1.0);
                last.2 += 1.0;
            }
            _ => blocks.push((scores[i], scores[i], 1.0, v)),
        }
    }
    // Merge violating neighbours until a whole pass finds none.
    loop {
        let violation = blocks.windows(2).position(|w| w[0].3 > w[1].3);
        let Some(k) = violation else { break };
        let (lo, _, w1, m1) = blocks[k];
        let (_, hi, w2, m2) = blocks[k + 1];
        blocks[k] = (lo, hi, w1 + w2, (m1 * w1 + m2 * w2) / (w1 + w2));
        blocks.remove(k + 1);
    }
    // Each block becomes its two end points (one when it spans a single score).
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (lo, hi, _, mean) in blocks {
        x.push(lo);
        y.push(mean);
        if hi > lo {
            x.push(hi);
            y.push(mean);
        }
    }
    Isotonic { x, y }
}

/// The calibrated probability of each score: linear interpolation between the fitted points,
/// clipped to the first and last fitted values outside [x_first, x_last].
pub fn predict_isotonic(model: &Isotonic, scores: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(scores.len());
    for &s in scores {
        let n = model.x.len();
        let mut value = model.y[n - 1];
        if s <= model.x[0] {
            value = model.y[0];
        } else {
            for k in 1..n {
                if s < model.x[k] {
                    let t = (s - model.x[k - 1]) / (model.x[k] - model.x[k - 1]);
                    value = model.y[k - 1] * (1.0 - t) + model.y[k] * t;
                    break;
                }
            }
        }
        out.push(value);
    }
    out
}

/// Calibrators for a model fitted on the training split: `train_*` are its scores and labels on
/// its own training rows, `cal_*` on a held-out calibration split it never saw.
pub fn recalibrate(
    _train_scores: &[f64],
    _train_y: &[bool],
    cal_scores: &[f64],
    cal_y: &[bool],
) -> Calibrators {
    Calibrators {
        platt: fit_platt(cal_scores, cal_y),
        isotonic: fit_isotonic(cal_scores, cal_y),
    }
}
