//! Batch grading for instructors: many learners' copies of the exercise files in, a
//! gradebook out. Each learner's files are graded against this workspace's graders and
//! datasets (never a learner's copy of them). One bad submission never stops the batch.
//!
//! SUBMISSIONS holds one folder per learner, laid out like `work/` (`MODULE/NAME.rs`; a
//! learner's whole repository, with its `work/` folder, also works). The output folder gets
//! `gradebook.csv` (one row per learner, one column per exercise, points; a first row with
//! the maximum), `item_analysis.csv` (per check: how many learners submitted it, how many
//! passed, the pass rate) and `reports/LEARNER/MODULE__NAME.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use learnml_protocol::Outcome;

use crate::build::{self, BATCH_DIR, Source};
use crate::engine;
use crate::export;
use crate::grade::GradeReport;
use crate::manifest::{Curriculum, Exercise};

/// A learner's result: a report per exercise they submitted, or why they could not be graded.
pub struct LearnerResult {
    /// The learner's folder name, as the gradebook shows it.
    pub learner: String,
    /// The same name made safe for file names (reports/SLUG/).
    pub slug: String,
    pub reports: BTreeMap<String, GradeReport>,
    pub problem: Option<String>,
}

/// A folder name made safe for a binary name: lowercase letters, digits and `_`.
fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if slug.is_empty() {
        "learner".into()
    } else {
        slug
    }
}

/// The learners of SUBMISSIONS: its sub-folders, sorted by name regardless of case, each
/// with a distinct slug (`Bob` and `bob` get `bob` and `bob_2`). A symbolic link is listed
/// too, so that the gradebook names it, but never followed.
pub fn learners(submissions: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(submissions)
        .with_context(|| {
            format!(
                "cannot read the submissions folder {}",
                submissions.display()
            )
        })?
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            entry
                .file_type()
                .is_ok_and(|kind| kind.is_dir() || kind.is_symlink())
        })
        .map(|entry| entry.path())
        .collect();
    folders.sort_by_key(|path| (path.to_string_lossy().to_lowercase(), path.clone()));
    if folders.is_empty() {
        bail!(
            "{} holds no learner folders (one folder per learner, laid out like work/)",
            submissions.display()
        );
    }
    let mut taken = std::collections::BTreeSet::new();
    Ok(folders
        .into_iter()
        .map(|folder| {
            let name = folder
                .file_name()
                .expect("a folder has a name")
                .to_string_lossy()
                .into_owned();
            let base = slug(&name);
            let unique = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}_{n}")
                    }
                })
                .find(|candidate| !taken.contains(candidate))
                .expect("some suffix is free");
            taken.insert(unique.clone());
            (unique, folder)
        })
        .collect())
}

/// The largest exercise file batch grading accepts (the longest reference solution is
/// about 10 KB).
const MAX_SUBMITTED_BYTES: u64 = 256 * 1024;

