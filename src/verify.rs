//! The integrity of the exercise set (rustlings' `dev check`, extended): for one exercise,
//! the grader implements exactly the manifest's checks, the shipped stub earns nothing and
//! only "not attempted" or "fail", the reference solution passes every check, clearing each
//! metric bar with margin, every catalogued mistake fails the checks it names with a message
//! that names it, and every catalogued alternative passes (see [`crate::catalogue`]); and the
//! exercise set holds no stray file (one nothing uses, a folder no manifest lists). Used by
//! `learnml dev verify` and by the test suite.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use learnml_protocol::{Goal, Outcome};

use crate::build::{self, Built, Combined, Member, Source};
use crate::catalogue::{self, ALTERNATIVES_DIR, Catalogue, MISTAKES_DIR, Mistake};
use crate::check;
use crate::export::outcome_word;
use crate::manifest::{
    self, CURRICULUM_FILE, EXERCISE_FILE, EXERCISE_FILES, Exercise, MODULE_FILE,
};
use crate::report::GradeReport;
use crate::sandbox::{self, Ending};
use crate::workspace::Workspace;

/// How far past its bar the reference solution must land, relative to the bar: a bar the
/// reference clears by a hair would fail learners for noise.
pub const MIN_RELATIVE_MARGIN: f64 = 0.01;

/// The least an exercise's catalogue holds. Enforced only for an exercise whose folder has a
/// `mistakes/` folder, so that catalogues land module by module; once every exercise has one,
/// the condition goes.
pub const REQUIRED_MISTAKES: usize = 3;
pub const REQUIRED_ALTERNATIVES: usize = 1;

/// How many of an exercise's catalogued files behaved as their headers say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub ok: usize,
    pub total: usize,
}

pub struct Verified {
    pub stub: GradeReport,
    pub solution: GradeReport,
    pub mistakes: Tally,
    pub alternatives: Tally,
    /// Everything wrong with the exercise; empty when it is sound.
    pub problems: Vec<String>,
}

/// Every file verifying `exercise` grades: its stub, its solution and its catalogue's files.
/// A catalogue that cannot be read adds nothing here: [`verify_all`] reports it.
pub fn sources(ws: &Workspace, exercise: &Exercise) -> Vec<Source> {
    let catalogue = catalogue::load(ws, exercise).unwrap_or_default();
    [Source::Stub, Source::Solution]
        .into_iter()
        .chain(
            catalogue
                .mistakes
                .into_iter()
                .map(|m| Source::Mistake { file: m.file }),
        )
        .chain(
            catalogue
                .alternatives
                .into_iter()
                .map(|a| Source::Alternative { file: a.file }),
        )
        .collect()
}

/// Verify `exercises`. Every file of theirs (stub, solution, catalogue) is compiled first, in
/// combined binaries that each hold files of one exercise (see [`build::Group`]; the
/// integrity test took 830 s so, 2015 s with one binary per file); a file the compiler
/// blames there is built alone, as `learnml check` builds it, so its errors are its own. The
/// binaries are kept, under names that depend only on the exercise, so an unchanged exercise
/// verifies again without compiling.
pub fn verify_all(ws: &Workspace, exercises: &[&Exercise]) -> Result<Vec<Verified>> {
    let mut groups = Vec::new();
    let mut alone = Vec::new();
    for exercise in exercises {
        let files = sources(ws, exercise)
            .into_iter()
            .map(|source| Member { exercise, source })
            .collect();
        let prefix = format!("verify-{}-{}", exercise.module, exercise.name);
        let (grouped, single) = build::groups(ws, &prefix, files);
        groups.extend(grouped);
        alone.extend(single);
    }
    let mut combined = Vec::new();
    for built in build::build_groups(ws, &groups)? {
        alone.extend(built.alone);
        combined.extend(built.binary);
    }
    // The files built alone, in one cargo run: both cores compile at once.
    let singles: Vec<(&Exercise, Source)> = alone
        .iter()
        .map(|member| (member.exercise, member.source.clone()))
        .collect();
    build::prebuild(ws, &singles)?;
    let binaries = Binaries(combined);
    exercises
        .iter()
        .map(|exercise| verify_one(ws, exercise, &binaries))
        .collect()
}

