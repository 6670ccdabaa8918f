//! The grader holds under bad code and bad state, and loses nothing: each test feeds one
//! fault a learner's file or workspace can have and checks what learnml does and keeps.

mod common;

use common::Workspace;
use serde_json::Value;

const EXERCISE: &str = "work/preprocessing/load_csv.rs";
const MODULE: &str = "exercises/preprocessing/module.toml";
const MANIFEST: &str = "exercises/preprocessing/load_csv/exercise.toml";

/// A learner file whose `load` runs `body`.
fn learner_file(body: &str) -> String {
    format!(
        r#"
use ndarray::Array2;
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {{
    Ragged {{ line: u64, expected: usize, found: usize }},
    NotANumber {{ line: u64, column: String, value: String }},
    NoTarget {{ column: String }},
    Csv(String),
}}
#[allow(unreachable_code, unused_variables)]
pub fn load(text: &str, target: &str) -> Result<(Array2<f64>, Vec<String>), LoadError> {{
    {body}
}}
"#
    )
}

/// Limits tight enough for the tests to be quick.
fn with_limits(ws: &Workspace, time_secs: u64, memory_mb: u64) {
    let manifest = format!(
        "time_limit_secs = {time_secs}\nmemory_limit_mb = {memory_mb}\n{}",
        ws.read(MANIFEST)
    );
    ws.write(MANIFEST, &manifest);
}

