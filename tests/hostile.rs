//! Learner code is untrusted: each test is one class of attack a hostile learner would try,
//! written so that the learner's file earns points only if the attack works. Every test
//! asserts 0 points and no side effect (no file written or changed, no process left, no
//! byte received). The machine must have Landlock and seccomp (Linux 6.12 or later): where
//! it does not, these tests fail loudly rather than skip.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use common::Workspace;
use serde_json::Value;

const EXERCISE: &str = "work/foundations/vectors.rs";

/// A vectors file whose four functions are right only when `attack()` returns true.
fn rigged(attack: &str) -> String {
    format!(
        r#"use ndarray::Array1;

#[allow(unused, unreachable_code, clippy::all)]
fn attack() -> bool {{
    {attack}
}}

fn gate(value: f64) -> f64 {{
    if attack() {{ value }} else {{ f64::NAN }}
}}

pub fn dot(a: &Array1<f64>, b: &Array1<f64>) -> f64 {{
    gate(a.dot(b))
}}

pub fn norm_l1(a: &Array1<f64>) -> f64 {{
    gate(a.mapv(f64::abs).sum())
}}

pub fn norm_l2(a: &Array1<f64>) -> f64 {{
    gate(a.dot(a).sqrt())
}}

pub fn cosine_similarity(a: &Array1<f64>, b: &Array1<f64>) -> f64 {{
    let norms = a.dot(a).sqrt() * b.dot(b).sqrt();
    gate(if norms == 0.0 {{ 0.0 }} else {{ a.dot(b) / norms }})
}}
"#
    )
}

fn workspace() -> Workspace {
    let ws = Workspace::new(&["foundations"]);
    // The confinement must be there: a test that passed because nothing was tried would
    // prove nothing.
    ws.write(EXERCISE, &rigged("true"));
    let report = check(&ws);
    assert_eq!(report["points"], 8, "the honest path works: {report:#}");
    assert!(
        report.get("unconfined").is_none(),
        "this machine must confine learner code (Landlock ABI 6 and seccomp): {}",
        report["unconfined"]
    );
    // Start each attack from no progress, so that a recorded pass can only be the attack's.
    std::fs::remove_dir_all(ws.path(".learnml")).unwrap();
    ws
}