/// The combined binaries built for verifying.
struct Binaries<'a>(Vec<Combined<'a>>);

impl Binaries<'_> {
    /// The combined binary that holds `exercise` from `source`, and its position there.
    fn find(&self, exercise: &Exercise, source: &Source) -> Option<(&Path, usize)> {
        self.0.iter().find_map(|combined| {
            let i = combined
                .members
                .iter()
                .position(|m| m.exercise.id() == exercise.id() && m.source == *source)?;
            Some((combined.binary.as_path(), i))
        })
    }

    /// Grade `exercise` from `source`: in its combined binary, or built alone.
    fn evaluate(
        &self,
        ws: &Workspace,
        exercise: &Exercise,
        source: &Source,
    ) -> Result<GradeReport> {
        match self.find(exercise, source) {
            Some((binary, member)) => check::evaluate_combined(ws, exercise, binary, member),
            None => check::evaluate(ws, exercise, source, false),
        }
    }

    /// The check ids the grader of `exercise` lists (with its reference solution), or the
    /// solution's compile errors.
    fn list(&self, ws: &Workspace, exercise: &Exercise) -> Result<Result<Vec<String>, String>> {
        let key;
        let (binary, args) = match self.find(exercise, &Source::Solution) {
            Some((binary, member)) => {
                key = build::member_key(member);
                (binary.to_path_buf(), vec!["--member", &key, "--list"])
            }
            None => match build::build(ws, exercise, &Source::Solution, false)? {
                Built::CompileErrors(errors) => return Ok(Err(errors.join("\n"))),
                Built::Binary(binary, _) => (binary, vec!["--list"]),
            },
        };
        let listed = sandbox::run(&binary, &args, ws.root(), "", check::limits(exercise))?;
        if listed.ending != Ending::Exited(0) {
            bail!("{}: `--list` failed: {}", exercise.id(), listed.stderr);
        }
        Ok(Ok(listed.stdout.lines().map(str::to_string).collect()))
    }
}

fn verify_one(ws: &Workspace, exercise: &Exercise, binaries: &Binaries) -> Result<Verified> {
    let mut problems = strays_in_exercise(ws, exercise)?;
    let id = exercise.id();
    let declared: Vec<&str> = exercise.checks.iter().map(|c| c.id.as_str()).collect();
    match binaries.list(ws, exercise)? {
        Err(errors) => problems.push(format!("{id}: the solution does not compile:\n{errors}")),
        Ok(implemented) => {
            if implemented != declared {
                problems.push(format!(
                    "{id}: the grader's checks {implemented:?} differ from {}'s {declared:?}",
                    exercise.folder().join(EXERCISE_FILE).display()
                ));
            }
        }
    }
    let solution = binaries.evaluate(ws, exercise, &Source::Solution)?;
    for check in &solution.checks {
        if check.outcome != Outcome::Pass {
            problems.push(format!(
                "{id}: the solution does not pass `{}`: {}",
                check.id, check.message
            ));
        }
        if let Some(metric) = &check.metric {
            let margin = match metric.goal {
                Goal::AtLeast => metric.value - metric.bar,
                Goal::AtMost => metric.bar - metric.value,
            };
            if margin < MIN_RELATIVE_MARGIN * metric.bar.abs() {
                problems.push(format!(
                    "{id}: the solution clears the bar of `{}` by a hair: {} = {} against {}",
                    check.id, metric.name, metric.value, metric.bar
                ));
            }
        }
    }
    let stub = binaries.evaluate(ws, exercise, &Source::Stub)?;
    if stub.points != 0 {
        problems.push(format!("{id}: the stub earns {} points", stub.points));
    }
    for check in &stub.checks {
        if !matches!(check.outcome, Outcome::NotAttempted | Outcome::Fail) {
            problems.push(format!(
                "{id}: the stub's `{}` is {:?}, not `not attempted` or `fail`: {}",
                check.id, check.outcome, check.message
            ));
        }
    }
    let (mistakes, alternatives) = match catalogue::load(ws, exercise) {
        Ok(catalogue) => verify_catalogue(ws, exercise, binaries, &catalogue, &mut problems)?,
        Err(error) => {
            problems.push(format!("{error:#}"));
            (Tally::default(), Tally::default())
        }
    };
    Ok(Verified {
        stub,
        solution,
        mistakes,
        alternatives,
        problems,
    })
}

