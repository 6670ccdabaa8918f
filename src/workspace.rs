//! The workspace a command works in: the folder with `exercises/curriculum.toml` (found from
//! any subfolder), its exercise set (loaded and checked once), where the course builds, and
//! the few file operations that must never lose a learner's work. `main` opens it once and
//! hands it to every command.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::manifest::{CURRICULUM_FILE, Curriculum, Exercise};
use crate::progress::{self, DIR, Progress};

pub struct Workspace {
    root: PathBuf,
    pub curriculum: Curriculum,
    target: PathBuf,
    progress: progress::Store,
}

impl Workspace {
    /// The workspace at or above `start`.
    pub fn open(start: &Path) -> Result<Workspace> {
        Workspace::at(find_root(start)?)
    }

    /// The workspace whose root is `root`.
    pub fn at(root: impl Into<PathBuf>) -> Result<Workspace> {
        let root = root.into();
        let curriculum = Curriculum::load(&root)?;
        // `LEARNML_TARGET_DIR` lets tests share one build of the course's crates.
        let target = match std::env::var_os("LEARNML_TARGET_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => root.join("target").join("course"),
        };
        Ok(Workspace {
            progress: progress::Store::of(&root),
            root,
            curriculum,
            target,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `relative` (to the root) as a full path.
    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }

    /// Where the course builds.
    pub fn target_dir(&self) -> &Path {
        &self.target
    }

    /// Compiler and panic messages with paths relative to the root, the same on every
    /// machine (see [`crate::build::relative_paths`]).
    pub fn relative(&self, text: &str) -> String {
        crate::build::relative_paths(&self.root, text)
    }

    /// The learner's progress; a missing file is a fresh start, a damaged one an error.
    pub fn progress(&self) -> Result<Progress> {
        self.progress.load()
    }

    /// Change the progress under its lock and save it atomically.
    pub fn update_progress<T>(&self, change: impl FnOnce(&mut Progress) -> T) -> Result<T> {
        self.progress.update(change)
    }

    /// Hold the progress lock for as long as the returned file lives.
    pub fn lock_progress(&self) -> Result<std::fs::File> {
        self.progress.lock()
    }

    /// Move a damaged progress file aside; its backup's path, or `None` if it was readable.
    pub fn repair_progress(&self, now_compact: &str) -> Result<Option<PathBuf>> {
        self.progress.repair(now_compact)
    }
}

/// The nearest folder at or above `start` that holds the exercise set.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        if dir.join(CURRICULUM_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "not inside a learnml workspace: no {CURRICULUM_FILE} in {} or any folder above it",
        start.display()
    )
}

/// The current time as RFC 3339, to the second, in UTC.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// [`now`] with only its letters and digits (`20261130T021500Z`), for file names.
pub fn compact_now() -> String {
    now().chars().filter(char::is_ascii_alphanumeric).collect()
}

/// A copy of the learner's file in `.learnml/backups/`, never overwriting an earlier one.
/// Returns the backup's path relative to the workspace, or `None` when there was no file.
pub fn backup_work_file(ws: &Workspace, exercise: &Exercise) -> Result<Option<PathBuf>> {
    let root = ws.root();
    let work = root.join(exercise.work_path());
    if !work.exists() {
        return Ok(None);
    }
    let dir = Path::new(DIR).join("backups").join(&exercise.module);
    std::fs::create_dir_all(root.join(&dir))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let stamp = compact_now();
    for n in 0.. {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let backup = dir.join(format!("{}-{stamp}{suffix}.rs", exercise.name));
        if !root.join(&backup).exists() {
            std::fs::copy(&work, root.join(&backup)).with_context(|| {
                format!(
                    "cannot back up {} to {}",
                    exercise.work_path().display(),
                    backup.display()
                )
            })?;
            return Ok(Some(backup));
        }
    }
    unreachable!("some backup name is free")
}
