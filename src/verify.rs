//! The integrity of the exercise set (rustlings' `dev check`, extended): for one exercise,
//! the grader implements exactly the manifest's checks, the shipped stub earns nothing and
//! only "not attempted" or "fail", and the reference solution passes every check, clearing
//! each metric bar with margin; and the exercise set holds no stray file (one nothing uses, a
//! folder no manifest lists). Used by `learnml dev verify` and by the test suite.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use learnml_protocol::{Goal, Outcome};

use crate::build::{self, Built, Source};
use crate::engine;
use crate::grade::GradeReport;
use crate::manifest::{
    self, CURRICULUM_FILE, Curriculum, EXERCISE_FILE, EXERCISE_FILES, Exercise, MODULE_FILE,
};
use crate::sandbox::{self, Ending, Limits};

/// How far past its bar the reference solution must land, relative to the bar: a bar the
/// reference clears by a hair would fail learners for noise.
pub const MIN_RELATIVE_MARGIN: f64 = 0.01;

pub struct Verified {
    pub stub: GradeReport,
    pub solution: GradeReport,
    /// Everything wrong with the exercise; empty when it is sound.
    pub problems: Vec<String>,
}

pub fn verify(root: &Path, exercise: &Exercise) -> Result<Verified> {
    let mut problems = strays_in_exercise(root, exercise)?;
    let id = exercise.id();
    let declared: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
    match build::build(root, exercise, &Source::Solution, false)? {
        Built::CompileErrors(errors) => problems.push(format!(
            "{id}: the solution does not compile:\n{}",
            errors.join("\n")
        )),
        Built::Binary(binary) => {
            let limits = Limits {
                time: Duration::from_secs(10),
                memory_bytes: 1 << 30,
                output_bytes: 64 * 1024,
            };
            let listed = sandbox::run(&binary, &["--list"], root, &[], limits)?;
            if listed.ending != Ending::Exited(0) {
                bail!("{id}: `--list` failed: {}", listed.stderr);
            }
            let implemented: Vec<&str> = listed.stdout.lines().collect();
            if implemented != declared {
                problems.push(format!(
                    "{id}: the grader's checks {implemented:?} differ from {}'s {declared:?}",
                    exercise.folder().join(EXERCISE_FILE).display()
                ));
            }
        }
    }
    let solution = engine::evaluate(root, exercise, &Source::Solution, false)?;
    for check in &solution.checks {
        if check.outcome != Outcome::Pass {
            problems.push(format!(
                "{id}: the solution does not pass `{}`: {}",
                check.id, check.message
            ));
        }
        if let Some(metric) = &check.metric {
            let margin = match metric.goal {
                Goal::AtLeast => metric.value - metric.bar,
                Goal::AtMost => metric.bar - metric.value,
            };
            if margin < MIN_RELATIVE_MARGIN * metric.bar.abs() {
                problems.push(format!(
                    "{id}: the solution clears the bar of `{}` by a hair: {} = {} against {}",
                    check.id, metric.name, metric.value, metric.bar
                ));
            }
        }
    }
    let stub = engine::evaluate(root, exercise, &Source::Stub, false)?;
    if stub.points != 0 {
        problems.push(format!("{id}: the stub earns {} points", stub.points));
    }
    for check in &stub.checks {
        if !matches!(check.outcome, Outcome::NotAttempted | Outcome::Fail) {
            problems.push(format!(
                "{id}: the stub's `{}` is {:?}, not `not attempted` or `fail`: {}",
                check.id, check.outcome, check.message
            ));
        }
    }
    Ok(Verified {
        stub,
        solution,
        problems,
    })
}

/// The entries of `dir` (relative to `root`) as relative paths, sorted.
fn entries(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join(dir))
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read the folder {}", dir.display()))?;
        found.push(dir.join(entry.file_name()));
    }
    found.sort();
    Ok(found)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files of the exercise's folder that nothing uses.
fn strays_in_exercise(root: &Path, exercise: &Exercise) -> Result<Vec<String>> {
    let mut strays = Vec::new();
    for path in entries(root, &exercise.folder())? {
        if !EXERCISE_FILES.contains(&file_name(&path).as_str()) {
            strays.push(format!(
                "{}: nothing uses it (an exercise folder holds {})",
                path.display(),
                EXERCISE_FILES.join(", ")
            ));
        }
    }
    Ok(strays)
}

