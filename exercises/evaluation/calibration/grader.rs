// Grader of evaluation/calibration.

use learnml_grader::data::Table;
use learnml_grader::grade::*;
use learnml_kit::split;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

use super::exercise::{Bin, bin_index, brier, ece, reliability};

pub const CHECKS: &[(&str, CheckFn)] = &[
    ("bin_index", check_bin_index),
    ("reliability", check_reliability),
    ("brier", check_brier),
    ("ece", check_ece),
    ("two_models", check_two_models),
];

const TOL: f64 = 1e-9;
const EDGE_MISTAKE: &str = "edges taken as (a, b]: a p on an edge must open the bin above it \
                            ([a, b)), as ⌊p · n_bins⌋ does";

/// The grader's bin of p: [a, b) edges, p = 1 in the last bin.
fn bin_right(p: f64, n: usize) -> usize {
    let b = (p * n as f64).floor() as usize;
    if b >= n { n - 1 } else { b }
}

/// The classic wrong convention: (a, b] edges (p = 0 kept in the first bin).
fn bin_left(p: f64, n: usize) -> usize {
    let c = (p * n as f64).ceil() as usize;
    if c == 0 { 0 } else { c.min(n) - 1 }
}

/// The bin by division by the width, ⌊p / (1 / n)⌋: equal on paper, but 0.3 / 0.1 is
/// 2.9999999999999996 in f64, so some edges land a bin too low.
fn bin_width(p: f64, n: usize) -> usize {
    let b = (p / (1.0 / n as f64)).floor() as usize;
    if b >= n { n - 1 } else { b }
}

const WIDTH_MISTAKE: &str = "p / width instead of p · n_bins: the width 1 / n_bins is rounded in \
                             f64, so a p on an edge can fall a bin too low (0.3 / 0.1 = \
                             2.9999999999999996); compute ⌊p · n_bins⌋";

/// Per bin: count, mean predicted, observed frequency (None when empty), written with loops.
type GBins = Vec<(usize, Option<f64>, Option<f64>)>;

fn grader_bins(probs: &[f64], labels: &[bool], n: usize, edge: fn(f64, usize) -> usize) -> GBins {
    let mut out = Vec::new();
    for b in 0..n {
        let mut count = 0;
        let mut sum_p = 0.0;
        let mut pos = 0.0;
        for i in 0..probs.len() {
            if edge(probs[i], n) == b {
                count += 1;
                sum_p += probs[i];
                if labels[i] {
                    pos += 1.0;
                }
            }
        }
        if count == 0 {
            out.push((0, None, None));
        } else {
            out.push((count, Some(sum_p / count as f64), Some(pos / count as f64)));
        }
    }
    out
}

/// (count, freq - conf) of the non-empty bins.
fn gaps(bins: &GBins) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for (count, conf, freq) in bins {
        if let (Some(c), Some(f)) = (conf, freq) {
            out.push((*count, f - c));
        }
    }
    out
}

fn ece_of(bins: &GBins, total: usize) -> f64 {
    let mut sum = 0.0;
    for (count, gap) in gaps(bins) {
        sum += count as f64 / total as f64 * gap.abs();
    }
    sum
}

/// The wrong variants of the ECE, each with what it is.
fn ece_wrongs(probs: &[f64], labels: &[bool], n: usize) -> Vec<(f64, &'static str)> {
    let bins = grader_bins(probs, labels, n, bin_right);
    let g = gaps(&bins);
    let unweighted = g.iter().map(|(_, d)| d.abs()).sum::<f64>() / g.len() as f64;
    let over_all = g.iter().map(|(_, d)| d.abs()).sum::<f64>() / n as f64;
    let mce = g.iter().map(|(_, d)| d.abs()).fold(0.0, f64::max);
    let signed: f64 = g
        .iter()
        .map(|(c, d)| *c as f64 / probs.len() as f64 * d)
        .sum();
    let left = ece_of(&grader_bins(probs, labels, n, bin_left), probs.len());
    vec![
        (
            unweighted,
            "an unweighted mean of the bins' gaps: weight each gap by count / N",
        ),
        (
            over_all,
            "an unweighted mean over all bins, empty bins counted as zeros: weight each gap by \
             count / N",
        ),
        (
            mce,
            "the largest gap (the maximum calibration error, MCE), not the weighted sum (ECE)",
        ),
        (
            signed,
            "signed gaps: take |observed - mean_predicted|, or over- and under-confident bins \
             cancel",
        ),
        (left, EDGE_MISTAKE),
    ]
}

