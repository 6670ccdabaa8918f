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
use std::sync::Arc;

use anyhow::{Context, Result, bail, ensure};
use learnml_protocol::Outcome;
use serde::{Deserialize, Serialize};

use crate::build::{self, BATCH_DIR, Source};
use crate::check;
use crate::export;
use crate::manifest::{Curriculum, Exercise};
use crate::report::GradeReport;
use crate::workspace::Workspace;

/// A learner's result: a report per exercise they submitted, or why they could not be graded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LearnerResult {
    /// The learner's folder name, as the gradebook shows it.
    pub learner: String,
    /// The same name made safe for file names (reports/SLUG/).
    pub slug: String,
    pub reports: BTreeMap<String, GradeReport>,
    pub problem: Option<String>,
    /// How many of the reports were made for another learner's identical file (see
    /// [`Earlier`]). A fact of this run, not of the grades: not in results.json, so that
    /// shares merge into exactly the gradebook of one run.
    #[serde(skip)]
    pub reused: usize,
    /// How many of the reports came from a binary that held several files (see
    /// [`build::Group`]); also a fact of this run only.
    #[serde(skip)]
    pub combined: usize,
}

/// The reports made so far in one run, by exercise and file content. Two learners who hand
/// in the same bytes (an untouched stub, a shared file) get the same grade, since grading is
/// deterministic, so each distinct file is compiled and run once. A report names the first
/// learner's private copy in its paths; [`Earlier::report_for`] names the other learner's.
#[derive(Default)]
struct Earlier {
    reports: std::collections::HashMap<(String, [u8; 32]), (String, GradeReport)>,
}

impl Earlier {
    fn key(exercise: &Exercise, content: &[u8]) -> (String, [u8; 32]) {
        use sha2::{Digest, Sha256};
        (exercise.id().to_string(), Sha256::digest(content).into())
    }

    /// The report of an identical file graded earlier, with its paths made `learner`'s.
    fn report_for(
        &self,
        learner: &str,
        exercise: &Exercise,
        content: &[u8],
    ) -> Option<GradeReport> {
        let (first, report) = self.reports.get(&Self::key(exercise, content))?;
        let text = serde_json::to_string(report).expect("reports serialize");
        let text = text.replace(
            &format!("{BATCH_DIR}/{first}/"),
            &format!("{BATCH_DIR}/{learner}/"),
        );
        serde_json::from_str(&text).ok()
    }

    fn remember(
        &mut self,
        learner: &str,
        exercise: &Exercise,
        content: &[u8],
        report: &GradeReport,
    ) {
        self.reports
            .entry(Self::key(exercise, content))
            .or_insert_with(|| (learner.to_string(), report.clone()));
    }
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

/// One learner graded: a report per exercise graded, what was refused, how many reports
/// were those of an identical file graded earlier and how many came from combined binaries.
struct LearnerGraded {
    reports: BTreeMap<String, GradeReport>,
    refused: Vec<String>,
    reused: usize,
    combined: usize,
}

/// A learner's files copied and compiled, their checks not yet run: the first of grading's
/// two stages, which overlap (see [`grade_all`]).
struct Prepared<'a> {
    source: Source,
    refused: Vec<String>,
    /// Each submitted file's exercise and content, in curriculum order.
    files: Vec<(&'a Exercise, Vec<u8>)>,
    /// The exercises whose file an earlier learner handed in byte for byte: that learner's
    /// report is reused.
    reused: Vec<&'a Exercise>,
    /// Files no earlier learner handed in, for [`compile`] to build.
    fresh: Vec<&'a Exercise>,
    /// Exercises whose file is the `usize`-th of a combined binary.
    combined: Vec<(&'a Exercise, Arc<Shared<'a>>, usize)>,
    /// Exercises to build and grade one by one.
    alone: Vec<&'a Exercise>,
}

/// A combined binary, which may hold several learners' files: removed with what cargo keeps
/// for it once the last of those learners is graded.
struct Shared<'a> {
    ws: &'a Workspace,
    group: build::Group<'a>,
    binary: PathBuf,
}

impl Drop for Shared<'_> {
    fn drop(&mut self) {
        build::remove_group(self.ws, &self.group);
    }
}

