//! A temporary learnml workspace for end-to-end tests: a copy of the exercise set (limited
//! to chosen modules, so snapshots do not move when other modules grow) that builds into
//! the repository's own `target/course`, so dependencies are compiled once for all tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Exercise binaries of different temporary workspaces share names in the shared target
/// folder: tests that build take turns.
static BUILDS: Mutex<()> = Mutex::new(());

pub struct Workspace {
    pub dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Workspace {
    /// A workspace whose curriculum holds only `modules`.
    pub fn new(modules: &[&str]) -> Workspace {
        let turn = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for module in modules {
            copy_dir(
                &repo().join("exercises").join(module),
                &root.join("exercises").join(module),
            );
        }
        let list: Vec<String> = modules.iter().map(|m| format!("\"{m}\"")).collect();
        std::fs::write(
            root.join("exercises/curriculum.toml"),
            format!("format_version = 2\nmodules = [{}]\n", list.join(", ")),
        )
        .unwrap();
        std::os::unix::fs::symlink(repo().join("datasets"), root.join("datasets")).unwrap();
        // Both course packages, with the kit and grader crates by their absolute paths: the
        // same packages as the repository's, built once.
        for package in ["course", "course-core"] {
            std::fs::create_dir_all(root.join(package)).unwrap();
            let mut manifest =
                std::fs::read_to_string(repo().join(package).join("Cargo.toml")).unwrap();
            for krate in ["kit", "grader"] {
                manifest = manifest.replace(
                    &format!("path = \"../{krate}\""),
                    &format!("path = \"{}\"", repo().join(krate).display()),
                );
            }
            std::fs::write(root.join(package).join("Cargo.toml"), manifest).unwrap();
            std::fs::copy(
                repo().join(package).join("Cargo.lock"),
                root.join(package).join("Cargo.lock"),
            )
            .unwrap();
        }
        Workspace { dir, _turn: turn }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    /// Run `learnml ARGS` in the workspace (or in `subfolder` of it).
    pub fn run_in(&self, subfolder: &str, args: &[&str]) -> Output {
        self.run_full(subfolder, &[], args)
    }

    /// Run `learnml ARGS` in the workspace with `env` set.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        self.run_full("", env, args)
    }

    fn run_full(&self, subfolder: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_learnml"))
            .args(args)
            .current_dir(self.root().join(subfolder))
            .env("LEARNML_TARGET_DIR", repo().join("target").join("course"))
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in("", args)
    }
}

/// How many processes have `marker` in their command line.
pub fn processes_with(marker: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        // Arguments are separated by NUL in /proc: compare with spaces.
        .filter(|cmdline| {
            String::from_utf8_lossy(cmdline)
                .replace('\0', " ")
                .contains(marker)
        })
        .count()
}