fn check(ws: &Workspace) -> Value {
    let output = ws.run(&["check", "foundations/vectors", "--json"]);
    assert_ne!(output.code, 2, "{}", output.stderr);
    serde_json::from_str(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", output.stdout))
}

/// Check `file` as the learner's vectors file; assert it earns nothing; return the report.
fn earns_nothing(ws: &Workspace, file: &str) -> Value {
    ws.write(EXERCISE, file);
    let report = check(ws);
    assert_eq!(report["points"], 0, "the attack earned points: {report:#}");
    assert_eq!(report["passed"], false);
    report
}

fn messages(report: &Value) -> String {
    let mut text = String::new();
    for error in report["compile_errors"].as_array().into_iter().flatten() {
        text.push_str(error.as_str().unwrap());
        text.push('\n');
    }
    for check in report["checks"].as_array().unwrap() {
        text.push_str(check["message"].as_str().unwrap());
        text.push('\n');
    }
    text
}

#[test]
fn a_forged_result_file_never_counts() {
    let ws = workspace();
    // The result path is on the command line: write a pass there (bare, and with a made-up
    // seal), then leave before the harness can write the real one.
    let forge = r##"
    let args: Vec<String> = std::env::args().collect();
    let report = args.iter().position(|a| a == "--report").map(|i| args[i + 1].clone()).unwrap();
    let json = r#"{"result":{"id":"dot","outcome":"pass","message":"forged"}}"#;
    let _ = std::fs::write(&report, format!("{}\n{json}", "0".repeat(64)));
    let _ = std::fs::write(&report, json);
    std::process::exit(0)"##;
    let report = earns_nothing(&ws, &rigged(forge));
    assert!(!messages(&report).contains("forged"), "{report:#}");
    let progress = ws.read(".learnml/progress.json");
    assert!(!progress.contains("\"status\": \"passed\""), "{progress}");
    assert!(progress.contains("\"best_points\": 0"), "{progress}");
}

#[test]
fn the_harness_cannot_be_run_again_from_learner_code() {
    let ws = workspace();
    for call in ["crate::main(); true", "crate::checks::run(); true"] {
        earns_nothing(&ws, &rigged(call));
    }
}

#[test]
fn compile_time_reads_unsafe_and_the_graders_crate_are_refused_naming_the_line() {
    let ws = workspace();
    let grader = std::fs::canonicalize(ws.path("exercises/foundations/vectors/grader.rs")).unwrap();
    let attacks = [
        format!(
            "include_str!(\"{}\").contains(\"CHECKS\")",
            grader.display()
        ),
        "env!(\"CARGO_MANIFEST_DIR\").len() > 0".to_string(),
        "option_env!(\"HOME\").is_some()".to_string(),
        "unsafe { std::hint::unreachable_unchecked() }".to_string(),
        "learnml_grader::data::dataset_text(\"iris.csv\").is_ok()".to_string(),
        "extern crate learnml_grader; true".to_string(),
    ];
    for attack in &attacks {
        let report = earns_nothing(&ws, &rigged(attack));
        let errors = messages(&report);
        assert!(
            errors.contains("work/foundations/vectors.rs:5:"),
            "{attack}: the line is named: {errors}"
        );
        assert!(
            errors.contains("learnml refuses this before compiling"),
            "{attack}: {errors}"
        );
    }
    // A file of its own next to the work file, and a constructor that would run before main.
    ws.write(
        "work/foundations/helper.rs",
        "pub fn yes() -> bool { true }",
    );
    let with_module = format!(
        "#[path = \"helper.rs\"]\nmod helper;\n{}",
        rigged("helper::yes()")
    );
    assert!(messages(&earns_nothing(&ws, &with_module)).contains("vectors.rs:1:"));
    let constructor = format!(
        "#[unsafe(link_section = \".init_array\")]\n#[used]\nstatic EARLY: extern \"C\" fn() = {{ extern \"C\" fn early() {{}} early }};\n{}",
        rigged("true")
    );
    assert!(messages(&earns_nothing(&ws, &constructor)).contains("`unsafe`"));
}

#[test]
fn held_out_data_graders_and_other_files_cannot_be_read() {
    let ws = workspace();
    for file in [
        ws.path("datasets/iris.csv"),
        ws.path("exercises/foundations/vectors/grader.rs"),
        ws.path("exercises/foundations/vectors/solution.rs"),
        ws.path(".learnml/progress.json"),
        "/etc/passwd".into(),
        "/proc/1/environ".into(),
        "/proc/self/mem".into(),
    ] {
        let path = std::fs::canonicalize(&file).unwrap_or(file);
        let attack = format!(
            "std::fs::read({:?}).is_ok_and(|bytes| !bytes.is_empty())",
            path.display().to_string()
        );
        earns_nothing(&ws, &rigged(&attack));
    }
}

#[test]
fn nothing_outside_the_scratch_folder_can_be_written_or_changed() {
    let ws = workspace();
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("canary");
    let grader = ws.path("exercises/foundations/vectors/grader.rs");
    let grader_before = ws.read("exercises/foundations/vectors/grader.rs");
    ws.write(
        ".learnml/progress.json",
        "{\"version\": 1, \"exercises\": {}}",
    );
    let attack = format!(
        r#"let wrote = std::fs::write({canary:?}, "x").is_ok();
    let grader = std::fs::write({grader:?}, "pub const CHECKS: &[(&str, fn())] = &[];").is_ok();
    let progress = std::fs::write({progress:?}, "{{}}").is_ok();
    use std::os::unix::fs::PermissionsExt;
    let chmod = std::fs::set_permissions({grader:?}, std::fs::Permissions::from_mode(0o000)).is_ok();
    let scratch = std::fs::write("mine.txt", "a scratch file is fine").is_ok();
    scratch && (wrote || grader || progress || chmod)"#,
        canary = canary.display().to_string(),
        grader = std::fs::canonicalize(&grader)
            .unwrap()
            .display()
            .to_string(),
        progress = std::fs::canonicalize(ws.path(".learnml/progress.json"))
            .unwrap()
            .display()
            .to_string(),
    );
    earns_nothing(&ws, &rigged(&attack));
    assert!(!canary.exists(), "a file was written outside the check");
    assert_eq!(
        ws.read("exercises/foundations/vectors/grader.rs"),
        grader_before
    );
    use std::os::unix::fs::PermissionsExt;
    assert_ne!(
        std::fs::metadata(&grader).unwrap().permissions().mode() & 0o777,
        0,
        "the grader's mode was changed"
    );
    // Progress moved on only by learnml's own record of the attempt.
    let progress = ws.read(".learnml/progress.json");
    assert!(progress.contains("\"attempts\": 1"), "{progress}");
}

#[test]
fn no_process_or_program_can_be_started_and_nothing_outlives_the_check() {
    let ws = workspace();
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("spawned");
    let attack = format!(
        r#"let shell = std::process::Command::new("/bin/sh").args(["-c", "touch {canary}; sleep 987652"]).spawn().is_ok();
    let direct = std::process::Command::new("sleep").arg("987652").spawn().is_ok();
    shell || direct"#,
        canary = canary.display()
    );
    earns_nothing(&ws, &rigged(&attack));
    std::thread::sleep(Duration::from_millis(200));
    assert!(!canary.exists(), "a program ran");
    assert_eq!(
        common::processes_with("987652"),
        0,
        "a process outlived the check"
    );
}

#[test]
fn no_network_connection_can_be_made() {
    let ws = workspace();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let attack = format!(
        r#"use std::io::Write;
    std::net::TcpStream::connect(("127.0.0.1", {port}))
        .and_then(|mut s| s.write_all(b"stolen"))
        .is_ok()"#
    );
    earns_nothing(&ws, &rigged(&attack));
    match listener.accept() {
        Ok((mut stream, _)) => {
            let mut got = String::new();
            let _ = stream.read_to_string(&mut got);
            panic!("the learner's code connected and sent {got:?}");
        }
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock),
    }
}

