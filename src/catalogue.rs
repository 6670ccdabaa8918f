//! An exercise's catalogue of learner files, which proves its grading honest: each file in
//! `mistakes/` is a plausible wrong solution the grader must reject *and name*, each file in
//! `alternatives/` a correct solution written differently from the reference, which must pass.
//!
//! Each file is a whole learner file that starts with a header of `//!` lines:
//!
//! ```text
//! //! mistake: divides by n whatever ddof asks (always the population variance)
//! //! fails: sample_variance
//! //! message: "population variance"
//! ```
//!
//! - `mistake:` says what is wrong, in one line;
//! - `fails:` the checks (ids, comma-separated) that must end in `fail`, and `errors:` those
//!   that must end in `error` (a panic, a time limit): at least one check in all;
//! - `message:` a phrase, in double quotes, that the message of every check named above must
//!   contain (ignoring case): the report must name the mistake, not only show wrong numbers.
//!
//! An alternative has a single header line, `//! alternative: <what differs>`, and must pass
//! every check. Checks not named may end any way.

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use learnml_protocol::Outcome;

use crate::manifest::{self, Exercise};
use crate::workspace::Workspace;

/// The folders of an exercise that hold its catalogue.
pub const MISTAKES_DIR: &str = "mistakes";
pub const ALTERNATIVES_DIR: &str = "alternatives";

/// A wrong learner file and how the grader must react to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// The file's name without `.rs`.
    pub file: String,
    /// Relative to the workspace root.
    pub path: PathBuf,
    pub what: String,
    /// Each named check and the outcome it must end in (`Fail` or `Error`).
    pub expected: Vec<(String, Outcome)>,
    /// What each named check's message must contain, compared ignoring case.
    pub message: String,
}

/// A correct learner file written differently from the reference solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub file: String,
    pub path: PathBuf,
    pub what: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub mistakes: Vec<Mistake>,
    pub alternatives: Vec<Alternative>,
    /// Whether the exercise has a `mistakes/` folder at all: its catalogue has been started.
    pub started: bool,
}

/// The `.rs` files of `exercises/M/N/DIR/`, as (name without `.rs`, relative path), sorted;
/// none when the folder does not exist.
fn rust_files(ws: &Workspace, exercise: &Exercise, dir: &str) -> Result<Vec<(String, PathBuf)>> {
    let folder = exercise.folder().join(dir);
    let Ok(entries) = std::fs::read_dir(ws.path(&folder)) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let path = folder.join(entry.file_name());
        // Anything else in the folder is reported as a stray by `verify`.
        let Some(stem) = path
            .extension()
            .filter(|e| *e == "rs")
            .and(path.file_stem())
            .and_then(|s| s.to_str())
        else {
            continue;
        };
        ensure!(
            manifest::well_formed(stem),
            "{}: the file's name must be lowercase letters, digits and `_`, starting with a letter (it names a binary)",
            path.display()
        );
        found.push((stem.to_string(), path));
    }
    found.sort();
    Ok(found)
}

/// Read the catalogue of `exercise`. A header that cannot be read is an error naming the file
/// and the line.
pub fn load(ws: &Workspace, exercise: &Exercise) -> Result<Catalogue> {
    let mut catalogue = Catalogue {
        started: ws.path(exercise.folder().join(MISTAKES_DIR)).is_dir(),
        ..Catalogue::default()
    };
    for (file, path) in rust_files(ws, exercise, MISTAKES_DIR)? {
        let text = std::fs::read_to_string(ws.path(&path))
            .with_context(|| format!("cannot read {}", path.display()))?;
        let (what, expected, message) = parse_mistake(exercise, &text)
            .map_err(|e| anyhow::anyhow!("{}:{e:#}", path.display()))?;
        catalogue.mistakes.push(Mistake {
            file,
            path,
            what,
            expected,
            message,
        });
    }
    for (file, path) in rust_files(ws, exercise, ALTERNATIVES_DIR)? {
        let text = std::fs::read_to_string(ws.path(&path))
            .with_context(|| format!("cannot read {}", path.display()))?;
        let what =
            parse_alternative(&text).map_err(|e| anyhow::anyhow!("{}:{e:#}", path.display()))?;
        catalogue
            .alternatives
            .push(Alternative { file, path, what });
    }
    Ok(catalogue)
}

