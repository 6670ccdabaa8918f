//! Compiling one exercise: the runner writes a small `main` into `course/src/bin/` that
//! joins the learner's file (or the stub, or the reference solution) with the exercise's
//! grader, and asks cargo to build just that binary. Each exercise and source is its own
//! binary, so a file that does not compile never blocks another exercise. Where many files
//! are compiled at once (batch grading, `dev verify`), several share a combined binary
//! ([`Group`]), and a file the compiler rejects there is built alone.
//!
//! The binaries live in two cargo packages that share one target directory: `course-core`
//! (ndarray, rand, csv and learnml's crates) for files that name neither linfa nor smartcore,
//! which is most exercises, and `course` (every crate) for the others. A learner's first
//! checks wait only for the light package's crates; linfa and smartcore compile when an
//! exercise first needs them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::catalogue::{ALTERNATIVES_DIR, MISTAKES_DIR};
use crate::forbidden::{self, Screened};
use crate::manifest::Exercise;
use crate::workspace::Workspace;

/// Which copy of an exercise to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The learner's copy in `work/`.
    Work,
    /// The shipped stub, `stub.rs` in the exercise's folder.
    Stub,
    /// The reference solution, `solution.rs` in the exercise's folder.
    Solution,
    /// A submission in batch grading: the learner's copy in [`BATCH_DIR`]`/LEARNER/`.
    Submission { learner: String },
    /// A catalogued wrong solution, `mistakes/FILE.rs` in the exercise's folder.
    Mistake { file: String },
    /// A catalogued correct solution, `alternatives/FILE.rs` in the exercise's folder.
    Alternative { file: String },
}

/// Where batch grading keeps its copy of each learner's files, relative to the workspace.
pub const BATCH_DIR: &str = "target/learnml-batch";

impl Source {
    fn prefix(&self) -> String {
        match self {
            Source::Work => "work".into(),
            Source::Stub => "stub".into(),
            Source::Solution => "solution".into(),
            Source::Submission { learner } => format!("sub-{learner}"),
            Source::Mistake { .. } => "mistake".into(),
            Source::Alternative { .. } => "alternative".into(),
        }
    }

    /// The file compiled, relative to the workspace root.
    pub fn path(&self, exercise: &Exercise) -> PathBuf {
        match self {
            Source::Work => exercise.work_path(),
            Source::Stub => exercise.stub_path(),
            Source::Solution => exercise.solution_path(),
            Source::Submission { learner } => Path::new(BATCH_DIR)
                .join(learner)
                .join(&exercise.module)
                .join(format!("{}.rs", exercise.name)),
            Source::Mistake { file } => exercise
                .folder()
                .join(MISTAKES_DIR)
                .join(format!("{file}.rs")),
            Source::Alternative { file } => exercise
                .folder()
                .join(ALTERNATIVES_DIR)
                .join(format!("{file}.rs")),
        }
    }
}

/// The outcome of a build that ran: a binary, or the compiler's errors.
#[derive(Debug, Clone)]
pub enum Built {
    /// The binary, and the compiler's warnings on the compiled file (rendered, paths relative).
    Binary(PathBuf, Vec<String>),
    /// Each error as the compiler rendered it, paths relative to the workspace root.
    CompileErrors(Vec<String>),
}

pub fn binary_name(exercise: &Exercise, source: &Source) -> String {
    let name = format!("{}-{}-{}", source.prefix(), exercise.module, exercise.name);
    match source {
        // Unique: module, exercise and catalogue file names hold no `-`.
        Source::Mistake { file } | Source::Alternative { file } => format!("{name}-{file}"),
        _ => name,
    }
}

/// The generated `main` of an exercise binary. Paths are relative to `src/bin/` of the package (the
/// `path` on `mod checks` makes the grader's relative to the workspace root).
///
/// The learner's module may not use `unsafe` (`deny`, not `forbid`: ndarray's `s!` expands
/// to an `allow(unsafe_code)` of its own; the learner's own `unsafe` token is refused before
/// compiling), and cannot see the grader: `grader` is private to `checks`, which the
/// learner's module is not inside. The hash of the learner's file
/// makes this text change whenever the file does, so cargo rebuilds even when the file was
/// replaced by one with an older modification time.
fn generated_main(ws: &Workspace, exercise: &Exercise, source: &Source) -> String {
    let learner = source.path(exercise);
    let content = std::fs::read(ws.path(&learner)).unwrap_or_default();
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hasher::write(&mut hasher, &content);
    format!(
        "// Generated by learnml for {id}: edits here are overwritten.\n\
         // Learner file content: {hash:016x}\n\
         #[deny(unsafe_code)]\n#[path = \"{learner}\"]\nmod exercise;\n\n\
         #[path = \"../../..\"]\nmod checks {{\n    use super::exercise;\n\n    #[path = \"{grader}\"]\n    mod grader;\n\n    \
         pub(crate) fn run() {{\n        learnml_grader::harness::main(grader::CHECKS);\n    }}\n}}\n\n\
         fn main() {{\n    checks::run();\n}}\n",
        id = exercise.id(),
        hash = std::hash::Hasher::finish(&hasher),
        learner = Path::new("../../..").join(&learner).display(),
        grader = exercise.grader_path().display(),
    )
}

