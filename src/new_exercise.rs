//! `learnml dev new MODULE/NAME`: a new exercise's folder from a template (a stub that
//! reaches `todo!()`, a solution, a grader with one check, its exercise.toml and statement),
//! appended to the module's order. The template passes `learnml dev verify` as written, so an
//! author starts from a sound exercise and changes it one step at a time.

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};

use crate::manifest::{
    self, EXERCISE_FILE, GRADER_FILE, MODULE_FILE, SOLUTION_FILE, STATEMENT_FILE, STUB_FILE,
};
use crate::workspace::Workspace;

/// The template's files, with `MODULE/NAME` standing for the exercise's id.
const TEMPLATE: [(&str, &str); 5] = [
    (EXERCISE_FILE, include_str!("template/exercise.toml")),
    (STATEMENT_FILE, include_str!("template/statement.md")),
    (STUB_FILE, include_str!("template/stub.rs")),
    (SOLUTION_FILE, include_str!("template/solution.rs")),
    (GRADER_FILE, include_str!("template/grader.rs")),
];

/// Write exercise `id` (`MODULE/NAME`) of an existing module from the template and append it
/// to the module's `exercises`. Returns its folder, relative to the workspace's root. The
/// workspace's exercise set loaded, so a new exercise is never blamed for an older fault.
pub fn create(ws: &Workspace, id: &str) -> Result<PathBuf> {
    let Some((module, name)) = id.split_once('/') else {
        bail!("`{id}` is not MODULE/NAME: say which module the exercise belongs to");
    };
    ensure!(
        manifest::well_formed(name),
        "`{name}` cannot name an exercise: use lowercase letters, digits and `_`, starting with a letter"
    );
    let curriculum = &ws.curriculum;
    let Some(known) = curriculum.modules.iter().find(|m| m.name == module) else {
        let names: Vec<&str> = curriculum.modules.iter().map(|m| m.name.as_str()).collect();
        bail!(
            "no module `{module}` in {}: the modules are {}",
            manifest::CURRICULUM_FILE,
            names.join(", ")
        );
    };
    ensure!(
        known.exercises.iter().all(|e| e.name != name),
        "exercise `{id}` exists already"
    );
    let folder = manifest::exercise_folder(module, name);
    ensure!(
        !ws.path(&folder).exists(),
        "{} exists already, although {} does not list it: remove it or add `{name}` to the list",
        folder.display(),
        manifest::module_folder(module).join(MODULE_FILE).display()
    );
    let module_file = manifest::module_folder(module).join(MODULE_FILE);
    let text = std::fs::read_to_string(ws.path(&module_file))
        .with_context(|| format!("cannot read {}", module_file.display()))?;
    let appended = append_to_list(&text, name)
        .with_context(|| format!("{}: cannot add `{name}`", module_file.display()))?;
    std::fs::create_dir_all(ws.path(&folder))
        .with_context(|| format!("cannot create {}", folder.display()))?;
    for (file, template) in TEMPLATE {
        let path = folder.join(file);
        std::fs::write(ws.path(&path), template.replace("MODULE/NAME", id))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Listed last: if a file could not be written, the module still loads.
    std::fs::write(ws.path(&module_file), appended)
        .with_context(|| format!("cannot write {}", module_file.display()))?;
    Ok(folder)
}

/// `module.toml` with `name` appended to its `exercises` array, the rest of the text (its
/// comments, its layout) untouched.
fn append_to_list(text: &str, name: &str) -> Result<String> {
    let mut expected: toml::Table = toml::from_str(text)?;
    match expected.get_mut("exercises") {
        Some(toml::Value::Array(names)) => names.push(name.into()),
        _ => bail!("no `exercises` array"),
    }
    // A line starting with `exercises` may sit inside a multi-line string: try each one, and
    // keep the edit after which only the list grew, by one name.
    text.match_indices("exercises")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text[..i].ends_with('\n'))
        .filter_map(|key| append_at(text, key, name))
        .find(|appended| toml::from_str::<toml::Table>(appended).is_ok_and(|t| t == expected))
        .with_context(|| {
            format!("cannot find where the `exercises` array ends: add `\"{name}\"` by hand")
        })
}