/// The header's `key: value` lines with their line numbers (from 1). Errors start with the
/// line number, for the caller to prefix with the file.
fn header(text: &str) -> Result<Vec<(usize, &str, &str)>> {
    let mut fields = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        let Some((key, value)) = rest.split_once(':') else {
            bail!("{}: a header line is `//! key: value`, not `{line}`", i + 1);
        };
        fields.push((i + 1, key.trim(), value.trim()));
    }
    Ok(fields)
}

type MistakeHeader = (String, Vec<(String, Outcome)>, String);

fn parse_mistake(exercise: &Exercise, text: &str) -> Result<MistakeHeader> {
    let fields = header(text)?;
    let Some(&(_, "mistake", what)) = fields.first() else {
        bail!("1: a mistake file starts with `//! mistake: <what is wrong>`");
    };
    ensure!(!what.is_empty(), "1: `mistake:` says what is wrong");
    let mut expected: Vec<(String, Outcome)> = Vec::new();
    let mut message = None;
    for &(line, key, value) in &fields[1..] {
        let outcome = match key {
            "fails" => Outcome::Fail,
            "errors" => Outcome::Error,
            "message" => {
                ensure!(message.is_none(), "{line}: `message:` is given twice");
                let phrase = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .filter(|v| !v.trim().is_empty());
                let Some(phrase) = phrase else {
                    bail!(
                        "{line}: `message:` is a phrase in double quotes, such as \"n - 1\", not `{value}`"
                    );
                };
                message = Some(phrase.to_string());
                continue;
            }
            _ => bail!("{line}: unknown key `{key}` (a mistake has fails, errors and message)"),
        };
        for id in value.split(',').map(str::trim) {
            ensure!(
                exercise.checks.iter().any(|c| c.id == id),
                "{line}: no check `{id}` in {}: its checks are {}",
                exercise.folder().join(manifest::EXERCISE_FILE).display(),
                exercise
                    .checks
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ensure!(
                expected.iter().all(|(named, _)| named != id),
                "{line}: check `{id}` is named twice"
            );
            expected.push((id.to_string(), outcome));
        }
    }
    ensure!(
        !expected.is_empty(),
        "{}: a mistake names the checks it must fail (`//! fails: CHECK, ...`)",
        fields.len() + 1
    );
    let Some(message) = message else {
        bail!(
            "{}: a mistake says what its report must say (`//! message: \"phrase\"`)",
            fields.len() + 1
        );
    };
    Ok((what.to_string(), expected, message))
}

fn parse_alternative(text: &str) -> Result<String> {
    let fields = header(text)?;
    match fields.as_slice() {
        [(_, "alternative", what)] if !what.is_empty() => Ok(what.to_string()),
        [(_, "alternative", _), (line, key, _), ..] => {
            bail!("{line}: unknown key `{key}` (an alternative has only `alternative:`)")
        }
        _ => bail!("1: an alternative file starts with `//! alternative: <what differs>`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::testing::{workspace, write};
    use crate::manifest::{CheckSpec, Curriculum};

    fn exercise() -> Exercise {
        let ws = workspace();
        let mut exercise = Curriculum::load(ws.path())
            .unwrap()
            .find("m/e")
            .unwrap()
            .clone();
        exercise.checks.push(CheckSpec {
            id: "median".into(),
            name: "the median".into(),
            points: 1,
            required: true,
        });
        exercise
    }

    #[test]
    fn a_mistake_header_is_read() {
        let text = "//! mistake: divides by n - 1\n//! fails: mean\n//! errors: median\n//! message: \"N - 1\"\n\npub fn mean() {}\n";
        assert_eq!(
            parse_mistake(&exercise(), text).unwrap(),
            (
                "divides by n - 1".to_string(),
                vec![
                    ("mean".to_string(), Outcome::Fail),
                    ("median".to_string(), Outcome::Error)
                ],
                "N - 1".to_string()
            )
        );
        assert_eq!(
            parse_alternative("//! alternative: a fold\nfn f() {}\n").unwrap(),
            "a fold"
        );
    }

    #[test]
    fn a_bad_header_names_its_line() {
        let cases = [
            ("fn f() {}\n", "1: a mistake file starts with `//! mistake:"),
            ("//! mistake:\n", "1: `mistake:` says what is wrong"),
            (
                "//! mistake: x\n//! fail: mean\n",
                "2: unknown key `fail` (a mistake has fails, errors and message)",
            ),
            (
                "//! mistake: x\n//! fails: mean, mode\n",
                "2: no check `mode` in exercises/m/e/exercise.toml: its checks are mean, median",
            ),
            (
                "//! mistake: x\n//! fails: mean\n//! errors: mean\n",
                "3: check `mean` is named twice",
            ),
            (
                "//! mistake: x\n//! message: n - 1\n",
                "2: `message:` is a phrase in double quotes",
            ),
            (
                "//! mistake: x\n//! message: \"n\"\n",
                "3: a mistake names the checks it must fail",
            ),
            (
                "//! mistake: x\n//! fails: mean\n",
                "3: a mistake says what its report must say",
            ),
            ("//! mistake x\n", "1: a header line is `//! key: value`"),
        ];
        for (text, expected) in cases {
            let error = format!("{:#}", parse_mistake(&exercise(), text).unwrap_err());
            assert!(error.starts_with(expected), "{text}: {error}");
        }
        assert!(
            parse_alternative("//! mistake: x\n")
                .unwrap_err()
                .to_string()
                .starts_with("1: an alternative file starts with")
        );
        assert!(
            parse_alternative("//! alternative: x\n//! fails: mean\n")
                .unwrap_err()
                .to_string()
                .starts_with("2: unknown key `fails`")
        );
    }

    #[test]
    fn the_catalogue_is_read_from_the_exercise_folder() {
        let ws = workspace();
        let root = ws.path();
        let load_m_e = || {
            let workspace = Workspace::at(root).unwrap();
            load(&workspace, workspace.curriculum.find("m/e").unwrap())
        };
        assert_eq!(load_m_e().unwrap(), Catalogue::default());
        write(
            root,
            "exercises/m/e/mistakes/by_n_minus_1.rs",
            "//! mistake: divides by n - 1\n//! fails: mean\n//! message: \"n - 1\"\n",
        );
        write(
            root,
            "exercises/m/e/alternatives/fold.rs",
            "//! alternative: a fold\n",
        );
        let catalogue = load_m_e().unwrap();
        assert!(catalogue.started);
        assert_eq!(catalogue.mistakes[0].file, "by_n_minus_1");
        assert_eq!(
            catalogue.mistakes[0].path,
            std::path::Path::new("exercises/m/e/mistakes/by_n_minus_1.rs")
        );
        assert_eq!(catalogue.alternatives[0].what, "a fold");
        write(
            root,
            "exercises/m/e/mistakes/bad.rs",
            "//! mistake: x\n//! fails: mode\n",
        );
        assert!(
            format!("{:#}", load_m_e().unwrap_err())
                .starts_with("exercises/m/e/mistakes/bad.rs:2: no check `mode`")
        );
        std::fs::remove_file(root.join("exercises/m/e/mistakes/bad.rs")).unwrap();
        write(root, "exercises/m/e/mistakes/Bad-Name.rs", "");
        assert!(
            format!("{:#}", load_m_e().unwrap_err())
                .starts_with("exercises/m/e/mistakes/Bad-Name.rs: the file's name must be")
        );
    }
}
