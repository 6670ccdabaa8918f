//! The learner's progress, in `.learnml/progress.json`: per exercise its status, best points,
//! attempts, when it was first passed, how many hints were shown and whether the solution
//! was seen; and the exercise last checked. Updates hold a lock on `.learnml/lock` and replace the file atomically, so two
//! learnml processes at once never lose an update and a crash never leaves half a file.
//! A file that cannot be read is never overwritten: the error names it and the way out.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub const DIR: &str = ".learnml";
const FILE: &str = "progress.json";
const LOCK: &str = "lock";
/// The format version this learnml writes and understands.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    Attempted,
    Passed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub status: Status,
    pub best_points: u32,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_passed: Option<String>,
    #[serde(default)]
    pub hints_shown: usize,
    #[serde(default)]
    pub solution_seen: bool,
}

impl Default for ExerciseProgress {
    fn default() -> Self {
        ExerciseProgress {
            status: Status::NotStarted,
            best_points: 0,
            attempts: 0,
            first_passed: None,
            hints_shown: 0,
            solution_seen: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    pub exercises: BTreeMap<String, ExerciseProgress>,
    /// The exercise last checked: `hint` with no id follows it. Optional, so progress files
    /// written before it existed still load (and older learnml versions ignore it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked: Option<String>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            exercises: BTreeMap::new(),
            last_checked: None,
        }
    }
}

impl Progress {
    pub fn of(&self, id: &str) -> ExerciseProgress {
        self.exercises.get(id).cloned().unwrap_or_default()
    }

    pub fn passed(&self, id: &str) -> bool {
        self.of(id).status == Status::Passed
    }

    /// Record a graded attempt. A pass is never undone by a later failing attempt: the best
    /// result counts, as in a gradebook.
    pub fn record_attempt(&mut self, id: &str, passed: bool, points: u32, now: &str) {
        self.last_checked = Some(id.to_string());
        let entry = self.exercises.entry(id.to_string()).or_default();
        entry.attempts += 1;
        entry.best_points = entry.best_points.max(points);
        if passed {
            if entry.status != Status::Passed {
                entry.first_passed = Some(now.to_string());
            }
            entry.status = Status::Passed;
        } else if entry.status == Status::NotStarted {
            entry.status = Status::Attempted;
        }
    }
}

/// The progress file of one workspace (`.learnml/progress.json`), its lock and its backups.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store of the workspace at `workspace`.
    pub fn of(workspace: &Path) -> Store {
        Store {
            dir: workspace.join(DIR),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Read the progress; a missing file is a fresh start, anything unreadable is an error.
    pub fn load(&self) -> Result<Progress> {
        let path = self.path();
        let shown = Path::new(DIR).join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", shown.display())),
        };
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
        if let Some(version) = version.filter(|&v| v > u64::from(VERSION)) {
            bail!(
                "{} was written by a newer learnml (format {version}; this one reads {VERSION}): update learnml. Nothing was changed.",
                shown.display()
            );
        }
        serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} is damaged ({e}). Nothing was changed. `learnml repair` moves it to a backup and starts a fresh progress file; your exercise files are not touched.",
            shown.display()
        )
    })
    }

    /// Run `change` on the progress under the lock and save the result atomically.
    pub fn update<T>(&self, change: impl FnOnce(&mut Progress) -> T) -> Result<T> {
        let _lock = self.lock()?;
        let mut progress = self.load()?;
        let value = change(&mut progress);
        self.save(&progress)?;
        Ok(value)
    }

    /// Hold the progress lock for as long as the returned file lives.
    pub fn lock(&self) -> Result<File> {
        let dir = &self.dir;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {DIR}/"))?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))
            .with_context(|| format!("cannot open {DIR}/{LOCK}"))?;
        file.lock()
            .with_context(|| format!("cannot lock {DIR}/{LOCK}"))?;
        Ok(file)
    }

    fn save(&self, progress: &Progress) -> Result<()> {
        let dir = &self.dir;
        let shown = Path::new(DIR).join(FILE);
        let mut temporary = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {DIR}/: is it writable?"))?;
        let json = crate::export::json(progress);
        temporary
            .write_all(json.as_bytes())
            .and_then(|()| temporary.as_file().sync_all())
            .with_context(|| format!("cannot write {}", shown.display()))?;
        temporary
            .persist(self.path())
            .with_context(|| format!("cannot replace {}", shown.display()))?;
        Ok(())
    }

    /// Move an unreadable progress file aside (returning the backup's path) so a fresh one can
    /// start. A readable file is left alone.
    pub fn repair(&self, now_compact: &str) -> Result<Option<PathBuf>> {
        let _lock = self.lock()?;
        if self.load().is_ok() {
            return Ok(None);
        }
        let name = format!("progress-damaged-{now_compact}.json");
        let backup = Path::new(DIR).join(&name);
        std::fs::rename(self.path(), self.dir.join(&name))
            .with_context(|| format!("cannot move {DIR}/{FILE} to {}", backup.display()))?;
        Ok(Some(backup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_is_kept_and_best_points_count() {
        let mut progress = Progress::default();
        progress.record_attempt("m/e", false, 3, "t1");
        assert_eq!(progress.of("m/e").status, Status::Attempted);
        progress.record_attempt("m/e", true, 10, "t2");
        progress.record_attempt("m/e", false, 4, "t3");
        let entry = progress.of("m/e");
        assert_eq!(
            (entry.status, entry.best_points, entry.attempts),
            (Status::Passed, 10, 3)
        );
        assert_eq!(entry.first_passed.as_deref(), Some("t2"));
        assert_eq!(progress.last_checked.as_deref(), Some("m/e"));
    }

    #[test]
    fn files_without_the_last_checked_exercise_still_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        let before = r#"{"version": 1, "exercises": {"m/e": {"status": "attempted", "best_points": 2, "attempts": 1}}}"#;
        std::fs::write(Store::of(dir.path()).path(), before).unwrap();
        let progress = Store::of(dir.path()).load().unwrap();
        assert_eq!(progress.last_checked, None);
        assert_eq!(progress.of("m/e").best_points, 2);
    }

    #[test]
    fn damaged_and_newer_files_are_errors_and_stay_untouched() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(Store::of(dir.path()).path(), "{\"version\": 1, \"exerc").unwrap();
        let error = Store::of(dir.path())
            .update(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(".learnml/progress.json is damaged"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(Store::of(dir.path()).path()).unwrap(),
            "{\"version\": 1, \"exerc"
        );

        std::fs::write(
            Store::of(dir.path()).path(),
            "{\"version\": 99, \"exercises\": {}}",
        )
        .unwrap();
        let error = Store::of(dir.path()).load().unwrap_err().to_string();
        assert!(error.contains("newer learnml (format 99"), "{error}");
    }

    #[test]
    fn concurrent_updates_are_never_lost() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..25 {
                        Store::of(dir.path())
                            .update(|p| p.record_attempt("m/e", false, 0, "t"))
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(
            Store::of(dir.path()).load().unwrap().of("m/e").attempts,
            100
        );
    }

    #[test]
    fn repair_keeps_a_backup_and_leaves_good_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        Store::of(dir.path())
            .update(|p| p.record_attempt("m/e", true, 1, "t"))
            .unwrap();
        assert_eq!(Store::of(dir.path()).repair("x").unwrap(), None);
        std::fs::write(Store::of(dir.path()).path(), "garbage").unwrap();
        let backup = Store::of(dir.path())
            .repair("20261125T000000")
            .unwrap()
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(backup)).unwrap(),
            "garbage"
        );
        assert_eq!(Store::of(dir.path()).load().unwrap(), Progress::default());
    }
}
