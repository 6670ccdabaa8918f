//! Grade reports in the formats course tooling already reads: JSON (learnml's own),
//! JUnit XML (CI systems), Gradescope's `results.json`, and exercism's test-runner
//! `results.json` version 3. Pure functions of a [`GradeReport`].

use learnml_protocol::Outcome;
use serde_json::json;

use crate::report::{CheckReport, GradeReport};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: the terminal report.
    Text,
    /// learnml's report: every check with outcome, points, message, hint, metric.
    Json,
    /// JUnit XML, one test case per check.
    Junit,
    /// Gradescope autograder `results.json`.
    Gradescope,
    /// exercism test-runner `results.json`, version 3.
    Exercism,
}

/// One text for a check's message, hint, metric and output.
fn details(check: &CheckReport) -> String {
    let mut text = check.message.clone();
    if let Some(hint) = &check.hint {
        text.push_str(&format!("\nhint: {hint}"));
    }
    if let Some(output) = &check.output {
        text.push_str(&format!("\noutput:\n{output}"));
    }
    text
}

/// A check's whole text for a test report: the compile errors, message, hint and output.
pub fn check_text(report: &GradeReport, check: &CheckReport) -> String {
    with_compile_errors(report, details(check))
}

fn with_compile_errors(report: &GradeReport, text: String) -> String {
    if report.compile_errors.is_empty() {
        text
    } else {
        format!("{}\n\n{text}", report.compile_errors.join("\n\n"))
    }
}

/// Pretty JSON with a final newline: a report, a listing, anything learnml prints as JSON.
pub fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("learnml's types serialize") + "\n"
}

/// Text for XML and SVG: the five special characters escaped, control characters (which XML
/// 1.0 cannot hold) dropped.
pub fn xml_escape(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A non-passing check is a `<failure>` (fail, not attempted: the type says which) or an
/// `<error>`; none is `<skipped>`, so CI never shows an unfinished exercise as green.
pub fn junit(report: &GradeReport) -> String {
    let count = |outcomes: &[Outcome]| {
        report
            .checks
            .iter()
            .filter(|c| outcomes.contains(&c.outcome))
            .count()
    };
    let failures = count(&[Outcome::Fail, Outcome::NotAttempted]);
    let errors = count(&[Outcome::Error]);
    let suite = xml_escape(&report.exercise);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"learnml\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"{suite}\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\">\n",
        n = report.checks.len()
    ));
    for check in &report.checks {
        xml.push_str(&format!(
            "    <testcase classname=\"{suite}\" name=\"{}: {}\">\n",
            xml_escape(&check.id),
            xml_escape(&check.name)
        ));
        xml.push_str(&format!(
            "      <properties><property name=\"points\" value=\"{}\"/><property name=\"max_points\" value=\"{}\"/></properties>\n",
            check.points, check.max_points
        ));
        let body = xml_escape(&with_compile_errors(report, details(check)));
        let message = xml_escape(check.message.lines().next().unwrap_or(""));
        match check.outcome {
            Outcome::Pass => {}
            Outcome::Fail => xml.push_str(&format!(
                "      <failure type=\"fail\" message=\"{message}\">{body}</failure>\n"
            )),
            Outcome::NotAttempted => xml.push_str(&format!(
                "      <failure type=\"not_attempted\" message=\"{message}\">{body}</failure>\n"
            )),
            Outcome::Error => xml.push_str(&format!(
                "      <error type=\"error\" message=\"{message}\">{body}</error>\n"
            )),
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

pub fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Error => "error",
        Outcome::NotAttempted => "not attempted",
    }
}

pub fn gradescope(report: &GradeReport) -> String {
    let tests: Vec<serde_json::Value> = report
        .checks
        .iter()
        .enumerate()
        .map(|(i, check)| {
            json!({
                "name": format!("{}: {}", check.id, check.name),
                "number": format!("{}", i + 1),
                "score": check.points,
                "max_score": check.max_points,
                "status": if check.outcome == Outcome::Pass { "passed" } else { "failed" },
                "output": format!("{}: {}", outcome_word(check.outcome), check_text(report, check)),
                "visibility": "visible",
            })
        })
        .collect();
    let value = json!({
        "score": report.points,
        "output": format!("{} · {}: {} of {} checks passed", report.exercise, report.title, report.checks_passed, report.checks.len()),
        "visibility": "visible",
        "tests": tests,
    });
    json(&value)
}

