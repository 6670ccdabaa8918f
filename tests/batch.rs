//! Batch grading: several learners' submissions in, a gradebook and per-check pass rates out;
//! a submission that does not compile, or is missing, never stops the batch.

mod common;

use common::Workspace;

#[test]
fn a_class_is_graded_into_a_gradebook_and_item_analysis() {
    let ws = Workspace::new(&["preprocessing"]);
    let submissions = ws.path("class");
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    let stub = ws.read("exercises/preprocessing/load_csv/stub.rs");
    ws.write("class/alice/preprocessing/load_csv.rs", &solution);
    ws.write("class/bob/work/preprocessing/load_csv.rs", &stub);
    ws.write(
        "class/Carol Smith/preprocessing/load_csv.rs",
        &solution.replace("Ok((features, labels))", "Ok((features labels))"),
    );
    std::fs::create_dir_all(submissions.join("dave")).unwrap();
    // A learner's copy of the grader must not be used: this one would pass everything.
    ws.write(
        "class/bob/exercises/preprocessing/load_csv/grader.rs",
        "pub const CHECKS: &[(&str, fn())] = &[];",
    );

    let output = ws.run(&["grade", "class", "--out", "grades"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    insta::assert_snapshot!("grade_summary", output.stdout);
    insta::assert_snapshot!("gradebook", ws.read("grades/gradebook.csv"));
    insta::assert_snapshot!("item_analysis", ws.read("grades/item_analysis.csv"));
    let carol: serde_json::Value =
        serde_json::from_str(&ws.read("grades/reports/carol_smith/preprocessing__load_csv.json"))
            .unwrap();
    assert!(
        carol["compile_errors"][0]
            .as_str()
            .unwrap()
            .contains("target/learnml-batch/carol_smith/preprocessing/load_csv.rs")
    );
    assert!(
        !ws.path("target/learnml-batch/alice").exists(),
        "the batch copies are cleaned up"
    );
    assert!(
        !ws.path("course/src/bin/sub-alice-preprocessing-load_csv.rs")
            .exists()
    );
}

#[test]
fn an_empty_submissions_folder_is_a_clear_error() {
    let ws = Workspace::new(&["preprocessing"]);
    std::fs::create_dir_all(ws.path("empty")).unwrap();
    let output = ws.run(&["grade", "empty"]);
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("holds no learner folders"),
        "{}",
        output.stderr
    );
}

#[test]
fn symlinks_and_colliding_names_are_refused_or_kept_apart() {
    let ws = Workspace::new(&["preprocessing"]);
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    let stub = ws.read("exercises/preprocessing/load_csv/stub.rs");
    ws.write("class/alice/preprocessing/load_csv.rs", &solution);
    ws.write("class/Bob/preprocessing/load_csv.rs", &solution);
    ws.write("class/bob/preprocessing/load_csv.rs", &stub);
    // Mallory links to Alice's file, to the system's password file, and to her whole folder.
    std::fs::create_dir_all(ws.path("class/mallory/preprocessing")).unwrap();
    std::os::unix::fs::symlink(
        ws.path("class/alice/preprocessing/load_csv.rs"),
        ws.path("class/mallory/preprocessing/load_csv.rs"),
    )
    .unwrap();
    std::fs::create_dir_all(ws.path("class/oscar")).unwrap();
    std::os::unix::fs::symlink("/etc", ws.path("class/oscar/work")).unwrap();
    std::os::unix::fs::symlink(ws.path("class/alice"), ws.path("class/trudy")).unwrap();

    let output = ws.run(&["grade", "class", "--out", "grades"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let gradebook = ws.read("grades/gradebook.csv");
    let row = |learner: &str| -> String {
        gradebook
            .lines()
            .find(|line| line.starts_with(&format!("{learner},")))
            .unwrap_or_else(|| panic!("no row for {learner}: {gradebook}"))
            .to_string()
    };
    let max = row("(max)");
    let full = max.split(',').nth(1).unwrap();
    assert!(
        row("alice").starts_with(&format!("alice,{full},")),
        "{gradebook}"
    );
    assert!(
        row("Bob").starts_with(&format!("Bob,{full},")),
        "{gradebook}"
    );
    assert!(row("bob").starts_with("bob,0,"), "{gradebook}");
    assert!(row("mallory").starts_with("mallory,0,"), "{gradebook}");
    assert!(
        row("mallory").contains("preprocessing/load_csv.rs is a symbolic link: not graded"),
        "{gradebook}"
    );
    assert!(
        row("oscar").contains("work is a symbolic link"),
        "{gradebook}"
    );
    assert!(
        row("trudy").contains("folder is a symbolic link"),
        "{gradebook}"
    );
    assert!(!gradebook.contains("root:"), "{gradebook}");
    // Bob and bob have reports of their own.
    let bob_upper: serde_json::Value =
        serde_json::from_str(&ws.read("grades/reports/bob/preprocessing__load_csv.json")).unwrap();
    let bob_lower: serde_json::Value =
        serde_json::from_str(&ws.read("grades/reports/bob_2/preprocessing__load_csv.json"))
            .unwrap();
    assert_eq!(bob_upper["passed"], true);
    assert_eq!(bob_lower["passed"], false);
}