/// One of the course's two cargo packages (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Package {
    /// `course-core/`: ndarray, ndarray-rand, rand, rand_xoshiro, csv, learnml's crates.
    Core,
    /// `course/`: those and linfa with its algorithm crates and smartcore.
    Full,
}

impl Package {
    /// The package's folder, relative to the workspace root.
    pub fn folder(self) -> &'static str {
        match self {
            Package::Core => "course-core",
            Package::Full => "course",
        }
    }

    /// The package's name in its Cargo.toml.
    fn crate_name(self) -> &'static str {
        match self {
            Package::Core => "learnml-course-core",
            Package::Full => "learnml-course",
        }
    }
}

/// Which package builds `exercise` from `source`: the full one when the compiled file, the
/// grader or the module's shared grader helpers mention linfa or smartcore anywhere (even in
/// a comment: a needless full build is only slower, a missing crate would fail a correct
/// file). A file that cannot be read builds in the light package, which reports it.
pub fn package(ws: &Workspace, exercise: &Exercise, source: &Source) -> Package {
    let heavy = |path: PathBuf| {
        std::fs::read_to_string(ws.path(path)).is_ok_and(|text| names_a_heavy_crate(&text))
    };
    let shared = crate::manifest::module_folder(&exercise.module).join("common.rs");
    if heavy(source.path(exercise)) || heavy(exercise.grader_path()) || heavy(shared) {
        Package::Full
    } else {
        Package::Core
    }
}

fn names_a_heavy_crate(text: &str) -> bool {
    text.contains("linfa") || text.contains("smartcore")
}

fn main_path(ws: &Workspace, package: Package, exercise: &Exercise, source: &Source) -> PathBuf {
    bin_path(ws, package, &binary_name(exercise, source))
}

fn bin_path(ws: &Workspace, package: Package, name: &str) -> PathBuf {
    ws.path(package.folder())
        .join("src")
        .join("bin")
        .join(format!("{name}.rs"))
}

/// Remove an exercise binary and everything cargo keeps for it (batch grading builds one per
/// learner and exercise; keeping them all would fill the disk).
pub fn remove_binary(ws: &Workspace, exercise: &Exercise, source: &Source) {
    remove_binary_named(ws, &binary_name(exercise, source));
}

/// Remove the combined binaries of batch gradings that no longer run: a `learnml grade` that
/// was killed leaves its binaries behind (several megabytes each), and their names carry its
/// process id (`batch-PID-…`). Those of a grading still running, in this checkout or another
/// share's, are kept.
pub fn remove_stale_groups(ws: &Workspace) {
    for package in [Package::Core, Package::Full] {
        let Ok(entries) = std::fs::read_dir(ws.path(package.folder()).join("src").join("bin"))
        else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some(name) = file.strip_suffix(".rs") else {
                continue;
            };
            let pid = name
                .strip_prefix("batch-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<libc::pid_t>().ok());
            if pid.is_some_and(|pid| !crate::sandbox::process_runs(pid)) {
                remove_binary_named(ws, name);
            }
        }
    }
}

