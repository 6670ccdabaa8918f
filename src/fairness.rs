//! `learnml fairness`: the fairness report of any binary classifier's predictions, read from
//! a CSV file with a column of true labels, one of predictions and one of groups. So every
//! classification exercise, and any model outside learnml, can show its fairness side.

use std::path::Path;

use anyhow::{Context, Result, bail};
use learnml_protocol::fairness::FairnessReport;

/// Which columns to read and what counts as the positive class.
pub struct Columns<'a> {
    pub truth: &'a str,
    pub prediction: &'a str,
    pub group: &'a str,
    pub positive: &'a str,
    pub privileged: Option<&'a str>,
}

/// The report, as text, for the predictions in `file`.
pub fn report(file: &Path, columns: &Columns) -> Result<String> {
    let shown = file.display();
    let mut reader =
        csv::Reader::from_path(file).with_context(|| format!("cannot read {shown}"))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{shown}: no header row"))?
        .clone();
    let index = |name: &str| {
        headers.iter().position(|h| h == name).with_context(|| {
            format!(
                "{shown}: no column named `{name}` (the columns are: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            )
        })
    };
    let (t, p, g) = (
        index(columns.truth)?,
        index(columns.prediction)?,
        index(columns.group)?,
    );
    let (mut truth, mut predicted, mut groups) = (Vec::new(), Vec::new(), Vec::new());
    let mut values: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for record in reader.records() {
        let record = record.with_context(|| format!("{shown}: malformed CSV"))?;
        let line = record.position().map_or(0, |p| p.line());
        for (k, (j, name)) in [(t, columns.truth), (p, columns.prediction)]
            .into_iter()
            .enumerate()
        {
            let value = record.get(j).unwrap_or("").trim();
            if value.is_empty() {
                bail!("{shown}: line {line}, column `{name}`: the value is missing");
            }
            if !values[k].iter().any(|v| v == value) {
                values[k].push(value.to_string());
            }
            if values[k].len() > 2 {
                bail!(
                    "{shown}: column `{name}` has more than two values ({}): a binary classifier's labels are expected",
                    values[k].join(", ")
                );
            }
            let positive = value == columns.positive;
            if k == 0 {
                truth.push(positive)
            } else {
                predicted.push(positive)
            }
        }
        groups.push(record.get(g).unwrap_or("").trim().to_string());
    }
    if truth.is_empty() {
        bail!("{shown}: no rows after the header");
    }
    if !values.iter().flatten().any(|v| v == columns.positive) {
        bail!(
            "{shown}: no value `{}` in `{}` or `{}` (values: {}): name the positive class with --positive",
            columns.positive,
            columns.truth,
            columns.prediction,
            values[0].join(", ")
        );
    }
    let mut report = FairnessReport::new(&truth, &predicted, &groups);
    if let Some(privileged) = columns.privileged {
        if report.row(privileged).is_none() {
            bail!(
                "{shown}: no group `{privileged}` in column `{}`",
                columns.group
            );
        }
        report = report.privileged(privileged);
    }
    Ok(format!(
        "{shown}: {} predictions, groups from `{}`, positive class `{}`\n\n{}\n",
        truth.len(),
        columns.group,
        columns.positive,
        report.render().trim_end()
    ))
}
