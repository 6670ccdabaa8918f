//! A machine without Landlock (macOS, an old kernel), simulated: a seccomp filter makes
//! `landlock_create_ruleset` fail with ENOSYS for learnml and everything it starts. A learner's
//! `check` still grades and says what is not enforced; `learnml grade` refuses to grade a
//! class unprotected unless the instructor passes --allow-unconfined.

// pre_exec installs the filter in the child only, so the test process keeps Landlock.
#![allow(unsafe_code)]

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use common::Workspace;
use seccompiler::{BpfProgram, SeccompAction, SeccompFilter};

fn without_landlock() -> BpfProgram {
    SeccompFilter::new(
        [(libc::SYS_landlock_create_ruleset, Vec::new())]
            .into_iter()
            .collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        std::env::consts::ARCH.try_into().unwrap(),
    )
    .unwrap()
    .try_into()
    .unwrap()
}

fn learnml_without_landlock(ws: &Workspace, args: &[&str]) -> Output {
    let filter = without_landlock();
    let mut command = Command::new(env!("CARGO_BIN_EXE_learnml"));
    command.args(args).current_dir(ws.root()).env(
        "LEARNML_TARGET_DIR",
        common::repo().join("target").join("course"),
    );
    // SAFETY: between fork and exec, only prctl and seccomp(2) on a program built before the
    // fork (no allocation).
    unsafe {
        command.pre_exec(move || {
            seccompiler::apply_filter(&filter).map_err(|e| std::io::Error::other(e.to_string()))
        });
    }
    command.output().unwrap()
}

#[test]
fn check_grades_and_says_what_is_not_enforced() {
    let ws = Workspace::new(&["foundations"]);
    let solution = ws.read("exercises/foundations/vectors/solution.rs");
    ws.write("work/foundations/vectors.rs", &solution);
    let output = learnml_without_landlock(&ws, &["check", "foundations/vectors", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(report["points"], 8);
    let missing = report["unconfined"].as_str().unwrap();
    assert!(missing.contains("Landlock"), "{missing}");
    let text = learnml_without_landlock(&ws, &["check", "foundations/vectors"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("this machine does not confine exercise code fully"),
        "{text}"
    );
}

#[test]
fn grade_refuses_unless_allowed() {
    let ws = Workspace::new(&["foundations"]);
    let solution = ws.read("exercises/foundations/vectors/solution.rs");
    ws.write("class/ana/foundations/vectors.rs", &solution);
    let refused = learnml_without_landlock(&ws, &["grade", "class", "--out", "grades"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("cannot be confined"), "{stderr}");
    assert!(stderr.contains("--allow-unconfined"), "{stderr}");
    assert!(
        !ws.path("grades/gradebook.csv").exists(),
        "no gradebook is written"
    );
    let allowed = learnml_without_landlock(
        &ws,
        &["grade", "class", "--out", "grades", "--allow-unconfined"],
    );
    assert_eq!(allowed.status.code(), Some(0));
    let report: serde_json::Value =
        serde_json::from_str(&ws.read("grades/reports/ana/foundations__vectors.json")).unwrap();
    assert_eq!(report["points"], 8);
    assert!(report["unconfined"].as_str().unwrap().contains("Landlock"));
}