/// Check the exercise with `body` as the learner's code; return the JSON report.
fn check_with(ws: &Workspace, body: &str) -> Value {
    ws.write(EXERCISE, &learner_file(body));
    let output = ws.run(&["check", "load_csv", "--json"]);
    assert_eq!(
        output.code, 1,
        "a faulty file never passes; stderr: {}",
        output.stderr
    );
    serde_json::from_str(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", output.stdout))
}

fn outcomes_and_messages(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["outcome"].as_str().unwrap().to_string(),
                c["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_endless_loop_stops_at_the_time_limit_and_leaves_no_process() {
    let ws = Workspace::new(&["preprocessing"]);
    with_limits(&ws, 1, 512);
    let report = check_with(
        &ws,
        r#"let _child = std::process::Command::new("sleep").arg("987654").spawn(); loop { std::hint::spin_loop(); }"#,
    );
    for (outcome, message) in outcomes_and_messages(&report) {
        assert_eq!(outcome, "error");
        assert!(
            message.starts_with("stopped at the time limit of 1 s"),
            "{message}"
        );
    }
    assert_eq!(report["time_limit_secs"], 1);
    assert_eq!(
        common::processes_with("987654"),
        0,
        "a process started by the learner's code outlived its check"
    );
}

#[test]
#[cfg(target_os = "linux")] // the memory cap is RLIMIT_AS, enforced on Linux only
fn unbounded_allocation_hits_the_memory_cap() {
    let ws = Workspace::new(&["preprocessing"]);
    with_limits(&ws, 10, 256);
    let report = check_with(
        &ws,
        "let mut hoard = Vec::new(); loop { hoard.push(vec![1u8; 1 << 20]); }",
    );
    for (outcome, message) in outcomes_and_messages(&report) {
        assert_eq!(outcome, "error");
        assert!(
            message.starts_with("ran out of memory: the cap is 256 MB"),
            "{message}"
        );
    }
}

#[test]
fn an_output_flood_is_cut_and_graded_normally() {
    let ws = Workspace::new(&["preprocessing"]);
    let report = check_with(
        &ws,
        r#"for i in 0..400_000 { println!("line {i} of a flood"); eprintln!("and on stderr"); } todo!()"#,
    );
    for check in report["checks"].as_array().unwrap() {
        assert_eq!(check["outcome"], "not_attempted");
        let output = check["output"].as_str().unwrap();
        assert!(
            output.len() < 2 * 64 * 1024 + 200,
            "output kept: {} bytes",
            output.len()
        );
        assert!(
            output.ends_with("[output cut: only the first part of what the code printed is kept]")
        );
    }
}

#[test]
fn printing_a_forged_result_and_exiting_early_never_passes() {
    let ws = Workspace::new(&["preprocessing"]);
    let forged = r#"{"id":"iris_shape","outcome":"pass","message":"forged","points":2}"#;
    let body = format!(
        "println!(\"{{}}\", r#\"{forged}\"#); eprintln!(\"{{}}\", r#\"{forged}\"#); std::process::exit(0)"
    );
    let report = check_with(&ws, &body);
    assert_eq!(report["points"], 0);
    for (outcome, message) in outcomes_and_messages(&report) {
        assert_eq!(outcome, "error");
        assert!(
            message.contains("ended before the check finished"),
            "{message}"
        );
    }
}

#[test]
fn stack_overflow_and_abort_are_errors_with_their_cause() {
    let ws = Workspace::new(&["preprocessing"]);
    let overflow = check_with(
        &ws,
        "fn deeper(n: u64) -> u64 { deeper(n + 1) + 1 } let _ = deeper(std::hint::black_box(0)); todo!()",
    );
    for (outcome, message) in outcomes_and_messages(&overflow) {
        assert_eq!(outcome, "error");
        assert_eq!(
            message,
            "stack overflow: a recursion that never reaches its base case?"
        );
    }
    // Safe code cannot segfault (`unsafe` is refused before compiling); it can abort.
    let abort = check_with(&ws, "std::process::abort()");
    for (outcome, message) in outcomes_and_messages(&abort) {
        assert_eq!(outcome, "error");
        assert_eq!(message, "the program crashed (aborted)");
    }
}

#[test]
fn a_damaged_progress_file_is_named_never_overwritten_and_repairable() {
    let ws = Workspace::new(&["preprocessing"]);
    ws.write(
        ".learnml/progress.json",
        "{\"version\": 1, \"exercises\": {\"prepro",
    );
    for args in [&["check"][..], &["hint"], &["next"], &["progress"]] {
        let output = ws.run(args);
        assert_eq!(output.code, 2, "{args:?}");
        assert!(
            output.stderr.contains(".learnml/progress.json is damaged"),
            "{}",
            output.stderr
        );
        assert!(
            output.stderr.contains("learnml repair"),
            "{}",
            output.stderr
        );
    }
    assert_eq!(
        ws.read(".learnml/progress.json"),
        "{\"version\": 1, \"exercises\": {\"prepro"
    );

    let repair = ws.run(&["repair"]);
    assert_eq!(repair.code, 0, "{}", repair.stderr);
    let backup = std::fs::read_dir(ws.path(".learnml"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("progress-damaged-")
        })
        .expect("a backup of the damaged file");
    assert_eq!(
        std::fs::read_to_string(backup).unwrap(),
        "{\"version\": 1, \"exercises\": {\"prepro"
    );
    assert_eq!(ws.run(&["hint"]).code, 0);

    ws.write(
        ".learnml/progress.json",
        "{\"version\": 7, \"exercises\": {}}",
    );
    let newer = ws.run(&["list"]);
    assert_eq!(newer.code, 2);
    assert!(
        newer
            .stderr
            .contains("written by a newer learnml (format 7"),
        "{}",
        newer.stderr
    );
}

#[test]
fn concurrent_learnml_processes_lose_no_progress_update() {
    let ws = Workspace::new(&["preprocessing"]);
    let hints: Vec<std::thread::JoinHandle<i32>> = (0..6)
        .map(|_| {
            let root = ws.root().to_path_buf();
            std::thread::spawn(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
                    .arg("solution")
                    .arg("load_csv")
                    .arg("--force")
                    .current_dir(root)
                    .output()
                    .unwrap()
                    .status
                    .code()
                    .unwrap()
            })
        })
        .collect();
    let writers: Vec<i32> = hints.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(writers, vec![0; 6]);
    let progress: Value = serde_json::from_str(&ws.read(".learnml/progress.json")).unwrap();
    assert_eq!(
        progress["exercises"]["preprocessing/load_csv"]["solution_seen"],
        true
    );
}

#[test]
fn manifest_faults_are_named_with_file_and_field() {
    let ws = Workspace::new(&["preprocessing"]);
    let original = ws.read(MANIFEST);
    let module = ws.read(MODULE);
    let cases = [
        (
            MANIFEST,
            original.replace("id = \"ragged_row\"", "id = \"iris_shape\""),
            "check `iris_shape` appears twice",
        ),
        (
            MANIFEST,
            original.replace("datasets = [\"iris.csv\"]", "datasets = [\"irises.csv\"]"),
            "dataset `irises.csv` is not a non-empty file datasets/irises.csv",
        ),
        (
            MANIFEST,
            original.replace("title = \"Load a CSV", "titel = \"Load a CSV"),
            "unknown field `titel`",
        ),
        (
            MANIFEST,
            original.replace("points = 2 }", "points = \"two\" }"),
            "invalid type: string \"two\", expected u32",
        ),
        (
            MODULE,
            module.replace("    \"missing_counts\",\n", "    \"load_csv\",\n"),
            "exercise `load_csv` appears twice",
        ),
        (
            MODULE,
            module.replace("    \"missing_counts\",\n", "    \"missing\",\n"),
            "exercise `missing` has no folder exercises/preprocessing/missing",
        ),
    ];
    for (file, text, expected) in cases {
        ws.write(file, &text);
        let output = ws.run(&["list"]);
        assert_eq!(output.code, 2, "{expected}");
        assert!(
            output.stderr.starts_with(&format!("error: {file}: ")),
            "{}",
            output.stderr
        );
        assert!(
            output.stderr.contains(expected),
            "expected `{expected}` in: {}",
            output.stderr
        );
        ws.write(MANIFEST, &original);
        ws.write(MODULE, &module);
    }
    std::fs::remove_file(ws.path("exercises/preprocessing/load_csv/grader.rs")).unwrap();
    let output = ws.run(&["list"]);
    assert_eq!(output.code, 2);
    assert!(
        output
            .stderr
            .contains("exercises/preprocessing/load_csv/grader.rs is missing or empty"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_file_that_does_not_compile_never_blocks_another_exercise() {
    let ws = Workspace::new(&["preprocessing"]);
    ws.write(EXERCISE, "this is not rust");
    let broken = ws.run(&["check", "load_csv", "--json"]);
    assert_eq!(broken.code, 1);
    let report: Value = serde_json::from_str(&broken.stdout).unwrap();
    assert!(
        report["compile_errors"][0]
            .as_str()
            .unwrap()
            .contains("work/preprocessing/load_csv.rs:1:")
    );
    ws.write(
        "work/preprocessing/missing_counts.rs",
        &ws.read("exercises/preprocessing/missing_counts/solution.rs"),
    );
    let other = ws.run(&["check", "missing_counts"]);
    assert_eq!(other.code, 0, "{}{}", other.stdout, other.stderr);
    assert_eq!(
        ws.read(EXERCISE),
        "this is not rust",
        "the broken file is left as it is"
    );
}

#[test]
fn an_unusable_progress_folder_is_named_and_nothing_is_lost() {
    let ws = Workspace::new(&["preprocessing"]);
    ws.write(EXERCISE, "// my work\n");
    // `.learnml` is a file, so no progress can be read or written there.
    ws.write(".learnml", "not a folder");
    for args in [&["check"][..], &["hint"], &["reset", "load_csv"]] {
        let output = ws.run(args);
        assert_eq!(output.code, 2, "{args:?}: {}", output.stdout);
        assert!(
            output.stderr.contains(".learnml"),
            "{args:?}: {}",
            output.stderr
        );
    }
    assert_eq!(
        ws.read(EXERCISE),
        "// my work\n",
        "the learner's file is untouched"
    );
    assert_eq!(ws.read(".learnml"), "not a folder");
}

#[test]
fn ctrl_c_during_a_check_leaves_no_process_behind() {
    let ws = Workspace::new(&["preprocessing"]);
    with_limits(&ws, 60, 512);
    ws.write(EXERCISE, &learner_file("loop { std::hint::spin_loop(); }"));
    let mut learnml = std::process::Command::new(env!("CARGO_BIN_EXE_learnml"))
        .args(["check", "load_csv"])
        .current_dir(ws.root())
        .env(
            "LEARNML_TARGET_DIR",
            common::repo().join("target").join("course"),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Only this workspace's check processes name its datasets on their command line.
    let datasets = format!("--datasets {}", ws.path("datasets").display());
    let started = std::time::Instant::now();
    while common::processes_with(&datasets) == 0 {
        assert!(
            started.elapsed().as_secs() < 120,
            "the checks never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::process::Command::new("kill")
        .args(["-INT", &learnml.id().to_string()])
        .status()
        .unwrap();
    let status = learnml.wait().unwrap();
    assert_eq!(status.code(), Some(130), "learnml exits as interrupted");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        common::processes_with(&datasets),
        0,
        "the check binary outlived Ctrl-C"
    );
}
