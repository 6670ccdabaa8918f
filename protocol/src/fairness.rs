//! A fairness report for any binary classifier: per-group rates and the summary differences
//! and ratios, each named with its convention.
//!
//! ```
//! use learnml_protocol::fairness::FairnessReport;
//! let y_true = [true, false, true, true, false, false];
//! let y_pred = [true, false, false, true, true, false];
//! let groups = ["a", "a", "a", "b", "b", "b"];
//! let report = FairnessReport::new(&y_true, &y_pred, &groups);
//! println!("{report}");
//! assert_eq!(report.rows[0].selection_rate, Some(1.0 / 3.0));
//! ```
//!
//! Graders reach it as `learnml_kit::fairness`; `learnml fairness` prints it for a CSV of
//! predictions. Conventions:
//! - **fairlearn**: differences are unsigned, max over groups minus min over groups; ratios are
//!   min over max (≤ 1). `equalized_odds_difference` = max(TPR difference, FPR difference).
//! - **AIF360**: differences are signed, unprivileged minus privileged; ratios are unprivileged
//!   over privileged (can exceed 1). `average_odds_difference` = ½[ΔFPR + ΔTPR].
//!
//! A rate whose denominator is zero (TPR of a group with no positives, FPR of a group with no
//! negatives) is `None`, shown as `-`, and left out of the differences: it is undefined, not 0.

use std::fmt;

use crate::fmt as fmt4;

/// The rates of one group. Rates are `None` where their denominator is zero.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub group: String,
    /// Number of samples in the group.
    pub n: usize,
    /// P(y = 1 | group): the share of actual positives.
    pub base_rate: Option<f64>,
    /// P(ŷ = 1 | group).
    pub selection_rate: Option<f64>,
    /// P(ŷ = 1 | y = 1, group), `None` if the group has no positives.
    pub tpr: Option<f64>,
    /// P(ŷ = 1 | y = 0, group), `None` if the group has no negatives.
    pub fpr: Option<f64>,
    /// Share of correct predictions in the group.
    pub accuracy: Option<f64>,
}