fn remove_binary_named(ws: &Workspace, name: &str) {
    let crate_name = name.replace('-', "_");
    for package in [Package::Core, Package::Full] {
        let _ = std::fs::remove_file(bin_path(ws, package, name));
    }
    let debug = ws.target_dir().join("debug");
    let _ = std::fs::remove_file(debug.join(name));
    for folder in ["deps", "incremental", ".fingerprint"] {
        let Ok(entries) = std::fs::read_dir(debug.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with(&format!("{crate_name}-")) || file.starts_with(&format!("{name}-"))
            {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

/// Write the generated `main`, leaving the file untouched when it is already current so that
/// cargo does not rebuild for nothing.
fn write_main(
    ws: &Workspace,
    package: Package,
    exercise: &Exercise,
    source: &Source,
) -> Result<()> {
    write_if_changed(
        &main_path(ws, package, exercise, source),
        &generated_main(ws, exercise, source),
    )
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().expect("mains live in the package's src/bin");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct CargoMessage {
    reason: String,
    #[serde(default)]
    message: Option<Diagnostic>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    fresh: Option<bool>,
    #[serde(default)]
    target: Option<Target>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    children: Vec<Diagnostic>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
}

impl Diagnostic {
    /// Whether the diagnostic, or one of its notes, points into `file`.
    fn points_into(&self, file: &Path) -> bool {
        self.spans
            .iter()
            .any(|span| Path::new(&span.file_name) == file)
            || self.children.iter().any(|child| child.points_into(file))
    }
}

/// Incremental compilation makes the learner's edit-compile loop fast but keeps 5-25 MB of
/// cache per binary; stubs, solutions and submissions are compiled once, so they go without.
fn incremental(source: &Source) -> &'static str {
    if *source == Source::Work { "1" } else { "0" }
}

pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// CPU time and memory rustc may use on one exercise binary. An honest file compiles in a
/// few seconds; a `const` evaluated for hours, or a type that grows without end, stops here.
/// `LEARNML_COMPILE_CPU_SECS` lowers it (the tests do, to show it without waiting).
const COMPILE_CPU_SECS: u64 = 60;
const COMPILE_MEMORY_KB: u64 = 4 << 20;

fn compile_cpu_secs() -> u64 {
    std::env::var("LEARNML_COMPILE_CPU_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(COMPILE_CPU_SECS)
}

/// The wrapper cargo runs rustc through for the course's own crate (the exercise binaries:
/// `RUSTC_WORKSPACE_WRAPPER` skips the dependencies, which are trusted and take longer). A
/// soft CPU limit makes the kernel send SIGXCPU, which cargo reports as `(signal: 24`. The
/// script lives in the target directory, so every learnml sharing it uses the same one. The
/// limit comes in [`CPU_LIMIT_VAR`], set on the cargo command by [`limit_compiles`]: cargo
/// fingerprints the wrapper's path, so a path per limit would rebuild a binary whenever the
/// limit of the run differs (a combined binary of more files gets more time).
fn compile_limits_wrapper(ws: &Workspace) -> Result<PathBuf> {
    let dir = ws.target_dir();
    let path = dir.join("learnml-compile-limits.sh");
    let text = format!(
        "#!/bin/sh\n# Written by learnml: rustc on an exercise binary, with limits on CPU time (s, from\n# {CPU_LIMIT_VAR}) and memory (KB).\nulimit -S -t \"${{{CPU_LIMIT_VAR}:?}}\" || exit 1\nulimit -v {COMPILE_MEMORY_KB} || exit 1\nexec \"$@\"\n"
    );
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // Write beside, then rename: a cargo running now never sees half a script.
        let fresh = dir.join(format!("learnml-compile-limits.{}.tmp", std::process::id()));
        std::fs::write(&fresh, &text)
            .and_then(|()| std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o755)))
            .and_then(|()| std::fs::rename(&fresh, &path))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(path)
}

/// The variable that hands the wrapper its CPU limit in seconds.
const CPU_LIMIT_VAR: &str = "LEARNML_RUSTC_CPU_SECS";

/// Run `command`'s rustc on the course's own crate with `cpu_secs` of CPU time at most.
fn limit_compiles(ws: &Workspace, command: &mut Command, cpu_secs: u64) -> Result<()> {
    command
        .env("RUSTC_WORKSPACE_WRAPPER", compile_limits_wrapper(ws)?)
        .env(CPU_LIMIT_VAR, cpu_secs.to_string());
    Ok(())
}

/// What one cargo run builds: binaries of one package at one opt-level.
type CargoRun = (Package, u8);

/// `binaries` grouped by the package that builds each and their exercise's opt-level, light
/// package first.
fn by_package<'a>(
    ws: &Workspace,
    binaries: &[(&'a Exercise, Source)],
) -> Vec<(CargoRun, Vec<(&'a Exercise, Source)>)> {
    let mut groups: Vec<(CargoRun, Vec<(&Exercise, Source)>)> = Vec::new();
    for (exercise, source) in binaries {
        let key = (package(ws, exercise, source), exercise.opt_level);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push((exercise, source.clone())),
            None => groups.push((key, vec![(exercise, source.clone())])),
        }
    }
    groups.sort_by_key(|(key, _)| *key);
    groups
}

/// The cargo setting that compiles `package`'s binaries (the exercise files and graders) at
/// `opt_level`. Given on the command line, it leaves the dependencies' build (at opt-level 2)
/// untouched: cargo keeps one build of them for both levels.
fn opt_level_config(package: Package, opt_level: u8) -> String {
    format!(
        "profile.dev.package.{}.opt-level={opt_level}",
        package.crate_name()
    )
}

/// A cargo command on `package` for `binaries` (their mains written first). It keeps no
/// incremental cache: [`build`] turns it back on for the learner's own binaries.
fn course_command(
    ws: &Workspace,
    subcommand: &str,
    (package, opt_level): CargoRun,
    binaries: &[(&Exercise, Source)],
) -> Result<Command> {
    let mut command = Command::new(cargo());
    // clippy runs rustc through its own wrapper; it only lints the course's own files.
    if subcommand != "clippy" {
        limit_compiles(ws, &mut command, compile_cpu_secs())?;
    }
    command
        .arg(subcommand)
        .arg("--manifest-path")
        .arg(ws.path(package.folder()).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(ws.target_dir())
        .args(["--keep-going", "--message-format=json", "--color=never"])
        .arg("--config")
        .arg(opt_level_config(package, opt_level))
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(ws.root())
        .stdin(Stdio::null());
    for (exercise, source) in binaries {
        write_main(ws, package, exercise, source)?;
        command.arg("--bin").arg(binary_name(exercise, source));
    }
    Ok(command)
}

/// Build many exercise binaries in one cargo run, so that both cores compile at once. Errors
/// are not reported here: a later [`build`] of each binary is then a no-op or shows them.
pub fn prebuild(ws: &Workspace, binaries: &[(&Exercise, Source)]) -> Result<()> {
    for (key, group) in by_package(ws, binaries) {
        course_command(ws, "build", key, &group)?
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("cannot run cargo: is the Rust toolchain installed and on PATH?")?;
    }
    Ok(())
}

/// Clippy's warnings and errors on `binaries` (their learner file and grader), as rendered.
pub fn clippy(ws: &Workspace, binaries: &[(&Exercise, Source)]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for (key, group) in by_package(ws, binaries) {
        found.extend(clippy_package(ws, key, &group)?);
    }
    Ok(found)
}

fn clippy_package(
    ws: &Workspace,
    key: CargoRun,
    binaries: &[(&Exercise, Source)],
) -> Result<Vec<String>> {
    let output = course_command(ws, "clippy", key, binaries)?
        .output()
        .context("cannot run cargo clippy: is clippy installed (rustup component add clippy)?")?;
    if !output.status.success() && output.stdout.is_empty() {
        bail!(
            "cargo clippy failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut found = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<CargoMessage>(line) else {
            continue;
        };
        if let Some(Diagnostic {
            level,
            rendered: Some(text),
            ..
        }) = message.message
            && matches!(level.as_str(), "warning" | "error")
            && !text.contains("warning emitted")
            && !text.contains("warnings emitted")
        {
            let text = ws.relative(text.trim_end());
            if !found.contains(&text) {
                found.push(text);
            }
        }
    }
    Ok(found)
}

/// Build the binary of `exercise` from `source`. With `show_progress`, one line of
/// learnml's own on stderr counts the crates compiled (the first build takes a minute or
/// two); cargo's own status lines are never shown.
pub fn build(
    ws: &Workspace,
    exercise: &Exercise,
    source: &Source,
    show_progress: bool,
) -> Result<Built> {
    let name = binary_name(exercise, source);
    let file = source.path(exercise);
    let text = std::fs::read_to_string(ws.path(&file))
        .with_context(|| format!("cannot read {}", file.display()))?;
    let screened = forbidden::screen(&text);
    if let Screened::Forbidden(findings) = &screened {
        return Ok(Built::CompileErrors(forbidden::describe(
            &file.display().to_string(),
            findings,
        )));
    }
    let package = package(ws, exercise, source);
    let mut child = course_command(
        ws,
        "build",
        (package, exercise.opt_level),
        &[(exercise, source.clone())],
    )?
    .env("CARGO_INCREMENTAL", incremental(source))
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .context("cannot run cargo: is the Rust toolchain installed and on PATH?")?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let mut progress = show_progress.then(|| Progress::new(ws, package));
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let compiled_file = format!("--> {}:", source.path(exercise).display());
    let mut executable = None;
    let mut success = false;
    let stdout = std::io::BufReader::new(child.stdout.take().expect("stdout is piped"));
    for line in std::io::BufRead::lines(stdout) {
        let Ok(message) = serde_json::from_str::<CargoMessage>(&line?) else {
            continue;
        };
        match message.reason.as_str() {
            "compiler-message" => {
                if let Some(Diagnostic {
                    level,
                    rendered: Some(text),
                    ..
                }) = message.message
                {
                    if level == "error" && !text.starts_with("aborting due to") {
                        errors.push(ws.relative(text.trim_end()));
                    } else if level == "warning" {
                        // Warnings on the grader or the kit are not the learner's to fix.
                        let text = ws.relative(text.trim_end());
                        if text.contains(&compiled_file) {
                            warnings.push(text);
                        }
                    }
                }
            }
            "compiler-artifact" => {
                if let Some(progress) = &mut progress {
                    progress.compiled(message.fresh == Some(true));
                }
                if message.executable.is_some() {
                    executable = message.executable;
                }
            }
            "build-finished" => success = message.success == Some(true),
            _ => {}
        }
    }
    if let Some(progress) = progress {
        progress.finish();
    }
    child.wait().context("cargo did not finish")?;
    let stderr = stderr.join().unwrap_or_default();
    let file = file.display();
    match (success, executable) {
        (true, Some(_)) if matches!(screened, Screened::Unreadable(_)) => {
            let Screened::Unreadable(why) = screened else {
                unreachable!()
            };
            Ok(Built::CompileErrors(vec![format!(
                "error: learnml cannot read {file} as Rust tokens ({why}), so it cannot check what the file may use"
            )]))
        }
        (true, Some(binary)) => Ok(Built::Binary(binary, warnings)),
        _ if !errors.is_empty() => Ok(Built::CompileErrors(errors)),
        _ if stderr.contains(&format!("(signal: {}", libc::SIGXCPU)) => {
            Ok(Built::CompileErrors(vec![format!(
                "error: compiling {file} took more than {} s of CPU time, so it was stopped: a `const` computed at compile time, or a type or macro that grows without end?",
                compile_cpu_secs()
            )]))
        }
        _ if stderr.contains("memory allocation of") => Ok(Built::CompileErrors(vec![format!(
            "error: compiling {file} needed more than {} MB of memory, so it was stopped",
            COMPILE_MEMORY_KB >> 10
        )])),
        _ => bail!("cargo could not build {name}:\n{}", stderr.trim_end()),
    }
}

/// Several exercise files compiled into one binary: one rustc run instead of one per file
/// (batch grading compiles learners' files this way, `verify` an exercise's stub, solution
/// and catalogue). Most of an exercise binary's compile time goes to ndarray's and the kit's
/// generic code, which each binary would instantiate and optimize again; a combined binary
/// does it once. At run time each check still gets a process of its own, and runs only its
/// own file's module: a file's items are private to its module, out of reach of the others.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// The binary's name: unique among the groups built at once.
    pub name: String,
    pub package: Package,
    /// Its exercises' opt-level, the same for every member.
    pub opt_level: u8,
    pub members: Vec<Member<'a>>,
}

/// One file of a combined binary: an exercise and the copy of it compiled.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub exercise: &'a Exercise,
    pub source: Source,
}

/// What became of a [`Group`].
#[derive(Debug)]
pub struct GroupBuilt<'a> {
    /// The combined binary, if it built. (No warnings: no caller reports them.)
    pub binary: Option<Combined<'a>>,
    /// The files to build one by one, as [`build`] always would: those the compiler blamed
    /// (so they show exactly the errors of their own build), or every file of the group when
    /// it failed for another reason.
    pub alone: Vec<Member<'a>>,
}

/// A combined binary that built, and the files it holds (all of its group's, or those left
/// once the files the compiler blamed were taken out): the I-th is run with
/// `--member` [`member_key`]`(I)`.
#[derive(Debug)]
pub struct Combined<'a> {
    pub binary: PathBuf,
    pub members: Vec<Member<'a>>,
}

/// What a combined binary's `main` is given first (`--member KEY`, which the harness skips)
/// to run the checks of its I-th file.
pub fn member_key(i: usize) -> String {
    format!("x{i}")
}

/// How many files a combined binary holds at most. Measured on four learners of the class of
/// `scripts/measure-batch.sh` (316 files compiled): 8 took 308 s, 5 took 338 s, 12 took 327 s,
/// two binaries per package 373 s. Fewer files per binary pay each binary's own costs (the
/// crates' metadata, the link) more often; more leave a core idle while the last binary of a
/// package compiles, and make a binary that fails to compile (a learner's compile error)
/// costlier to build again without the file.
const GROUP_FILES: usize = 8;

/// `files` in combined binaries named `PREFIX-PACKAGE-K` (groups of one package and opt-level,
/// in the given order), and the files to build alone: those learnml refuses before compiling
/// or cannot read as tokens, whose own build reports it; those that mention `macro_export`
/// (such a macro lands at the crate root, where another file of the binary could use it, and
/// a file must compile only as it would alone); and the only file of a package and opt-level.
/// Give one exercise's files next to each other: a binary then holds one exercise's files
/// where it can (see [`group_lengths`]).
pub fn groups<'a>(
    ws: &Workspace,
    prefix: &str,
    files: Vec<Member<'a>>,
) -> (Vec<Group<'a>>, Vec<Member<'a>>) {
    let mut alone = Vec::new();
    let mut by_package: std::collections::BTreeMap<CargoRun, Vec<Member>> = Default::default();
    for member in files {
        let text = std::fs::read_to_string(ws.path(member.source.path(member.exercise)))
            .unwrap_or_default();
        if matches!(forbidden::screen(&text), Screened::Clean) && !text.contains("macro_export") {
            by_package
                .entry((
                    package(ws, member.exercise, &member.source),
                    member.exercise.opt_level,
                ))
                .or_default()
                .push(member);
        } else {
            alone.push(member);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for ((package, opt_level), members) in by_package {
        if members.len() < 2 {
            alone.extend(members);
            continue;
        }
        let runs: Vec<usize> = members
            .chunk_by(|a, b| a.exercise.id() == b.exercise.id())
            .map(<[Member]>::len)
            .collect();
        let mut rest = members.into_iter();
        for length in group_lengths(&runs) {
            let members: Vec<Member> = rest.by_ref().take(length).collect();
            // K counts the package's binaries over both opt-levels.
            let k = groups.iter().filter(|g| g.package == package).count();
            groups.push(Group {
                name: format!("{prefix}-{}-{k}", package.folder()),
                package,
                opt_level,
                members,
            });
        }
    }
    (groups, alone)
}

/// How files of one package and opt-level (two or more) are split into combined binaries, in
/// order, given `runs`: how many files each exercise has, one exercise after another. A binary
/// holds at most [`GROUP_FILES`], and there are two or more from four files on (a cargo run
/// builds one package at one opt-level, two binaries at once: one binary leaves a core idle).
/// A binary takes whole exercises while they fit an even share of the files still to place;
/// an exercise with more than [`GROUP_FILES`] files is split evenly. One exercise's files then
/// share a binary, and the generic code their grader instantiates, which rustc compiles once
/// (8 files of deep/attention took 8.2 s, the solutions of 8 deep exercises 14.4 s).
fn group_lengths(runs: &[usize]) -> Vec<usize> {
    let files: usize = runs.iter().sum();
    let count = files
        .div_ceil(GROUP_FILES)
        .max(if files >= 4 { 2 } else { 1 });
    let mut lengths: Vec<usize> = Vec::new();
    // The binary being filled: its length, and the even share of the files still to place.
    let (mut last, mut share, mut placed) = (0, 0, 0);
    for &run in runs {
        for piece in even_lengths(run, run.div_ceil(GROUP_FILES)) {
            if last > 0 && last + piece <= share {
                last += piece;
                *lengths.last_mut().expect("a binary to join") = last;
            } else {
                share = (files - placed)
                    .div_ceil(count.saturating_sub(lengths.len()).max(1))
                    .min(GROUP_FILES);
                last = piece;
                lengths.push(piece);
            }
            placed += piece;
        }
    }
    if lengths.len() < count {
        even_lengths(files, count)
    } else {
        lengths
    }
}

/// `items` split into `count` runs whose lengths differ by one at most, longer ones first.
pub fn even_lengths(items: usize, count: usize) -> Vec<usize> {
    (0..count)
        .map(|c| items / count + usize::from(c < items % count))
        .collect()
}

/// A combined binary gets the CPU time of one exercise plus this much per exercise in it.
const COMBINED_CPU_SECS_PER_EXERCISE: u64 = 10;

/// The generated `main` of a combined binary. Module `xI` holds the I-th file as an
/// exercise's own binary does at its root: the file as `exercise` (unsafe code denied) and
/// its exercise's grader, private to `xI::checks`, which the file's module is not inside.
/// `main` picks the module named by `--member xI`, which the harness skips. Paths are
/// absolute (a relative `#[path]` inside an inline module is taken from a folder named after
/// the module); [`Workspace::relative`] strips the root from messages.
fn combined_main(ws: &Workspace, group: &Group) -> String {
    let mut modules = String::new();
    let mut arms = String::new();
    for (i, Member { exercise, source }) in group.members.iter().enumerate() {
        let learner = ws.path(source.path(exercise));
        let content = std::fs::read(&learner).unwrap_or_default();
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hasher::write(&mut hasher, &content);
        let key = member_key(i);
        modules.push_str(&format!(
            "// {id}; learner file content: {hash:016x}\n\
             mod {key} {{\n    #[deny(unsafe_code)]\n    #[path = {learner:?}]\n    mod exercise;\n\n    \
             pub(super) mod checks {{\n        use super::exercise;\n\n        #[path = {grader:?}]\n        mod grader;\n\n        \
             pub(crate) fn run() {{\n            learnml_grader::harness::main(grader::CHECKS);\n        }}\n    }}\n}}\n\n",
            id = exercise.id(),
            hash = std::hash::Hasher::finish(&hasher),
            learner = learner.display().to_string(),
            grader = ws.path(exercise.grader_path()).display().to_string(),
        ));
        arms.push_str(&format!("        Some({key:?}) => {key}::checks::run(),\n"));
    }
    format!(
        "// Generated by learnml: several exercise files in one binary; edits here are overwritten.\n\n\
         {modules}\
         fn main() {{\n    let mut args = std::env::args().skip(1);\n    \
         let member = match args.next().as_deref() {{\n        \
         Some(\"--member\") => args.next(),\n        _ => None,\n    }};\n    \
         match member.as_deref() {{\n{arms}        \
         _ => {{\n            eprintln!(\"learnml: this binary holds several exercise files: name one first with --member xI\");\n            \
         std::process::exit(64);\n        }}\n    }}\n}}\n"
    )
}

/// Build each group's combined binary. Files refused before compiling, or unreadable as
/// tokens, must not be in a group (the caller builds those with [`build`]). When the compiler
/// blames some files of a group, those are built alone and the rest once again; when that
/// still fails, every file of the group is built alone.
pub fn build_groups<'a>(ws: &Workspace, groups: &[Group<'a>]) -> Result<Vec<GroupBuilt<'a>>> {
    let mut results = Vec::new();
    let mut again = Vec::new();
    for (group, built) in groups.iter().zip(cargo_groups(ws, groups)?) {
        let blamed = match built {
            Ok(binary) => {
                results.push(GroupBuilt {
                    binary: Some(binary),
                    alone: Vec::new(),
                });
                continue;
            }
            Err(blamed) => blamed,
        };
        let (mut alone, mut kept) = (Vec::new(), Vec::new());
        for (i, member) in group.members.iter().enumerate() {
            if blamed.contains(&i) {
                alone.push(member.clone());
            } else {
                kept.push(member.clone());
            }
        }
        if alone.is_empty() || kept.is_empty() {
            results.push(GroupBuilt {
                binary: None,
                alone: group.members.clone(),
            });
            continue;
        }
        again.push((
            results.len(),
            Group {
                members: kept,
                ..group.clone()
            },
        ));
        results.push(GroupBuilt {
            binary: None,
            alone,
        });
    }
    let retries: Vec<Group> = again.iter().map(|(_, group)| group.clone()).collect();
    for ((i, group), built) in again.iter().zip(cargo_groups(ws, &retries)?) {
        match built {
            Ok(binary) => results[*i].binary = Some(binary),
            Err(_) => results[*i].alone.extend(group.members.iter().cloned()),
        }
    }
    Ok(results)
}

