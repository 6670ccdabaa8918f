//! Batch grading for instructors: many learners' copies of the exercise files in, a
//! gradebook out. Each learner's files are graded against this workspace's graders and
//! datasets (never a learner's copy of them). One bad submission never stops the batch.
//!
//! SUBMISSIONS holds one folder per learner, laid out like `work/` (`MODULE/NAME.rs`; a
//! learner's whole repository, with its `work/` folder, also works). The output folder gets
//! `gradebook.csv` (one row per learner, one column per exercise, points; a first row with
//! the maximum), `item_analysis.csv` (per check: how many learners submitted it, how many
//! passed, the pass rate) and `reports/LEARNER/MODULE__NAME.json`.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};

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
    /// [`Distinct`]). A fact of this run, not of the grades: not in results.json, so that
    /// shares merge into exactly the gradebook of one run.
    #[serde(skip)]
    pub reused: usize,
    /// How many of the reports came from a binary that held several files (see
    /// [`build::Group`]); also a fact of this run only.
    #[serde(skip)]
    pub combined: usize,
}

/// The class's distinct files and their reports. Two learners who hand in the same bytes (an
/// untouched stub, a shared file) get the same grade, since grading is deterministic, so each
/// distinct file is compiled and run once, from the copy of the first learner who handed it
/// in. A report names that copy in its paths; [`Distinct::reports_of`] names each learner's.
#[derive(Default)]
struct Distinct {
    /// The first learner (slug) who handed in each exercise and content.
    first: HashMap<(String, [u8; 32]), String>,
    /// Each distinct file's outcome, by exercise and first learner.
    graded: HashMap<(String, String), Graded>,
}

/// A distinct file graded: its report, or why it could not be graded; and whether it ran from
/// a binary that held several files.
struct Graded {
    report: Result<GradeReport, String>,
    combined: bool,
}

impl Distinct {
    fn key(exercise: &Exercise, content: &[u8]) -> (String, [u8; 32]) {
        use sha2::{Digest, Sha256};
        (exercise.id().to_string(), Sha256::digest(content).into())
    }

    /// A learner's reports, with how many were made for another learner's identical file and
    /// how many of the others came from combined binaries; an error if a file of theirs could
    /// not be graded.
    fn reports_of(&self, learner: &str, prepared: &Prepared) -> Result<LearnerGraded> {
        let mut graded = LearnerGraded {
            reports: BTreeMap::new(),
            refused: prepared.refused.clone(),
            reused: 0,
            combined: 0,
        };
        for (exercise, key) in &prepared.files {
            let first = &self.first[key];
            let Graded { report, combined } = self
                .graded
                .get(&(exercise.id().to_string(), first.clone()))
                .with_context(|| format!("{} was not graded", exercise.id()))?;
            let report = report
                .as_ref()
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            let report = if first == learner {
                graded.combined += usize::from(*combined);
                report.clone()
            } else {
                graded.reused += 1;
                let text = serde_json::to_string(report).expect("reports serialize");
                let text = text.replace(
                    &format!("{BATCH_DIR}/{first}/"),
                    &format!("{BATCH_DIR}/{learner}/"),
                );
                serde_json::from_str(&text).expect("a report with other paths reads back")
            };
            graded.reports.insert(exercise.id().to_string(), report);
        }
        Ok(graded)
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
/// were those of another learner's identical file and how many came from combined binaries.
struct LearnerGraded {
    reports: BTreeMap<String, GradeReport>,
    refused: Vec<String>,
    reused: usize,
    combined: usize,
}

/// A learner's files copied into their private folder, not yet graded.
struct Prepared<'a> {
    refused: Vec<String>,
    /// Each submitted file's exercise and key in [`Distinct`], in curriculum order (not the
    /// content: a class's files need not all fit in memory).
    files: Vec<(&'a Exercise, (String, [u8; 32]))>,
}

/// Read a learner's files, and copy those no earlier learner handed in, adding them to `fresh`
/// (and the learner as their first to `distinct`).
fn prepare<'a>(
    ws: &'a Workspace,
    learner: &str,
    folder: &Path,
    distinct: &mut Distinct,
    fresh: &mut Vec<build::Member<'a>>,
) -> Result<Prepared<'a>> {
    let source = Source::Submission {
        learner: learner.to_string(),
    };
    let mut prepared = Prepared {
        refused: Vec::new(),
        files: Vec::new(),
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
                let key = Distinct::key(exercise, &content);
                if let Entry::Vacant(first) = distinct.first.entry(key.clone()) {
                    // A private copy (of a file no one handed in before: only those are
                    // compiled): the learner's own folder is never compiled or touched.
                    let copy = ws.path(source.path(exercise));
                    std::fs::create_dir_all(copy.parent().expect("a file has a folder"))?;
                    std::fs::write(&copy, &content)
                        .with_context(|| format!("cannot copy {}", file.display()))?;
                    first.insert(learner.to_string());
                    fresh.push(build::Member {
                        exercise,
                        source: source.clone(),
                    });
                }
                prepared.files.push((exercise, key));
            }
            Ok(None) => {}
            Err(why) => prepared.refused.push(format!("{why}: not graded")),
        }
    }
    Ok(prepared)
}

