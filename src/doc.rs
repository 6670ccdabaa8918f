//! `learnml doc`: the API documentation of exactly the crates the course's exercises use
//! (linfa and its algorithms, ndarray, smartcore, the kit...), built by `cargo doc` into the
//! course's target folder, to read offline. The first run takes a few minutes; later runs
//! find it fresh.
//!
//! Their own dependencies are not documented (`--no-deps`, with the crates named by `-p`):
//! several versions of one crate (rand 0.8 for the course, rand 0.10 deeper down) would
//! write the same folder, and the learner could read the wrong one (cargo issue 6313).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::build;

/// The crates to document: the course's direct dependencies, as cargo package specs
/// (`ndarray@0.16.1` where the lock holds several versions of a crate, the name alone
/// otherwise), linfa first (its front page introduces the algorithm crates), then by name.
/// They are read from `course/Cargo.lock`, so they are the versions the exercises build with.
pub fn crates(root: &Path) -> Result<Vec<String>> {
    let read = |file: &str| -> Result<toml::Table> {
        let path = root.join("course").join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))
    };
    let manifest = read("Cargo.toml")?;
    let Some(course) = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    else {
        bail!("course/Cargo.toml: no [package] name");
    };
    let lock = read("Cargo.lock")?;
    let packages = lock.get("package").and_then(|p| p.as_array());
    let Some(entry) = packages
        .into_iter()
        .flatten()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(course))
    else {
        bail!("course/Cargo.lock has no package `{course}`: run `learnml check` once");
    };
    let mut crates: Vec<String> = entry
        .get("dependencies")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str())
        // "ndarray 0.16.1" (several versions are locked) or "linfa"
        .map(|d| d.replacen(' ', "@", 1))
        .collect();
    crates.sort_by_key(|spec| (name(spec) != "linfa", spec.clone()));
    Ok(crates)
}

/// The package name of a spec (`ndarray@0.16.1` → `ndarray`).
pub fn name(spec: &str) -> &str {
    spec.split('@').next().unwrap_or(spec)
}

/// `cargo doc` for exactly `crates` into `target`; with `open`, cargo opens the first crate's
/// page in a browser.
pub fn command(root: &Path, target: &Path, crates: &[String], open: bool) -> Command {
    let mut command = Command::new(build::cargo());
    command
        .arg("doc")
        .arg("--manifest-path")
        .arg(root.join("course").join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .arg("--no-deps")
        .current_dir(root);
    for name in crates {
        command.arg("--package").arg(name);
    }
    if open {
        command.arg("--open");
    }
    command
}

/// Where rustdoc puts a crate's front page.
pub fn index(target: &Path, spec: &str) -> PathBuf {
    target
        .join("doc")
        .join(name(spec).replace('-', "_"))
        .join("index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_dependencies_are_documented_into_the_course_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("course")).unwrap();
        std::fs::write(
            root.join("course/Cargo.toml"),
            "[package]\nname = \"learnml-course\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("course/Cargo.lock"),
            "version = 4\n\n[[package]]\nname = \"learnml-course\"\nversion = \"0.1.0\"\n\
             dependencies = [\n \"learnml-kit\",\n \"linfa\",\n \"linfa-logistic\",\n \
             \"ndarray 0.16.1\",\n \"smartcore\",\n]\n\n\
             [[package]]\nname = \"smartcore\"\nversion = \"0.7.0\"\ndependencies = [\n \"ndarray 0.17.2\",\n]\n",
        )
        .unwrap();
        let crates = crates(root).unwrap();
        assert_eq!(
            crates,
            [
                "linfa",
                "learnml-kit",
                "linfa-logistic",
                "ndarray@0.16.1",
                "smartcore"
            ]
        );

        let target = root.join("target/course");
        let doc = command(root, &target, &crates, true);
        let args: Vec<String> = doc
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let manifest = root.join("course/Cargo.toml");
        let mut expected = vec![
            "doc".to_string(),
            "--manifest-path".into(),
            manifest.display().to_string(),
            "--target-dir".into(),
            target.display().to_string(),
            "--no-deps".into(),
        ];
        for name in &crates {
            expected.extend(["--package".to_string(), name.clone()]);
        }
        expected.push("--open".into());
        assert_eq!(args, expected);
        assert_eq!(
            index(&target, "linfa-logistic"),
            target.join("doc/linfa_logistic/index.html")
        );
        assert_eq!(
            index(&target, "ndarray@0.16.1"),
            target.join("doc/ndarray/index.html")
        );
    }
}
