//! Grading on the engines classes already use, rather than a cluster of learnml's own:
//! Gradescope runs one container per submission (`learnml export gradescope` writes its
//! autograder bundle), GitHub Classroom runs one Actions job per learner's repository
//! (`learnml export classroom` writes the workflow). Both run [`results`]: one learner's
//! files graded by `learnml grade` against the instructor's graders, in the engine's format.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use learnml_protocol::Outcome;
use serde_json::json;

use crate::batch::{self, LearnerResult};
use crate::build::{self, Package, Source};
use crate::check;
use crate::export;
use crate::manifest::{Curriculum, Exercise};
use crate::workspace::Workspace;

/// The engines [`results`] writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// Gradescope's `results.json`: a test per check, with score, max_score and output.
    Gradescope,
    /// The result GitHub Classroom's grading reporter reads (version 1, tests with points).
    Classroom,
}

/// The exercises an assignment covers: those named (an id, or a module for all of its
/// exercises), or every exercise when none is.
fn chosen<'a>(curriculum: &'a Curriculum, only: &[String]) -> Result<Vec<&'a Exercise>> {
    if only.is_empty() {
        return Ok(curriculum.exercises().collect());
    }
    let mut chosen: Vec<&Exercise> = Vec::new();
    for name in only {
        let module: Vec<&Exercise> = curriculum
            .exercises()
            .filter(|e| &e.module == name)
            .collect();
        let found = if module.is_empty() {
            vec![curriculum.find(name)?]
        } else {
            module
        };
        for exercise in found {
            if !chosen.iter().any(|e| e.id() == exercise.id()) {
                chosen.push(exercise);
            }
        }
    }
    Ok(chosen)
}

/// Grade one learner's SUBMISSION (an upload, or a clone of their repository) and give the
/// engine's report on the exercises `only` names (all when empty). Files are found as batch
/// grading finds them (`MODULE/NAME.rs`, `work/MODULE/NAME.rs`), and also as `NAME.rs` at
/// the top (Gradescope flattens files dropped in its upload form). Learner code must run
/// confined, as in `learnml grade`.
pub fn results(
    ws: &Workspace,
    submission: &Path,
    engine: Engine,
    only: &[String],
) -> Result<String> {
    let exercises = chosen(&ws.curriculum, only)?;
    if !submission.is_dir() {
        bail!("the submission {} is not a folder", submission.display());
    }
    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    let class = scratch.path().join("class");
    let learner = class.join("submission");
    let mut notes = Vec::new();
    for exercise in &exercises {
        let relative = Path::new(&exercise.module).join(format!("{}.rs", exercise.name));
        let candidates = [
            submission.join(&relative),
            submission.join("work").join(&relative),
            submission.join(format!("{}.rs", exercise.name)),
        ];
        let Some(found) = candidates
            .iter()
            .find(|path| std::fs::symlink_metadata(path).is_ok())
        else {
            continue;
        };
        // Only regular files are graded: a link could point at anything on the machine.
        if !std::fs::symlink_metadata(found)?.file_type().is_file() {
            notes.push(format!(
                "{} is not a regular file: not graded",
                found.strip_prefix(submission).unwrap_or(found).display()
            ));
            continue;
        }
        let copy = learner.join(&relative);
        std::fs::create_dir_all(copy.parent().expect("a file has a folder"))?;
        std::fs::copy(found, &copy).with_context(|| format!("cannot copy {}", found.display()))?;
    }
    std::fs::create_dir_all(&learner)?;
    check::set_require_confinement(true);
    let graded = batch::grade_all(ws, &class, &scratch.path().join("grades"), None)?;
    let mut result = graded
        .into_iter()
        .next()
        .expect("the class holds one learner");
    if let Some(problem) = result.problem.take() {
        notes.push(problem);
    }
    Ok(match engine {
        Engine::Gradescope => gradescope(&exercises, &result, &notes),
        Engine::Classroom => classroom(&exercises, &result, &notes),
    })
}

/// A check of an exercise the learner did not submit: its points are lost, and the report
/// says which file was looked for.
fn not_submitted(exercise: &Exercise) -> String {
    format!(
        "not submitted: no {module}/{name}.rs (or work/{module}/{name}.rs, or {name}.rs) in the submission",
        module = exercise.module,
        name = exercise.name
    )
}

/// One row per check of every chosen exercise: name, points, max points, passed, text.
fn rows(exercises: &[&Exercise], result: &LearnerResult) -> Vec<(String, u32, u32, bool, String)> {
    let mut rows = Vec::new();
    for exercise in exercises {
        let report = result.reports.get(exercise.id());
        for (i, spec) in exercise.checks.iter().enumerate() {
            let name = format!("{} · {}: {}", exercise.id(), spec.id, spec.name);
            match report.and_then(|r| r.checks.get(i).map(|c| (r, c))) {
                Some((report, check)) => rows.push((
                    name,
                    check.points,
                    check.max_points,
                    check.outcome == Outcome::Pass,
                    format!(
                        "{}: {}",
                        export::outcome_word(check.outcome),
                        export::check_text(report, check)
                    ),
                )),
                None => rows.push((name, 0, spec.points, false, not_submitted(exercise))),
            }
        }
    }
    rows
}