/// Grade every catalogued file; tally those that behave as their header says and add a
/// problem for each that does not.
fn verify_catalogue(
    ws: &Workspace,
    exercise: &Exercise,
    binaries: &Binaries,
    catalogue: &Catalogue,
    problems: &mut Vec<String>,
) -> Result<(Tally, Tally)> {
    let mut mistakes = Tally {
        ok: 0,
        total: catalogue.mistakes.len(),
    };
    for mistake in &catalogue.mistakes {
        let source = Source::Mistake {
            file: mistake.file.clone(),
        };
        let report = binaries.evaluate(ws, exercise, &source)?;
        let found = mistake_problems(mistake, &report);
        mistakes.ok += usize::from(found.is_empty());
        problems.extend(found);
    }
    let mut alternatives = Tally {
        ok: 0,
        total: catalogue.alternatives.len(),
    };
    for alternative in &catalogue.alternatives {
        let source = Source::Alternative {
            file: alternative.file.clone(),
        };
        let report = binaries.evaluate(ws, exercise, &source)?;
        let at = alternative.path.display();
        let before = problems.len();
        if !report.compile_errors.is_empty() {
            problems.push(format!(
                "{at}: does not compile:\n{}",
                report.compile_errors.join("\n")
            ));
        } else {
            for check in report.checks.iter().filter(|c| c.outcome != Outcome::Pass) {
                problems.push(format!(
                    "{at}: a correct solution ({}) is rejected: `{}` ends in {}: {}",
                    alternative.what,
                    check.id,
                    outcome_word(check.outcome),
                    check.message
                ));
            }
        }
        alternatives.ok += usize::from(problems.len() == before);
    }
    problems.extend(too_few(exercise, catalogue));
    Ok((mistakes, alternatives))
}

/// The minimum counts, for a catalogue that has been started (it has a `mistakes/` folder).
fn too_few(exercise: &Exercise, catalogue: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    if !catalogue.started {
        return problems;
    }
    let folder = exercise.folder();
    if catalogue.mistakes.len() < REQUIRED_MISTAKES {
        problems.push(format!(
            "{}: {} mistake(s); a started catalogue holds at least {REQUIRED_MISTAKES}",
            folder.join(MISTAKES_DIR).display(),
            catalogue.mistakes.len()
        ));
    }
    if catalogue.alternatives.len() < REQUIRED_ALTERNATIVES {
        problems.push(format!(
            "{}: {} alternative(s); a started catalogue holds at least {REQUIRED_ALTERNATIVES}",
            folder.join(ALTERNATIVES_DIR).display(),
            catalogue.alternatives.len()
        ));
    }
    problems
}

/// How `report`, the grade of a catalogued mistake, departs from what its header says.
fn mistake_problems(mistake: &Mistake, report: &GradeReport) -> Vec<String> {
    let at = mistake.path.display();
    if !report.compile_errors.is_empty() {
        return vec![format!(
            "{at}: does not compile:\n{}",
            report.compile_errors.join("\n")
        )];
    }
    let phrase = mistake.message.to_lowercase();
    let mut problems = Vec::new();
    for (id, expected) in &mistake.expected {
        let Some(check) = report.checks.iter().find(|c| &c.id == id) else {
            // The header was checked against the manifest when it was read.
            unreachable!("{at}: check `{id}` is in the manifest");
        };
        if check.outcome != *expected {
            problems.push(format!(
                "{at}: `{id}` should end in {} ({}), it ends in {}: {}",
                outcome_word(*expected),
                mistake.what,
                outcome_word(check.outcome),
                check.message
            ));
        } else if !check.message.to_lowercase().contains(&phrase) {
            problems.push(format!(
                "{at}: `{id}` does not name the mistake ({}): its message lacks \"{}\": {}",
                mistake.what, mistake.message, check.message
            ));
        }
    }
    problems
}

