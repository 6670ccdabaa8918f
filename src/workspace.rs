//! Finding the workspace (the folder with `exercises/curriculum.toml`) from any subfolder,
//! and the few file operations that must never lose a learner's work.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::manifest::{CURRICULUM_FILE, Exercise};
use crate::progress::DIR;

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

/// A copy of the learner's file in `.learnml/backups/`, never overwriting an earlier one.
/// Returns the backup's path relative to the workspace, or `None` when there was no file.
pub fn backup_work_file(root: &Path, exercise: &Exercise) -> Result<Option<PathBuf>> {
    let work = root.join(exercise.work_path());
    if !work.exists() {
        return Ok(None);
    }
    let dir = Path::new(DIR).join("backups").join(&exercise.module);
    std::fs::create_dir_all(root.join(&dir))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let stamp: String = now()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
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