/// A combined binary, which may hold several learners' files: removed with what cargo keeps
/// for it once the last of its files is graded.
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

/// A distinct file to grade, from its first learner's copy: in a combined binary (the file's
/// position there), or built alone as `learnml check` builds a file.
struct Job<'a> {
    file: build::Member<'a>,
    combined: Option<(Arc<Shared<'a>>, usize)>,
}

/// A graded file, by exercise and first learner.
type Done = ((String, String), Graded);

fn done_key(exercise: &Exercise, source: &Source) -> (String, String) {
    let Source::Submission { learner } = source else {
        unreachable!("batch grading grades submissions")
    };
    (exercise.id().to_string(), learner.clone())
}

/// Run a file's checks (a file built alone is built again, a no-op when its build is fresh,
/// and its binary removed; a combined binary goes when its last file's job is dropped).
fn grade(ws: &Workspace, job: Job) -> Done {
    let build::Member { exercise, source } = job.file;
    let report = match &job.combined {
        Some((shared, member)) => check::evaluate_combined(ws, exercise, &shared.binary, *member),
        None => {
            let report = check::evaluate(ws, exercise, &source, false);
            build::remove_binary(ws, exercise, &source);
            report
        }
    };
    (
        done_key(exercise, &source),
        Graded {
            report: report.map_err(|error| format!("{error:#}")),
            combined: job.combined.is_some(),
        },
    )
}

/// The files waiting for their checks, between the compiling stage and the checking stage.
#[derive(Default)]
struct Queue<'a> {
    /// The jobs, and whether no more will come.
    state: Mutex<(VecDeque<Job<'a>>, bool)>,
    ready: Condvar,
}

impl<'a> Queue<'a> {
    /// Queue a job, unless grading has stopped.
    fn push(&self, job: Job<'a>) {
        let mut state = self.state.lock().expect("no stage panics");
        if !state.1 {
            state.0.push_back(job);
            self.ready.notify_one();
        }
    }

    /// No more jobs will come; `drop_waiting` also gives up those not started (their binaries
    /// are removed).
    fn close(&self, drop_waiting: bool) {
        let mut state = self.state.lock().expect("no stage panics");
        state.1 = true;
        if drop_waiting {
            state.0.clear();
        }
        self.ready.notify_all();
    }

    fn waiting(&self) -> usize {
        self.state.lock().expect("no stage panics").0.len()
    }

    /// The next job, if one waits.
    fn try_next(&self) -> Option<Job<'a>> {
        self.state.lock().expect("no stage panics").0.pop_front()
    }

    /// The next job, waiting for one while the compiling stage goes on.
    fn next(&self) -> Option<Job<'a>> {
        let mut state = self.state.lock().expect("no stage panics");
        loop {
            if let Some(job) = state.0.pop_front() {
                return Some(job);
            }
            if state.1 {
                return None;
            }
            state = self.ready.wait(state).expect("no stage panics");
        }
    }
}

/// How many binaries one cargo run of batch grading builds at most: enough to keep both cores
/// compiling, few enough that checks start while the next binaries compile.
const RUN_BINARIES: usize = 4;

/// How many files may wait for their checks before the compiling stage runs some itself:
/// a waiting file keeps its binary (several megabytes) on disk.
const WAITING_FILES: usize = 64;

/// The compiling stage. The class's distinct files, ordered by exercise, go into combined
/// binaries (see [`build::groups`]) that each hold one exercise's files where they can: the
/// generic code a grader instantiates is then compiled once for several learners. Each cargo
/// run builds a few binaries, whose files go to the queue when it ends; files that cannot
/// share a binary are built alone. Once everything is compiled, this stage runs checks too.
fn compile_all<'a>(
    ws: &'a Workspace,
    fresh: Vec<build::Member<'a>>,
    queue: &Queue<'a>,
    done: &Sender<Done>,
    stop: &AtomicBool,
) {
    let (groups, alone) = if per_exercise() {
        (Vec::new(), fresh)
    } else {
        build::groups(ws, &format!("batch-{}", std::process::id()), fresh)
    };
    build_alone(ws, alone, queue);
    for run in cargo_runs(&groups) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        match build::build_groups(ws, run) {
            Ok(built) => {
                for (group, built) in run.iter().zip(built) {
                    build_alone(ws, built.alone, queue);
                    let Some(combined) = built.binary else {
                        build::remove_group(ws, group);
                        continue;
                    };
                    let shared = Arc::new(Shared {
                        ws,
                        group: group.clone(),
                        binary: combined.binary,
                    });
                    for (k, file) in combined.members.into_iter().enumerate() {
                        queue.push(Job {
                            file,
                            combined: Some((Arc::clone(&shared), k)),
                        });
                    }
                }
            }
            // Cargo could not run: every file of the run gets the error.
            Err(error) => {
                for group in run {
                    build::remove_group(ws, group);
                    for file in &group.members {
                        let graded = Graded {
                            report: Err(format!("{error:#}")),
                            combined: false,
                        };
                        let _ = done.send((done_key(file.exercise, &file.source), graded));
                    }
                }
            }
        }
        while queue.waiting() > WAITING_FILES {
            let Some(job) = queue.try_next() else { break };
            let _ = done.send(grade(ws, job));
        }
    }
    queue.close(false);
    check_all(ws, queue, done);
}