/// What `exercises/` holds beyond the listed modules and exercises: a folder no manifest
/// lists, a module file no grader includes, any other file. (An exercise the manifest lists
/// without a folder does not load at all.) The files inside each exercise's folder are
/// [`verify`]'s business.
pub fn unlisted(root: &Path, curriculum: &Curriculum) -> Result<Vec<String>> {
    let mut strays = Vec::new();
    for path in entries(root, Path::new(manifest::EXERCISES_DIR))? {
        let name = file_name(&path);
        if path == Path::new(CURRICULUM_FILE) {
            continue;
        }
        let Some(module) = curriculum.modules.iter().find(|m| m.name == name) else {
            strays.push(format!(
                "{}: not a module of {CURRICULUM_FILE}",
                path.display()
            ));
            continue;
        };
        let module_file = path.join(MODULE_FILE);
        let mut graders = String::new();
        for exercise in &module.exercises {
            let grader = exercise.grader_path();
            graders += &std::fs::read_to_string(root.join(&grader))
                .with_context(|| format!("cannot read {}", grader.display()))?;
        }
        for inside in entries(root, &path)? {
            let name = file_name(&inside);
            if inside == module_file || module.exercises.iter().any(|e| e.name == name) {
                continue;
            }
            let problem = if root.join(&inside).is_dir() {
                format!(
                    "{}: {} does not list it",
                    inside.display(),
                    module_file.display()
                )
            } else if name.ends_with(".rs") {
                // Graders include their module's shared helpers as `#[path = "../NAME.rs"]`.
                if graders.contains(&format!("\"../{name}\"")) {
                    continue;
                }
                format!(
                    "{}: no grader of `{}` includes it (`#[path = \"../{name}\"]`)",
                    inside.display(),
                    module.name
                )
            } else {
                format!(
                    "{}: nothing uses it (a module folder holds {MODULE_FILE}, its exercises' folders and the helpers its graders share)",
                    inside.display()
                )
            };
            strays.push(problem);
        }
    }
    Ok(strays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::testing::{workspace, write};

    #[test]
    fn stray_files_and_folders_are_named() {
        let ws = workspace();
        let root = ws.path();
        let load = || Curriculum::load(root).unwrap();
        let exercise = load().find("m/e").unwrap().clone();
        assert!(strays_in_exercise(root, &exercise).unwrap().is_empty());
        assert!(unlisted(root, &load()).unwrap().is_empty());

        write(root, "exercises/m/e/notes.txt", "draft");
        write(root, "exercises/m/e/old/stub.rs", "// an old stub");
        assert_eq!(
            strays_in_exercise(root, &exercise).unwrap(),
            [
                "exercises/m/e/notes.txt: nothing uses it (an exercise folder holds exercise.toml, statement.md, stub.rs, solution.rs, grader.rs)",
                "exercises/m/e/old: nothing uses it (an exercise folder holds exercise.toml, statement.md, stub.rs, solution.rs, grader.rs)",
            ]
        );

        write(root, "exercises/m/draft/stub.rs", "// not listed yet");
        write(root, "exercises/m/common.rs", "pub fn shared() {}");
        write(root, "exercises/m/README", "about m");
        write(root, "exercises/other/module.toml", "title = \"O\"");
        assert_eq!(
            unlisted(root, &load()).unwrap(),
            [
                "exercises/m/README: nothing uses it (a module folder holds module.toml, its exercises' folders and the helpers its graders share)",
                "exercises/m/common.rs: no grader of `m` includes it (`#[path = \"../common.rs\"]`)",
                "exercises/m/draft: exercises/m/module.toml does not list it",
                "exercises/other: not a module of exercises/curriculum.toml",
            ]
        );

        // A helper a grader includes is in use.
        let grader = root.join("exercises/m/e/grader.rs");
        let text = std::fs::read_to_string(&grader).unwrap();
        std::fs::write(
            &grader,
            format!("#[path = \"../common.rs\"]\nmod common;\n{text}"),
        )
        .unwrap();
        assert!(
            !unlisted(root, &load())
                .unwrap()
                .iter()
                .any(|s| s.contains("common.rs"))
        );
    }
}
