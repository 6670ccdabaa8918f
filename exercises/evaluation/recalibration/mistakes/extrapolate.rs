//! mistake: outside the fitted range, extends the first or last segment's line instead of clipping to the end values
//! fails: isotonic_predict
//! message: "extrapolated past the fitted range"

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
    let mut model = Platt { a: 0.0, b: 0.0 };
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&s, &y) in scores.iter().zip(labels) {
            let p = model.predict(s);
            let r = p - f64::from(u8::from(y));
            let w = p * (1.0 - p);
            ga += r * s;
            gb += r;
            haa += w * s * s;
            hab += w * s;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        model.a -= da;
        model.b -= db;
        if da.abs() + db.abs() < 1e-12 {
            break;
        }
    }
    model
}

/// Isotonic regression of the labels (1 for `true`) on the scores: pool tied scores first
/// (one point per distinct score, its label mean weighted by its count), then pool adjacent
/// violators until the fitted values are non-decreasing.
pub fn fit_isotonic(scores: &[f64], labels: &[bool]) -> Isotonic {
    let mut pairs: Vec<(f64, f64)> = scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| (s, f64::from(u8::from(y))))
        .collect();
    pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
    // Ties first: one point per distinct score, with its weight and label sum.
    let mut xs: Vec<f64> = Vec::new();
    let mut points: Vec<(f64, f64)> = Vec::new(); // (weight, sum of labels)
    for (s, y) in pairs {
        if xs.last() == Some(&s) {
            let last = points.last_mut().expect("a point per x");
            last.0 += 1.0;
            last.1 += y;
        } else {
            xs.push(s);
            points.push((1.0, y));
        }
    }
    // Pool adjacent violators: blocks of (weight, sum, number of points).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (w, sum) in points {
        blocks.push((w, sum, 1));
        while blocks.len() > 1 {
            let (w2, s2, n2) = blocks[blocks.len() - 1];
            let (w1, s1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (w1 + w2, s1 + s2, n1 + n2);
        }
    }
    let y = blocks
        .iter()
        .flat_map(|&(w, sum, n)| std::iter::repeat_n(sum / w, n))
        .collect();
    Isotonic { x: xs, y }
}

/// The calibrated probability of each score: linear interpolation between the fitted points,
/// clipped to the first and last fitted values outside [x_first, x_last].
pub fn predict_isotonic(model: &Isotonic, scores: &[f64]) -> Vec<f64> {
    let (x, y) = (&model.x, &model.y);
    let last = x.len() - 1;
    scores
        .iter()
        .map(|&s| {
            if last == 0 {
                return y[0];
            }
            // The segment around s, or the first / last segment outside the fitted range.
            let i = x.partition_point(|&v| v <= s).clamp(1, last);
            let t = (s - x[i - 1]) / (x[i] - x[i - 1]);
            y[i - 1] + t * (y[i] - y[i - 1])
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
    // The model's scores on its own training rows are overconfident: calibrate on held-out rows.
    let _ = (train_scores, train_y);
    Calibrators {
        platt: fit_platt(cal_scores, cal_y),
        isotonic: fit_isotonic(cal_scores, cal_y),
    }
}