/// Copy a learner's files and note those no earlier learner handed in (`seen`: the files met
/// so far, by exercise and content); [`compile`] builds them.
fn prepare<'a>(
    ws: &'a Workspace,
    learner: &str,
    folder: &Path,
    seen: &mut std::collections::HashSet<(String, [u8; 32])>,
) -> Result<Prepared<'a>> {
    let source = Source::Submission {
        learner: learner.to_string(),
    };
    let mut prepared = Prepared {
        source: source.clone(),
        refused: Vec::new(),
        files: Vec::new(),
        reused: Vec::new(),
        fresh: Vec::new(),
        combined: Vec::new(),
        alone: Vec::new(),
    };
    if std::fs::symlink_metadata(folder)?.file_type().is_symlink() {
        prepared
            .refused
            .push("the learner's folder is a symbolic link: not graded".into());
        return Ok(prepared);
    }
    for exercise in ws.curriculum.exercises() {
        match submitted_file(folder, exercise) {
            Ok(Some(file)) => {
                let content = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                // A private copy: the learner's own folder is never compiled or touched.
                let copy = ws.path(source.path(exercise));
                std::fs::create_dir_all(copy.parent().expect("a file has a folder"))?;
                std::fs::write(&copy, &content)
                    .with_context(|| format!("cannot copy {}", file.display()))?;
                if seen.insert(Earlier::key(exercise, &content)) {
                    prepared.fresh.push(exercise);
                } else {
                    prepared.reused.push(exercise);
                }
                prepared.files.push((exercise, content));
            }
            Ok(None) => {}
            Err(why) => prepared.refused.push(format!("{why}: not graded")),
        }
    }
    if per_exercise() {
        prepared.alone = std::mem::take(&mut prepared.fresh);
    }
    Ok(prepared)
}

/// How many files to gather, over learners, before one compile: enough for a few combined
/// binaries, so that both cores compile even when each learner brings only a few new files
/// (late in a class most files were seen already), and one cargo run serves several learners.
const COMPILE_FILES: usize = 24;

/// Build the fresh files of several prepared learners in one compile (`batch_number` and the
/// process id name its binaries: two shares may be graded at once in one checkout). The files
/// are ordered by exercise, so that a combined binary holds one exercise's files from several
/// learners where it can, which costs rustc less than files of different exercises (8 files
/// of deep/attention: 8.2 s; the solutions of 8 deep exercises: 14.4 s; of 8 foundations and
/// preprocessing exercises 5.6 s, against 5.2 s for 8 files of preprocessing/impute): the
/// generic code one grader instantiates is compiled once per binary. Files whose group did
/// not build join their learner's `alone`; when the compile cannot run at all, every learner
/// of the batch gets its error.
fn compile<'a>(ws: &'a Workspace, batch: &mut [Result<Prepared<'a>>], batch_number: usize) {
    let mut members = Vec::new();
    for exercise in ws.curriculum.exercises() {
        for prepared in batch.iter().flatten() {
            if prepared.fresh.iter().any(|e| e.id() == exercise.id()) {
                members.push(build::Member {
                    exercise,
                    source: prepared.source.clone(),
                });
            }
        }
    }
    for prepared in batch.iter_mut().flatten() {
        prepared.fresh.clear();
    }
    let (groups, alone) = build::groups(
        ws,
        &format!("batch-{}-{batch_number}", std::process::id()),
        members,
    );
    let learner_of = |batch: &mut [Result<Prepared<'a>>], member: &build::Member| -> usize {
        batch
            .iter()
            .position(|p| p.as_ref().is_ok_and(|p| p.source == member.source))
            .expect("every member is a learner's of the batch")
    };
    for member in alone {
        let i = learner_of(batch, &member);
        if let Ok(prepared) = &mut batch[i] {
            prepared.alone.push(member.exercise);
        }
    }
    if groups.is_empty() {
        return;
    }
    match build::build_groups(ws, &groups) {
        Ok(built) => {
            for (group, built) in groups.into_iter().zip(built) {
                for member in built.alone {
                    let i = learner_of(batch, &member);
                    if let Ok(prepared) = &mut batch[i] {
                        prepared.alone.push(member.exercise);
                    }
                }
                let Some(combined) = built.binary else {
                    build::remove_group(ws, &group);
                    continue;
                };
                let shared = Arc::new(Shared {
                    ws,
                    group,
                    binary: combined.binary,
                });
                for (k, member) in combined.members.into_iter().enumerate() {
                    let i = learner_of(batch, &member);
                    if let Ok(prepared) = &mut batch[i] {
                        prepared
                            .combined
                            .push((member.exercise, Arc::clone(&shared), k));
                    }
                }
            }
        }
        Err(error) => {
            for group in &groups {
                build::remove_group(ws, group);
            }
            let message = format!("{error:#}");
            for prepared in batch.iter_mut() {
                if prepared.is_ok() {
                    *prepared = Err(anyhow::anyhow!("{message}"));
                }
            }
        }
    }
}

