//! The exercise set as data: `exercises/curriculum.toml` orders the modules, and each
//! `exercises/MODULE/module.toml` describes its exercises in order. Loading validates
//! everything a command relies on, with errors that name the file and the field.
//!
//! Files follow from names: the stub of exercise `NAME` of module `MODULE` is
//! `exercises/MODULE/NAME.rs`, its reference solution `solutions/MODULE/NAME.rs`, its grader
//! `graders/MODULE/NAME.rs`, and the learner's copy `work/MODULE/NAME.rs`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use serde::Deserialize;

pub const CURRICULUM_FILE: &str = "exercises/curriculum.toml";
const DEFAULT_TIME_LIMIT_SECS: u64 = 5;
const DEFAULT_MEMORY_LIMIT_MB: u64 = 2048;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurriculumFile {
    modules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    title: String,
    about: String,
    exercises: Vec<ExerciseEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseEntry {
    name: String,
    title: String,
    statement: String,
    hints: Vec<String>,
    #[serde(default)]
    datasets: Vec<String>,
    time_limit_secs: Option<u64>,
    memory_limit_mb: Option<u64>,
    checks: Vec<CheckSpec>,
}

/// A check of an exercise as the manifest declares it; the grader implements it by `id`.
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
    pub module: String,
    pub name: String,
    pub title: String,
    pub statement: String,
    pub hints: Vec<String>,
    pub datasets: Vec<String>,
    pub time_limit_secs: u64,
    pub memory_limit_mb: u64,
    pub checks: Vec<CheckSpec>,
}

impl Exercise {
    /// `module/name`, the id used on the command line and in progress.
    pub fn id(&self) -> String {
        format!("{}/{}", self.module, self.name)
    }

    pub fn max_points(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    fn relative(&self, folder: &str) -> PathBuf {
        Path::new(folder)
            .join(&self.module)
            .join(format!("{}.rs", self.name))
    }

    /// The shipped stub, relative to the workspace root.
    pub fn stub_path(&self) -> PathBuf {
        self.relative("exercises")
    }

    /// The learner's copy, relative to the workspace root.
    pub fn work_path(&self) -> PathBuf {
        self.relative("work")
    }

    pub fn solution_path(&self) -> PathBuf {
        self.relative("solutions")
    }

    pub fn grader_path(&self) -> PathBuf {
        self.relative("graders")
    }
}

#[derive(Debug, Clone)]
pub struct Curriculum {
    pub modules: Vec<Module>,
}

impl Curriculum {
    /// Load and validate the whole exercise set under `root`.
    pub fn load(root: &Path) -> Result<Curriculum> {
        let curriculum: CurriculumFile = read_toml(root, Path::new(CURRICULUM_FILE))?;
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
            modules.push(load_module(root, &name)?);
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

fn well_formed(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn read_toml<T: serde::de::DeserializeOwned>(root: &Path, relative: &Path) -> Result<T> {
    let text = std::fs::read_to_string(root.join(relative))
        .with_context(|| format!("cannot read {}", relative.display()))?;
    toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", relative.display(), e.to_string().trim_end()))
}

fn load_module(root: &Path, name: &str) -> Result<Module> {
    let path = Path::new("exercises").join(name).join("module.toml");
    let file: ModuleFile = read_toml(root, &path)?;
    let at = path.display();
    ensure!(!file.title.trim().is_empty(), "{at}: `title` is empty");
    ensure!(!file.about.trim().is_empty(), "{at}: `about` is empty");
    ensure!(!file.exercises.is_empty(), "{at}: no `[[exercises]]`");
    let mut seen = HashSet::new();
    let mut exercises = Vec::new();
    for entry in file.exercises {
        let ex = &entry.name.clone();
        ensure!(
            well_formed(ex),
            "{at}: exercise name `{ex}` must be lowercase letters, digits and `_`, starting with a letter"
        );
        ensure!(
            seen.insert(ex.clone()),
            "{at}: exercise `{ex}` appears twice"
        );
        ensure!(
            !entry.title.trim().is_empty(),
            "{at}: exercise `{ex}`: `title` is empty"
        );
        ensure!(
            !entry.statement.trim().is_empty(),
            "{at}: exercise `{ex}`: `statement` is empty"
        );
        ensure!(
            (2..=3).contains(&entry.hints.len()),
            "{at}: exercise `{ex}`: `hints` must have 2 or 3 entries, it has {}",
            entry.hints.len()
        );
        for (i, hint) in entry.hints.iter().enumerate() {
            ensure!(
                !hint.trim().is_empty(),
                "{at}: exercise `{ex}`: hint {} is empty",
                i + 1
            );
        }
        ensure!(
            !entry.checks.is_empty(),
            "{at}: exercise `{ex}`: no `checks`"
        );
        let mut check_ids = HashSet::new();
        for check in &entry.checks {
            ensure!(
                well_formed(&check.id),
                "{at}: exercise `{ex}`: check id `{}` must be lowercase letters, digits and `_`",
                check.id
            );
            ensure!(
                check_ids.insert(check.id.clone()),
                "{at}: exercise `{ex}`: check `{}` appears twice",
                check.id
            );
            ensure!(
                check.points >= 1,
                "{at}: exercise `{ex}`: check `{}` must be worth at least 1 point",
                check.id
            );
            ensure!(
                !check.name.trim().is_empty(),
                "{at}: exercise `{ex}`: check `{}` has an empty `name`",
                check.id
            );
        }
        let time_limit_secs = entry.time_limit_secs.unwrap_or(DEFAULT_TIME_LIMIT_SECS);
        ensure!(
            (1..=60).contains(&time_limit_secs),
            "{at}: exercise `{ex}`: `time_limit_secs` must be 1 to 60, it is {time_limit_secs}"
        );
        let memory_limit_mb = entry.memory_limit_mb.unwrap_or(DEFAULT_MEMORY_LIMIT_MB);
        ensure!(
            (64..=8192).contains(&memory_limit_mb),
            "{at}: exercise `{ex}`: `memory_limit_mb` must be 64 to 8192, it is {memory_limit_mb}"
        );
        for dataset in &entry.datasets {
            let csv = Path::new("datasets").join(dataset);
            ensure!(
                non_empty_file(&root.join(&csv)),
                "{at}: exercise `{ex}`: dataset `{dataset}` is not a non-empty file {}",
                csv.display()
            );
            let provenance = csv.with_extension("md");
            ensure!(
                non_empty_file(&root.join(&provenance)),
                "{at}: exercise `{ex}`: dataset `{dataset}` has no provenance file {}",
                provenance.display()
            );
        }
        let exercise = Exercise {
            module: name.to_string(),
            name: entry.name,
            title: entry.title,
            statement: entry.statement,
            hints: entry.hints,
            datasets: entry.datasets,
            time_limit_secs,
            memory_limit_mb,
            checks: entry.checks,
        };
        for file in [
            exercise.stub_path(),
            exercise.solution_path(),
            exercise.grader_path(),
        ] {
            ensure!(
                non_empty_file(&root.join(&file)),
                "{at}: exercise `{ex}`: {} is missing or empty",
                file.display()
            );
        }
        exercises.push(exercise);
    }
    Ok(Module {
        name: name.to_string(),
        title: file.title,
        about: file.about,
        exercises,
    })
}

fn non_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}