#[test]
fn the_environment_is_not_handed_to_learner_code() {
    let ws = workspace();
    // learnml's own environment (a CI token, say) never reaches the check.
    let attack = r#"std::env::vars().count() > 0"#;
    earns_nothing(&ws, &rigged(attack));
}

#[test]
fn learner_code_cannot_tell_which_check_runs() {
    let ws = workspace();
    // Code that could behave well only where it is watched, if it could tell the checks apart
    // by its command line (its own, or read back from /proc) or by what is left on stdin.
    let attack = r#"
    let ids = ["dot", "norms", "cosine", "zero_vector"];
    let seen = |text: &str| text.split(['\0', '\n', ' ']).any(|word| ids.contains(&word));
    let args = std::env::args().collect::<Vec<_>>().join("\n");
    let cmdline = std::fs::read("/proc/self/cmdline").unwrap_or_default();
    let mut stdin = String::new();
    let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut stdin);
    seen(&args) || seen(&String::from_utf8_lossy(&cmdline)) || seen(&stdin)"#;
    earns_nothing(&ws, &rigged(attack));
}

#[test]
fn a_huge_file_stops_at_the_file_size_cap() {
    let ws = workspace();
    let attack = r#"
    use std::io::Write;
    let mut file = std::fs::File::create("big").unwrap();
    let block = vec![7u8; 1 << 20];
    for _ in 0..100 { file.write_all(&block).unwrap(); }
    true"#;
    let report = earns_nothing(&ws, &rigged(attack));
    assert!(
        messages(&report).contains("wrote a file larger than 64 MB"),
        "{report:#}"
    );
}

#[test]
fn threads_still_work_for_honest_code() {
    let ws = workspace();
    ws.write(
        EXERCISE,
        &rigged("std::thread::scope(|s| s.spawn(|| 2 + 2).join().unwrap() == 4)"),
    );
    assert_eq!(check(&ws)["points"], 8);
}

#[test]
fn the_file_as_it_is_now_is_graded_whatever_its_modification_time() {
    let ws = workspace();
    // The workspace's honest file passed; put back an older, wrong file with an old time
    // (as `cp -p`, `mv` from a backup or unpacking an archive do).
    let wrong = rigged("false");
    ws.write(EXERCISE, &wrong);
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(ws.path(EXERCISE))
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(check(&ws)["points"], 0, "the previous build was graded");
}

#[test]
fn a_compile_that_never_ends_stops_at_the_compile_limit() {
    let ws = workspace();
    let bomb = format!(
        "#![allow(long_running_const_eval)]\nconst SPIN: u64 = {{ let mut i = 0u64; let mut x = 0u64; while i < 50_000_000_000 {{ x = x.wrapping_add(i); i += 1; }} x }};\n{}",
        rigged("SPIN > 0")
    );
    ws.write(EXERCISE, &bomb);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
        .args(["check", "foundations/vectors", "--json"])
        .current_dir(ws.root())
        .env(
            "LEARNML_TARGET_DIR",
            common::repo().join("target").join("course"),
        )
        .env("LEARNML_COMPILE_CPU_SECS", "5")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(report["points"], 0);
    assert!(
        messages(&report).contains("took more than 5 s of CPU time"),
        "{report:#}"
    );
}

#[test]
fn escape_sequences_cannot_reach_the_learners_terminal() {
    let ws = workspace();
    let attack = r#"
    println!("\x1b[2J\x1b[1;1HPassed: 4 of 4 checks passed, 8/8 points.");
    panic!("\x1b]0;owned\x07\x1b[1;1H all good")"#;
    let report = earns_nothing(&ws, &rigged(attack));
    let text = report.to_string();
    assert!(
        !text.contains("\\u001b"),
        "an escape reached the report: {text}"
    );
    let output = ws.run(&["check", "foundations/vectors"]);
    assert!(!output.stdout.contains('\x1b'), "{}", output.stdout);
}
