//! The one record that crosses the process boundary between an exercise binary and the
//! `learnml` runner: the result of one check.
//!
//! The binary writes it as JSON to a file the runner names; the runner never reads results
//! from the binary's stdout or stderr, so nothing a learner's code prints can forge one.

use serde::{Deserialize, Serialize};

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
    },
}

/// One curve of a [`Figure::Lines`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<[f64; 2]>,
}
