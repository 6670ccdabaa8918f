//! The `main` of every exercise binary: runs one check and reports its result, sealed, to
//! the runner. The runner starts one process per check, so a check that panics, crashes or
//! loops forever cannot take the others down with it.
//!
//! ```text
//! exercise-binary --list
//!     the check ids, one per line (runs no learner code)
//! exercise-binary --run --report FILE [--datasets DIR [--dataset NAME]...] [--require-confinement]
//!     stdin: a fresh key (hex) from the runner, a newline, the check's id; FILE: the sealed result
//! ```
//!
//! A binary that holds several exercise files (batch grading compiles a learner's files into
//! one, `learnml dev verify` an exercise's stub, solution and catalogue) is given `--member xI`
//! first: its `main` picks that file's module, and the harness skips it.
//!
//! The id comes on stdin, not on the command line, so that learner code cannot tell which
//! check it is in (and behave well only where it is watched): its command line is the same in
//! every check of the exercise.
//!
//! Before the check (and so before any learner code) runs, in this order and on the only
//! thread of the process: the key and the check id are read from stdin and kept on this function's stack, the
//! report file is opened, the datasets are read into memory, and the process is confined to
//! its working directory (the check's scratch folder; see [`crate::confine`]). Nothing the
//! learner's code does afterwards can produce a result the runner accepts: it cannot name
//! this crate, reach the key, open files outside its scratch folder, or run this function
//! again.

use std::io::{Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use learnml_protocol::seal::{self, KEY_BYTES, Sealed};
use learnml_protocol::{CheckResult, Outcome};

use crate::grade::{CheckFn, Failed, Passed};

/// Exit code for a command line (or a missing key) the harness does not accept.
const USAGE: i32 = 64;

/// The most the harness reads from stdin: a key in hex, a newline and a check id.
const MAX_INPUT_BYTES: u64 = 4 * KEY_BYTES as u64 + 256;

static STARTED: AtomicBool = AtomicBool::new(false);
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// The options of `--run`.
struct Run<'a> {
    report: &'a str,
    datasets_dir: Option<&'a str>,
    datasets: Vec<String>,
    require_confinement: bool,
}

fn parse_run(args: &[String]) -> Option<Run<'_>> {
    let [run, report_flag, report, rest @ ..] = args else {
        return None;
    };
    if run != "--run" || report_flag != "--report" {
        return None;
    }
    let mut parsed = Run {
        report,
        datasets_dir: None,
        datasets: Vec::new(),
        require_confinement: false,
    };
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--datasets" => parsed.datasets_dir = Some(rest.next()?),
            "--dataset" => parsed.datasets.push(rest.next()?.clone()),
            "--require-confinement" => parsed.require_confinement = true,
            _ => return None,
        }
    }
    Some(parsed)
}

fn usage(problem: &str) -> ! {
    eprintln!("learnml harness: {problem}");
    eprintln!(
        "usage: --list | --run --report FILE [--datasets DIR [--dataset NAME]...] [--require-confinement] (key and check id on stdin)"
    );
    std::process::exit(USAGE);
}

pub fn main(checks: &[(&str, CheckFn)]) {
    // Once per process: a learner's code calling this again (through `crate::main`, say)
    // must not get a second, unconfined run.
    if STARTED.swap(true, Ordering::SeqCst) {
        eprintln!("learnml harness: started twice in one process; stopping");
        std::process::abort();
    }
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|first| first == "--member") {
        args.drain(..2.min(args.len()));
    }
    if args == ["--list"] {
        for (id, _) in checks {
            println!("{id}");
        }
        return;
    }
    let Some(run) = parse_run(&args) else {
        usage("unknown command line");
    };
    let mut input = String::new();
    let (key, id) = std::io::stdin()
        .take(MAX_INPUT_BYTES)
        .read_to_string(&mut input)
        .ok()
        .and_then(|_| input.split_once('\n'))
        .and_then(|(key, id)| Some((seal::key_from_hex(key)?, id.trim())))
        .filter(|(_, id)| !id.is_empty())
        .unwrap_or_else(|| usage("no key and check id on stdin: checks are started by `learnml`"));
    let mut report = std::fs::File::create(run.report)
        .unwrap_or_else(|e| usage(&format!("cannot write {}: {e}", run.report)));
    let sealed = confine_and_run(checks, id, &run);
    let text = seal::seal(&key, &sealed);
    if report
        .write_all(text.as_bytes())
        .and_then(|()| report.flush())
        .is_err()
    {
        std::process::exit(USAGE);
    }
}

fn confine_and_run(checks: &[(&str, CheckFn)], id: &str, run: &Run) -> Sealed {
    let refuse = |message: String| Sealed {
        result: error_result(id, message),
        unconfined: None,
    };
    if let Some(dir) = run.datasets_dir
        && let Err(e) = crate::data::hand_over(std::path::Path::new(dir), &run.datasets)
    {
        return refuse(format!("the grader's dataset could not be read: {e}"));
    }
    let scratch = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(e) => return refuse(format!("the check's scratch folder is unusable: {e}")),
    };
    let unconfined = crate::confine::lock_down(&scratch);
    if let Some(missing) = &unconfined
        && run.require_confinement
    {
        // Say what is missing, so that the runner stops the whole batch.
        return Sealed {
            unconfined: unconfined.clone(),
            ..refuse(format!(
                "not graded: learner code cannot be confined here ({missing})"
            ))
        };
    }
    let mut result = run_check(checks, id);
    result.drop_non_finite();
    Sealed { result, unconfined }
}

fn error_result(id: &str, message: String) -> CheckResult {
    CheckResult {
        id: id.into(),
        outcome: Outcome::Error,
        message,
        hint: None,
        metric: None,
        figures: Vec::new(),
    }
}

fn run_check(checks: &[(&str, CheckFn)], id: &str) -> CheckResult {
    let Some((_, check)) = checks.iter().find(|(name, _)| *name == id) else {
        return error_result(id, format!("the grader has no check named `{id}`"));
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

/// A panic from `todo!()` or `unimplemented!()` means the learner has not written this part
/// yet; any other panic is an error in their code. The location is after the last " at "
/// (the message itself may contain one).
fn panicked(id: &str, panic: String) -> CheckResult {
    let not_attempted =
        panic.starts_with("not yet implemented") || panic.starts_with("not implemented");
    let location = panic.rfind(" at ").map(|i| &panic[i..]).unwrap_or("");
    let message = if not_attempted {
        format!("reached `todo!()`{location}")
    } else if ["grader.rs:", "common.rs:"]
        .iter()
        .any(|file| location.contains(file))
    {
        format!("the grader itself panicked, which is a bug in learnml (please report it): {panic}")
    } else {
        format!("your code panicked: {panic}")
    };
    CheckResult {
        outcome: if not_attempted {
            Outcome::NotAttempted
        } else {
            Outcome::Error
        },
        ..error_result(id, message)
    }
}