/// Run the checks of a prepared learner: their reports, with those of identical files graded
/// earlier (`earlier` holds every earlier learner's, since learners finish in order).
fn finish(
    ws: &Workspace,
    learner: &str,
    prepared: Prepared,
    earlier: &mut Earlier,
) -> Result<LearnerGraded> {
    let Prepared {
        source,
        refused,
        files,
        reused,
        fresh: _,
        combined,
        mut alone,
    } = prepared;
    let content = |exercise: &Exercise| -> &[u8] {
        &files
            .iter()
            .find(|(e, _)| e.id() == exercise.id())
            .expect("every exercise graded was submitted")
            .1
    };
    let mut reports = BTreeMap::new();
    for exercise in reused {
        match earlier.report_for(learner, exercise, content(exercise)) {
            Some(report) => {
                reports.insert(exercise.id().to_string(), report);
            }
            // The earlier learner could not be graded at all: grade the file here.
            None => alone.push(exercise),
        }
    }
    let reused = reports.len();
    let mut graded = Vec::new();
    for (exercise, shared, member) in &combined {
        graded.push((
            *exercise,
            check::evaluate_combined(ws, exercise, &shared.binary, *member),
        ));
    }
    // The learner's share of the combined binaries goes; the last learner's removes them.
    drop(combined);
    let combined = graded.len();
    let binaries: Vec<(&Exercise, Source)> = alone.iter().map(|e| (*e, source.clone())).collect();
    build::prebuild(ws, &binaries)?;
    for exercise in alone {
        let report = check::evaluate(ws, exercise, &source, false);
        build::remove_binary(ws, exercise, &source);
        graded.push((exercise, report));
    }
    for (exercise, report) in graded {
        let report = report?;
        if let Some(missing) = report
            .unconfined
            .as_ref()
            .filter(|_| check::requires_confinement())
        {
            bail!(UnconfinedError(missing.clone()));
        }
        earlier.remember(learner, exercise, content(exercise), &report);
        reports.insert(exercise.id().to_string(), report);
    }
    Ok(LearnerGraded {
        reports,
        refused,
        reused,
        combined,
    })
}

/// `LEARNML_BATCH_PER_EXERCISE=1` builds every file as its own binary, as `learnml check`
/// does: slower, and the reference the tests compare combined binaries with.
fn per_exercise() -> bool {
    std::env::var_os("LEARNML_BATCH_PER_EXERCISE").is_some_and(|v| v == "1")
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

/// One of N shares of a class (`K/N`, or nextest's `hash:K/N`): a learner belongs to share
/// `1 + hash(folder name) mod N`, the same on every machine, so N machines grade N shares
/// and `learnml grade merge` puts them together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Partition, String> {
        let shares = text.strip_prefix("hash:").unwrap_or(text);
        let parsed = shares
            .split_once('/')
            .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
        match parsed {
            Some((index, count)) if 1 <= index && index <= count => Ok(Partition { index, count }),
            _ => Err(format!(
                "`{text}` is not a share: write K/N with 1 <= K <= N (for example 2/5)"
            )),
        }
    }
}

impl Partition {
    /// Whether the learner whose folder is called `name` belongs to this share.
    pub fn holds(&self, name: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(name.as_bytes());
        let hash = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        (hash % self.count as u64) as usize + 1 == self.index
    }
}

/// Grade the learners of `submissions` (those of `partition` only, if given), writing the
/// gradebook, the item analysis, the reports and `results.json` (what `merge` reads) into
/// `out`.
pub fn grade_all(
    ws: &Workspace,
    submissions: &Path,
    out: &Path,
    partition: Option<Partition>,
) -> Result<Vec<LearnerResult>> {
    // Slugs are given over the whole class, so every share gives a learner the same one.
    let learners: Vec<(String, PathBuf, String)> = learners(submissions)?
        .into_iter()
        .map(|(slug, folder)| {
            let learner = folder
                .file_name()
                .expect("a folder has a name")
                .to_string_lossy()
                .into_owned();
            (slug, folder, learner)
        })
        .filter(|(_, _, learner)| partition.is_none_or(|share| share.holds(learner)))
        .collect();
    // Two stages overlap: while learners' checks run, the next learners' files compile (both
    // keep a core busy; compiling alone leaves one idle much of the time).
    let (ready, prepared) = std::sync::mpsc::sync_channel(4);
    let learners = &learners;
    let results = std::thread::scope(|scope| -> Result<Vec<LearnerResult>> {
        // Owned here, so that grading that stops early ends the compiling stage too.
        let prepared = prepared;
        scope.spawn(move || {
            let mut seen = std::collections::HashSet::new();
            let mut batch = Vec::new();
            let mut files = 0;
            let mut compiles = 0;
            for (i, (slug, folder, _)) in learners.iter().enumerate() {
                let learner = prepare(ws, slug, folder, &mut seen);
                files += learner.as_ref().map_or(0, |learner| learner.fresh.len());
                batch.push(learner);
                if files < COMPILE_FILES && i + 1 < learners.len() {
                    continue;
                }
                compile(ws, &mut batch, compiles);
                compiles += 1;
                for learner in batch.drain(..) {
                    if ready.send(learner).is_err() {
                        return; // grading stopped
                    }
                }
                files = 0;
            }
        });
        let mut results = Vec::new();
        let mut earlier = Earlier::default();
        for (slug, _, learner) in learners {
            let graded = prepared
                .recv()
                .context("the compiling stage of batch grading stopped")?
                .and_then(|prepared| finish(ws, slug, prepared, &mut earlier));
            let _ = std::fs::remove_dir_all(ws.path(BATCH_DIR).join(slug));
            let (reports, problem, reused, combined) = match graded {
                Ok(graded) => (
                    graded.reports,
                    Some(graded.refused.join("; ")).filter(|p| !p.is_empty()),
                    graded.reused,
                    graded.combined,
                ),
                Err(error) if error.is::<UnconfinedError>() => return Err(error),
                Err(error) => (BTreeMap::new(), Some(format!("{error:#}")), 0, 0),
            };
            results.push(LearnerResult {
                learner: learner.clone(),
                slug: slug.clone(),
                reports,
                problem,
                reused,
                combined,
            });
        }
        Ok(results)
    })?;
    write_outputs(&ws.curriculum, &results, out)?;
    Ok(results)
}

