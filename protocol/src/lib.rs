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
}
