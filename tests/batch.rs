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

#[test]
fn shares_graded_apart_merge_into_the_unsharded_gradebook() {
    let ws = Workspace::new(&["preprocessing"]);
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    let stub = ws.read("exercises/preprocessing/load_csv/stub.rs");
    for (i, learner) in ["ana", "Ben", "chloé", "dev", "eve", "Finn"]
        .iter()
        .enumerate()
    {
        let file = if i % 2 == 0 { &solution } else { &stub };
        ws.write(&format!("class/{learner}/preprocessing/load_csv.rs"), file);
    }
    assert_eq!(ws.run(&["grade", "class", "--out", "whole"]).code, 0);
    let mut shares = Vec::new();
    for k in 1..=3 {
        let out = format!("share{k}");
        let partition = format!("{k}/3");
        let output = ws.run(&["grade", "class", "--out", &out, "--partition", &partition]);
        assert_eq!(output.code, 0, "{}", output.stderr);
        shares.push(out);
    }
    let mut merge = vec!["grade", "merge", "--out", "merged"];
    merge.extend(shares.iter().map(String::as_str));
    let output = ws.run(&merge);
    assert_eq!(output.code, 0, "{}", output.stderr);
    for file in ["gradebook.csv", "item_analysis.csv", "results.json"] {
        assert_eq!(
            ws.read(&format!("merged/{file}")),
            ws.read(&format!("whole/{file}")),
            "{file}"
        );
    }
    let reports = |dir: &str| -> Vec<(String, String)> {
        let mut found = Vec::new();
        for learner in std::fs::read_dir(ws.path(dir)).unwrap() {
            let learner = learner.unwrap().path();
            for report in std::fs::read_dir(&learner).unwrap() {
                let report = report.unwrap().path();
                found.push((
                    report
                        .strip_prefix(ws.path(dir))
                        .unwrap()
                        .display()
                        .to_string(),
                    std::fs::read_to_string(&report).unwrap(),
                ));
            }
        }
        found.sort();
        found
    };
    assert_eq!(reports("merged/reports"), reports("whole/reports"));
    // Each learner was graded in exactly one share; merging a share twice is refused.
    let twice = ws.run(&["grade", "merge", "--out", "again", "share1", "share1"]);
    let share1 = ws.read("share1/results.json");
    if share1.contains("\"learner\"") {
        assert_eq!(twice.code, 2, "{}", twice.stdout);
        assert!(
            twice.stderr.contains("graded in two shares"),
            "{}",
            twice.stderr
        );
    }
}

#[test]
fn a_share_that_is_not_k_of_n_is_a_usage_error() {
    let ws = Workspace::new(&["preprocessing"]);
    std::fs::create_dir_all(ws.path("class/ana")).unwrap();
    for bad in ["0/3", "4/3", "two/3", "3"] {
        let output = ws.run(&["grade", "class", "--partition", bad]);
        assert_eq!(output.code, 2, "{bad}");
        assert!(
            output.stderr.contains("is not a share"),
            "{}",
            output.stderr
        );
    }
}