/// Per group: the binary with its members, or the positions of the members whose file an
/// error points into.
type GroupOutcome<'a> = Result<Combined<'a>, BTreeSet<usize>>;

/// Build `groups` with one cargo run per package and opt-level; cargo compiles two binaries
/// at once. Each rustc runs with one codegen unit: the binaries already keep both cores busy,
/// and several units would each be optimized alone and then again together (ThinLTO), which
/// costs about a third more CPU time here.
fn cargo_groups<'a>(ws: &Workspace, groups: &[Group<'a>]) -> Result<Vec<GroupOutcome<'a>>> {
    let mut outcomes: Vec<Option<GroupOutcome<'a>>> = (0..groups.len()).map(|_| None).collect();
    let mut keys: Vec<CargoRun> = groups.iter().map(|g| (g.package, g.opt_level)).collect();
    keys.sort();
    keys.dedup();
    for (package, opt_level) in keys {
        let of_package: Vec<usize> = (0..groups.len())
            .filter(|&i| (groups[i].package, groups[i].opt_level) == (package, opt_level))
            .collect();
        let Some(largest) = of_package.iter().map(|&i| groups[i].members.len()).max() else {
            continue;
        };
        let cpu_secs = compile_cpu_secs() + COMBINED_CPU_SECS_PER_EXERCISE * largest as u64;
        let mut command = Command::new(cargo());
        limit_compiles(ws, &mut command, cpu_secs)?;
        command
            .arg("build")
            .arg("--manifest-path")
            .arg(ws.path(package.folder()).join("Cargo.toml"))
            .arg("--target-dir")
            .arg(ws.target_dir())
            .args(["--keep-going", "--message-format=json", "--color=never"])
            .arg("--config")
            .arg(format!(
                "profile.dev.package.{}.codegen-units=1",
                package.crate_name()
            ))
            .arg("--config")
            .arg(opt_level_config(package, opt_level))
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(ws.root())
            .stdin(Stdio::null());
        for &i in &of_package {
            write_if_changed(
                &bin_path(ws, package, &groups[i].name),
                &combined_main(ws, &groups[i]),
            )?;
            command.arg("--bin").arg(&groups[i].name);
        }
        let output = command
            .output()
            .context("cannot run cargo: is the Rust toolchain installed and on PATH?")?;
        let mut blamed = vec![BTreeSet::new(); groups.len()];
        let mut executables = vec![None; groups.len()];
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(message) = serde_json::from_str::<CargoMessage>(line) else {
                continue;
            };
            let Some(i) = message.target.as_ref().and_then(|target| {
                of_package
                    .iter()
                    .copied()
                    .find(|&i| groups[i].name == target.name)
            }) else {
                continue;
            };
            let group = &groups[i];
            match (message.reason.as_str(), message.message) {
                ("compiler-message", Some(diagnostic)) if diagnostic.level == "error" => {
                    for (k, member) in group.members.iter().enumerate() {
                        if diagnostic.points_into(&ws.path(member.source.path(member.exercise))) {
                            blamed[i].insert(k);
                        }
                    }
                }
                ("compiler-artifact", _) if message.executable.is_some() => {
                    executables[i] = message.executable;
                }
                _ => {}
            }
        }
        for &i in &of_package {
            outcomes[i] = Some(match executables[i].take() {
                Some(binary) => Ok(Combined {
                    binary,
                    members: groups[i].members.clone(),
                }),
                None => Err(std::mem::take(&mut blamed[i])),
            });
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|outcome| outcome.expect("every group belongs to a package"))
        .collect())
}

