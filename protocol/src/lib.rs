//! What the `learnml` runner and the exercise binaries share, with no ML dependencies: the
//! result of one check (the one record that crosses the process boundary between them), the
//! way numbers are shown to learners, and the fairness report.
//!
//! The harness writes the result, sealed with a key only it holds ([`seal`]), to a file the
//! runner names; the runner never reads results from the binary's stdout or stderr, and
//! refuses a result whose seal does not verify. What protects the key and everything else
//! from the learner's code is in `learnml-grader`'s harness.

use serde::{Deserialize, Serialize};

pub mod fairness;
pub mod seal;

/// Four significant decimals: enough to tell answers apart, stable across platforms.
pub fn fmt(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..=6).contains(&magnitude) {
        let text = format!("{x:.3e}");
        let (mantissa, exponent) = text.split_once('e').expect("`e` format has an exponent");
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (3 - magnitude).clamp(0, 8) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// How a check ended, with the four outcomes of Kaggle's learntools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The code gave a correct answer.
    Pass,
    /// The code ran and gave a wrong answer.
    Fail,
    /// The code did not compile, panicked, crashed, ran out of time or memory.
    Error,
    /// The code reached the stub's `todo!()`: there is nothing to grade yet.
    NotAttempted,
}

/// Whether a metric must reach its bar from below or from above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    AtLeast,
    AtMost,
}

/// A model-quality measure computed by the grader (on data the learner's code never saw)
/// together with the bar it had to reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub bar: f64,
    pub goal: Goal,
}

impl Metric {
    pub fn reached(&self) -> bool {
        match self.goal {
            Goal::AtLeast => self.value >= self.bar,
            Goal::AtMost => self.value <= self.bar,
        }
    }
}

/// The result of one check, as the exercise binary reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The check id of the exercise manifest.
    pub id: String,
    pub outcome: Outcome,
    /// What was asked and what the code gave (for a pass: what was verified).
    pub message: String,
    /// What to try, for a check that did not pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Pictures that explain the result (a confusion matrix, a learning curve...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
}

impl CheckResult {
    /// Drops what JSON cannot carry: a NaN or an infinity becomes `null`, which no longer reads
    /// back as a number, and the whole sealed result would be refused. Values a learner's code
    /// returned reach figures and metrics often, so the harness calls this before sealing:
    /// non-finite points and values leave their figure, a table with a non-finite cell is left
    /// out, and a metric whose value or bar is not finite is left out (its message still says
    /// what the value was).
    pub fn drop_non_finite(&mut self) {
        if self
            .metric
            .as_ref()
            .is_some_and(|m| !m.value.is_finite() || !m.bar.is_finite())
        {
            self.metric = None;
        }
        let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
        self.figures.retain_mut(|figure| match figure {
            Figure::Table { cells, .. } => cells.iter().flatten().all(|v| v.is_finite()),
            Figure::Histogram { values, .. } => {
                values.retain(|v| v.is_finite());
                true
            }
            Figure::Scatter { points, groups, .. } => {
                let kept: Vec<([f64; 2], usize)> = points
                    .iter()
                    .zip(groups.iter().copied().chain(std::iter::repeat(0)))
                    .filter(|(p, _)| finite(p))
                    .map(|(p, g)| (*p, g))
                    .collect();
                let with_groups = groups.len() == points.len();
                *points = kept.iter().map(|(p, _)| *p).collect();
                if with_groups {
                    *groups = kept.iter().map(|(_, g)| *g).collect();
                }
                true
            }
            Figure::Lines { series, target, .. } => {
                for s in series.iter_mut() {
                    s.points.retain(finite);
                }
                if target.is_some_and(|t| !t.is_finite()) {
                    *target = None;
                }
                true
            }
        });
    }
}

/// A picture a check shows with its result: drawn as text in the terminal, or as SVG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// A labelled grid of numbers, such as a confusion matrix (rows: true class, columns:
    /// predicted class).
    Table {
        title: String,
        row_labels: Vec<String>,
        column_labels: Vec<String>,
        cells: Vec<Vec<f64>>,
    },
    /// How values spread: counts in `bins` equal-width bins between their min and max.
    Histogram {
        title: String,
        values: Vec<f64>,
        bins: usize,
    },
    /// Points in the plane, marked by group (a cluster, a class).
    Scatter {
        title: String,
        x_label: String,
        y_label: String,
        points: Vec<[f64; 2]>,
        groups: Vec<usize>,
    },
    /// Curves through points, such as training and validation error against data size.
    Lines {
        title: String,
        x_label: String,
        y_label: String,
        series: Vec<Series>,
        /// A horizontal line at this y, labelled "target": the error or score the curves are
        /// judged against.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<f64>,
    },
}

/// One curve of a [`Figure::Lines`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<[f64; 2]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmt_keeps_four_significant_decimals_and_trims() {
        assert_eq!(fmt(0.123456), "0.1235");
        assert_eq!(fmt(12.5), "12.5");
        assert_eq!(fmt(3.0), "3");
        assert_eq!(fmt(123456.0), "123456");
        assert_eq!(fmt(1.5e-7), "1.5e-7");
        assert_eq!(fmt(1e-12), "1e-12");
        assert_eq!(fmt(-1.23456e9), "-1.235e9");
        assert_eq!(fmt(-2.25), "-2.25");
    }

    #[test]
    fn non_finite_values_are_dropped_so_the_result_reads_back() {
        let mut result = CheckResult {
            id: "c".into(),
            outcome: Outcome::Fail,
            message: "m".into(),
            hint: None,
            metric: Some(Metric {
                name: "accuracy".into(),
                value: f64::NAN,
                bar: 0.9,
                goal: Goal::AtLeast,
            }),
            figures: vec![
                Figure::Scatter {
                    title: "s".into(),
                    x_label: "x".into(),
                    y_label: "y".into(),
                    points: vec![[1.0, f64::NAN], [2.0, 3.0], [f64::INFINITY, 0.0]],
                    groups: vec![4, 5, 6],
                },
                Figure::Table {
                    title: "t".into(),
                    row_labels: vec!["a".into()],
                    column_labels: vec!["b".into()],
                    cells: vec![vec![f64::NAN]],
                },
                Figure::Histogram {
                    title: "h".into(),
                    values: vec![1.0, f64::NEG_INFINITY],
                    bins: 2,
                },
                Figure::Lines {
                    title: "l".into(),
                    x_label: "x".into(),
                    y_label: "y".into(),
                    series: vec![Series {
                        name: "a".into(),
                        points: vec![[0.0, 1.0], [1.0, f64::NAN]],
                    }],
                    target: Some(f64::NAN),
                },
            ],
        };
        let broken = serde_json::to_string(&result).expect("serializes");
        assert!(serde_json::from_str::<CheckResult>(&broken).is_err());
        result.drop_non_finite();
        let text = serde_json::to_string(&result).expect("serializes");
        let back: CheckResult = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back.metric, None);
        assert_eq!(
            back.figures.len(),
            3,
            "the table with a NaN cell is left out"
        );
        match &back.figures[0] {
            Figure::Scatter { points, groups, .. } => {
                assert_eq!(points, &vec![[2.0, 3.0]]);
                assert_eq!(groups, &vec![5]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            back.figures[1],
            Figure::Histogram {
                title: "h".into(),
                values: vec![1.0],
                bins: 2
            }
        );
        match &back.figures[2] {
            Figure::Lines { series, target, .. } => {
                assert_eq!(series[0].points, vec![[0.0, 1.0]]);
                assert_eq!(*target, None);
            }
            other => panic!("{other:?}"),
        }
    }
}
