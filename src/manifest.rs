//! The exercise set as data. `exercises/curriculum.toml` orders the modules and states the
//! layout's `format_version`; `exercises/MODULE/module.toml` gives a module's title, `about` and
//! the order of its exercises; each exercise is the folder `exercises/MODULE/NAME/`:
//!
//! | file | what |
//! | --- | --- |
//! | `exercise.toml` | title, datasets, limits, hints, checks with points |
//! | `statement.md` | the statement |
//! | `stub.rs` | what the learner starts from (copied to `work/MODULE/NAME.rs`) |
//! | `solution.rs` | the reference solution |
//! | `grader.rs` | the checks |
//!
//! Loading validates everything a command relies on, with errors that name the file and the
//! field.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use serde::Deserialize;

pub const CURRICULUM_FILE: &str = "exercises/curriculum.toml";
/// The folder of the exercise set, relative to the workspace root.
pub const EXERCISES_DIR: &str = "exercises";
/// The layout this learnml reads (1 was one `module.toml` holding every exercise).
pub const FORMAT_VERSION: u32 = 2;
pub const MODULE_FILE: &str = "module.toml";
/// The files of an exercise folder.
pub const EXERCISE_FILE: &str = "exercise.toml";
pub const STATEMENT_FILE: &str = "statement.md";
pub const STUB_FILE: &str = "stub.rs";
pub const SOLUTION_FILE: &str = "solution.rs";
pub const GRADER_FILE: &str = "grader.rs";
pub const EXERCISE_FILES: [&str; 5] = [
    EXERCISE_FILE,
    STATEMENT_FILE,
    STUB_FILE,
    SOLUTION_FILE,
    GRADER_FILE,
];
const DEFAULT_TIME_LIMIT_SECS: u64 = 5;
const DEFAULT_MEMORY_LIMIT_MB: u64 = 2048;
const DEFAULT_OPT_LEVEL: u8 = 1;

/// Only the version of `curriculum.toml`, whatever else the file holds.
#[derive(Debug, Deserialize)]
struct Versioned {
    format_version: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurriculumFile {
    format_version: Option<u32>,
    modules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    title: String,
    about: String,
    exercises: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFile {
    title: String,
    hints: Vec<String>,
    #[serde(default)]
    datasets: Vec<String>,
    time_limit_secs: Option<u64>,
    memory_limit_mb: Option<u64>,
    opt_level: Option<u8>,
    checks: Vec<CheckSpec>,
}

/// A check of an exercise as `exercise.toml` declares it; the grader implements it by `id`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub id: String,
    pub name: String,
    pub points: u32,
    /// A check that is not required gives points but does not block passing.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
    pub title: String,
    pub about: String,
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone)]
pub struct Exercise {
    /// `module/name`, the id used on the command line and in progress.
    pub(crate) id: String,
    pub module: String,
    pub name: String,
    pub title: String,
    pub statement: String,
    pub hints: Vec<String>,
    pub datasets: Vec<String>,
    pub time_limit_secs: u64,
    pub memory_limit_mb: u64,
    /// The optimization level its files (the learner's and the grader) compile at, 0 or 1:
    /// 0 compiles about four times faster, 1 runs ndarray's and linfa's generic code several
    /// times faster (docs/AUTHORING.md says which to choose).
    pub opt_level: u8,
    pub checks: Vec<CheckSpec>,
}

impl Exercise {
    /// `module/name`, the id used on the command line and in progress.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn max_points(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    /// The exercise's folder, relative to the workspace root.
    pub fn folder(&self) -> PathBuf {
        exercise_folder(&self.module, &self.name)
    }

    /// The shipped stub, relative to the workspace root.
    pub fn stub_path(&self) -> PathBuf {
        self.folder().join(STUB_FILE)
    }

    /// The learner's copy, relative to the workspace root: outside `exercises/`, so that
    /// `git pull` never touches it.
    pub fn work_path(&self) -> PathBuf {
        Path::new("work")
            .join(&self.module)
            .join(format!("{}.rs", self.name))
    }

    pub fn solution_path(&self) -> PathBuf {
        self.folder().join(SOLUTION_FILE)
    }

    pub fn grader_path(&self) -> PathBuf {
        self.folder().join(GRADER_FILE)
    }
}

/// `exercises/MODULE`, relative to the workspace root.
pub fn module_folder(module: &str) -> PathBuf {
    Path::new(EXERCISES_DIR).join(module)
}

/// `exercises/MODULE/NAME`, relative to the workspace root.
pub fn exercise_folder(module: &str, name: &str) -> PathBuf {
    module_folder(module).join(name)
}

