//! From what happened to a grade: a pure function of the exercise's manifest and the raw
//! results of its checks (process endings, captured output, result files), kept apart from
//! process handling so that every report can be tested without running anything.

use learnml_protocol::seal::Sealed;
use learnml_protocol::{Figure, Metric, Outcome};
use serde::{Deserialize, Serialize};

use crate::manifest::{CheckSpec, Exercise};
use crate::sandbox::{Ending, Finished};

/// What one check's process left behind.
#[derive(Debug, Clone)]
pub struct CheckRun {
    pub finished: Finished,
    /// The harness's result, if the process wrote one: verified against the check's key, or
    /// why it was refused (too large, unreadable, not sealed with the key).
    pub result: Option<Result<Sealed, String>>,
}

/// Everything grading needs to know about one attempt.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// The file did not compile: the compiler's errors.
    DidNotCompile(Vec<String>),
    /// One run per check, in the manifest's order.
    Ran(Vec<CheckRun>),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckReport {
    pub id: String,
    pub name: String,
    pub outcome: Outcome,
    pub points: u32,
    pub max_points: u32,
    pub required: bool,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// What the learner's code printed during this check (cut at the output cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GradeReport {
    pub exercise: String,
    pub title: String,
    /// Every required check passed.
    pub passed: bool,
    pub points: u32,
    pub max_points: u32,
    pub checks_passed: usize,
    pub time_limit_secs: u64,
    pub memory_limit_mb: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compile_errors: Vec<String>,
    pub checks: Vec<CheckReport>,
    /// What of the confinement of learner code this machine could not enforce (Landlock or
    /// seccomp missing); absent when the code ran fully confined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfined: Option<String>,
    /// The compiler's warnings on the learner's file, for the text report only: they are
    /// advice, not part of the grade that machine formats carry.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

pub fn grade(exercise: &Exercise, attempt: &Attempt) -> GradeReport {
    let checks: Vec<CheckReport> = match attempt {
        Attempt::DidNotCompile(_) => exercise
            .checks
            .iter()
            .map(|spec| {
                report(
                    spec,
                    Outcome::Error,
                    "your file does not compile (see the compiler's errors)".into(),
                )
            })
            .collect(),
        Attempt::Ran(runs) => exercise
            .checks
            .iter()
            .zip(runs)
            .map(|(spec, run)| printable_check(judge(exercise, spec, run)))
            .collect(),
    };
    let required_passed = checks
        .iter()
        .all(|c| !c.required || c.outcome == Outcome::Pass);
    GradeReport {
        exercise: exercise.id().to_string(),
        title: exercise.title.clone(),
        passed: required_passed && !checks.is_empty(),
        points: checks.iter().map(|c| c.points).sum(),
        max_points: exercise.max_points(),
        checks_passed: checks.iter().filter(|c| c.outcome == Outcome::Pass).count(),
        time_limit_secs: exercise.time_limit_secs,
        memory_limit_mb: exercise.memory_limit_mb,
        compile_errors: match attempt {
            Attempt::DidNotCompile(errors) => errors.iter().map(|e| printable(e)).collect(),
            Attempt::Ran(_) => Vec::new(),
        },
        checks,
        unconfined: match attempt {
            Attempt::Ran(runs) => runs.iter().find_map(|run| match &run.result {
                Some(Ok(sealed)) => sealed.unconfined.clone(),
                _ => None,
            }),
            Attempt::DidNotCompile(_) => None,
        },
        warnings: Vec::new(),
    }
}

fn report(spec: &CheckSpec, outcome: Outcome, message: String) -> CheckReport {
    CheckReport {
        id: spec.id.clone(),
        name: spec.name.clone(),
        outcome,
        points: if outcome == Outcome::Pass {
            spec.points
        } else {
            0
        },
        max_points: spec.points,
        required: spec.required,
        message,
        hint: None,
        metric: None,
        output: None,
        figures: Vec::new(),
    }
}

fn judge(exercise: &Exercise, spec: &CheckSpec, run: &CheckRun) -> CheckReport {
    let finished = &run.finished;
    let mut output = format!("{}{}", finished.stdout, finished.stderr);
    if finished.truncated {
        output.push_str("\n[output cut: only the first part of what the code printed is kept]");
    }
    let output = Some(output).filter(|o| !o.trim().is_empty());
    let error = |message: String| CheckReport {
        output: output.clone(),
        ..report(spec, Outcome::Error, message)
    };
    match (finished.ending, &run.result) {
        (Ending::TimedOut, _) => error(format!(
            "stopped at the time limit of {} s (still running after {} s by the clock): is your code waiting (sleep, a lock, input) rather than computing?",
            exercise.time_limit_secs,
            crate::sandbox::wall_backstop_secs(exercise.time_limit_secs)
        )),
        (Ending::Signaled(libc::SIGXCPU), _) => error(format!(
            "stopped at the time limit of {} s of CPU time: an endless loop, or far more work than the exercise needs?",
            exercise.time_limit_secs
        )),
        (Ending::Signaled(libc::SIGXFSZ), _) => error(format!(
            "stopped: your code wrote a file larger than {} MB",
            crate::sandbox::FILE_SIZE_CAP_BYTES >> 20
        )),
        (Ending::Exited(0), Some(Ok(sealed))) if sealed.result.id == spec.id => {
            let result = sealed.result.clone();
            CheckReport {
                hint: result.hint,
                metric: result.metric,
                figures: result.figures,
                output: output.clone().filter(|_| result.outcome != Outcome::Pass),
                ..report(spec, result.outcome, result.message)
            }
        }
        (Ending::Exited(0), Some(Ok(sealed))) => error(format!(
            "the grader answered for check `{}` instead of `{}`",
            sealed.result.id, spec.id
        )),
        (_, Some(Err(refused))) => error(format!(
            "no grade: {refused}; only the grader's own result counts"
        )),
        (Ending::Exited(0), None) => {
            error("the program ended before the check finished: does your code call `std::process::exit`?".into())
        }
        _ if finished.stderr.contains("has overflowed its stack") => {
            error("stack overflow: a recursion that never reaches its base case?".into())
        }
        _ if finished.stderr.contains("memory allocation of") => error(format!(
            "ran out of memory: the cap is {} MB; is something growing without bound?",
            exercise.memory_limit_mb
        )),
        (Ending::Exited(code), _) => error(format!("the program exited with code {code} before the check finished")),
        (Ending::Signaled(signal), _) => error(format!("the program crashed ({})", signal_name(signal))),
    }
}

/// Text a learner's code could have put in a report (what it printed, a panic message, a
/// value a grader quotes, a line of source in a compiler error), made safe to print: control
/// characters other than newline and tab become U+FFFD, so that no escape sequence can clear
/// the terminal, move the cursor over the report or fake a line of it.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn printable_check(check: CheckReport) -> CheckReport {
    CheckReport {
        message: printable(&check.message),
        hint: check.hint.as_deref().map(printable),
        output: check.output.as_deref().map(printable),
        ..check
    }
}