fn gradescope(exercises: &[&Exercise], result: &LearnerResult, notes: &[String]) -> String {
    let rows = rows(exercises, result);
    let tests: Vec<serde_json::Value> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, score, max, passed, output))| {
            json!({
                "name": name,
                "number": format!("{}", i + 1),
                "score": score,
                "max_score": max,
                "status": if *passed { "passed" } else { "failed" },
                "output": output,
                "visibility": "visible",
            })
        })
        .collect();
    let score: u32 = rows.iter().map(|row| row.1).sum();
    let max: u32 = rows.iter().map(|row| row.2).sum();
    let mut output = format!("learnml: {score} of {max} points");
    for note in notes {
        output.push_str(&format!("\n{note}"));
    }
    export::json(&json!({
        "score": score,
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }))
}

/// The result format of GitHub Classroom's command grader, which its grading reporter sums.
fn classroom(exercises: &[&Exercise], result: &LearnerResult, notes: &[String]) -> String {
    let rows = rows(exercises, result);
    let tests: Vec<serde_json::Value> = rows
        .iter()
        .map(|(name, score, _, passed, output)| {
            json!({
                "name": name,
                "status": if *passed { "pass" } else { "fail" },
                "score": score,
                "message": output,
                "test_code": "",
                "filename": "",
                "line_no": 0,
            })
        })
        .collect();
    let mut value = json!({
        "version": 1,
        "status": if rows.iter().all(|row| row.3) { "pass" } else { "fail" },
        "max_score": rows.iter().map(|row| row.2).sum::<u32>(),
        "tests": tests,
    });
    if !notes.is_empty() {
        value["message"] = json!(notes.join("\n"));
    }
    serde_json::to_string(&value).expect("json serializes") + "\n"
}

/// What of the workspace an autograder needs to build the runner and grade: sources, the
/// course's manifest, the exercises and the datasets (no builds, no learner's work).
const COURSE_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "LICENSE-MIT",
    "README.md",
    "src",
    "benches",
    "kit",
    "grader",
    "protocol",
    "course/Cargo.toml",
    "course/Cargo.lock",
    "course-core/Cargo.toml",
    "course-core/Cargo.lock",
    "exercises",
    "datasets",
];

/// Copy `from` to `to`, following links: the instructor's own files.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
        for entry in
            std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
        {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("a file has a folder"))?;
        std::fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

