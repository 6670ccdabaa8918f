//! From what happened to a grade: a pure function of the exercise's manifest and the raw
//! results of its checks (process endings, captured output, result files), kept apart from
//! process handling so that every report can be tested without running anything.

use learnml_protocol::{CheckResult, Figure, Metric, Outcome};
use serde::Serialize;

use crate::manifest::{CheckSpec, Exercise};
use crate::sandbox::{Ending, Finished};

/// What one check's process left behind.
#[derive(Debug, Clone)]
pub struct CheckRun {
    pub finished: Finished,
    /// The result file's text, if the process wrote one.
    pub result_file: Option<String>,
}

/// Everything grading needs to know about one attempt.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// The file did not compile: the compiler's errors.
    DidNotCompile(Vec<String>),
    /// One run per check, in the manifest's order.
    Ran(Vec<CheckRun>),
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckReport {
    pub id: String,
    pub name: String,
    pub outcome: Outcome,
    pub points: u32,
    pub max_points: u32,
    pub required: bool,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// What the learner's code printed during this check (cut at the output cap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compile_errors: Vec<String>,
    pub checks: Vec<CheckReport>,
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
            .map(|(spec, run)| judge(exercise, spec, run))
            .collect(),
    };
    let required_passed = checks
        .iter()
        .all(|c| !c.required || c.outcome == Outcome::Pass);
    GradeReport {
        exercise: exercise.id(),
        title: exercise.title.clone(),
        passed: required_passed && !checks.is_empty(),
        points: checks.iter().map(|c| c.points).sum(),
        max_points: exercise.max_points(),
        checks_passed: checks.iter().filter(|c| c.outcome == Outcome::Pass).count(),
        time_limit_secs: exercise.time_limit_secs,
        memory_limit_mb: exercise.memory_limit_mb,
        compile_errors: match attempt {
            Attempt::DidNotCompile(errors) => errors.clone(),
            Attempt::Ran(_) => Vec::new(),
        },
        checks,
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
    match (finished.ending, &run.result_file) {
        (Ending::TimedOut, _) => error(format!(
            "stopped at the time limit of {} s: an endless loop, or far more work than the exercise needs?",
            exercise.time_limit_secs
        )),
        (Ending::Exited(0), Some(text)) => match serde_json::from_str::<CheckResult>(text) {
            Ok(result) if result.id == spec.id => CheckReport {
                hint: result.hint,
                metric: result.metric,
                figures: result.figures,
                output: output.clone().filter(|_| result.outcome != Outcome::Pass),
                ..report(spec, result.outcome, result.message)
            },
            Ok(result) => error(format!(
                "the grader answered for check `{}` instead of `{}`",
                result.id, spec.id
            )),
            Err(e) => error(format!("the grader's result could not be read ({e})")),
        },
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
