//! The `main` of every exercise binary: runs one check and writes its result to the file
//! the runner names. The runner starts one process per check, so a check that panics,
//! crashes or loops forever cannot take the others down with it.
//!
//! ```text
//! exercise-binary --list                    # the check ids, one per line
//! exercise-binary --run ID --report FILE    # run check ID, write its CheckResult as JSON
//! ```
//! Results go to FILE only: what the learner's code prints on stdout or stderr is never
//! read as a result. A process that exits before writing FILE has no result at all.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use learnml_protocol::{CheckResult, Outcome};

use crate::grade::{CheckFn, Failed, Passed};

/// Exit code for a command line the harness does not understand.
const USAGE: i32 = 64;

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub fn main(checks: &[(&str, CheckFn)]) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--list"] => {
            for (id, _) in checks {
                println!("{id}");
            }
        }
        ["--run", id, "--report", path] => {
            let result = run_check(checks, id);
            let json = serde_json::to_string(&result).expect("a CheckResult serializes");
            if let Err(error) = std::fs::write(path, json) {
                eprintln!("learnml harness: cannot write {path}: {error}");
                std::process::exit(USAGE);
            }
        }
        _ => {
            eprintln!("usage: --list | --run ID --report FILE");
            std::process::exit(USAGE);
        }
    }
}

fn run_check(checks: &[(&str, CheckFn)], id: &str) -> CheckResult {
    let Some((_, check)) = checks.iter().find(|(name, _)| *name == id) else {
        return CheckResult {
            id: id.into(),
            outcome: Outcome::Error,
            message: format!("the grader has no check named `{id}`"),
            hint: None,
            metric: None,
            figures: Vec::new(),
        };
    };
    panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => text.to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        let location = info
            .location()
            .map(|at| format!(" at {}:{}:{}", at.file(), at.line(), at.column()))
            .unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(format!("{message}{location}"));
    }));
    let graded = panic::catch_unwind(AssertUnwindSafe(check));
    let _ = panic::take_hook();
    let figures = crate::grade::take_figures();
    let result = match graded {
        Ok(Ok(Passed { message, metric })) => CheckResult {
            id: id.into(),
            outcome: Outcome::Pass,
            message,
            hint: None,
            metric,
            figures: Vec::new(),
        },
        Ok(Err(Failed {
            message,
            hint,
            metric,
        })) => CheckResult {
            id: id.into(),
            outcome: Outcome::Fail,
            message,
            hint,
            metric,
            figures: Vec::new(),
        },
        Err(_) => {
            let panic = LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_default();
            panicked(id, panic)
        }
    };
    CheckResult { figures, ..result }
}

/// Whether a panic (`MESSAGE at FILE:LINE:COLUMN`) comes from the grader rather than the code
/// it grades: an exercise's `grader.rs`, or a helper its module's graders share, which they
/// include from the folder above (`#[path = "../common.rs"]`, so the file's path runs through
/// `NAME/..`).
fn in_grader(panic: &str) -> bool {
    let Some((_, location)) = panic.rsplit_once(" at ") else {
        return false;
    };
    let file = location.split(':').next().unwrap_or_default();
    let path = std::path::Path::new(file);
    path.ends_with("grader.rs") || path.parent().is_some_and(|dir| dir.ends_with(".."))
}

/// A panic from `todo!()` or `unimplemented!()` means the learner has not written this part
/// yet; any other panic is an error in their code.
fn panicked(id: &str, panic: String) -> CheckResult {
    let not_attempted =
        panic.starts_with("not yet implemented") || panic.starts_with("not implemented");
    if not_attempted {
        CheckResult {
            id: id.into(),
            outcome: Outcome::NotAttempted,
            message: format!(
                "reached `todo!()`{}",
                panic.find(" at ").map(|i| &panic[i..]).unwrap_or("")
            ),
            hint: None,
            metric: None,
            figures: Vec::new(),
        }
    } else if in_grader(&panic) {
        CheckResult {
            id: id.into(),
            outcome: Outcome::Error,
            message: format!(
                "the grader itself panicked, which is a bug in learnml (please report it): {panic}"
            ),
            hint: None,
            metric: None,
            figures: Vec::new(),
        }
    } else {
        CheckResult {
            id: id.into(),
            outcome: Outcome::Error,
            message: format!("your code panicked: {panic}"),
            hint: None,
            metric: None,
            figures: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::in_grader;

    #[test]
    fn grader_panics_are_told_from_the_graded_code() {
        let at = "src/bin/../../../exercises/m/e";
        assert!(in_grader(&format!(
            "index out of bounds at {at}/grader.rs:3:5"
        )));
        assert!(in_grader(&format!("boom at {at}/../common.rs:9:1")));
        assert!(!in_grader("boom at src/bin/../../../work/m/e.rs:3:5"));
        assert!(!in_grader(&format!("boom at {at}/solution.rs:3:5")));
        assert!(!in_grader(
            "shape mismatch at ndarray-0.16.1/src/lib.rs:1:1"
        ));
        assert!(!in_grader("a panic without a location"));
    }
}