#[derive(Debug, Clone)]
pub struct Curriculum {
    pub modules: Vec<Module>,
}

impl Curriculum {
    /// Load and validate the whole exercise set of the workspace at `dir` (only
    /// [`crate::workspace::Workspace::at`] needs this: commands use the workspace's).
    pub fn load(dir: &Path) -> Result<Curriculum> {
        let path = Path::new(CURRICULUM_FILE);
        let curriculum: CurriculumFile = match read_toml(dir, path) {
            Ok(file) => file,
            // A later layout may add fields: its reader must hear about the version, not
            // about an unknown field.
            Err(error) => match read_toml::<Versioned>(dir, path) {
                Ok(Versioned { format_version }) if format_version != Some(FORMAT_VERSION) => {
                    return Err(unsupported(format_version));
                }
                _ => return Err(error),
            },
        };
        if curriculum.format_version != Some(FORMAT_VERSION) {
            return Err(unsupported(curriculum.format_version));
        }
        let mut modules = Vec::new();
        let mut seen_modules = HashSet::new();
        for name in curriculum.modules {
            ensure!(
                well_formed(&name),
                "{CURRICULUM_FILE}: module name `{name}` must be lowercase letters, digits and `_`, starting with a letter"
            );
            ensure!(
                seen_modules.insert(name.clone()),
                "{CURRICULUM_FILE}: module `{name}` is listed twice"
            );
            modules.push(load_module(dir, &name)?);
        }
        ensure!(
            !modules.is_empty(),
            "{CURRICULUM_FILE}: `modules` lists no module"
        );
        Ok(Curriculum { modules })
    }

    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.modules.iter().flat_map(|m| m.exercises.iter())
    }

    pub fn find(&self, id: &str) -> Result<&Exercise> {
        if let Some(exercise) = self.exercises().find(|e| e.id() == id) {
            return Ok(exercise);
        }
        // Accept a bare exercise name when it is unambiguous.
        let matches: Vec<&Exercise> = self.exercises().filter(|e| e.name == id).collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => bail!("no exercise `{id}`: `learnml list` shows the ids (module/name)"),
            many => bail!(
                "`{id}` names several exercises: {}",
                many.iter().map(|e| e.id()).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Whether `name` can name a module, an exercise or a check: lowercase letters, digits and
/// `_`, starting with a letter (it becomes part of a binary's and a folder's name).
pub fn well_formed(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The error for a curriculum whose `format_version` is not [`FORMAT_VERSION`].
fn unsupported(format_version: Option<u32>) -> anyhow::Error {
    match format_version {
        Some(other) => anyhow::anyhow!(
            "{CURRICULUM_FILE}: `format_version` is {other}, and this learnml reads only version {FORMAT_VERSION}: run the learnml of this checkout (`cargo run --`, or `cargo install --path .` again)"
        ),
        None => anyhow::anyhow!(
            "{CURRICULUM_FILE}: no `format_version`: this learnml reads version {FORMAT_VERSION}, one folder per exercise (docs/AUTHORING.md)"
        ),
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(dir: &Path, relative: &Path) -> Result<T> {
    let text = std::fs::read_to_string(dir.join(relative))
        .with_context(|| format!("cannot read {}", relative.display()))?;
    toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", relative.display(), e.to_string().trim_end()))
}

fn load_module(dir: &Path, name: &str) -> Result<Module> {
    let path = module_folder(name).join(MODULE_FILE);
    let file: ModuleFile = read_toml(dir, &path)?;
    let at = path.display();
    ensure!(!file.title.trim().is_empty(), "{at}: `title` is empty");
    ensure!(!file.about.trim().is_empty(), "{at}: `about` is empty");
    ensure!(
        !file.exercises.is_empty(),
        "{at}: `exercises` lists no exercise"
    );
    let mut seen = HashSet::new();
    let mut exercises = Vec::new();
    for ex in &file.exercises {
        ensure!(
            well_formed(ex),
            "{at}: exercise name `{ex}` must be lowercase letters, digits and `_`, starting with a letter"
        );
        ensure!(
            seen.insert(ex.clone()),
            "{at}: exercise `{ex}` appears twice"
        );
        let folder = exercise_folder(name, ex);
        ensure!(
            dir.join(&folder).is_dir(),
            "{at}: exercise `{ex}` has no folder {}",
            folder.display()
        );
        exercises.push(load_exercise(dir, name, ex)?);
    }
    Ok(Module {
        name: name.to_string(),
        title: file.title,
        about: file.about,
        exercises,
    })
}

fn load_exercise(dir: &Path, module: &str, name: &str) -> Result<Exercise> {
    let folder = exercise_folder(module, name);
    let path = folder.join(EXERCISE_FILE);
    let entry: ExerciseFile = read_toml(dir, &path)?;
    let at = path.display();
    ensure!(!entry.title.trim().is_empty(), "{at}: `title` is empty");
    ensure!(
        (2..=3).contains(&entry.hints.len()),
        "{at}: `hints` must have 2 or 3 entries, it has {}",
        entry.hints.len()
    );
    for (i, hint) in entry.hints.iter().enumerate() {
        ensure!(!hint.trim().is_empty(), "{at}: hint {} is empty", i + 1);
    }
    ensure!(!entry.checks.is_empty(), "{at}: no `checks`");
    let mut check_ids = HashSet::new();
    for check in &entry.checks {
        ensure!(
            well_formed(&check.id),
            "{at}: check id `{}` must be lowercase letters, digits and `_`",
            check.id
        );
        ensure!(
            check_ids.insert(check.id.clone()),
            "{at}: check `{}` appears twice",
            check.id
        );
        ensure!(
            check.points >= 1,
            "{at}: check `{}` must be worth at least 1 point",
            check.id
        );
        ensure!(
            !check.name.trim().is_empty(),
            "{at}: check `{}` has an empty `name`",
            check.id
        );
    }
    let time_limit_secs = entry.time_limit_secs.unwrap_or(DEFAULT_TIME_LIMIT_SECS);
    ensure!(
        (1..=60).contains(&time_limit_secs),
        "{at}: `time_limit_secs` must be 1 to 60, it is {time_limit_secs}"
    );
    let memory_limit_mb = entry.memory_limit_mb.unwrap_or(DEFAULT_MEMORY_LIMIT_MB);
    ensure!(
        (64..=8192).contains(&memory_limit_mb),
        "{at}: `memory_limit_mb` must be 64 to 8192, it is {memory_limit_mb}"
    );
    let opt_level = entry.opt_level.unwrap_or(DEFAULT_OPT_LEVEL);
    ensure!(
        opt_level <= 1,
        "{at}: `opt_level` must be 0 or 1, it is {opt_level}"
    );
    for dataset in &entry.datasets {
        let csv = Path::new("datasets").join(dataset);
        ensure!(
            non_empty_file(&dir.join(&csv)),
            "{at}: dataset `{dataset}` is not a non-empty file {}",
            csv.display()
        );
        let provenance = csv.with_extension("md");
        ensure!(
            non_empty_file(&dir.join(&provenance)),
            "{at}: dataset `{dataset}` has no provenance file {}",
            provenance.display()
        );
    }
    let statement_path = folder.join(STATEMENT_FILE);
    // The statement is shown as written: read it whole, never trimmed.
    let statement = std::fs::read_to_string(dir.join(&statement_path))
        .with_context(|| format!("cannot read {}", statement_path.display()))?;
    ensure!(
        !statement.trim().is_empty(),
        "{}: the statement is empty",
        statement_path.display()
    );
    let exercise = Exercise {
        id: format!("{module}/{name}"),
        module: module.to_string(),
        name: name.to_string(),
        title: entry.title,
        statement,
        hints: entry.hints,
        datasets: entry.datasets,
        time_limit_secs,
        memory_limit_mb,
        opt_level,
        checks: entry.checks,
    };
    for file in [
        exercise.stub_path(),
        exercise.solution_path(),
        exercise.grader_path(),
    ] {
        ensure!(
            non_empty_file(&dir.join(&file)),
            "{} is missing or empty",
            file.display()
        );
    }
    Ok(exercise)
}

fn non_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// Small exercise sets on disk, for the tests of the modules that read them.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    pub fn write(dir: &Path, relative: &str, text: &str) {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A workspace holding module `m` with exercise `e`, whose Rust files are placeholders.
    pub fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "exercises/curriculum.toml",
            "format_version = 2\nmodules = [\"m\"]\n",
        );
        write(
            root,
            "exercises/m/module.toml",
            "title = \"M\"\nabout = \"A module.\"\nexercises = [\"e\"]\n",
        );
        write(
            root,
            "exercises/m/e/exercise.toml",
            "title = \"E\"\nhints = [\"a hint\", \"another\"]\nchecks = [{ id = \"mean\", name = \"the mean\", points = 1 }]\n",
        );
        write(
            root,
            "exercises/m/e/statement.md",
            "Write `mean`.\n\n  Indented, kept.\n",
        );
        for file in ["stub.rs", "solution.rs", "grader.rs"] {
            write(root, &format!("exercises/m/e/{file}"), "// placeholder\n");
        }
        dir
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{workspace, write};
    use super::*;

    fn load_error(dir: &Path) -> String {
        format!("{:#}", Curriculum::load(dir).unwrap_err())
    }

    #[test]
    fn an_exercise_is_read_from_its_folder() {
        let ws = workspace();
        let curriculum = Curriculum::load(ws.path()).unwrap();
        let exercise = curriculum.find("m/e").unwrap();
        assert_eq!(
            exercise.statement,
            std::fs::read_to_string(ws.path().join("exercises/m/e/statement.md")).unwrap(),
            "the statement is kept byte for byte"
        );
        assert_eq!(exercise.checks.len(), 1);
        assert_eq!(exercise.time_limit_secs, DEFAULT_TIME_LIMIT_SECS);
        assert_eq!(exercise.opt_level, DEFAULT_OPT_LEVEL);
        assert_eq!(exercise.folder(), Path::new("exercises/m/e"));
        assert_eq!(exercise.stub_path(), Path::new("exercises/m/e/stub.rs"));
        assert_eq!(
            exercise.solution_path(),
            Path::new("exercises/m/e/solution.rs")
        );
        assert_eq!(exercise.grader_path(), Path::new("exercises/m/e/grader.rs"));
        assert_eq!(exercise.work_path(), Path::new("work/m/e.rs"));
    }

    #[test]
    fn only_the_known_format_version_is_read() {
        let ws = workspace();
        for (curriculum, expected) in [
            (
                "modules = [\"m\"]\n",
                "exercises/curriculum.toml: no `format_version`",
            ),
            (
                "format_version = 3\nmodules = [\"m\"]\nnew_field = 1\n",
                "exercises/curriculum.toml: `format_version` is 3, and this learnml reads only version 2",
            ),
        ] {
            write(ws.path(), CURRICULUM_FILE, curriculum);
            let error = load_error(ws.path());
            assert!(error.starts_with(expected), "{error}");
        }
    }

    #[test]
    fn faults_name_the_file_and_the_field() {
        let ws = workspace();
        let root = ws.path();
        let toml = "exercises/m/e/exercise.toml";
        let original = std::fs::read_to_string(root.join(toml)).unwrap();
        let cases = [
            (
                original.replace("title =", "titel ="),
                "exercises/m/e/exercise.toml: ",
                "unknown field `titel`",
            ),
            (
                original.replace("points = 1", "points = 0"),
                "exercises/m/e/exercise.toml: ",
                "check `mean` must be worth at least 1 point",
            ),
            (
                original.replace("hints = [", "hints = [\"one\", \"two\","),
                "exercises/m/e/exercise.toml: ",
                "`hints` must have 2 or 3 entries, it has 4",
            ),
            (
                original.replace("hints = [", "hints = [\" \","),
                "exercises/m/e/exercise.toml: ",
                "hint 1 is empty",
            ),
            (
                original.replace("title =", "opt_level = 2\ntitle ="),
                "exercises/m/e/exercise.toml: ",
                "`opt_level` must be 0 or 1, it is 2",
            ),
        ];
        for (text, file, expected) in cases {
            write(root, toml, &text);
            let error = load_error(root);
            assert!(
                error.starts_with(file) && error.contains(expected),
                "{error}"
            );
        }
        write(root, toml, &original);
        write(root, "exercises/m/e/statement.md", "\n \n");
        assert_eq!(
            load_error(root),
            "exercises/m/e/statement.md: the statement is empty"
        );
        std::fs::remove_file(root.join("exercises/m/e/statement.md")).unwrap();
        assert!(load_error(root).starts_with("cannot read exercises/m/e/statement.md"));
        write(root, "exercises/m/e/statement.md", "A statement.\n");
        std::fs::remove_file(root.join("exercises/m/e/grader.rs")).unwrap();
        assert_eq!(
            load_error(root),
            "exercises/m/e/grader.rs is missing or empty"
        );
    }

    #[test]
    fn a_listed_exercise_without_a_folder_is_named() {
        let ws = workspace();
        write(
            ws.path(),
            "exercises/m/module.toml",
            "title = \"M\"\nabout = \"A module.\"\nexercises = [\"e\", \"gone\"]\n",
        );
        assert_eq!(
            load_error(ws.path()),
            "exercises/m/module.toml: exercise `gone` has no folder exercises/m/gone"
        );
    }
}