struct Case {
    probs: Vec<f64>,
    labels: Vec<bool>,
    n_bins: usize,
}

/// The hand case (4 bins: [0, .25), [.25, .5), [.5, .75), [.75, 1]): bin 0 holds 0, 0.1, 0.2
/// (one true: conf 0.1, freq 1/3), bin 1 holds 0.25, 0.4 (conf 0.325, freq 1/2), bin 2 is
/// empty, bin 3 holds 0.75, 0.8, 1 (conf 0.85, freq 2/3). ECE = 3/8·0.2333 + 2/8·0.175 +
/// 3/8·0.1833 = 0.2; with (a, b] edges 0.25 and 0.75 move down a bin and bin 2 is not empty.
fn hand_case() -> Case {
    Case {
        probs: vec![0.0, 0.1, 0.2, 0.25, 0.4, 0.75, 0.8, 1.0],
        labels: vec![false, false, true, false, true, true, false, true],
        n_bins: 4,
    }
}

/// Seeded cases: skewed probabilities (so some bins are empty or sparse), about one in six
/// exactly on an edge, labels drawn from a miscalibrated truth (p^1.5).
fn random_cases() -> Vec<Case> {
    let mut rng = split::rng(2031);
    let shapes = [
        (40, 10, 0.5),
        (200, 10, 1.0),
        (60, 5, 2.0),
        (25, 8, 3.0),
        (120, 15, 1.0),
    ];
    shapes
        .iter()
        .map(|&(n, n_bins, power)| {
            let mut probs = Vec::new();
            let mut labels = Vec::new();
            for _ in 0..n {
                let p = if rng.gen_range(0..6) == 0 {
                    rng.gen_range(0..=n_bins) as f64 / n_bins as f64
                } else {
                    rng.r#gen::<f64>().powf(power)
                };
                probs.push(p);
                labels.push(rng.r#gen::<f64>() < p.powf(1.5));
            }
            Case {
                probs,
                labels,
                n_bins,
            }
        })
        .collect()
}

fn check_bin_index() -> Graded {
    let mut cases: Vec<(f64, usize)> = vec![
        (0.0, 10),
        (0.2, 10),
        (0.5, 10),
        (0.95, 10),
        (1.0, 10),
        (0.25, 4),
        (0.75, 4),
        (0.999, 4),
        (0.4, 1),
        (0.3, 10),
        (0.36, 10),
    ];
    let mut rng = split::rng(77);
    for _ in 0..40 {
        let n = rng.gen_range(2..20);
        let p = if rng.gen_range(0..3) == 0 {
            rng.gen_range(0..=n) as f64 / n as f64
        } else {
            rng.r#gen::<f64>()
        };
        cases.push((p, n));
    }
    let mut answers = Vec::new();
    for &(p, n) in &cases {
        let got = bin_index(p, n);
        if got >= n {
            let why = if p == 1.0 {
                ": p = 1 belongs to the last bin (index n_bins - 1)"
            } else {
                ""
            };
            return Err(fail(format!(
                "bin_index({p}, {n}): expected {}, got {got}, which is not a bin of \
                 0..{n}{why}",
                bin_right(p, n)
            )))
            .hint("clamp the index with `.min(n_bins - 1)`");
        }
        answers.push(got);
    }
    // A wrong convention is named when it gives every answer (one p alone can fit several).
    let rounded = |p: f64, n: usize| ((p * n as f64).round() as usize).min(n - 1);
    let follows = |rule: &dyn Fn(f64, usize) -> usize| {
        answers
            .iter()
            .zip(&cases)
            .all(|(&got, &(p, n))| got == rule(p, n))
    };
    let why = if follows(&bin_left) {
        format!(": {EDGE_MISTAKE}")
    } else if follows(&bin_width) {
        format!(": {WIDTH_MISTAKE}")
    } else if follows(&rounded) {
        ": rounded to the nearest index; the bin is ⌊p · n_bins⌋, rounded down".to_string()
    } else {
        String::new()
    };
    for (&got, &(p, n)) in answers.iter().zip(&cases) {
        let expected = bin_right(p, n);
        if got != expected {
            return Err(fail(format!(
                "bin_index({p}, {n}): expected {expected}, got {got}{why}"
            )))
            .hint("the index is `(p * n_bins as f64).floor() as usize`, at most n_bins - 1");
        }
    }
    pass("51 probabilities, 21 of them on an edge, each in its [a, b) bin; p = 1 in the last")
}

fn show_opt(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("Some({})", fmt(x)),
        None => "None".into(),
    }
}

