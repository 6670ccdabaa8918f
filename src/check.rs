//! Checking one exercise end to end: make sure the file exists, build it, run each check in
//! its own limited process (both cores at once), and turn what happened into a report.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use learnml_protocol::seal::{self, Sealed};

use crate::build::{self, Built, Source};
use crate::manifest::Exercise;
use crate::report::{self, Attempt, CheckRun, GradeReport};
use crate::sandbox::{self, Limits};
use crate::workspace::Workspace;

/// What a check may print before the rest is cut.
pub const OUTPUT_CAP_BYTES: usize = 64 * 1024;

/// The learner's copy of an exercise, created from the stub the first time it is needed.
/// An existing copy is never touched.
pub fn ensure_work_file(ws: &Workspace, exercise: &Exercise) -> Result<PathBuf> {
    if !ws.path(exercise.work_path()).exists() {
        copy_stub(ws, exercise)?;
    }
    // Every command that reaches a work file keeps the editors' view of work/ current.
    crate::editor::refresh(ws);
    Ok(exercise.work_path())
}

/// Make the learner's copy the stub: the one way a work file is created or reset (the caller
/// backs up a file it replaces).
pub fn copy_stub(ws: &Workspace, exercise: &Exercise) -> Result<()> {
    let work = exercise.work_path();
    let path = ws.path(&work);
    let parent = path.parent().expect("work files live in a folder");
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    std::fs::copy(ws.path(exercise.stub_path()), &path).with_context(|| {
        format!(
            "cannot write {} from {}",
            work.display(),
            exercise.stub_path().display()
        )
    })?;
    crate::editor::refresh(ws);
    Ok(())
}

/// Build and grade `exercise` from `source`.
pub fn evaluate(
    ws: &Workspace,
    exercise: &Exercise,
    source: &Source,
    show_progress: bool,
) -> Result<GradeReport> {
    if *source == Source::Work {
        ensure_work_file(ws, exercise)?;
    }
    let mut warnings = Vec::new();
    let attempt = match build::build(ws, exercise, source, show_progress)? {
        Built::CompileErrors(errors) => Attempt::DidNotCompile(errors),
        Built::Binary(binary, compiled_with) => {
            warnings = compiled_with;
            Attempt::Ran(run_checks(ws, exercise, &Program::alone(&binary))?)
        }
    };
    Ok(GradeReport {
        warnings,
        ..report::grade(exercise, &attempt)
    })
}

/// Grade `exercise` with the `member`-th file of a combined binary (see
/// [`build::Combined`]; no compiler warnings: combined builds do not report them).
pub fn evaluate_combined(
    ws: &Workspace,
    exercise: &Exercise,
    binary: &Path,
    member: usize,
) -> Result<GradeReport> {
    let program = Program {
        binary,
        member: Some(member),
    };
    Ok(report::grade(
        exercise,
        &Attempt::Ran(run_checks(ws, exercise, &program)?),
    ))
}

/// The binary that runs an exercise's checks, and which of its files to run when it holds
/// several (`--member` [`build::member_key`], which the harness skips).
pub struct Program<'a> {
    pub binary: &'a Path,
    pub member: Option<usize>,
}

impl<'a> Program<'a> {
    /// An exercise's own binary.
    pub fn alone(binary: &'a Path) -> Program<'a> {
        Program {
            binary,
            member: None,
        }
    }
}

/// The limits every process of `exercise`'s binary runs under.
pub fn limits(exercise: &Exercise) -> Limits {
    Limits {
        time: Duration::from_secs(exercise.time_limit_secs),
        memory_bytes: exercise.memory_limit_mb * 1024 * 1024,
        output_bytes: OUTPUT_CAP_BYTES,
    }
}

fn run_checks(ws: &Workspace, exercise: &Exercise, program: &Program) -> Result<Vec<CheckRun>> {
    let limits = limits(exercise);
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
                    let run = run_check(ws, exercise, program, &spec.id, limits);
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

/// Run check `id` in a process of its own: a fresh scratch folder as its working directory
/// (the only folder its code may touch), a fresh key and the id on its stdin, the exercise's datasets
/// handed over by name. Only a result sealed with that key counts.
pub fn run_check(
    ws: &Workspace,
    exercise: &Exercise,
    program: &Program,
    id: &str,
    limits: Limits,
) -> Result<CheckRun> {
    // The result lives outside the scratch folder: the confined code cannot even open it.
    let results = tempfile::tempdir().context("cannot create a temporary folder for a check")?;
    let scratch = results.path().join("scratch");
    std::fs::create_dir(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let result_path = results.path().join("result");
    let key = fresh_key()?;
    let datasets = ws.path("datasets");
    let member = program.member.map(build::member_key);
    let mut args: Vec<&str> = Vec::new();
    if let Some(key) = &member {
        args.extend(["--member", key]);
    }
    args.extend([
        "--run",
        "--report",
        result_path
            .to_str()
            .context("temporary folders have UTF-8 paths")?,
        "--datasets",
        datasets
            .to_str()
            .context("the workspace path is not UTF-8")?,
    ]);
    for name in &exercise.datasets {
        args.extend(["--dataset", name.as_str()]);
    }
    if requires_confinement() {
        args.push("--require-confinement");
    }
    // The id goes on stdin with the key: the command line is the same in every check.
    let input = format!("{}\n{id}\n", seal::key_to_hex(&key));
    let finished = sandbox::run(program.binary, &args, &scratch, &input, limits)
        .with_context(|| format!("cannot start {}", program.binary.display()))?;
    Ok(CheckRun {
        finished: clean(ws, finished),
        result: read_sealed(&result_path, &key).map(|sealed| {
            sealed.map(|mut sealed| {
                let result = &mut sealed.result;
                result.message = ws.relative(&result.message);
                sealed
            })
        }),
    })
}

/// Whether a check that cannot be confined must refuse to run (`learnml grade` sets it
/// unless the instructor allows unconfined grading).
static REQUIRE_CONFINEMENT: AtomicBool = AtomicBool::new(false);

pub fn set_require_confinement(required: bool) {
    REQUIRE_CONFINEMENT.store(required, Ordering::SeqCst);
}

pub fn requires_confinement() -> bool {
    REQUIRE_CONFINEMENT.load(Ordering::SeqCst)
}

/// 32 bytes from the kernel's random source.
fn fresh_key() -> Result<[u8; seal::KEY_BYTES]> {
    let mut key = [0u8; seal::KEY_BYTES];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut key))
        .context("cannot read /dev/urandom for a check's key")?;
    Ok(key)
}

/// The check's sealed result: `None` if the process wrote none, an error if it is too large,
/// unreadable or not sealed with `key`.
fn read_sealed(path: &Path, key: &[u8; seal::KEY_BYTES]) -> Option<Result<Sealed, String>> {
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    let read = file
        .take(seal::MAX_SEALED_BYTES + 1)
        .read_to_string(&mut text);
    Some(match read {
        Err(e) => Err(format!("the check's result could not be read ({e})")),
        Ok(n) if n as u64 > seal::MAX_SEALED_BYTES => Err(format!(
            "the check's result is larger than {} MB",
            seal::MAX_SEALED_BYTES >> 20
        )),
        Ok(0) => return None,
        Ok(_) => seal::open(key, &text).map_err(|e| e.to_string()),
    })
}

fn clean(ws: &Workspace, mut finished: sandbox::Finished) -> sandbox::Finished {
    finished.stdout = ws.relative(&finished.stdout);
    finished.stderr = ws.relative(&finished.stderr);
    finished
}