/// Put the shares graded into `shares` together in `out`: the same gradebook, item analysis
/// and reports as grading the whole class at once.
pub fn merge(ws: &Workspace, shares: &[PathBuf], out: &Path) -> Result<Vec<LearnerResult>> {
    let mut results: Vec<LearnerResult> = Vec::new();
    for share in shares {
        let path = share.join(RESULTS_FILE);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {} (written by `learnml grade`)",
                path.display()
            )
        })?;
        let mut graded: Vec<LearnerResult> = serde_json::from_str(&text).with_context(|| {
            format!("{}: not a results file of `learnml grade`", path.display())
        })?;
        results.append(&mut graded);
    }
    results.sort_by_key(|r| (r.learner.to_lowercase(), r.learner.clone()));
    for pair in results.windows(2) {
        ensure!(
            pair[0].learner != pair[1].learner,
            "learner `{}` was graded in two shares: merge each share once",
            pair[0].learner
        );
    }
    write_outputs(&ws.curriculum, &results, out)?;
    Ok(results)
}

/// What `merge` reads back from each share's output folder.
const RESULTS_FILE: &str = "results.json";

fn csv_text(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(&row)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory cannot fail"))
        .expect("the fields are UTF-8")
}

pub fn gradebook(curriculum: &Curriculum, results: &[LearnerResult]) -> String {
    let exercises: Vec<&Exercise> = curriculum.exercises().collect();
    let mut header = vec!["learner".to_string()];
    header.extend(exercises.iter().map(|e| e.id().to_string()));
    header.extend(["total", "passed", "problem"].map(String::from));
    let mut max = vec!["(max)".to_string()];
    max.extend(exercises.iter().map(|e| e.max_points().to_string()));
    let max_total: u32 = exercises.iter().map(|e| e.max_points()).sum();
    max.extend([
        max_total.to_string(),
        exercises.len().to_string(),
        String::new(),
    ]);
    let mut rows = vec![header, max];
    for result in results {
        let points: Vec<u32> = exercises
            .iter()
            .map(|e| result.reports.get(e.id()).map_or(0, |r| r.points))
            .collect();
        let passed = result.reports.values().filter(|r| r.passed).count();
        let mut row = vec![result.learner.clone()];
        row.extend(points.iter().map(u32::to_string));
        row.extend([
            points.iter().sum::<u32>().to_string(),
            passed.to_string(),
            result.problem.clone().unwrap_or_default(),
        ]);
        rows.push(row);
    }
    csv_text(rows)
}

/// Per check, across the learners who submitted the exercise: how many passed it.
pub fn item_analysis(curriculum: &Curriculum, results: &[LearnerResult]) -> String {
    let mut rows = vec![
        [
            "exercise",
            "check",
            "name",
            "max_points",
            "submitted",
            "passed",
            "pass_rate",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for exercise in curriculum.exercises() {
        let reports: Vec<&GradeReport> = results
            .iter()
            .filter_map(|r| r.reports.get(exercise.id()))
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
            rows.push(vec![
                exercise.id().to_string(),
                check.id.clone(),
                check.name.clone(),
                check.points.to_string(),
                reports.len().to_string(),
                passed.to_string(),
                rate,
            ]);
        }
    }
    csv_text(rows)
}

fn write_outputs(curriculum: &Curriculum, results: &[LearnerResult], out: &Path) -> Result<()> {
    let write = |path: PathBuf, text: String| -> Result<()> {
        std::fs::create_dir_all(path.parent().expect("a file has a folder"))
            .and_then(|()| std::fs::write(&path, text))
            .with_context(|| format!("cannot write {}", path.display()))
    };
    write(out.join("gradebook.csv"), gradebook(curriculum, results))?;
    write(out.join(RESULTS_FILE), export::json(&results))?;
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
