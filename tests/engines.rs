//! Gradescope and GitHub Classroom: the exported scripts really run, against a folder laid
//! out like Gradescope's /autograder and a learner's repository, with the runner built here.

mod common;

use std::process::Command;

use common::Workspace;

fn max_points(ws: &Workspace, id: &str) -> u64 {
    let manifest: toml::Table =
        toml::from_str(&ws.read(&format!("exercises/{id}/exercise.toml"))).unwrap();
    manifest["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|check| check["points"].as_integer().unwrap() as u64)
        .sum()
}

fn script(path: &std::path::Path) -> Command {
    let mut command = Command::new("bash");
    command
        .arg(path)
        .env("LEARNML_BIN", env!("CARGO_BIN_EXE_learnml"))
        .env("LEARNML_TARGET_DIR", common::repo().join("target/course"));
    command
}

#[test]
fn gradescope_run_autograder_grades_a_submission_into_results_json() {
    let ws = Workspace::new(&["foundations"]);
    let output = ws.run(&[
        "export",
        "gradescope",
        "bundle",
        "--exercise",
        "foundations/arrays",
        "--exercise",
        "foundations/vectors",
    ]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let setup = Command::new("bash")
        .args(["-n"])
        .arg(ws.path("bundle/setup.sh"))
        .status()
        .unwrap();
    assert!(setup.success(), "setup.sh is a valid script");
    // The assignment's exercises all build in the light package: setup compiles only it.
    assert!(
        ws.read("bundle/setup.sh")
            .contains("for id in 'foundations/arrays'; do"),
        "setup.sh checks one exercise of the one package the assignment needs"
    );

    // /autograder as Gradescope lays it out: the bundle unpacked into source/, the upload in
    // submission/ (files dropped in the form arrive flat).
    std::fs::rename(ws.path("bundle/learnml"), {
        std::fs::create_dir_all(ws.path("autograder/source")).unwrap();
        ws.path("autograder/source/learnml")
    })
    .unwrap();
    ws.write(
        "autograder/submission/arrays.rs",
        &ws.read("exercises/foundations/arrays/solution.rs"),
    );
    ws.write(
        "autograder/submission/foundations/vectors.rs",
        &ws.read("exercises/foundations/vectors/mistakes/l2_without_sqrt.rs"),
    );
    let run = script(&ws.path("bundle/run_autograder"))
        .env("LEARNML_AUTOGRADER_ROOT", ws.path("autograder"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let results: serde_json::Value =
        serde_json::from_str(&ws.read("autograder/results/results.json")).unwrap();
    let tests = results["tests"].as_array().unwrap();
    let arrays = max_points(&ws, "foundations/arrays");
    let vectors = max_points(&ws, "foundations/vectors");
    let max: u64 = tests.iter().map(|t| t["max_score"].as_u64().unwrap()).sum();
    assert_eq!(max, arrays + vectors, "{results:#}");
    let score: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
    assert_eq!(results["score"].as_u64(), Some(score));
    assert!(
        score >= arrays && score < arrays + vectors,
        "arrays passes, the mistake in vectors does not: {results:#}"
    );
    let norm = tests
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .starts_with("foundations/vectors · norm")
        })
        .unwrap_or_else(|| panic!("a test per check of vectors: {results:#}"));
    assert_eq!(norm["status"], "failed", "{norm}");
    assert!(
        norm["output"].as_str().unwrap().starts_with("fail: "),
        "{norm}"
    );
    assert!(tests.iter().all(|t| t["visibility"] == "visible"));
    // The submission is graded against the course's graders and nothing is left behind.
    assert!(!ws.path("autograder/source/learnml/work").exists());
}

#[test]
fn classroom_workflow_script_reports_points_in_classrooms_format() {
    let ws = Workspace::new(&["foundations"]);
    let output = ws.run(&["export", "classroom", "classroom"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let workflow = ws.read("classroom/.github/workflows/learnml.yml");
    for needed in [
        "on: [push",
        "bash course/.github/learnml-classroom.sh submission course",
        "classroom-resources/autograding-grading-reporter@v1",
        "LEARNML_RESULTS: ${{ steps.learnml.outputs.result }}",
        "runners: learnml",
    ] {
        assert!(workflow.contains(needed), "{needed} in:\n{workflow}");
    }

    // A learner's repository: their work/ folder, and a rigged copy of a grader that must
    // not be used.
    ws.write(
        "learner/work/foundations/arrays.rs",
        &ws.read("exercises/foundations/arrays/solution.rs"),
    );
    ws.write(
        "learner/work/foundations/describe.rs",
        &ws.read("exercises/foundations/describe/stub.rs"),
    );
    ws.write(
        "learner/exercises/foundations/describe/grader.rs",
        "pub const CHECKS: &[(&str, fn())] = &[];",
    );
    let github_output = ws.path("github_output");
    let run = script(&ws.path("classroom/.github/learnml-classroom.sh"))
        .arg(ws.path("learner"))
        .arg(ws.root())
        .args([
            "--exercise",
            "foundations/arrays",
            "--exercise",
            "foundations/describe",
        ])
        .env("GITHUB_OUTPUT", &github_output)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let printed = String::from_utf8_lossy(&run.stdout).into_owned();
    let result: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(result["version"], 1);
    assert_eq!(result["status"], "fail", "describe is a stub");
    let arrays = max_points(&ws, "foundations/arrays");
    assert_eq!(
        result["max_score"].as_u64(),
        Some(arrays + max_points(&ws, "foundations/describe"))
    );
    let tests = result["tests"].as_array().unwrap();
    let score: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
    assert_eq!(score, arrays, "{result:#}");
    assert!(
        tests
            .iter()
            .all(|t| ["pass", "fail"].contains(&t["status"].as_str().unwrap()))
    );
    // The step's output is the same result, base64, as the reporter reads it.
    let line = std::fs::read_to_string(&github_output).unwrap();
    let encoded = line.trim_end().strip_prefix("result=").unwrap();
    let decoded = Command::new("base64")
        .arg("-d")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(encoded.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&decoded.stdout), printed.trim_end());
}