/// exercism v3: a file that does not compile is a top-level `error` with the compiler's
/// message; otherwise each check is a test (`not attempted` counts as `fail`).
pub fn exercism(report: &GradeReport) -> String {
    let value = if report.compile_errors.is_empty() {
        let tests: Vec<serde_json::Value> = report
            .checks
            .iter()
            .enumerate()
            .map(|(i, check)| {
                let status = match check.outcome {
                    Outcome::Pass => "pass",
                    Outcome::Fail | Outcome::NotAttempted => "fail",
                    Outcome::Error => "error",
                };
                let mut test = json!({ "name": check.name, "status": status, "task_id": i + 1, "test_code": check.id });
                if check.outcome != Outcome::Pass {
                    test["message"] = json!(details(check));
                }
                test
            })
            .collect();
        json!({ "version": 3, "status": if report.passed { "pass" } else { "fail" }, "tests": tests })
    } else {
        json!({ "version": 3, "status": "error", "message": report.compile_errors.join("\n\n"), "tests": [] })
    };
    json(&value)
}

#[cfg(test)]
mod tests {
    use learnml_protocol::{Goal, Metric};

    use super::*;

    fn check(id: &str, outcome: Outcome, points: u32, message: &str) -> CheckReport {
        CheckReport {
            id: id.into(),
            name: format!("the {id} check"),
            outcome,
            points,
            max_points: 2,
            required: true,
            message: message.into(),
            hint: None,
            metric: None,
            output: None,
            figures: Vec::new(),
        }
    }

    fn report() -> GradeReport {
        let mut failed = check(
            "fails",
            Outcome::Fail,
            0,
            "accuracy = 0.9, short of the bar ≥ 0.94",
        );
        failed.hint = Some("scale the features <first>".into());
        failed.metric = Some(Metric {
            name: "accuracy".into(),
            value: 0.9,
            bar: 0.94,
            goal: Goal::AtLeast,
        });
        let mut errored = check(
            "errors",
            Outcome::Error,
            0,
            "your code panicked: index out of bounds & more",
        );
        errored.output = Some("debug print \"x\"".into());
        GradeReport {
            exercise: "supervised/logistic".into(),
            title: "Logistic regression".into(),
            passed: false,
            points: 2,
            max_points: 8,
            checks_passed: 1,
            time_limit_secs: 10,
            memory_limit_mb: 2048,
            compile_errors: Vec::new(),
            unconfined: None,
            checks: vec![
                check("passes", Outcome::Pass, 2, "ok"),
                failed,
                errored,
                check(
                    "todo",
                    Outcome::NotAttempted,
                    0,
                    "reached `todo!()` at work/a.rs:3:5",
                ),
            ],
            warnings: vec!["warning: unused variable: `x`".into()],
        }
    }

    fn did_not_compile() -> GradeReport {
        let mut report = report();
        report.compile_errors =
            vec!["error[E0425]: cannot find value `x`\n --> work/a.rs:3:5".into()];
        for check in &mut report.checks {
            *check = CheckReport {
                outcome: Outcome::Error,
                points: 0,
                message: "your file does not compile".into(),
                hint: None,
                metric: None,
                output: None,
                ..check.clone()
            };
        }
        report.points = 0;
        report.checks_passed = 0;
        report
    }

    #[test]
    fn junit_marks_every_non_pass_and_escapes() {
        insta::assert_snapshot!(junit(&report()));
    }

    #[test]
    fn gradescope_gives_points_per_check() {
        insta::assert_snapshot!(gradescope(&report()));
    }

    #[test]
    fn exercism_v3_per_check_and_compile_error() {
        insta::assert_snapshot!(exercism(&report()));
        insta::assert_snapshot!("exercism_compile_error", exercism(&did_not_compile()));
    }
}