/// Compares the learner's bins with the grader's, naming the classic mistakes.
fn compare_bins(what: &str, got: &[Bin], case: &Case) -> Result<(), Failed> {
    let n = case.n_bins;
    equal(&format!("{what}: number of bins"), &got.len(), &n)
        .hint("return one Bin per bin, empty ones included")?;
    let expected = grader_bins(&case.probs, &case.labels, n, bin_right);
    let left = grader_bins(&case.probs, &case.labels, n, bin_left);
    let counts: Vec<usize> = got.iter().map(|b| b.count).collect();
    let want: Vec<usize> = expected.iter().map(|b| b.0).collect();
    let left_counts: Vec<usize> = left.iter().map(|b| b.0).collect();
    let width = grader_bins(&case.probs, &case.labels, n, bin_width);
    let width_counts: Vec<usize> = width.iter().map(|b| b.0).collect();
    if counts != want {
        let why = if counts == left_counts {
            format!(": {EDGE_MISTAKE}")
        } else if counts == width_counts {
            format!(": {WIDTH_MISTAKE}")
        } else {
            String::new()
        };
        return Err(fail(format!(
            "{what}: counts per bin: expected {want:?}, got {counts:?}{why}"
        )))
        .hint("bin each probability with bin_index");
    }
    for (k, (bin, (_, conf, freq))) in got.iter().zip(&expected).enumerate() {
        let pairs = [
            ("mean_predicted", bin.mean_predicted, *conf),
            ("observed", bin.observed, *freq),
        ];
        for (field, g, e) in pairs {
            match (g, e) {
                (None, None) => {}
                (Some(x), None) => {
                    let why = if x == 0.0 {
                        ": an empty bin reported as zeros (it has no mean; a zero would draw a \
                         false point at 0 on the diagram)"
                    } else {
                        ""
                    };
                    return Err(fail(format!(
                        "{what}: bin {k} is empty, so its {field} should be None, got \
                         Some({}){why}",
                        fmt(x)
                    )))
                    .hint("an empty bin has no mean: `None`");
                }
                (None, Some(x)) => {
                    return Err(fail(format!(
                        "{what}: bin {k} holds {} cases: expected {field} {}, got None",
                        bin.count,
                        fmt(x)
                    )));
                }
                (Some(x), Some(y)) => {
                    let flipped = field == "observed" && (x - (1.0 - y)).abs() <= TOL;
                    let why = if flipped && (y - 0.5).abs() > TOL {
                        ": the fraction of false labels, not of true ones"
                    } else {
                        ""
                    };
                    ensure((x - y).abs() <= TOL, || {
                        format!(
                            "{what}: bin {k} ({} cases): expected {field} {} (± 1e-9), got \
                             {}{why}",
                            bin.count,
                            fmt(y),
                            show_opt(Some(x))
                        )
                    })?;
                }
            }
        }
    }
    Ok(())
}

fn check_reliability() -> Graded {
    let case = hand_case();
    let got = reliability(&case.probs, &case.labels, case.n_bins);
    compare_bins(
        "reliability of [0, 0.1, 0.2, 0.25, 0.4, 0.75, 0.8, 1] (4 bins, bin 2 empty)",
        &got,
        &case,
    )?;
    for (i, case) in random_cases().iter().enumerate() {
        let got = reliability(&case.probs, &case.labels, case.n_bins);
        compare_bins(
            &format!(
                "seeded case {} ({} probabilities, {} bins)",
                i + 1,
                case.probs.len(),
                case.n_bins
            ),
            &got,
            case,
        )?;
    }
    pass("hand case and 5 seeded cases: counts, means within 1e-9, empty bins None")
}

fn compare_brier(what: &str, got: f64, probs: &[f64], labels: &[bool]) -> Result<(), Failed> {
    let mut sq = 0.0;
    let mut abs = 0.0;
    for i in 0..probs.len() {
        let y = if labels[i] { 1.0 } else { 0.0 };
        sq += (probs[i] - y) * (probs[i] - y);
        abs += (probs[i] - y).abs();
    }
    let n = probs.len() as f64;
    let expected = sq / n;
    close_naming(
        what,
        got,
        expected,
        TOL,
        &[
            (
                expected.sqrt(),
                "its square root (an RMSE): the Brier score is the mean squared error itself",
            ),
            (sq, "the sum of squares, not their mean"),
            (abs / n, "the mean absolute difference, not the squared one"),
        ],
    )
    .hint("Brier = Σ (p - y)² / N with y = 1 for true")
}

