//! Compiling the course in the background while a learner reads a statement: the first build
//! of the exercise's course package (ndarray and learnml's crates; linfa and smartcore for the
//! exercises that use them) takes about a minute, and a learner who spends that minute
//! reading finds their `check` quick.
//!
//! `learnml next` starts `learnml build-course ID` as a detached process (only for a learner
//! at a terminal, and only while the exercise's binary does not exist yet), which builds the
//! exercise's binary, logging to `.learnml/build.log`. It holds `.learnml/build.lock` while it
//! runs: a second one started meanwhile leaves at once, and `check` can tell the learner it
//! is waiting for it. Cargo's own lock on the target directory keeps builds that race apart.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::build::{self, Built, Source};
use crate::manifest::Exercise;
use crate::workspace::Workspace;

fn lock_path(ws: &Workspace) -> PathBuf {
    ws.path(".learnml").join("build.lock")
}

fn log_path(ws: &Workspace) -> PathBuf {
    ws.path(".learnml").join("build.log")
}

/// Whether `exercise`'s own binary has been built once (then the course's crates are too).
fn built(ws: &Workspace, exercise: &Exercise) -> bool {
    ws.target_dir()
        .join("debug")
        .join(build::binary_name(exercise, &Source::Work))
        .exists()
}

/// Start the background build of `exercise` unless it is built or being built. Never
/// blocks and never fails `next`: a build that cannot start is only logged.
pub fn start(ws: &Workspace, exercise: &Exercise) {
    if built(ws, exercise) || running(ws) {
        return;
    }
    let started = (|| -> Result<()> {
        std::fs::create_dir_all(ws.path(".learnml"))?;
        let log = File::options()
            .create(true)
            .append(true)
            .open(log_path(ws))?;
        let exe = std::env::current_exe()?;
        let mut command = Command::new(exe);
        command
            .args(["build-course", exercise.id()])
            .current_dir(ws.root())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        // A process group of its own: Ctrl-C at the terminal (ending `watch`, say) does not
        // stop a build that is nearly done.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command.spawn()?;
        Ok(())
    })();
    if let Err(error) = started {
        let _ = std::fs::write(
            log_path(ws),
            format!("cannot start the background build: {error:#}\n"),
        );
    }
}

/// Whether a background build holds the lock now.
pub fn running(ws: &Workspace) -> bool {
    let Ok(file) = File::options()
        .create(true)
        .append(true)
        .open(lock_path(ws))
    else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => false,
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// `learnml build-course ID`: build `exercise`'s binary while holding the lock.
pub fn run(ws: &Workspace, exercise: &Exercise) -> Result<()> {
    std::fs::create_dir_all(ws.path(".learnml"))
        .with_context(|| format!("cannot create {}", ws.path(".learnml").display()))?;
    let lock = File::options()
        .create(true)
        .append(true)
        .open(lock_path(ws))
        .with_context(|| format!("cannot open {}", lock_path(ws).display()))?;
    if lock.try_lock().is_err() {
        println!("another background build is running; leaving it to finish");
        return Ok(());
    }
    let started = std::time::Instant::now();
    crate::check::ensure_work_file(ws, exercise)?;
    match build::build(ws, exercise, &Source::Work, false)? {
        Built::Binary(..) => println!(
            "built the course for {} in {:.0} s",
            exercise.id(),
            started.elapsed().as_secs_f64()
        ),
        // The learner's file may not compile yet: the course's crates are built all the same.
        Built::CompileErrors(_) => println!(
            "built the course's crates in {:.0} s ({} does not compile yet)",
            started.elapsed().as_secs_f64(),
            exercise.work_path().display()
        ),
    }
    Ok(())
}