/// The checking stage: grade the queued files until none are left.
fn check_all(ws: &Workspace, queue: &Queue, done: &Sender<Done>) {
    while let Some(job) = queue.next() {
        if done.send(grade(ws, job)).is_err() {
            return; // grading stopped
        }
    }
}

/// Files that do not share a binary: built in one cargo run (both cores compile), then queued.
fn build_alone<'a>(ws: &Workspace, files: Vec<build::Member<'a>>, queue: &Queue<'a>) {
    if files.is_empty() {
        return;
    }
    let binaries: Vec<(&Exercise, Source)> = files
        .iter()
        .map(|file| (file.exercise, file.source.clone()))
        .collect();
    // A file that this run cannot build gets its error when its check builds it again.
    let _ = build::prebuild(ws, &binaries);
    for file in files {
        queue.push(Job {
            file,
            combined: None,
        });
    }
}

/// `groups` (in [`build::groups`]'s order) in cargo runs: each run one package and
/// opt-level, the groups of each split into near-equal runs of at most [`RUN_BINARIES`].
fn cargo_runs<'g, 'a>(groups: &'g [build::Group<'a>]) -> Vec<&'g [build::Group<'a>]> {
    let mut runs = Vec::new();
    for mut rest in groups.chunk_by(|a, b| (a.package, a.opt_level) == (b.package, b.opt_level)) {
        for length in build::even_lengths(rest.len(), rest.len().div_ceil(RUN_BINARIES)) {
            let (run, after) = rest.split_at(length);
            runs.push(run);
            rest = after;
        }
    }
    runs
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
    build::remove_stale_groups(ws);
    let mut distinct = Distinct::default();
    let mut fresh = Vec::new();
    let prepared: Vec<Result<Prepared>> = learners
        .iter()
        .map(|(slug, folder, _)| prepare(ws, slug, folder, &mut distinct, &mut fresh))
        .collect();
    // By exercise, learners in order within one (the sort is stable).
    let position: HashMap<&str, usize> = ws
        .curriculum
        .exercises()
        .enumerate()
        .map(|(i, exercise)| (exercise.id(), i))
        .collect();
    fresh.sort_by_key(|file| position[file.exercise.id()]);
    // Two stages overlap: the checks of the binaries built so far run while the next ones
    // compile (compiling alone leaves a core idle much of the time).
    let queue = &Queue::default();
    let stop = &AtomicBool::new(false);
    let (done, graded) = std::sync::mpsc::channel();
    let unconfined = std::thread::scope(|scope| {
        let compiling = done.clone();
        scope.spawn(move || compile_all(ws, fresh, queue, &compiling, stop));
        scope.spawn(move || check_all(ws, queue, &done));
        let mut unconfined = None;
        // Until both stages have ended.
        for (file, outcome) in graded {
            if let Ok(report) = &outcome.report
                && let Some(missing) = &report.unconfined
                && check::requires_confinement()
                && unconfined.is_none()
            {
                // Every learner would be graded unprotected from every other: stop.
                unconfined = Some(missing.clone());
                stop.store(true, Ordering::Relaxed);
                queue.close(true);
            }
            distinct.graded.insert(file, outcome);
        }
        unconfined
    });
    for (slug, _, _) in &learners {
        let _ = std::fs::remove_dir_all(ws.path(BATCH_DIR).join(slug));
    }
    if let Some(missing) = unconfined {
        bail!(UnconfinedError(missing));
    }
    let mut results = Vec::new();
    for ((slug, _, learner), prepared) in learners.iter().zip(prepared) {
        let graded = prepared.and_then(|prepared| distinct.reports_of(slug, &prepared));
        let (reports, problem, reused, combined) = match graded {
            Ok(graded) => (
                graded.reports,
                Some(graded.refused.join("; ")).filter(|p| !p.is_empty()),
                graded.reused,
                graded.combined,
            ),
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