/// Remove a combined binary and what cargo keeps for it.
pub fn remove_group(ws: &Workspace, group: &Group) {
    remove_binary_named(ws, &group.name);
}

/// The one line that shows a build's progress: crates compiled of about how many there are
/// (the packages of the package's `Cargo.lock`, close to the number of crates built).
struct Progress {
    total: usize,
    compiled: usize,
    shown: bool,
}

impl Progress {
    fn new(ws: &Workspace, package: Package) -> Progress {
        let lock = std::fs::read_to_string(ws.path(package.folder()).join("Cargo.lock"))
            .unwrap_or_default();
        Progress {
            total: lock.matches("[[package]]").count().max(1),
            compiled: 0,
            shown: false,
        }
    }

    fn compiled(&mut self, fresh: bool) {
        self.compiled += 1;
        // A build with nothing to compile stays silent.
        if !fresh {
            self.shown = true;
            eprint!(
                "\rlearnml: compiling the course (once): {} of about {} crates",
                self.compiled.min(self.total),
                self.total
            );
        }
    }

    fn finish(self) {
        if self.shown {
            eprint!("\r{}\r", " ".repeat(72));
        }
    }
}

/// Make the paths in compiler and panic messages short and the same on every machine:
/// `src/bin/../../../work/m/e.rs` becomes `work/m/e.rs`, the workspace root is dropped, and a
/// dependency's source is named by its crate and version only.
pub fn relative_paths(root: &Path, text: &str) -> String {
    let mut text = text.replace("src/bin/../../../", "");
    let root_prefix = format!("{}/", root.display());
    text = text.replace(&root_prefix, "");
    // ~/.cargo/registry/src/index.crates.io-<hash>/ndarray-0.16.1/src/… → ndarray-0.16.1/src/…
    while let Some(start) = text.find("/registry/src/") {
        let line_start = text[..start]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let after = start + "/registry/src/".len();
        let Some(index_end) = text[after..].find('/') else {
            break;
        };
        text.replace_range(line_start..after + index_end + 1, "");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_and_machine_independent() {
        let root = Path::new("/home/ana/learnml");
        assert_eq!(
            relative_paths(root, "--> src/bin/../../../work/prep/impute.rs:3:5"),
            "--> work/prep/impute.rs:3:5"
        );
        assert_eq!(
            relative_paths(root, "at /home/ana/learnml/graders/x.rs:1:1"),
            "at graders/x.rs:1:1"
        );
        assert_eq!(
            relative_paths(
                root,
                "at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/ndarray-0.16.1/src/lib.rs:9:1"
            ),
            "at ndarray-0.16.1/src/lib.rs:9:1"
        );
    }

    #[test]
    fn files_are_split_into_near_equal_groups_of_at_most_eight() {
        // One file per exercise (one learner), or one exercise's files (verify): even runs.
        for (files, lengths) in [
            (2, vec![2]),
            (3, vec![3]),
            (4, vec![2, 2]),
            (9, vec![5, 4]),
            (16, vec![8, 8]),
            (17, vec![6, 6, 5]),
        ] {
            assert_eq!(group_lengths(&vec![1; files]), lengths, "{files} exercises");
            assert_eq!(
                group_lengths(&[files]),
                lengths,
                "{files} files of one exercise"
            );
        }
        for files in 2..100 {
            let lengths = group_lengths(&vec![1; files]);
            assert_eq!(lengths.iter().sum::<usize>(), files);
            assert!(
                lengths.iter().all(|&n| (2..=GROUP_FILES).contains(&n)),
                "{lengths:?}"
            );
        }
    }

    #[test]
    fn a_binary_holds_whole_exercises_where_they_fit() {
        for (runs, lengths) in [
            // A class: each exercise's files in a binary of their own.
            (vec![7, 7, 6, 8, 7], vec![7, 7, 6, 8, 7]),
            (vec![5, 5, 5, 5, 5], vec![5, 5, 5, 5, 5]),
            // Two binaries at least; the second takes two whole exercises.
            (vec![3, 3, 2], vec![3, 5]),
            (vec![2, 2, 2, 2], vec![4, 4]),
            (vec![1, 1, 7, 1], vec![2, 8]),
            // 12 files of one exercise: 6 and 6; the next exercises join while there is room.
            (vec![12, 1, 1, 1], vec![6, 8, 1]),
            (vec![9, 1, 20, 3, 3, 3], vec![5, 5, 7, 7, 6, 6, 3]),
        ] {
            assert_eq!(group_lengths(&runs), lengths, "{runs:?}");
        }
        for runs in [
            vec![1, 8, 8, 2],
            vec![30, 2, 9, 1, 1],
            vec![4, 4, 4, 4, 4, 4, 4],
        ] {
            let lengths = group_lengths(&runs);
            assert_eq!(lengths.iter().sum::<usize>(), runs.iter().sum::<usize>());
            assert!(lengths.iter().all(|&n| n <= GROUP_FILES), "{lengths:?}");
        }
    }

    /// The light package builds what needs no linfa or smartcore; anything that names them,
    /// in the compiled file or in the grader, builds in the full one.
    #[test]
    fn files_that_name_linfa_or_smartcore_build_in_the_full_package() {
        let ws = Workspace::at(env!("CARGO_MANIFEST_DIR")).expect("the curriculum loads");
        let find = |id: &str| ws.curriculum.find(id).expect("the exercise exists");
        let arrays = find("foundations/arrays");
        assert_eq!(package(&ws, arrays, &Source::Solution), Package::Core);
        let logistic = find("supervised/logistic");
        assert_eq!(package(&ws, logistic, &Source::Stub), Package::Full);
        // A learner's file that uses linfa where the exercise does not: its text decides.
        assert!(names_a_heavy_crate("use linfa::prelude::*;"));
        assert!(names_a_heavy_crate(
            "let m = smartcore::linalg::basic::matrix::DenseMatrix::new"
        ));
        assert!(!names_a_heavy_crate("use ndarray::Array2;"));
    }
}
