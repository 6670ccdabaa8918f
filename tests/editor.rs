//! Editor support, checked with rust-analyzer itself: the package learnml writes in `work/`
//! gives every work file full analysis (the course's crates resolve, a type error is found in
//! the file that has it), and a file that does not even parse spoils no other.

mod common;

use common::Workspace;

/// rust-analyzer comes with rustup (`rustup component add rust-analyzer rust-src`); CI installs
/// it. Elsewhere a machine without it skips this test, saying so.
fn rust_analyzer_available() -> bool {
    let found = std::process::Command::new("rust-analyzer")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must test editor support: `rustup component add rust-analyzer rust-src`"
        );
        eprintln!("skipped: no rust-analyzer (rustup component add rust-analyzer rust-src)");
    }
    found
}

#[test]
fn rust_analyzer_finds_a_type_error_in_its_work_file_and_nowhere_else() {
    if !rust_analyzer_available() {
        return;
    }
    let ws = Workspace::new(&["foundations"]);
    for id in [
        "foundations/arrays",
        "foundations/vectors",
        "foundations/matrices",
    ] {
        let shown = ws.run(&["show", id]);
        assert_eq!(shown.code, 0, "{}", shown.stderr);
    }
    let arrays = ws.read("work/foundations/arrays.rs");
    let broken = arrays.replace(
        "    let _ = rows;\n",
        "    let count: usize = \"not a number\";\n    let _ = (rows, count);\n",
    );
    assert_ne!(
        broken, arrays,
        "the stub of arrays changed: update this test"
    );
    ws.write("work/foundations/arrays.rs", &broken);
    ws.write("work/foundations/matrices.rs", "this is not rust\n");

    let output = std::process::Command::new("rust-analyzer")
        .arg("diagnostics")
        .arg(ws.path("work"))
        .output()
        .expect("rust-analyzer runs");
    // Progress is drawn with carriage returns; each diagnostic ends up on a line of its own.
    let text = String::from_utf8_lossy(&output.stdout).replace('\r', "\n")
        + &String::from_utf8_lossy(&output.stderr).replace('\r', "\n");
    let errors_in = |file: &str| -> Vec<String> {
        let marker = format!("file {}: Error", ws.path(file).display());
        text.lines()
            .filter_map(|line| line.find(&marker).map(|at| line[at..].to_string()))
            .collect()
    };
    let arrays_errors = errors_in("work/foundations/arrays.rs");
    assert!(
        arrays_errors
            .iter()
            .any(|e| e.contains("E0308") && e.contains("expected usize, found &'static str")),
        "the type error is reported in arrays.rs:\n{text}"
    );
    assert_eq!(
        arrays_errors.len(),
        1,
        "only the deliberate error in arrays.rs (ndarray's types resolve):\n{text}"
    );
    assert!(
        errors_in("work/foundations/vectors.rs").is_empty(),
        "the untouched stub has no error:\n{text}"
    );
    assert!(
        !errors_in("work/foundations/matrices.rs").is_empty(),
        "the file that does not parse is reported:\n{text}"
    );
}