/// Per-group metrics of binary predictions, groups sorted by name.
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessReport {
    pub rows: Vec<GroupRow>,
    /// The AIF360 reference group, if one was named with [`FairnessReport::privileged`].
    pub privileged: Option<String>,
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// max − min over the defined values (0 if at most one is defined, NaN if none).
fn spread(values: impl Iterator<Item = Option<f64>>) -> f64 {
    let defined: Vec<f64> = values.flatten().collect();
    if defined.is_empty() {
        return f64::NAN;
    }
    let max = defined.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = defined.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

impl FairnessReport {
    /// Build the report. `y_true`, `y_pred` and `groups` must have the same length (panics
    /// otherwise, naming the lengths). The positive class is `true`.
    pub fn new<G: AsRef<str>>(y_true: &[bool], y_pred: &[bool], groups: &[G]) -> FairnessReport {
        assert!(
            y_true.len() == y_pred.len() && y_pred.len() == groups.len(),
            "FairnessReport::new: y_true, y_pred and groups must have the same length, got {}, {} and {}",
            y_true.len(),
            y_pred.len(),
            groups.len()
        );
        let mut names: Vec<&str> = groups.iter().map(AsRef::as_ref).collect();
        names.sort_unstable();
        names.dedup();
        let rows = names
            .iter()
            .map(|&name| {
                let (mut n, mut pos, mut sel, mut tp, mut fp, mut correct) = (0, 0, 0, 0, 0, 0);
                for i in 0..groups.len() {
                    if groups[i].as_ref() != name {
                        continue;
                    }
                    n += 1;
                    pos += usize::from(y_true[i]);
                    sel += usize::from(y_pred[i]);
                    tp += usize::from(y_true[i] && y_pred[i]);
                    fp += usize::from(!y_true[i] && y_pred[i]);
                    correct += usize::from(y_true[i] == y_pred[i]);
                }
                GroupRow {
                    group: name.to_string(),
                    n,
                    base_rate: ratio(pos, n),
                    selection_rate: ratio(sel, n),
                    tpr: ratio(tp, pos),
                    fpr: ratio(fp, n - pos),
                    accuracy: ratio(correct, n),
                }
            })
            .collect();
        FairnessReport {
            rows,
            privileged: None,
        }
    }

    /// Name the privileged (reference) group, so that the AIF360 summary is shown too.
    pub fn privileged(mut self, group: &str) -> FairnessReport {
        self.privileged = Some(group.to_string());
        self
    }

    pub fn row(&self, group: &str) -> Option<&GroupRow> {
        self.rows.iter().find(|r| r.group == group)
    }

    /// fairlearn: max − min selection rate over groups (unsigned).
    pub fn demographic_parity_difference(&self) -> f64 {
        spread(self.rows.iter().map(|r| r.selection_rate))
    }

    /// fairlearn: min / max selection rate over groups (≤ 1; NaN if every rate is 0).
    pub fn demographic_parity_ratio(&self) -> f64 {
        let rates: Vec<f64> = self.rows.iter().filter_map(|r| r.selection_rate).collect();
        let max = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
        if rates.is_empty() || max == 0.0 {
            f64::NAN
        } else {
            min / max
        }
    }

    /// fairlearn: max − min TPR over the groups where it is defined.
    pub fn equal_opportunity_difference(&self) -> f64 {
        spread(self.rows.iter().map(|r| r.tpr))
    }

    /// fairlearn: max(TPR difference, FPR difference), each max − min over defined groups.
    pub fn equalized_odds_difference(&self) -> f64 {
        self.equal_opportunity_difference()
            .max(spread(self.rows.iter().map(|r| r.fpr)))
    }

    /// AIF360: SR(unprivileged) − SR(privileged), signed.
    pub fn statistical_parity_difference(
        &self,
        unprivileged: &str,
        privileged: &str,
    ) -> Option<f64> {
        Some(self.row(unprivileged)?.selection_rate? - self.row(privileged)?.selection_rate?)
    }

    /// AIF360: SR(unprivileged) / SR(privileged); `None` if the privileged rate is 0. The
    /// four-fifths rule flags a value below 0.8.
    pub fn disparate_impact(&self, unprivileged: &str, privileged: &str) -> Option<f64> {
        let p = self.row(privileged)?.selection_rate?;
        (p > 0.0).then_some(self.row(unprivileged)?.selection_rate? / p)
    }

    /// AIF360: ½[(FPR_u − FPR_p) + (TPR_u − TPR_p)].
    pub fn average_odds_difference(&self, unprivileged: &str, privileged: &str) -> Option<f64> {
        let (u, p) = (self.row(unprivileged)?, self.row(privileged)?);
        Some(0.5 * ((u.fpr? - p.fpr?) + (u.tpr? - p.tpr?)))
    }

    /// The table and the summary, as [`fmt::Display`] prints it.
    pub fn render(&self) -> String {
        let cell = |x: Option<f64>| x.map_or("-".to_string(), fmt4);
        let width = self
            .rows
            .iter()
            .map(|r| r.group.len())
            .max()
            .unwrap_or(0)
            .max("group".len());
        let mut out = format!(
            "{:<width$}  {:>6}  {:>9}  {:>9}  {:>7}  {:>7}  {:>8}\n",
            "group", "n", "base rate", "selection", "TPR", "FPR", "accuracy"
        );
        for r in &self.rows {
            out += &format!(
                "{:<width$}  {:>6}  {:>9}  {:>9}  {:>7}  {:>7}  {:>8}\n",
                r.group,
                r.n,
                cell(r.base_rate),
                cell(r.selection_rate),
                cell(r.tpr),
                cell(r.fpr),
                cell(r.accuracy)
            );
        }
        out += &format!(
            "fairlearn (unsigned max - min, ratio min/max): demographic parity difference {}, ratio {}; equal opportunity difference {}; equalized odds difference {}",
            fmt4(self.demographic_parity_difference()),
            fmt4(self.demographic_parity_ratio()),
            fmt4(self.equal_opportunity_difference()),
            fmt4(self.equalized_odds_difference())
        );
        if let Some(privileged) = &self.privileged {
            for r in self.rows.iter().filter(|r| &r.group != privileged) {
                let u = r.group.as_str();
                out += &format!(
                    "\nAIF360 (signed, unprivileged `{u}` vs privileged `{privileged}`): statistical parity difference {}, disparate impact {}{}, average odds difference {}",
                    cell(self.statistical_parity_difference(u, privileged)),
                    cell(self.disparate_impact(u, privileged)),
                    match self.disparate_impact(u, privileged) {
                        Some(di) if di < 0.8 => " (below 0.8: fails the four-fifths rule)",
                        _ => "",
                    },
                    cell(self.average_odds_difference(u, privileged))
                );
            }
        }
        out
    }
}

impl fmt::Display for FairnessReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> FairnessReport {
        // group a: y = [1, 0, 1, 0], ŷ = [1, 0, 0, 1]; group b: y = [1, 1, 0], ŷ = [1, 1, 1];
        // group c: y = [0, 0], ŷ = [0, 0] (no positives: TPR undefined).
        let y_true = [true, false, true, false, true, true, false, false, false];
        let y_pred = [true, false, false, true, true, true, true, false, false];
        let groups = ["a", "a", "a", "a", "b", "b", "b", "c", "c"];
        FairnessReport::new(&y_true, &y_pred, &groups)
    }

    #[test]
    fn fairness_rows_by_hand() {
        let r = report();
        assert_eq!(r.rows.len(), 3);
        let a = r.row("a").unwrap();
        assert_eq!(
            (a.n, a.base_rate, a.selection_rate, a.tpr, a.fpr, a.accuracy),
            (4, Some(0.5), Some(0.5), Some(0.5), Some(0.5), Some(0.5))
        );
        let b = r.row("b").unwrap();
        assert_eq!(
            (b.selection_rate, b.tpr, b.fpr),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        let c = r.row("c").unwrap();
        assert_eq!(
            (c.selection_rate, c.tpr, c.fpr),
            (Some(0.0), None, Some(0.0))
        );
    }

    #[test]
    fn fairness_fairlearn_summary_skips_undefined_rates() {
        let r = report();
        assert_eq!(r.demographic_parity_difference(), 1.0);
        assert_eq!(r.demographic_parity_ratio(), 0.0);
        // TPR defined for a (0.5) and b (1.0) only.
        assert_eq!(r.equal_opportunity_difference(), 0.5);
        // FPR: a 0.5, b 1.0, c 0.0 → 1.0.
        assert_eq!(r.equalized_odds_difference(), 1.0);
    }

    #[test]
    fn fairness_aif360_is_signed_and_directional() {
        let r = report().privileged("b");
        assert_eq!(r.statistical_parity_difference("a", "b"), Some(-0.5));
        assert_eq!(r.disparate_impact("a", "b"), Some(0.5));
        assert_eq!(r.disparate_impact("b", "a"), Some(2.0));
        assert_eq!(r.disparate_impact("a", "c"), None);
        assert_eq!(r.average_odds_difference("a", "b"), Some(-0.5));
        assert_eq!(r.average_odds_difference("c", "b"), None);
        let text = r.render();
        assert!(text.contains("fails the four-fifths rule"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("c ") && l.contains(" - ")),
            "{text}"
        );
    }

    #[test]
    fn fairness_ratio_of_all_zero_rates_is_nan() {
        let r = FairnessReport::new(&[true, false], &[false, false], &["x", "y"]);
        assert!(r.demographic_parity_ratio().is_nan());
        assert_eq!(r.demographic_parity_difference(), 0.0);
    }
}