/// The table `learnml dev verify` prints: a line per exercise, with its catalogue's tallies,
/// its problems below it.
pub fn table(rows: &[(&Exercise, Verified)]) -> String {
    let width = rows
        .iter()
        .map(|(e, _)| e.id().len())
        .chain([8])
        .max()
        .unwrap_or_default();
    let tally = |t: Tally| {
        if t.total == 0 {
            "-".to_string()
        } else {
            format!("{}/{}", t.ok, t.total)
        }
    };
    let mut out = format!("{:<width$}  verdict  mistakes  alternatives\n", "exercise");
    for (exercise, verified) in rows {
        let verdict = if verified.problems.is_empty() {
            "ok"
        } else {
            "PROBLEM"
        };
        out.push_str(&format!(
            "{:<width$}  {verdict:<7}  {:<8}  {}\n",
            exercise.id(),
            tally(verified.mistakes),
            tally(verified.alternatives)
        ));
        for problem in &verified.problems {
            out.push_str(&format!("    {problem}\n"));
        }
    }
    out
}

/// The entries of `dir` (relative to the workspace) as relative paths, sorted.
fn entries(ws: &Workspace, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(ws.path(dir))
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read the folder {}", dir.display()))?;
        found.push(dir.join(entry.file_name()));
    }
    found.sort();
    Ok(found)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files of the exercise's folder that nothing uses.
fn strays_in_exercise(ws: &Workspace, exercise: &Exercise) -> Result<Vec<String>> {
    let mut strays = Vec::new();
    for path in entries(ws, &exercise.folder())? {
        let name = file_name(&path);
        if EXERCISE_FILES.contains(&name.as_str()) {
            continue;
        }
        if [MISTAKES_DIR, ALTERNATIVES_DIR].contains(&name.as_str()) && ws.path(&path).is_dir() {
            for inside in entries(ws, &path)? {
                if !(inside.extension().is_some_and(|e| e == "rs") && ws.path(&inside).is_file()) {
                    strays.push(format!(
                        "{}: nothing uses it ({name}/ holds learner files, `*.rs`)",
                        inside.display()
                    ));
                }
            }
            continue;
        }
        strays.push(format!(
            "{}: nothing uses it (an exercise folder holds {}, and {MISTAKES_DIR}/ and {ALTERNATIVES_DIR}/)",
            path.display(),
            EXERCISE_FILES.join(", ")
        ));
    }
    Ok(strays)
}