fn signal_name(signal: i32) -> String {
    match signal {
        libc::SIGSEGV => "segmentation fault".into(),
        libc::SIGABRT => "aborted".into(),
        libc::SIGKILL => "killed".into(),
        libc::SIGBUS => "bus error".into(),
        libc::SIGFPE => "arithmetic exception".into(),
        other => format!("signal {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_in_learner_text_cannot_reach_the_terminal() {
        let hostile = "ok\x1b[2J\x1b[1;1HPassed: 8/8\r\x07\u{9b}31m\nnext line\ttab";
        let shown = printable(hostile);
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        );
        assert!(shown.contains("\nnext line\ttab"));
        assert_eq!(printable("plain text, ünïcode"), "plain text, ünïcode");
    }

    fn exercise() -> Exercise {
        let check = |id: &str| CheckSpec {
            id: id.into(),
            name: id.into(),
            points: 1,
            required: true,
        };
        Exercise {
            id: "m/e".into(),
            module: "m".into(),
            name: "e".into(),
            title: "E".into(),
            statement: String::new(),
            hints: Vec::new(),
            datasets: Vec::new(),
            time_limit_secs: 5,
            memory_limit_mb: 2048,
            opt_level: 1,
            checks: vec![check("a"), check("b")],
        }
    }

    fn run(ending: Ending, result: Option<Result<Sealed, String>>) -> CheckRun {
        CheckRun {
            finished: Finished {
                ending,
                stdout: String::new(),
                stderr: String::new(),
                truncated: false,
            },
            result,
        }
    }

    fn sealed(
        id: &str,
        outcome: Outcome,
        unconfined: Option<&str>,
    ) -> Option<Result<Sealed, String>> {
        Some(Ok(Sealed {
            result: learnml_protocol::CheckResult {
                id: id.into(),
                outcome,
                message: "graded".into(),
                hint: None,
                metric: None,
                figures: Vec::new(),
            },
            unconfined: unconfined.map(String::from),
        }))
    }

    #[test]
    fn only_a_sealed_result_of_the_right_check_counts() {
        let report = grade(
            &exercise(),
            &Attempt::Ran(vec![
                run(
                    Ending::Exited(0),
                    Some(Err("the result's seal does not verify".into())),
                ),
                run(Ending::Exited(0), sealed("a", Outcome::Pass, None)),
            ]),
        );
        assert_eq!(report.points, 0);
        assert!(report.checks[0].message.contains("seal does not verify"));
        assert!(
            report.checks[0]
                .message
                .contains("only the grader's own result counts")
        );
        assert!(report.checks[1].message.contains("instead of `b`"));
        assert_eq!(report.unconfined, None);
    }

    #[test]
    fn limits_are_named_and_missing_confinement_is_reported() {
        let report = grade(
            &exercise(),
            &Attempt::Ran(vec![
                run(Ending::Signaled(libc::SIGXCPU), None),
                run(Ending::Signaled(libc::SIGXFSZ), None),
            ]),
        );
        assert!(
            report.checks[0]
                .message
                .contains("time limit of 5 s of CPU time")
        );
        assert!(report.checks[1].message.contains("larger than 64 MB"));
        let report = grade(
            &exercise(),
            &Attempt::Ran(vec![
                run(
                    Ending::Exited(0),
                    sealed("a", Outcome::Pass, Some("no Landlock")),
                ),
                run(Ending::TimedOut, None),
            ]),
        );
        assert_eq!(report.points, 1);
        assert_eq!(report.unconfined.as_deref(), Some("no Landlock"));
        assert!(
            report.checks[1]
                .message
                .contains("still running after 15 s by the clock")
        );
    }
}
