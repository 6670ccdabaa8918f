//! Grading one exercise end to end: make sure the file exists, build it, run each check in
//! its own limited process (both cores at once), and turn what happened into a report.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::build::{self, Built, Source};
use crate::grade::{self, Attempt, CheckRun, GradeReport};
use crate::manifest::Exercise;
use crate::sandbox::{self, Limits};

/// What a check may print before the rest is cut.
pub const OUTPUT_CAP_BYTES: usize = 64 * 1024;

/// The learner's copy of an exercise, created from the stub the first time it is needed.
/// An existing copy is never touched.
pub fn ensure_work_file(root: &Path, exercise: &Exercise) -> Result<PathBuf> {
    let work = exercise.work_path();
    let path = root.join(&work);
    if !path.exists() {
        let parent = path.parent().expect("work files live in a folder");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        std::fs::copy(root.join(exercise.stub_path()), &path).with_context(|| {
            format!(
                "cannot create {} from {}",
                work.display(),
                exercise.stub_path().display()
            )
        })?;
    }
    // Every command that reaches a work file keeps the editors' view of work/ current.
    crate::editor::refresh(root);
    Ok(work)
}

/// Build and grade `exercise` from `source`.
pub fn evaluate(
    root: &Path,
    exercise: &Exercise,
    source: &Source,
    show_progress: bool,
) -> Result<GradeReport> {
    if *source == Source::Work {
        ensure_work_file(root, exercise)?;
    }
    let mut warnings = Vec::new();
    let attempt = match build::build(root, exercise, source, show_progress)? {
        Built::CompileErrors(errors) => Attempt::DidNotCompile(errors),
        Built::Binary(binary, compiled_with) => {
            warnings = compiled_with;
            Attempt::Ran(run_checks(root, exercise, &binary)?)
        }
    };
    Ok(GradeReport {
        warnings,
        ..grade::grade(exercise, &attempt)
    })
}

fn run_checks(root: &Path, exercise: &Exercise, binary: &Path) -> Result<Vec<CheckRun>> {
    let limits = Limits {
        time: Duration::from_secs(exercise.time_limit_secs),
        memory_bytes: exercise.memory_limit_mb * 1024 * 1024,
        output_bytes: OUTPUT_CAP_BYTES,
    };
    let results_dir =
        tempfile::tempdir().context("cannot create a temporary folder for check results")?;
    let datasets = root.join("datasets");
    let next = AtomicUsize::new(0);
    let runs: Mutex<Vec<Option<Result<CheckRun>>>> =
        Mutex::new((0..exercise.checks.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(exercise.checks.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = exercise.checks.get(i) else {
                        break;
                    };
                    let result_path = results_dir.path().join(format!("{}.json", spec.id));
                    let run = sandbox::run(
                        binary,
                        &[
                            "--run",
                            &spec.id,
                            "--report",
                            &result_path.to_string_lossy(),
                        ],
                        root,
                        &[("LEARNML_DATASETS", &datasets)],
                        limits,
                    )
                    .with_context(|| format!("cannot start {}", binary.display()))
                    .map(|finished| CheckRun {
                        finished: clean(root, finished),
                        result_file: std::fs::read_to_string(&result_path)
                            .ok()
                            .map(|t| build::relative_paths(root, &t)),
                    });
                    runs.lock().expect("no worker panics")[i] = Some(run);
                }
            });
        }
    });
    runs.into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|run| run.expect("every check was run"))
        .collect()
}

fn clean(root: &Path, mut finished: sandbox::Finished) -> sandbox::Finished {
    finished.stdout = build::relative_paths(root, &finished.stdout);
    finished.stderr = build::relative_paths(root, &finished.stderr);
    finished
}
