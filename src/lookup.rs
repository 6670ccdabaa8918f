//! Finding the exercise a learner means: an id (`supervised/logistic`), a bare name when it is
//! unambiguous (`logistic`), or the path of their file (`work/supervised/logistic.rs`, relative
//! to the current folder or absolute), as an editor or a shell's completion gives it. An id
//! that matches nothing gets the closest ids as suggestions.

use std::path::{Component, Path, PathBuf};

use anyhow::{Result, bail};

use crate::manifest::Exercise;
use crate::workspace::Workspace;

/// How alike a typed id and a real one must be (0 to 1, `strsim`'s normalized
/// Damerau-Levenshtein) to be suggested: one or two typos in a name of eight letters.
const SIMILAR: f64 = 0.7;
const MAX_SUGGESTIONS: usize = 3;

/// The exercise `arg` names; `cwd` is where a relative path starts.
pub fn exercise<'a>(ws: &'a Workspace, cwd: &Path, arg: &str) -> Result<&'a Exercise> {
    let curriculum = &ws.curriculum;
    let id = if looks_like_path(arg) {
        work_file_id(ws.root(), cwd, arg)?
    } else {
        arg.to_string()
    };
    let known = curriculum.exercises().any(|e| e.id() == id || e.name == id);
    if known {
        return curriculum.find(&id);
    }
    let ids: Vec<String> = curriculum.exercises().map(|e| e.id().to_string()).collect();
    let suggestions = similar(&id, &ids);
    if suggestions.is_empty() {
        return curriculum.find(&id);
    }
    let quoted: Vec<String> = suggestions.iter().map(|id| format!("`{id}`")).collect();
    bail!(
        "no exercise `{id}`: did you mean {}? (`learnml list` shows the ids)",
        quoted.join(" or ")
    )
}

fn looks_like_path(arg: &str) -> bool {
    arg.ends_with(".rs") || arg.starts_with('.') || Path::new(arg).is_absolute()
}

/// `module/name` from the path of a learner's file, `work/MODULE/NAME.rs`.
fn work_file_id(root: &Path, cwd: &Path, arg: &str) -> Result<String> {
    let absolute = normalize(&cwd.join(arg));
    // Either side may reach the workspace through a symbolic link (a temporary folder, a
    // home folder on another disk): compare the real paths when the file exists.
    let relative = absolute
        .strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let real = absolute.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            real.strip_prefix(root).ok().map(Path::to_path_buf)
        });
    let parts: Option<Vec<&str>> = relative
        .as_deref()
        .map(|r| r.iter().map(|c| c.to_str().unwrap_or("")).collect());
    match parts.as_deref() {
        Some(["work", module, file]) => {
            let name = file.strip_suffix(".rs").unwrap_or(file);
            Ok(format!("{module}/{name}"))
        }
        _ => bail!(
            "`{arg}` is not an exercise file: those are work/MODULE/NAME.rs in {}",
            root.display()
        ),
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system (the file may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The `ids` (`module/name`) most like `typed`, best first: close in spelling to the id or
/// to its name alone, or containing what was typed.
fn similar<'a>(typed: &str, ids: &'a [String]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = ids
        .iter()
        .filter_map(|id| {
            let name = id.rsplit('/').next().unwrap_or(id);
            let spelling = strsim::normalized_damerau_levenshtein(typed, id)
                .max(strsim::normalized_damerau_levenshtein(typed, name));
            let contains = typed.len() >= 3 && id.contains(typed);
            let score = if contains {
                spelling.max(SIMILAR)
            } else {
                spelling
            };
            (score >= SIMILAR).then_some((score, id.as_str()))
        })
        .collect();
    // Stable: equally good suggestions stay in curriculum order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_file_paths_become_ids() {
        let root = Path::new("/home/ana/learnml");
        let id = |cwd: &str, arg: &str| work_file_id(root, Path::new(cwd), arg);
        assert_eq!(
            id("/home/ana/learnml", "work/supervised/logistic.rs").unwrap(),
            "supervised/logistic"
        );
        assert_eq!(
            id("/home/ana/learnml", "./work/supervised/logistic.rs").unwrap(),
            "supervised/logistic"
        );
        assert_eq!(
            id("/home/ana/learnml/work/supervised", "logistic.rs").unwrap(),
            "supervised/logistic"
        );
        assert_eq!(
            id("/tmp", "/home/ana/learnml/work/neural/../supervised/knn.rs").unwrap(),
            "supervised/knn"
        );
        let error = id("/home/ana/learnml", "src/main.rs")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "`src/main.rs` is not an exercise file: those are work/MODULE/NAME.rs in /home/ana/learnml"
        );
        assert!(id("/elsewhere", "work/supervised/knn.rs").is_err());
    }

    #[test]
    fn suggestions_are_the_closest_ids() {
        let ids: Vec<String> = [
            "supervised/logistic",
            "supervised/random_forest",
            "supervised/knn",
            "unsupervised/kmeans",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(similar("logistc", &ids), ["supervised/logistic"]);
        assert_eq!(
            similar("supervized/logistic", &ids),
            ["supervised/logistic"]
        );
        assert_eq!(similar("forest", &ids), ["supervised/random_forest"]);
        assert_eq!(similar("kmean", &ids), ["unsupervised/kmeans"]);
        assert!(similar("nope", &ids).is_empty());
    }

    #[test]
    fn paths_are_told_from_ids() {
        assert!(looks_like_path("work/a/b.rs"));
        assert!(looks_like_path("./work/a/b"));
        assert!(looks_like_path("/abs/work/a/b.rs"));
        assert!(!looks_like_path("supervised/logistic"));
        assert!(!looks_like_path("logistic"));
    }
}