fn write_script(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
    std::fs::write(path, text)
        .and_then(|()| std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Arguments naming the exercises, quoted for a shell script.
fn exercise_args(only: &[String]) -> String {
    only.iter()
        .map(|name| format!(" --exercise '{}'", name.replace('\'', "")))
        .collect()
}

const GRADESCOPE_SETUP: &str = r#"#!/usr/bin/env bash
# Written by `learnml export gradescope`. Gradescope runs this once, when it builds the
# autograder's image (with internet access): it installs a Rust toolchain if there is none,
# builds the learnml runner and compiles the crates of both course packages (ndarray; linfa
# and smartcore), so that grading a submission compiles only the learner's files.
set -euo pipefail
root="${LEARNML_AUTOGRADER_ROOT:-/autograder}"
course="$root/source/learnml"
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo > /dev/null; then
  apt-get update
  apt-get install -y --no-install-recommends ca-certificates curl build-essential
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
cd "$course"
cargo build --release
# Checking an exercise of each course package compiles its crates once, for every submission.
for id in @PREBUILD@; do
  ./target/release/learnml check "$id" > /dev/null || true
done
rm -rf work .learnml
"#;

const GRADESCOPE_RUN: &str = r#"#!/usr/bin/env bash
# Written by `learnml export gradescope`. Gradescope runs this for each submission: it grades
# the files in $root/submission against the course's own graders and writes
# $root/results/results.json (a test per check: score, max_score, output). When learnml
# cannot grade (no toolchain, learner code cannot be confined) no results are written, and
# Gradescope reports an autograder failure rather than a grade.
# LEARNML_AUTOGRADER_ROOT (default /autograder) and LEARNML_BIN (default the runner setup.sh
# built) let it run anywhere laid out like /autograder.
set -euo pipefail
root="${LEARNML_AUTOGRADER_ROOT:-/autograder}"
course="$root/source/learnml"
learnml="${LEARNML_BIN:-$course/target/release/learnml}"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$root/results"
cd "$course"
"$learnml" export results --engine gradescope @EXERCISES@ "$root/submission" > "$root/results/results.json.part"
mv "$root/results/results.json.part" "$root/results/results.json"
"#;

/// Write Gradescope's autograder bundle into `dir`: `setup.sh`, `run_autograder` and the
/// course in `learnml/` (Gradescope unpacks the bundle into /autograder/source).
pub fn export_gradescope(ws: &Workspace, dir: &Path, only: &[String]) -> Result<String> {
    let exercises = chosen(&ws.curriculum, only)?;
    // One exercise per package the assignment needs: checking it builds that package.
    let mut prebuild: Vec<(Package, &str)> = Vec::new();
    for exercise in &exercises {
        let package = build::package(ws, exercise, &Source::Stub);
        if !prebuild.iter().any(|(p, _)| *p == package) {
            prebuild.push((package, exercise.id()));
        }
    }
    let prebuild: Vec<String> = prebuild.iter().map(|(_, id)| format!("'{id}'")).collect();
    let course = dir.join("learnml");
    for file in COURSE_FILES {
        let from = ws.path(file);
        if from.exists() {
            copy_tree(&from, &course.join(file))?;
        }
    }
    write_script(
        &dir.join("setup.sh"),
        &GRADESCOPE_SETUP.replace("@PREBUILD@", &prebuild.join(" ")),
    )?;
    write_script(
        &dir.join("run_autograder"),
        &GRADESCOPE_RUN.replace("@EXERCISES@", exercise_args(only).trim_start()),
    )?;
    Ok(format!(
        "Wrote the Gradescope autograder into {dir}: zip its contents (setup.sh, run_autograder, learnml/) and upload the zip as the assignment's autograder.\n",
        dir = dir.display()
    ))
}

const CLASSROOM_SCRIPT: &str = r#"#!/usr/bin/env bash
# Written by `learnml export classroom`: grades a learner's repository (SUBMISSION) against
# the instructor's course (COURSE, a checkout of the course repository: its graders, never
# the learner's copies) and prints the result GitHub Classroom's grading reporter reads; in
# GitHub Actions it also sets the step's output `result` (the result, base64).
# usage: learnml-classroom.sh SUBMISSION COURSE [--exercise ID_OR_MODULE]...
# LEARNML_BIN names a runner already built (default: build COURSE's).
set -euo pipefail
submission=$(cd "$1" && pwd)
course=$(cd "$2" && pwd)
shift 2
learnml="${LEARNML_BIN:-}"
if [ -z "$learnml" ]; then
  (cd "$course" && cargo build --release --quiet)
  learnml="$course/target/release/learnml"
fi
result=$(cd "$course" && "$learnml" export results --engine classroom "$@" "$submission")
printf '%s\n' "$result"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'result=%s\n' "$(printf '%s' "$result" | base64 -w0)" >> "$GITHUB_OUTPUT"
fi
"#;

const CLASSROOM_WORKFLOW: &str = r#"# Written by `learnml export classroom`: on every push, grades the learner's exercises against
# the course repository named by the organization variable LEARNML_COURSE_REPOSITORY
# (owner/name; a private one needs the secret LEARNML_COURSE_TOKEN) and reports the points
# to GitHub Classroom.
name: learnml
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 60
    steps:
      - name: The learner's repository
        uses: actions/checkout@v4
        with:
          path: submission
      - name: The course, with the instructor's graders
        uses: actions/checkout@v4
        with:
          repository: ${{ vars.LEARNML_COURSE_REPOSITORY }}
          token: ${{ secrets.LEARNML_COURSE_TOKEN || github.token }}
          path: course
      - name: Keep the course build between runs
        uses: actions/cache@v4
        with:
          path: course/target
          key: learnml-${{ runner.os }}-${{ hashFiles('course/Cargo.lock', 'course/course/Cargo.lock', 'course/course-core/Cargo.lock') }}
      - name: Grade
        id: learnml
        run: bash course/.github/learnml-classroom.sh submission course@EXERCISES@
      - name: Report the points to GitHub Classroom
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          LEARNML_RESULTS: ${{ steps.learnml.outputs.result }}
        with:
          runners: learnml
"#;

/// Write the GitHub Classroom workflow and the script it runs into `dir` (the course
/// repository: the workflow also goes into the assignment's template repository).
pub fn export_classroom(ws: &Workspace, dir: &Path, only: &[String]) -> Result<String> {
    chosen(&ws.curriculum, only)?;
    let workflow: PathBuf = dir.join(".github").join("workflows").join("learnml.yml");
    let script = dir.join(".github").join("learnml-classroom.sh");
    write_script(&script, CLASSROOM_SCRIPT)?;
    std::fs::create_dir_all(workflow.parent().expect("a file has a folder"))?;
    std::fs::write(
        &workflow,
        CLASSROOM_WORKFLOW.replace("@EXERCISES@", &exercise_args(only)),
    )
    .with_context(|| format!("cannot write {}", workflow.display()))?;
    Ok(format!(
        "Wrote {workflow} and {script}: commit the script to the course repository and the workflow to the assignment's template repository, and set the organization variable LEARNML_COURSE_REPOSITORY to the course repository (owner/name).\n",
        workflow = workflow.display(),
        script = script.display()
    ))
}
