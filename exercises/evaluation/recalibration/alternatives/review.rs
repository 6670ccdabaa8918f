//! alternative: damped Newton (halving the step while the log loss rises), stack PAV over sorted (score, label) pairs keeping every distinct score, prediction by binary search

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

fn log_loss(scores: &[f64], labels: &[bool], a: f64, b: f64) -> f64 {
    scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| {
            let z = a * s + b;
            // log(1 + e^z) - y z, computed stably
            let softplus = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            softplus - if y { z } else { 0.0 }
        })
        .sum()
}

/// Platt's a and b minimizing the log loss of σ(a·s + b) against the 0/1 labels (`true` = 1,
/// no target smoothing), by Newton's method from a = 0, b = 0. The data is never separable.
pub fn fit_platt(scores: &[f64], labels: &[bool]) -> Platt {
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..200 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&s, &y) in scores.iter().zip(labels) {
            let p = Platt { a, b }.predict(s);
            let r = p - f64::from(u8::from(y));
            let w = p * (1.0 - p);
            ga += r * s;
            gb += r;
            haa += w * s * s;
            hab += w * s;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-300 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let before = log_loss(scores, labels, a, b);
        let mut t = 1.0;
        while t > 1e-8 && log_loss(scores, labels, a - t * da, b - t * db) > before + 1e-12 {
            t *= 0.5;
        }
        a -= t * da;
        b -= t * db;
        if (t * da).abs().max((t * db).abs()) < 1e-12 {
            break;
        }
    }
    Platt { a, b }
}

/// Isotonic regression of the labels (1 for `true`) on the scores: pool tied scores first
/// (one point per distinct score, its label mean weighted by its count), then pool adjacent
/// violators until the fitted values are non-decreasing.
pub fn fit_isotonic(scores: &[f64], labels: &[bool]) -> Isotonic {
    let mut pairs: Vec<(f64, f64)> = scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| (s, if y { 1.0 } else { 0.0 }))
        .collect();
    pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
    // distinct scores: (score, label sum, count)
    let mut points: Vec<(f64, f64, f64)> = Vec::new();
    for (s, y) in pairs {
        match points.last_mut() {
            Some(last) if last.0 == s => {
                last.1 += y;
                last.2 += 1.0;
            }
            _ => points.push((s, y, 1.0)),
        }
    }
    // blocks: (label sum, weight, number of distinct points)
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for &(_, sum, count) in &points {
        blocks.push((sum, count, 1));
        while blocks.len() >= 2 {
            let n = blocks.len();
            let (s2, w2, k2) = blocks[n - 1];
            let (s1, w1, k1) = blocks[n - 2];
            if s1 / w1 > s2 / w2 {
                blocks.truncate(n - 2);
                blocks.push((s1 + s2, w1 + w2, k1 + k2));
            } else {
                break;
            }
        }
    }
    let x = points.iter().map(|p| p.0).collect();
    let y = blocks
        .iter()
        .flat_map(|&(s, w, k)| std::iter::repeat_n(s / w, k))
        .collect();
    Isotonic { x, y }
}

/// The calibrated probability of each score: linear interpolation between the fitted points,
/// clipped to the first and last fitted values outside [x_first, x_last].
pub fn predict_isotonic(model: &Isotonic, scores: &[f64]) -> Vec<f64> {
    let (x, y) = (&model.x, &model.y);
    scores
        .iter()
        .map(|&s| {
            let n = x.len();
            if s <= x[0] {
                return y[0];
            }
            if s >= x[n - 1] {
                return y[n - 1];
            }
            // first index with x > s; 1 <= j <= n - 1
            let j = x.partition_point(|&v| v <= s);
            let (x0, x1, y0, y1) = (x[j - 1], x[j], y[j - 1], y[j]);
            y0 + (y1 - y0) * (s - x0) / (x1 - x0)
        })
        .collect()
}

/// Calibrators for a model fitted on the training split: `train_*` are its scores and labels on
/// its own training rows, `cal_*` on a held-out calibration split it never saw.
pub fn recalibrate(
    train_scores: &[f64],
    train_y: &[bool],
    cal_scores: &[f64],
    cal_y: &[bool],
) -> Calibrators {
    let _ = (train_scores, train_y);
    Calibrators {
        platt: fit_platt(cal_scores, cal_y),
        isotonic: fit_isotonic(cal_scores, cal_y),
    }
}