/// Where a learner keeps exercise `exercise`: `MODULE/NAME.rs`, or `work/MODULE/NAME.rs`.
/// `Ok(None)`: not submitted. An error: submitted, but not as a regular file of its own
/// (a symbolic link anywhere on the way, a device, a huge file), which is never read.
fn submitted_file(folder: &Path, exercise: &Exercise) -> Result<Option<PathBuf>, String> {
    let relative = Path::new(&exercise.module).join(format!("{}.rs", exercise.name));
    for prefix in [Path::new(""), Path::new("work")] {
        let mut path = folder.to_path_buf();
        let mut refused = None;
        for part in prefix.join(&relative).components() {
            path.push(part);
            match std::fs::symlink_metadata(&path) {
                Err(_) => break,
                Ok(meta) if meta.file_type().is_symlink() => {
                    refused = Some(format!("{} is a symbolic link", display_in(folder, &path)));
                    break;
                }
                Ok(_) => {}
            }
        }
        if let Some(refused) = refused {
            return Err(refused);
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if path.ends_with(&relative) {
            if !meta.file_type().is_file() {
                return Err(format!(
                    "{} is not a regular file",
                    display_in(folder, &path)
                ));
            }
            if meta.len() > MAX_SUBMITTED_BYTES {
                return Err(format!(
                    "{} is larger than {} KB",
                    display_in(folder, &path),
                    MAX_SUBMITTED_BYTES >> 10
                ));
            }
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// `path` as seen from the learner's folder, for the gradebook.
fn display_in(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Grade one learner: the reports of what could be graded, and what was refused.
fn grade_learner(
    root: &Path,
    curriculum: &Curriculum,
    learner: &str,
    folder: &Path,
) -> Result<(BTreeMap<String, GradeReport>, Vec<String>)> {
    if std::fs::symlink_metadata(folder)?.file_type().is_symlink() {
        return Ok((
            BTreeMap::new(),
            vec!["the learner's folder is a symbolic link: not graded".into()],
        ));
    }
    let source = Source::Submission {
        learner: learner.to_string(),
    };
    let mut submitted = Vec::new();
    let mut refused = Vec::new();
    for exercise in curriculum.exercises() {
        match submitted_file(folder, exercise) {
            Ok(Some(file)) => {
                // A private copy: the learner's own folder is never compiled or touched.
                let copy = root.join(source.path(exercise));
                std::fs::create_dir_all(copy.parent().expect("a file has a folder"))?;
                std::fs::write(&copy, std::fs::read(&file)?)
                    .with_context(|| format!("cannot copy {}", file.display()))?;
                submitted.push(exercise);
            }
            Ok(None) => {}
            Err(why) => refused.push(format!("{why}: not graded")),
        }
    }
    let binaries: Vec<(&Exercise, Source)> =
        submitted.iter().map(|e| (*e, source.clone())).collect();
    build::prebuild(root, &binaries)?;
    let mut reports = BTreeMap::new();
    for exercise in submitted {
        let report = engine::evaluate(root, exercise, &source, false);
        build::remove_binary(root, exercise, &source);
        let report = report?;
        if let Some(missing) = report
            .unconfined
            .as_ref()
            .filter(|_| engine::requires_confinement())
        {
            bail!(UnconfinedError(missing.clone()));
        }
        reports.insert(exercise.id(), report);
    }
    Ok((reports, refused))
}

/// Batch grading stops when learner code cannot be confined (unless the instructor allowed
/// it): every learner would otherwise be graded unprotected from every other.
#[derive(Debug)]
pub struct UnconfinedError(pub String);

impl std::fmt::Display for UnconfinedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "learner code cannot be confined on this machine ({}): `learnml grade` refuses to grade unprotected; pass --allow-unconfined to grade anyway",
            self.0
        )
    }
}

impl std::error::Error for UnconfinedError {}

/// Grade every learner of `submissions`, writing the gradebook and reports into `out`.
pub fn grade_all(root: &Path, submissions: &Path, out: &Path) -> Result<Vec<LearnerResult>> {
    let curriculum = Curriculum::load(root)?;
    let learners = learners(submissions)?;
    let mut results = Vec::new();
    for (slug, folder) in &learners {
        let graded = grade_learner(root, &curriculum, slug, folder);
        let _ = std::fs::remove_dir_all(root.join(BATCH_DIR).join(slug));
        let (reports, problem) = match graded {
            Ok((reports, refused)) => (reports, Some(refused.join("; ")).filter(|p| !p.is_empty())),
            Err(error) if error.is::<UnconfinedError>() => return Err(error),
            Err(error) => (BTreeMap::new(), Some(format!("{error:#}"))),
        };
        let learner = folder
            .file_name()
            .expect("a folder has a name")
            .to_string_lossy()
            .into_owned();
        results.push(LearnerResult {
            learner,
            slug: slug.clone(),
            reports,
            problem,
        });
    }
    write_outputs(&curriculum, &results, out)?;
    Ok(results)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn gradebook(curriculum: &Curriculum, results: &[LearnerResult]) -> String {
    let exercises: Vec<&Exercise> = curriculum.exercises().collect();
    let mut csv = String::from("learner");
    for exercise in &exercises {
        csv.push_str(&format!(",{}", csv_field(&exercise.id())));
    }
    csv.push_str(",total,passed,problem\n(max)");
    for exercise in &exercises {
        csv.push_str(&format!(",{}", exercise.max_points()));
    }
    let max_total: u32 = exercises.iter().map(|e| e.max_points()).sum();
    csv.push_str(&format!(",{max_total},{},\n", exercises.len()));
    for result in results {
        csv.push_str(&csv_field(&result.learner));
        let mut total = 0;
        for exercise in &exercises {
            let points = result.reports.get(&exercise.id()).map_or(0, |r| r.points);
            total += points;
            csv.push_str(&format!(",{points}"));
        }
        let passed = result.reports.values().filter(|r| r.passed).count();
        csv.push_str(&format!(
            ",{total},{passed},{}\n",
            csv_field(result.problem.as_deref().unwrap_or(""))
        ));
    }
    csv
}

/// Per check, across the learners who submitted the exercise: how many passed it.
pub fn item_analysis(curriculum: &Curriculum, results: &[LearnerResult]) -> String {
    let mut csv = String::from("exercise,check,name,max_points,submitted,passed,pass_rate\n");
    for exercise in curriculum.exercises() {
        let reports: Vec<&GradeReport> = results
            .iter()
            .filter_map(|r| r.reports.get(&exercise.id()))
            .collect();
        for (i, check) in exercise.checks.iter().enumerate() {
            let passed = reports
                .iter()
                .filter(|r| r.checks.get(i).is_some_and(|c| c.outcome == Outcome::Pass))
                .count();
            let rate = if reports.is_empty() {
                String::new()
            } else {
                format!("{:.3}", passed as f64 / reports.len() as f64)
            };
            csv.push_str(&format!(
                "{},{},{},{},{},{passed},{rate}\n",
                exercise.id(),
                check.id,
                csv_field(&check.name),
                check.points,
                reports.len()
            ));
        }
    }
    csv
}

fn write_outputs(curriculum: &Curriculum, results: &[LearnerResult], out: &Path) -> Result<()> {
    let write = |path: PathBuf, text: String| -> Result<()> {
        std::fs::create_dir_all(path.parent().expect("a file has a folder"))
            .and_then(|()| std::fs::write(&path, text))
            .with_context(|| format!("cannot write {}", path.display()))
    };
    write(out.join("gradebook.csv"), gradebook(curriculum, results))?;
    write(
        out.join("item_analysis.csv"),
        item_analysis(curriculum, results),
    )?;
    for result in results {
        for (id, report) in &result.reports {
            write(
                out.join("reports")
                    .join(&result.slug)
                    .join(format!("{}.json", id.replace('/', "__"))),
                export::json(report),
            )?;
        }
    }
    Ok(())
}