fn check_brier() -> Graded {
    // (0.1² + 0.2² + 0.6² + 0²) / 4 = 0.41 / 4 = 0.1025; its square root is 0.3202.
    let probs = [0.9, 0.2, 0.6, 0.0];
    let labels = [true, false, false, false];
    compare_brier(
        "brier([0.9, 0.2, 0.6, 0], [true, false, false, false])",
        brier(&probs, &labels),
        &probs,
        &labels,
    )?;
    for (i, case) in random_cases().iter().enumerate() {
        compare_brier(
            &format!(
                "brier of seeded case {} ({} cases)",
                i + 1,
                case.probs.len()
            ),
            brier(&case.probs, &case.labels),
            &case.probs,
            &case.labels,
        )?;
    }
    pass("hand case (0.1025) and 5 seeded cases within 1e-9")
}

fn compare_ece(what: &str, got: f64, case: &Case) -> Result<(), Failed> {
    let bins = grader_bins(&case.probs, &case.labels, case.n_bins, bin_right);
    let expected = ece_of(&bins, case.probs.len());
    let wrongs = ece_wrongs(&case.probs, &case.labels, case.n_bins);
    close_naming(what, got, expected, TOL, &wrongs)
        .hint("ECE = Σ over non-empty bins of (count / N) · |observed - mean_predicted|")
}

fn check_ece() -> Graded {
    let case = hand_case();
    compare_ece(
        "ece of [0, 0.1, 0.2, 0.25, 0.4, 0.75, 0.8, 1] (4 bins; 3/8·0.233 + 2/8·0.175 + \
         3/8·0.183 = 0.2)",
        ece(&case.probs, &case.labels, case.n_bins),
        &case,
    )?;
    for (i, case) in random_cases().iter().enumerate() {
        compare_ece(
            &format!(
                "ece of seeded case {} ({} probabilities, {} bins)",
                i + 1,
                case.probs.len(),
                case.n_bins
            ),
            ece(&case.probs, &case.labels, case.n_bins),
            case,
        )?;
    }
    pass("hand case (0.2) and 5 seeded cases within 1e-9")
}

/// Half of breast_cancer to fit on, half to evaluate; positive class malignant.
type Halves = (Array2<f64>, Vec<bool>, Array2<f64>, Vec<bool>);

fn breast_cancer() -> Result<Halves, Failed> {
    let table = Table::dataset("breast_cancer.csv").map_err(|e| fail(e.to_string()))?;
    let columns = table.columns_except(&["diagnosis"]);
    let x = table.numeric(&columns).map_err(|e| fail(e.to_string()))?;
    let diagnosis = table
        .text_column("diagnosis")
        .map_err(|e| fail(e.to_string()))?;
    let y: Vec<bool> = diagnosis.iter().map(|d| *d == Some("malignant")).collect();
    let classes: Vec<usize> = y.iter().map(|&b| usize::from(b)).collect();
    let (train, test) = split::stratified_train_test(&classes, 0.5, 11);
    Ok((
        split::rows(&x, &train),
        split::pick(&y, &train),
        split::rows(&x, &test),
        split::pick(&y, &test),
    ))
}

/// Gaussian naive Bayes (population variances, smoothed by 1e-9 of the largest, as
/// scikit-learn does): P(malignant | x) for each row of `test`.
fn naive_bayes(x: &Array2<f64>, y: &[bool], test: &Array2<f64>) -> Vec<f64> {
    let p = x.ncols();
    let mut means = [vec![0.0; p], vec![0.0; p]];
    let mut vars = [vec![0.0; p], vec![0.0; p]];
    let mut counts = [0.0; 2];
    for (row, &label) in x.rows().into_iter().zip(y) {
        let c = usize::from(label);
        counts[c] += 1.0;
        for j in 0..p {
            means[c][j] += row[j];
        }
    }
    for (m, count) in means.iter_mut().zip(counts) {
        for v in m.iter_mut() {
            *v /= count;
        }
    }
    for (row, &label) in x.rows().into_iter().zip(y) {
        let c = usize::from(label);
        for j in 0..p {
            vars[c][j] += (row[j] - means[c][j]).powi(2) / counts[c];
        }
    }
    let largest = x.var_axis(Axis(0), 0.0).fold(0.0, |a: f64, &b| a.max(b));
    let total = counts[0] + counts[1];
    test.rows()
        .into_iter()
        .map(|row| {
            let mut joint = [0.0; 2];
            for c in 0..2 {
                joint[c] = (counts[c] / total).ln();
                for j in 0..p {
                    let v = vars[c][j] + 1e-9 * largest;
                    joint[c] += -0.5 * (2.0 * std::f64::consts::PI * v).ln()
                        - (row[j] - means[c][j]).powi(2) / (2.0 * v);
                }
            }
            1.0 / (1.0 + (joint[0] - joint[1]).exp())
        })
        .collect()
}

