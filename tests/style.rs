//! Course files are code learners read: stubs, reference solutions and graders (and the
//! template of new ones) are formatted like the rest of the project (`rustfmt --edition 2024`,
//! default settings).

use std::path::{Path, PathBuf};
use std::process::Command;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn stubs_solutions_and_graders_are_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    // `learnml dev new` copies the template into new exercises.
    for folder in ["exercises", "src/template"] {
        rust_files(&root.join(folder), &mut files);
    }
    assert!(!files.is_empty());
    let output = Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .output()
        .expect("rustfmt runs (rustup component add rustfmt)");
    assert!(
        output.status.success(),
        "run `rustfmt --edition 2024` on these files:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn solutions_catalogues_and_graders_are_clippy_clean() {
    use learnml::build::{self, Source};
    use learnml::verify;
    use learnml::workspace::Workspace;

    let ws = Workspace::at(env!("CARGO_MANIFEST_DIR")).expect("the curriculum loads");
    // Catalogued mistakes and alternatives are code learners compare theirs with: they are
    // linted like the solutions (each with its grader).
    let binaries: Vec<_> = ws
        .curriculum
        .exercises()
        .flat_map(|e| {
            verify::sources(&ws, e)
                .into_iter()
                .filter(|s| *s != Source::Stub)
                .map(move |s| (e, s))
        })
        .collect();
    let findings = build::clippy(&ws, &binaries).expect("cargo clippy runs");
    assert!(
        findings.is_empty(),
        "{} clippy finding(s):\n{}",
        findings.len(),
        findings.join("\n\n")
    );
}
