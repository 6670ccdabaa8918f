//! The integrity of the exercise set (rustlings' `dev check`, extended): for one exercise,
//! the grader implements exactly the manifest's checks, the shipped stub earns nothing and
//! only "not attempted" or "fail", and the reference solution passes every check, clearing
//! each metric bar with margin. Used by `learnml dev verify` and by the test suite.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, bail};
use learnml_protocol::{Goal, Outcome};

use crate::build::{self, Built, Source};
use crate::engine;
use crate::grade::GradeReport;
use crate::manifest::Exercise;
use crate::sandbox::{self, Ending, Limits};

/// How far past its bar the reference solution must land, relative to the bar: a bar the
/// reference clears by a hair would fail learners for noise.
pub const MIN_RELATIVE_MARGIN: f64 = 0.01;

pub struct Verified {
    pub stub: GradeReport,
    pub solution: GradeReport,
    /// Everything wrong with the exercise; empty when it is sound.
    pub problems: Vec<String>,
}

pub fn verify(root: &Path, exercise: &Exercise) -> Result<Verified> {
    let mut problems = Vec::new();
    let id = exercise.id();
    let declared: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
    match build::build(root, exercise, &Source::Solution, false)? {
        Built::CompileErrors(errors) => problems.push(format!(
            "{id}: the solution does not compile:\n{}",
            errors.join("\n")
        )),
        Built::Binary(binary, _) => {
            let limits = Limits {
                time: Duration::from_secs(10),
                memory_bytes: 1 << 30,
                output_bytes: 64 * 1024,
            };
            let listed = sandbox::run(&binary, &["--list"], root, &[], limits)?;
            if listed.ending != Ending::Exited(0) {
                bail!("{id}: `--list` failed: {}", listed.stderr);
            }
            let implemented: Vec<&str> = listed.stdout.lines().collect();
            if implemented != declared {
                problems.push(format!(
                    "{id}: the grader's checks {implemented:?} differ from the manifest's {declared:?}"
                ));
            }
        }
    }
    let solution = engine::evaluate(root, exercise, &Source::Solution, false)?;
    for check in &solution.checks {
        if check.outcome != Outcome::Pass {
            problems.push(format!(
                "{id}: the solution does not pass `{}`: {}",
                check.id, check.message
            ));
        }
        if let Some(metric) = &check.metric {
            let margin = match metric.goal {
                Goal::AtLeast => metric.value - metric.bar,
                Goal::AtMost => metric.bar - metric.value,
            };
            if margin < MIN_RELATIVE_MARGIN * metric.bar.abs() {
                problems.push(format!(
                    "{id}: the solution clears the bar of `{}` by a hair: {} = {} against {}",
                    check.id, metric.name, metric.value, metric.bar
                ));
            }
        }
    }
    let stub = engine::evaluate(root, exercise, &Source::Stub, false)?;
    if stub.points != 0 {
        problems.push(format!("{id}: the stub earns {} points", stub.points));
    }
    for check in &stub.checks {
        if !matches!(check.outcome, Outcome::NotAttempted | Outcome::Fail) {
            problems.push(format!(
                "{id}: the stub's `{}` is {:?}, not `not attempted` or `fail`: {}",
                check.id, check.outcome, check.message
            ));
        }
    }
    Ok(Verified {
        stub,
        solution,
        problems,
    })
}