/// Logistic regression on standardized features (training means and deviations), L2 penalty
/// 0.01, by full-batch gradient descent: P(malignant | x) for each row of `test`.
fn logistic(x: &Array2<f64>, y: &[bool], test: &Array2<f64>) -> Vec<f64> {
    let mean = x
        .mean_axis(Axis(0))
        .unwrap_or_else(|| Array1::zeros(x.ncols()));
    let std = x
        .std_axis(Axis(0), 0.0)
        .mapv(|s| if s > 0.0 { s } else { 1.0 });
    let xs = (x - &mean) / &std;
    let ts = (test - &mean) / &std;
    let t: Array1<f64> = y.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect();
    let n = xs.nrows() as f64;
    let mut w = Array1::<f64>::zeros(xs.ncols());
    let mut b = 0.0;
    for _ in 0..600 {
        let z = xs.dot(&w) + b;
        let r = z.mapv(|z| 1.0 / (1.0 + (-z).exp())) - &t;
        let gw = xs.t().dot(&r) / n + 0.01 * &w;
        let gb = r.sum() / n;
        w = w - 0.5 * gw;
        b -= 0.5 * gb;
    }
    (ts.dot(&w) + b)
        .iter()
        .map(|z| 1.0 / (1.0 + (-z).exp()))
        .collect()
}

fn diagram_points(bins: &[Bin]) -> Vec<[f64; 2]> {
    bins.iter()
        .filter_map(|b| match (b.mean_predicted, b.observed) {
            (Some(c), Some(f)) if c.is_finite() && f.is_finite() => Some([c, f]),
            _ => None,
        })
        .collect()
}

fn check_two_models() -> Graded {
    let (x, y, test_x, test_y) = breast_cancer()?;
    let models = [
        ("naive Bayes", naive_bayes(&x, &y, &test_x)),
        ("logistic regression", logistic(&x, &y, &test_x)),
    ];
    let n_bins = 10;
    let got: Vec<Vec<Bin>> = models
        .iter()
        .map(|(_, probs)| reliability(probs, &test_y, n_bins))
        .collect();
    let mut series = vec![Series {
        name: "perfectly calibrated".into(),
        points: (0..=10)
            .map(|k| [k as f64 / 10.0, k as f64 / 10.0])
            .collect(),
    }];
    for ((name, _), bins) in models.iter().zip(&got) {
        series.push(Series {
            name: format!("{name} (your bins)"),
            points: diagram_points(bins),
        });
    }
    show(Figure::Lines {
        title: "reliability diagram on the test half of breast_cancer (10 bins)".into(),
        x_label: "mean predicted P(malignant)".into(),
        y_label: "observed fraction malignant".into(),
        series,
        target: None,
    });
    let mut summary = Vec::new();
    for ((name, probs), bins) in models.iter().zip(&got) {
        let case = Case {
            probs: probs.clone(),
            labels: test_y.clone(),
            n_bins,
        };
        compare_bins(&format!("{name}: reliability"), bins, &case)?;
        let b = brier(probs, &test_y);
        compare_brier(&format!("{name}: Brier score"), b, probs, &test_y)?;
        let e = ece(probs, &test_y, n_bins);
        compare_ece(&format!("{name}: ECE (10 bins)"), e, &case)?;
        let empty = bins.iter().filter(|b| b.count == 0).count();
        summary.push(format!(
            "{name}: Brier {}, ECE {} ({empty} empty bins)",
            fmt(b),
            fmt(e)
        ));
    }
    pass(format!(
        "{} test cases; {}",
        test_y.len(),
        summary.join("; ")
    ))
}