/// The text with `name` added to the array that follows `key`, in the array's style.
fn append_at(text: &str, key: usize, name: &str) -> Option<String> {
    let open = key + text[key..].find('[')?;
    // Exercise names hold no `]`, so the first one after `[` closes the array.
    let close = open + text[open..].find(']')?;
    let items = text[open + 1..close].trim_end();
    let items = items.strip_suffix(',').unwrap_or(items);
    let listed = if items.contains('\n') {
        format!("{items},\n    \"{name}\",\n")
    } else if items.trim().is_empty() {
        format!("\"{name}\"")
    } else {
        format!("{items}, \"{name}\"")
    };
    Some(format!("{}{listed}{}", &text[..=open], &text[close..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::testing::{workspace, write};

    #[test]
    fn a_new_exercise_is_written_and_listed() {
        let ws = workspace();
        let root = ws.path();
        assert_eq!(
            create(&Workspace::at(root).unwrap(), "m/second").unwrap(),
            std::path::Path::new("exercises/m/second")
        );
        let curriculum = crate::manifest::Curriculum::load(root).unwrap();
        let names: Vec<&str> = curriculum.modules[0]
            .exercises
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["e", "second"]);
        let stub = std::fs::read_to_string(root.join("exercises/m/second/stub.rs")).unwrap();
        assert!(stub.starts_with("// m/second: "), "{stub}");
        assert!(stub.contains("todo!("));
    }

    #[test]
    fn a_taken_or_bad_name_is_refused() {
        let ws = workspace();
        let root = ws.path();
        write(root, "exercises/m/draft/notes.md", "a draft");
        for (id, expected) in [
            ("m/e", "exercise `m/e` exists already"),
            (
                "m/draft",
                "exercises/m/draft exists already, although exercises/m/module.toml does not list it",
            ),
            ("m/Mean", "`Mean` cannot name an exercise"),
            ("m/2nd", "`2nd` cannot name an exercise"),
            ("m/a/b", "`a/b` cannot name an exercise"),
            ("mean", "`mean` is not MODULE/NAME"),
            (
                "x/mean",
                "no module `x` in exercises/curriculum.toml: the modules are m",
            ),
        ] {
            let error = create(&Workspace::at(root).unwrap(), id)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with(expected), "{id}: {error}");
        }
        assert!(!root.join("exercises/m/Mean").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("exercises/m/module.toml")).unwrap(),
            "title = \"M\"\nabout = \"A module.\"\nexercises = [\"e\"]\n",
            "a refused name leaves the module as it was"
        );
    }

    #[test]
    fn a_name_is_appended_keeping_the_list_style() {
        let multi = "title = \"T\"\nabout = \"A\"\n\nexercises = [\n    \"a\",\n    \"b\",\n]\n";
        assert_eq!(
            append_to_list(multi, "c").unwrap(),
            "title = \"T\"\nabout = \"A\"\n\nexercises = [\n    \"a\",\n    \"b\",\n    \"c\",\n]\n"
        );
        let inline = "exercises = [\"a\", \"b\"] # in order\ntitle = \"T\"\n";
        assert_eq!(
            append_to_list(inline, "c").unwrap(),
            "exercises = [\"a\", \"b\", \"c\"] # in order\ntitle = \"T\"\n"
        );
        // `about` mentions "exercises", only the key counts.
        let about = "about = \"\"\"\nexercises = [x]\"\"\"\nexercises = [\"a\"]\n";
        assert_eq!(
            append_to_list(about, "b").unwrap(),
            "about = \"\"\"\nexercises = [x]\"\"\"\nexercises = [\"a\", \"b\"]\n"
        );
        assert!(append_to_list("title = \"T\"\n", "c").is_err());
        assert!(append_to_list("exercises = []\n", "a").unwrap() == "exercises = [\"a\"]\n");
    }
}