/// Identical files are graded once: the second learner gets the same grade, with the paths
/// of the report naming their own copy, and the summary says how many files were shared.
#[test]
fn identical_files_are_graded_once_each_report_naming_its_learner() {
    let ws = Workspace::new(&["preprocessing"]);
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    let broken = solution.replace("Ok((features, labels))", "Ok((features labels))");
    ws.write("class/ann/preprocessing/load_csv.rs", &broken);
    ws.write("class/ben/preprocessing/load_csv.rs", &broken);
    ws.write("class/cy/preprocessing/load_csv.rs", &solution);
    ws.write("class/dee/preprocessing/load_csv.rs", &solution);
    ws.write(
        "class/eve/preprocessing/load_csv.rs",
        &format!("{solution}\n// mine\n"),
    );

    let output = ws.run(&["grade", "class", "--out", "grades"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output
            .stdout
            .contains("2 submitted file(s) were byte for byte another learner's"),
        "{}",
        output.stdout
    );
    let report = |learner: &str| -> serde_json::Value {
        serde_json::from_str(&ws.read(&format!(
            "grades/reports/{learner}/preprocessing__load_csv.json"
        )))
        .unwrap()
    };
    for learner in ["ann", "ben"] {
        let errors = report(learner)["compile_errors"].to_string();
        assert!(
            errors.contains(&format!(
                "target/learnml-batch/{learner}/preprocessing/load_csv.rs"
            )),
            "{learner}'s report names their own file: {errors}"
        );
    }
    assert_eq!(report("cy")["checks"], report("dee")["checks"]);
    assert_eq!(report("cy")["checks"], report("eve")["checks"]);
    assert_eq!(report("dee")["passed"], true);
}

/// `learnml grade` compiles learners' files into binaries of several files (one exercise's
/// files from several learners where it can); grading every file as its own binary (what
/// `learnml check` does) must give the same gradebook and reports, down to compile errors and
/// refusals, in both course packages.
#[test]
fn combined_binaries_grade_exactly_as_one_binary_per_exercise() {
    let ws = Workspace::new(&["preprocessing"]);
    let exercises = [
        "features",
        "impute",
        "leakage",
        "load_csv",
        "missing_counts",
        "one_hot",
        "outliers",
        "scale",
        "split",
    ];
    for (i, name) in exercises.iter().enumerate() {
        let folder = format!("exercises/preprocessing/{name}");
        let solution = ws.read(&format!("{folder}/solution.rs"));
        let mistake = std::fs::read_dir(ws.path(&format!("{folder}/mistakes")))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .min()
            .unwrap();
        let files = [
            solution.clone(),
            ws.read(&format!("{folder}/stub.rs")),
            std::fs::read_to_string(mistake).unwrap(),
            // Compiles with a warning (batch grading reports none).
            format!("{solution}\nfn unused_helper() -> u32 {{\n    let x = 1;\n    2\n}}\n"),
        ];
        for (k, learner) in ["ann", "ben", "cy", "dee"].iter().enumerate() {
            let file = &files[(i + k) % files.len()];
            ws.write(&format!("class/{learner}/preprocessing/{name}.rs"), file);
        }
    }
    // A file that does not compile (in each package), one refused before compiling, one that
    // compiles only as its exercise's own binary (it names that binary's `checks`), and one
    // that would compile only beside another learner's file.
    let append = |path: &str, text: &str| {
        let old = ws.read(path);
        ws.write(path, &format!("{old}{text}"));
    };
    append(
        "class/ann/preprocessing/load_csv.rs",
        "\nfn typo() -> u32 { \"three\" }\n",
    );
    append(
        "class/ann/preprocessing/scale.rs",
        "\nfn typo() -> u32 { \"three\" }\n",
    );
    append(
        "class/ben/preprocessing/split.rs",
        "\nconst PEEK: &str = include_str!(\"grader.rs\");\n",
    );
    append(
        "class/cy/preprocessing/impute.rs",
        "\n#[allow(dead_code)]\nfn reach() {\n    let _ = crate::checks::run;\n}\n",
    );
    // A binary may hold several learners' files of one exercise: a macro one learner exports
    // (to the crate root) must not make another learner's file compile that would not alone.
    append(
        "class/ann/preprocessing/outliers.rs",
        "\n#[macro_export]\nmacro_rules! shout {\n    () => {\n        1\n    };\n}\n",
    );
    append(
        "class/ben/preprocessing/outliers.rs",
        "\n#[allow(dead_code)]\nfn borrowed() -> u32 {\n    crate::shout!()\n}\n",
    );

    let alone = ws.run_env(
        &[("LEARNML_BATCH_PER_EXERCISE", "1")],
        &["grade", "class", "--out", "alone"],
    );
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    let combined = ws.run(&["grade", "class", "--out", "combined"]);
    assert_eq!(combined.code, 0, "{}", combined.stderr);
    // The same summary, and the combined binaries were used (most files compile together).
    let (shared, rest): (Vec<&str>, Vec<&str>) = combined
        .stdout
        .lines()
        .filter(|line| !line.is_empty())
        .partition(|line| line.contains("compiled together with other files"));
    assert_eq!(shared.len(), 1, "{}", combined.stdout);
    let count: usize = shared[0].split(' ').next().unwrap().parse().unwrap();
    assert!(count >= 10, "{}", shared[0]);
    let alone: Vec<&str> = alone
        .stdout
        .lines()
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(
        rest.join("\n").replace("combined/", "alone/"),
        alone.join("\n")
    );
    for file in ["gradebook.csv", "item_analysis.csv", "results.json"] {
        let combined = ws.read(&format!("combined/{file}"));
        let alone = ws.read(&format!("alone/{file}"));
        // The first line that differs, rather than two whole files.
        let differs = combined
            .lines()
            .zip(alone.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        assert_eq!(differs, None, "{file}");
        assert_eq!(combined.lines().count(), alone.lines().count(), "{file}");
    }
    let results = ws.read("combined/results.json");
    for expected in ["mismatched types", "include_str"] {
        assert!(results.contains(expected), "{expected} in {results}");
    }
    assert!(
        std::fs::read_dir(ws.path("course-core/src/bin")).map_or(true, |mut entries| entries.all(
            |e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("batch-")
        )),
        "combined mains are removed"
    );
}

/// A killed `learnml grade` leaves its combined binaries behind; the next one removes them,
/// but never those of a grading that still runs (another share, in the same checkout).
#[test]
fn a_killed_gradings_binaries_are_removed_by_the_next() {
    let ws = Workspace::new(&["preprocessing"]);
    let solution = ws.read("exercises/preprocessing/load_csv/solution.rs");
    ws.write("class/ann/preprocessing/load_csv.rs", &solution);
    // No process has this id (above Linux's largest, 2^22); this test's process runs.
    let dead = "batch-99999999-course-core-0";
    let running = format!("batch-{}-course-core-0", std::process::id());
    for name in [dead, running.as_str()] {
        ws.write(&format!("course-core/src/bin/{name}.rs"), "fn main() {}\n");
    }

    let output = ws.run(&["grade", "class", "--out", "grades"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(!ws.path(&format!("course-core/src/bin/{dead}.rs")).exists());
    assert!(
        ws.path(&format!("course-core/src/bin/{running}.rs"))
            .exists()
    );
}