/// What `exercises/` holds beyond the listed modules and exercises: a folder no manifest
/// lists, a module file no grader includes, any other file. (An exercise the manifest lists
/// without a folder does not load at all.) The files inside each exercise's folder are
/// [`verify`]'s business.
pub fn unlisted(ws: &Workspace) -> Result<Vec<String>> {
    let curriculum = &ws.curriculum;
    let mut strays = Vec::new();
    for path in entries(ws, Path::new(manifest::EXERCISES_DIR))? {
        let name = file_name(&path);
        if path == Path::new(CURRICULUM_FILE) {
            continue;
        }
        let Some(module) = curriculum.modules.iter().find(|m| m.name == name) else {
            strays.push(format!(
                "{}: not a module of {CURRICULUM_FILE}",
                path.display()
            ));
            continue;
        };
        let module_file = path.join(MODULE_FILE);
        let mut graders = String::new();
        for exercise in &module.exercises {
            let grader = exercise.grader_path();
            graders += &std::fs::read_to_string(ws.path(&grader))
                .with_context(|| format!("cannot read {}", grader.display()))?;
        }
        for inside in entries(ws, &path)? {
            let name = file_name(&inside);
            if inside == module_file || module.exercises.iter().any(|e| e.name == name) {
                continue;
            }
            let problem = if ws.path(&inside).is_dir() {
                format!(
                    "{}: {} does not list it",
                    inside.display(),
                    module_file.display()
                )
            } else if name.ends_with(".rs") {
                // Graders include their module's shared helpers as `#[path = "../NAME.rs"]`.
                if graders.contains(&format!("\"../{name}\"")) {
                    continue;
                }
                format!(
                    "{}: no grader of `{}` includes it (`#[path = \"../{name}\"]`)",
                    inside.display(),
                    module.name
                )
            } else {
                format!(
                    "{}: nothing uses it (a module folder holds {MODULE_FILE}, its exercises' folders and the helpers its graders share)",
                    inside.display()
                )
            };
            strays.push(problem);
        }
    }
    Ok(strays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::testing::{workspace, write};

    #[test]
    fn stray_files_and_folders_are_named() {
        let dir = workspace();
        let root = dir.path();
        let load = || Workspace::at(root).unwrap();
        let exercise = load().curriculum.find("m/e").unwrap().clone();
        assert!(strays_in_exercise(&load(), &exercise).unwrap().is_empty());
        assert!(unlisted(&load()).unwrap().is_empty());

        write(root, "exercises/m/e/notes.txt", "draft");
        write(root, "exercises/m/e/old/stub.rs", "// an old stub");
        write(root, "exercises/m/e/mistakes/by_n.rs", "//! mistake: by n");
        write(root, "exercises/m/e/mistakes/by_n.txt", "notes");
        write(
            root,
            "exercises/m/e/alternatives/fold.rs",
            "//! alternative: fold",
        );
        assert_eq!(
            strays_in_exercise(&load(), &exercise).unwrap(),
            [
                "exercises/m/e/mistakes/by_n.txt: nothing uses it (mistakes/ holds learner files, `*.rs`)",
                "exercises/m/e/notes.txt: nothing uses it (an exercise folder holds exercise.toml, statement.md, stub.rs, solution.rs, grader.rs, and mistakes/ and alternatives/)",
                "exercises/m/e/old: nothing uses it (an exercise folder holds exercise.toml, statement.md, stub.rs, solution.rs, grader.rs, and mistakes/ and alternatives/)",
            ]
        );

        write(root, "exercises/m/draft/stub.rs", "// not listed yet");
        write(root, "exercises/m/common.rs", "pub fn shared() {}");
        write(root, "exercises/m/README", "about m");
        write(root, "exercises/other/module.toml", "title = \"O\"");
        assert_eq!(
            unlisted(&load()).unwrap(),
            [
                "exercises/m/README: nothing uses it (a module folder holds module.toml, its exercises' folders and the helpers its graders share)",
                "exercises/m/common.rs: no grader of `m` includes it (`#[path = \"../common.rs\"]`)",
                "exercises/m/draft: exercises/m/module.toml does not list it",
                "exercises/other: not a module of exercises/curriculum.toml",
            ]
        );

        // A helper a grader includes is in use.
        let grader = root.join("exercises/m/e/grader.rs");
        let text = std::fs::read_to_string(&grader).unwrap();
        std::fs::write(
            &grader,
            format!("#[path = \"../common.rs\"]\nmod common;\n{text}"),
        )
        .unwrap();
        assert!(
            !unlisted(&load())
                .unwrap()
                .iter()
                .any(|s| s.contains("common.rs"))
        );
    }

    fn report(checks: &[(&str, Outcome, &str)]) -> GradeReport {
        GradeReport {
            exercise: "m/e".into(),
            title: "E".into(),
            passed: false,
            points: 0,
            max_points: 2,
            checks_passed: 0,
            time_limit_secs: 5,
            memory_limit_mb: 2048,
            compile_errors: Vec::new(),
            unconfined: None,
            warnings: Vec::new(),
            checks: checks
                .iter()
                .map(|&(id, outcome, message)| crate::report::CheckReport {
                    id: id.into(),
                    name: id.into(),
                    outcome,
                    points: 0,
                    max_points: 1,
                    required: true,
                    message: message.into(),
                    hint: Some("the hint does not count: the message must name it".into()),
                    metric: None,
                    output: None,
                    figures: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_mistake_must_end_as_named_with_a_message_that_names_it() {
        let mistake = Mistake {
            file: "by_n".into(),
            path: PathBuf::from("exercises/m/e/mistakes/by_n.rs"),
            what: "divides by n".into(),
            expected: vec![
                ("mean".into(), Outcome::Fail),
                ("median".into(), Outcome::Error),
            ],
            message: "Divided By N".into(),
        };
        let named = report(&[
            ("mean", Outcome::Fail, "expected 2, got 3: divided by n"),
            (
                "median",
                Outcome::Error,
                "your code panicked: divided by N here",
            ),
            ("mode", Outcome::Pass, "not named: anything goes"),
        ]);
        assert!(mistake_problems(&mistake, &named).is_empty());
        let unnamed = report(&[
            ("mean", Outcome::Fail, "expected 2, got 3"),
            ("median", Outcome::Fail, "divided by n"),
        ]);
        assert_eq!(
            mistake_problems(&mistake, &unnamed),
            [
                "exercises/m/e/mistakes/by_n.rs: `mean` does not name the mistake (divides by n): its message lacks \"Divided By N\": expected 2, got 3",
                "exercises/m/e/mistakes/by_n.rs: `median` should end in error (divides by n), it ends in fail: divided by n",
            ]
        );
        let accepted = report(&[
            ("mean", Outcome::Pass, "divided by n"),
            ("median", Outcome::Error, "divided by n"),
        ]);
        assert_eq!(
            mistake_problems(&mistake, &accepted),
            [
                "exercises/m/e/mistakes/by_n.rs: `mean` should end in fail (divides by n), it ends in pass: divided by n"
            ]
        );
        let broken = GradeReport {
            compile_errors: vec!["error[E0425]: cannot find value `n`".into()],
            ..report(&[("mean", Outcome::Error, "does not compile")])
        };
        assert_eq!(
            mistake_problems(&mistake, &broken),
            [
                "exercises/m/e/mistakes/by_n.rs: does not compile:\nerror[E0425]: cannot find value `n`"
            ]
        );
    }

    #[test]
    fn a_started_catalogue_holds_the_minimum() {
        let ws = workspace();
        let curriculum = crate::manifest::Curriculum::load(ws.path()).unwrap();
        let exercise = curriculum.find("m/e").unwrap();
        let mistake = Mistake {
            file: "x".into(),
            path: PathBuf::from("exercises/m/e/mistakes/x.rs"),
            what: "x".into(),
            expected: vec![("mean".into(), Outcome::Fail)],
            message: "x".into(),
        };
        let mut catalogue = Catalogue {
            mistakes: vec![mistake.clone(); REQUIRED_MISTAKES - 1],
            alternatives: Vec::new(),
            started: false,
        };
        assert!(too_few(exercise, &catalogue).is_empty(), "not started yet");
        catalogue.started = true;
        assert_eq!(
            too_few(exercise, &catalogue),
            [
                "exercises/m/e/mistakes: 2 mistake(s); a started catalogue holds at least 3",
                "exercises/m/e/alternatives: 0 alternative(s); a started catalogue holds at least 1",
            ]
        );
        catalogue.mistakes.push(mistake);
        catalogue.alternatives.push(catalogue::Alternative {
            file: "y".into(),
            path: PathBuf::from("exercises/m/e/alternatives/y.rs"),
            what: "y".into(),
        });
        assert!(too_few(exercise, &catalogue).is_empty());
    }

    #[test]
    fn the_table_shows_tallies_and_problems() {
        let ws = workspace();
        let curriculum = crate::manifest::Curriculum::load(ws.path()).unwrap();
        let exercise = curriculum.find("m/e").unwrap();
        let verified = |mistakes, alternatives, problems: &[&str]| Verified {
            stub: report(&[]),
            solution: report(&[]),
            mistakes,
            alternatives,
            problems: problems.iter().map(|p| p.to_string()).collect(),
        };
        let rows = [
            (exercise, verified(Tally::default(), Tally::default(), &[])),
            (
                exercise,
                verified(
                    Tally { ok: 2, total: 3 },
                    Tally { ok: 1, total: 1 },
                    &["exercises/m/e/mistakes/x.rs: `mean` should end in fail"],
                ),
            ),
        ];
        assert_eq!(
            table(&rows),
            "exercise  verdict  mistakes  alternatives\n\
             m/e       ok       -         -\n\
             m/e       PROBLEM  2/3       1/1\n    \
             exercises/m/e/mistakes/x.rs: `mean` should end in fail\n"
        );
    }
}
