//! What a learner sees, end to end, pinned by snapshots: `next`, `check` on a stub, a wrong
//! answer, a compile error and a pass, `hint`, `list`, `progress`, `solution`, `reset`; and
//! `dev new` for authors.

mod common;

use common::Workspace;

const EXERCISE: &str = "work/preprocessing/load_csv.rs";

/// A load() that gets the shape right but drops the last column instead of the target.
const WRONG_ANSWER: &str = r#"
use ndarray::Array2;
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Ragged { line: u64, expected: usize, found: usize },
    NotANumber { line: u64, column: String, value: String },
    NoTarget { column: String },
    Csv(String),
}
pub fn load(text: &str, target: &str) -> Result<(Array2<f64>, Vec<String>), LoadError> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    if !header.contains(&target) {
        return Err(LoadError::NoTarget { column: target.into() });
    }
    let mut values = Vec::new();
    let mut labels = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        for field in &fields[..fields.len() - 1] {
            values.push(field.trim().parse().unwrap_or(0.0));
        }
        labels.push(fields[fields.len() - 1].to_string());
    }
    let n = labels.len();
    Ok((Array2::from_shape_vec((n, header.len() - 1), values).unwrap(), labels))
}
"#;

/// Text as one line: what a report says, whatever the width it was wrapped to.
fn unwrapped(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_learner_goes_from_stub_to_pass() {
    let ws = Workspace::new(&["preprocessing"]);

    let next = ws.run(&["next"]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    insta::assert_snapshot!("next", next.stdout);
    assert_eq!(
        ws.read(EXERCISE),
        ws.read("exercises/preprocessing/load_csv/stub.rs"),
        "next creates the work file from the stub"
    );

    let stub = ws.run(&["check"]);
    assert_eq!(stub.code, 1, "{}", stub.stderr);
    insta::assert_snapshot!("check_stub", stub.stdout);

    ws.write(EXERCISE, WRONG_ANSWER);
    let wrong = ws.run(&["check"]);
    assert_eq!(wrong.code, 1, "{}", wrong.stderr);
    insta::assert_snapshot!("check_wrong_answer", wrong.stdout);

    ws.write(
        EXERCISE,
        &WRONG_ANSWER.replace("Ok((Array2", "Ok((Array2:: oops"),
    );
    let broken = ws.run(&["check", "preprocessing/load_csv"]);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    insta::assert_snapshot!("check_compile_error", broken.stdout);

    let hints: Vec<String> = (0..4).map(|_| ws.run(&["hint"]).stdout).collect();
    insta::assert_snapshot!("hints", hints.join("----\n"));

    let closed = ws.run(&["solution", "load_csv"]);
    assert_eq!(closed.code, 1);
    insta::assert_snapshot!("solution_before_pass", closed.stdout);

    ws.write(
        EXERCISE,
        &ws.read("exercises/preprocessing/load_csv/solution.rs"),
    );
    let pass = ws.run_in("work/preprocessing", &["check", "--json"]);
    assert_eq!(pass.code, 0, "{}", pass.stderr);
    insta::assert_snapshot!("check_pass_json", pass.stdout);
    let pass = ws.run(&["check", "load_csv"]);
    assert_eq!(pass.code, 0, "{}", pass.stderr);
    insta::assert_snapshot!("check_pass", pass.stdout);

    insta::assert_snapshot!("list", ws.run(&["list"]).stdout);
    insta::assert_snapshot!("list_json", ws.run(&["list", "--json"]).stdout);
    insta::assert_snapshot!("progress", ws.run(&["progress"]).stdout);
    let progress: serde_json::Value =
        serde_json::from_str(&ws.read(".learnml/progress.json")).unwrap();
    let entry = &progress["exercises"]["preprocessing/load_csv"];
    assert_eq!(entry["status"], "passed");
    assert_eq!(entry["attempts"], 5);
    assert_eq!(entry["hints_shown"], 3);
    assert_eq!(entry["solution_seen"], false);

    let open = ws.run(&["solution", "preprocessing/load_csv"]);
    assert_eq!(open.code, 0);
    assert!(open.stdout.contains("pub fn load("));
}

#[test]
fn forced_solution_is_recorded_and_reset_keeps_a_backup() {
    let ws = Workspace::new(&["preprocessing"]);
    let forced = ws.run(&["solution", "load_csv", "--force"]);
    assert_eq!(forced.code, 0);
    assert!(forced.stderr.contains("warning:"), "{}", forced.stderr);
    assert!(
        ws.run(&["progress"])
            .stdout
            .contains("Solution seen before passing: preprocessing/load_csv")
    );

    ws.write(EXERCISE, "// my work in progress\n");
    let reset = ws.run(&["reset", "load_csv"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert_eq!(
        ws.read(EXERCISE),
        ws.read("exercises/preprocessing/load_csv/stub.rs")
    );
    let backups: Vec<_> = std::fs::read_dir(ws.path(".learnml/backups/preprocessing"))
        .unwrap()
        .collect();
    assert_eq!(backups.len(), 1);
    let backup = backups[0].as_ref().unwrap().path();
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        "// my work in progress\n"
    );
    assert!(unwrapped(&reset.stdout).contains(&format!(
        "kept as .learnml/backups/preprocessing/{}",
        backup.file_name().unwrap().to_string_lossy()
    )));
    // A second reset keeps the first backup and adds another.
    ws.run(&["reset", "load_csv"]);
    assert_eq!(
        std::fs::read_dir(ws.path(".learnml/backups/preprocessing"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn any_exercise_is_shown_by_id_name_or_file_and_hints_follow_the_last_check() {
    let ws = Workspace::new(&["preprocessing"]);
    let other = "preprocessing/missing_counts";
    let shown = ws.run(&["show", other]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.stdout.starts_with(other), "{}", shown.stdout);
    assert!(
        unwrapped(&shown.stdout).contains(&format!(
            "`learnml check {other}` to grade it, `learnml hint {other}` for a hint"
        )),
        "{}",
        shown.stdout
    );
    assert_eq!(
        ws.read("work/preprocessing/missing_counts.rs"),
        ws.read("exercises/preprocessing/missing_counts/stub.rs"),
        "show creates the work file from the stub"
    );
    let absolute = ws.path("work/preprocessing/missing_counts.rs");
    for (folder, file) in [
        ("", "work/preprocessing/missing_counts.rs"),
        ("", "./work/preprocessing/missing_counts.rs"),
        ("work/preprocessing", "missing_counts.rs"),
        ("exercises", absolute.to_str().unwrap()),
    ] {
        let by_path = ws.run_in(folder, &["show", file]);
        assert_eq!(by_path.code, 0, "{file} in {folder}: {}", by_path.stderr);
        assert_eq!(by_path.stdout, shown.stdout, "{file} in {folder}");
    }

    let typo = ws.run(&["show", "mising_counts"]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "error: no exercise `mising_counts`: did you mean `preprocessing/missing_counts`? (`learnml list` shows the ids)\n"
    );
    let not_exercise = ws.run(&["hint", "src/main.rs"]);
    assert_eq!(not_exercise.code, 2);
    assert!(
        not_exercise
            .stderr
            .contains("`src/main.rs` is not an exercise file: those are work/MODULE/NAME.rs"),
        "{}",
        not_exercise.stderr
    );

    // `hint` follows the exercise last checked (recorded by `check`), not the current one...
    ws.write(
        ".learnml/progress.json",
        &format!(r#"{{"version": 1, "exercises": {{}}, "last_checked": "{other}"}}"#),
    );
    let hint = ws.run(&["hint"]);
    assert_eq!(hint.code, 0, "{}", hint.stderr);
    assert!(
        hint.stdout.starts_with(&format!("{other} · hint 1 of")),
        "{}",
        hint.stdout
    );
    assert!(
        unwrapped(&hint.stdout).contains(&format!("Run `learnml hint {other}` again")),
        "{}",
        hint.stdout
    );
    // ...until that one is passed: then the current one.
    ws.write(
        ".learnml/progress.json",
        &format!(
            r#"{{"version": 1, "exercises": {{"{other}": {{"status": "passed", "best_points": 5, "attempts": 1}}}}, "last_checked": "{other}"}}"#
        ),
    );
    let hint = ws.run(&["hint"]);
    assert!(
        hint.stdout
            .starts_with("preprocessing/load_csv · hint 1 of"),
        "{}",
        hint.stdout
    );
}

#[test]
fn a_changed_signature_is_explained_and_warnings_are_shown() {
    let ws = Workspace::new(&["preprocessing"]);
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    let changed = solution.replace(
        "pub fn load(text: &str, target: &str)",
        "pub fn load(text: &str, target: &str, strict: bool)",
    );
    assert_ne!(
        changed, solution,
        "the solution's signature changed: update this test"
    );
    ws.write(EXERCISE, &changed);
    let report = ws.run(&["check", "load_csv"]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    let said = unwrapped(&report.stdout);
    assert!(
        said.contains("Some errors are in the grader (")
            && said
                .contains("where it calls your code: keep the signature of `load` from the stub"),
        "{}",
        report.stdout
    );

    let unused = solution.replacen(
        "pub fn load(text: &str, target: &str)",
        "fn unused_helper() {}\n\npub fn load(text: &str, target: &str)",
        1,
    );
    ws.write(EXERCISE, &unused);
    let report = ws.run(&["check", "load_csv"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let warning = format!("warning: function `unused_helper` is never used ({EXERCISE}:");
    assert!(
        unwrapped(&report.stdout).contains(&warning) && !report.stdout.contains("dead_code"),
        "the warning, briefly:\n{}",
        report.stdout
    );
}

#[test]
fn usage_and_environment_errors_exit_2_with_a_clear_message() {
    let ws = Workspace::new(&["preprocessing"]);
    let unknown = ws.run(&["check", "nope"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(
        unknown.stderr,
        "error: no exercise `nope`: `learnml list` shows the ids (module/name)\n"
    );

    let outside = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
        .arg("next")
        .current_dir(outside.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not inside a learnml workspace"));

    let bad_flag = ws.run(&["check", "--nope"]);
    assert_eq!(bad_flag.code, 2);
}

#[test]
fn watch_rechecks_on_save_and_moves_on_when_passed() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};

    let ws = Workspace::new(&["preprocessing"]);
    let mut watch = Command::new(env!("CARGO_BIN_EXE_learnml"))
        .arg("watch")
        .current_dir(ws.root())
        .env(
            "LEARNML_TARGET_DIR",
            common::repo().join("target").join("course"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A regression must fail this test, not hang it: the watcher is stopped after two minutes.
    let pid = watch.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(120));
        let _ = Command::new("kill").arg(&pid).status();
    });
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let mut read_until = |marker: &str| -> Vec<String> {
        let mut seen = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            let found = line.contains(marker);
            seen.push(line);
            if found {
                return seen;
            }
        }
        panic!(
            "watch ended before printing `{marker}`:\n{}",
            seen.join("\n")
        );
    };
    let first = read_until("Save the file to check it.");
    assert!(
        first
            .iter()
            .any(|l| l.starts_with("preprocessing/load_csv"))
    );
    read_until("Not passed yet: 0 of 5 checks passed");
    read_until("save it: it is checked again.");
    let mut keys = watch.stdin.take().unwrap();
    keys.write_all(b"h\n").unwrap();
    read_until("hint 1 of 3");
    ws.write(
        EXERCISE,
        &ws.read("exercises/preprocessing/load_csv/solution.rs"),
    );
    read_until("Passed: 5 of 5 checks passed");
    read_until("preprocessing/missing_counts");
    keys.write_all(b"q\n").unwrap();
    assert!(watch.wait().unwrap().success());
}

#[test]
fn fairness_report_of_any_predictions_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "age_group,credit,approved\nyoung,good,good\nyoung,bad,good\nyoung,good,bad\nold,good,good\nold,bad,bad\nold,good,good\nold,bad,bad\n";
    std::fs::write(dir.path().join("predictions.csv"), csv).unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
            .arg("fairness")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (
            output.status.code().unwrap(),
            text(&output.stdout),
            text(&output.stderr),
        )
    };
    let columns = [
        "--truth",
        "credit",
        "--prediction",
        "approved",
        "--group",
        "age_group",
    ];
    let (code, report, _) = run(&[
        &["predictions.csv"][..],
        &columns,
        &["--positive", "good", "--privileged", "old"],
    ]
    .concat());
    assert_eq!(code, 0);
    insta::assert_snapshot!("fairness_report", report);

    let (code, _, error) = run(&[&["predictions.csv"][..], &columns].concat());
    assert_eq!(code, 2);
    assert!(error.contains("no value `1` in `credit` or `approved` (values: good, bad): name the positive class with --positive"), "{error}");
    let (code, _, error) = run(&["predictions.csv", "--group", "sex"]);
    assert_eq!(code, 2);
    assert!(error.contains("predictions.csv: no column named `y_true` (the columns are: age_group, credit, approved)"), "{error}");
    std::fs::write(
        dir.path().join("three.csv"),
        "g,y_true,y_pred\na,1,1\nb,0,2\nb,0,0\n",
    )
    .unwrap();
    let (code, _, error) = run(&["three.csv", "--group", "g"]);
    assert_eq!(code, 2);
    assert!(
        error.contains("column `y_pred` has more than two values"),
        "{error}"
    );
}

#[test]
fn a_new_exercise_from_the_template_verifies() {
    let ws = Workspace::new(&["trends"]);
    let new = ws.run(&["dev", "new", "trends/median"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert!(
        new.stdout
            .starts_with("Wrote exercises/trends/median from the template"),
        "{}",
        new.stdout
    );
    assert!(
        ws.read("exercises/trends/module.toml")
            .ends_with("    \"median\",\n]\n")
    );
    // Its stub earns nothing, its solution passes, its folder holds nothing stray.
    let verified = ws.run(&["dev", "verify", "trends/median"]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    assert_eq!(
        verified.stdout,
        "exercise       verdict  mistakes  alternatives\ntrends/median  ok       -         -\n"
    );
    let again = ws.run(&["dev", "new", "trends/median"]);
    assert_eq!(again.code, 2);
    assert_eq!(
        again.stderr,
        "error: exercise `trends/median` exists already\n"
    );
}

#[test]
fn next_builds_the_course_in_the_background_for_the_first_check() {
    let ws = Workspace::new(&["preprocessing"]);
    let target = common::repo().join("target").join("course");
    // As on a fresh clone, this exercise's binary is not built yet.
    let binary = target.join("debug").join("work-preprocessing-load_csv");
    let _ = std::fs::remove_file(&binary);
    let next = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
        .arg("next")
        .current_dir(ws.root())
        .env("LEARNML_TARGET_DIR", &target)
        .env("LEARNML_BACKGROUND_BUILD", "1")
        .output()
        .unwrap();
    assert!(next.status.success());
    let started = std::time::Instant::now();
    let log = loop {
        let log = std::fs::read_to_string(ws.path(".learnml/build.log")).unwrap_or_default();
        if log.contains("built the course") {
            break log;
        }
        assert!(
            started.elapsed().as_secs() < 300,
            "the background build did not finish: {log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(log.contains("preprocessing/load_csv"), "{log}");
    assert!(binary.exists(), "the exercise's binary was built");
    // `next` while it is built starts nothing more.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
        .arg("next")
        .current_dir(ws.root())
        .env("LEARNML_TARGET_DIR", &target)
        .env("LEARNML_BACKGROUND_BUILD", "1")
        .output()
        .unwrap();
    assert!(again.status.success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(ws.read(".learnml/build.log"), log);
}

#[test]
fn colour_follows_clicolor_force_no_color_and_term() {
    let ws = Workspace::new(&["preprocessing"]);
    let list = |env: &[(&str, &str)]| -> String {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"));
        command
            .arg("list")
            .current_dir(ws.root())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        String::from_utf8(command.output().unwrap().stdout).unwrap()
    };
    assert!(!list(&[]).contains('\x1b'), "no colour into a pipe");
    assert!(list(&[("CLICOLOR_FORCE", "1")]).contains('\x1b'));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(list(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]).contains('\x1b'));
    assert!(!list(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
}
