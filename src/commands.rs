//! The commands, each a function from the workspace to what it prints and the exit code.
//! Exit codes: 0 success (for `check`: the exercise passes), 1 the exercise does not pass or
//! the request was refused, 2 a usage or environment error (printed on stderr by `main`).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::build::Source;
use crate::check;
use crate::export::{self, Format};
use crate::lookup;
use crate::manifest::{Curriculum, Exercise};
use crate::progress::Progress;
use crate::render::{self, Advice, ReportContext};
use crate::style::Style;
use crate::text;
use crate::verify;
use crate::workspace::{self, Workspace};

/// What a command prints on stdout, and its exit code.
pub struct Done {
    pub stdout: String,
    pub code: u8,
}

fn ok(stdout: String) -> Result<Done> {
    Ok(Done { stdout, code: 0 })
}

/// The first exercise not passed yet, in curriculum order.
fn current<'a>(curriculum: &'a Curriculum, progress: &Progress) -> Option<&'a Exercise> {
    curriculum.exercises().find(|e| !progress.passed(e.id()))
}

/// The exercise `id` names: an id, a bare name, or the path of a work file.
fn named<'a>(ws: &'a Workspace, id: &str) -> Result<&'a Exercise> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    lookup::exercise(ws, &cwd, id)
}

fn exercise_or_current<'a>(
    ws: &'a Workspace,
    progress: &Progress,
    id: Option<&str>,
) -> Result<&'a Exercise> {
    let curriculum = &ws.curriculum;
    match id {
        Some(id) => named(ws, id),
        None => match current(curriculum, progress) {
            Some(exercise) => Ok(exercise),
            None => bail!(
                "every exercise is passed: name one, e.g. `learnml check {}`",
                curriculum
                    .exercises()
                    .next()
                    .expect("a curriculum has exercises")
                    .id()
            ),
        },
    }
}

pub fn next(ws: &Workspace, style: Style) -> Result<Done> {
    let curriculum = &ws.curriculum;
    let progress = ws.progress()?;
    match current(curriculum, &progress) {
        Some(exercise) => {
            check::ensure_work_file(ws, exercise)?;
            if background_build_wanted() {
                crate::background::start(ws, exercise);
            }
            ok(render::exercise(
                curriculum,
                exercise,
                &progress,
                ws.root(),
                style,
            ))
        }
        None => ok(text::wrap(
            "Every exercise is passed. Well done! `learnml progress` shows your points.",
            style.width,
            "",
        )),
    }
}

/// A learner at a terminal gets the course built while they read; scripts and tests (no
/// terminal) do not, unless `LEARNML_BACKGROUND_BUILD=1`; `=0` turns it off everywhere.
fn background_build_wanted() -> bool {
    match std::env::var("LEARNML_BACKGROUND_BUILD").as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        _ => std::io::stdout().is_terminal(),
    }
}

pub fn build_course(ws: &Workspace, id: &str) -> Result<Done> {
    let curriculum = &ws.curriculum;
    crate::background::run(ws, curriculum.find(id)?)?;
    ok(String::new())
}

/// What `next` shows, for any exercise (default: the current one).
pub fn show(ws: &Workspace, id: Option<&str>, style: Style) -> Result<Done> {
    let curriculum = &ws.curriculum;
    let progress = ws.progress()?;
    let exercise = exercise_or_current(ws, &progress, id)?;
    check::ensure_work_file(ws, exercise)?;
    ok(render::exercise(
        curriculum,
        exercise,
        &progress,
        ws.root(),
        style,
    ))
}

pub fn check(
    ws: &Workspace,
    id: Option<&str>,
    format: Format,
    svg: Option<&Path>,
    advice: Advice,
    style: Style,
) -> Result<Done> {
    // Read the progress before compiling: a damaged file is reported before any work.
    let progress = ws.progress()?;
    let exercise = exercise_or_current(ws, &progress, id)?;
    let show_progress = format == Format::Text && std::io::stderr().is_terminal();
    if show_progress && crate::background::running(ws) {
        eprintln!(
            "learnml: the course is still compiling in the background (started by `learnml next`); this check waits for it."
        );
    } else if show_progress && !ws.target_dir().exists() {
        eprintln!(
            "First check: compiling the course's crates once (ndarray; linfa and smartcore when an exercise first needs them); this takes a minute or so."
        );
    }
    let report = check::evaluate(ws, exercise, &Source::Work, show_progress)?;
    ws.update_progress(|p| {
        p.record_attempt(
            exercise.id(),
            report.passed,
            report.points,
            &workspace::now(),
        )
    })?;
    if let Some(dir) = svg {
        write_svgs(&report, dir)?;
    }
    let stdout = match format {
        Format::Text => {
            let context = ReportContext {
                work_file: exercise.work_path().display().to_string(),
                grader_note: grader_note(ws, exercise, &report.compile_errors),
                advice,
            };
            render::grade_report(&report, &context, style)
        }
        Format::Json => export::json(&report),
        Format::Junit => export::junit(&report),
        Format::Gradescope => export::gradescope(&report),
        Format::Exercism => export::exercism(&report),
    };
    Ok(Done {
        stdout,
        code: if report.passed { 0 } else { 1 },
    })
}

/// Why compile errors landed in the grader, if some did (see [`render::grader_error_note`]).
fn grader_note(ws: &Workspace, exercise: &Exercise, errors: &[String]) -> Option<String> {
    if errors.is_empty() {
        return None;
    }
    // An unreadable stub only costs the names of the items in the note.
    let stub = std::fs::read_to_string(ws.path(exercise.stub_path())).unwrap_or_default();
    render::grader_error_note(
        errors,
        &exercise.grader_path().display().to_string(),
        &stub,
        &exercise.stub_path().display().to_string(),
    )
}

/// Each figure of the report as `DIR/MODULE__NAME__CHECK-N.svg`.
fn write_svgs(report: &crate::report::GradeReport, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for check in &report.checks {
        for (n, figure) in check.figures.iter().enumerate() {
            let path = dir.join(format!(
                "{}__{}-{}.svg",
                report.exercise.replace('/', "__"),
                check.id,
                n + 1
            ));
            std::fs::write(&path, crate::plot::to_svg(figure))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

pub fn list(ws: &Workspace, as_json: bool, style: Style) -> Result<Done> {
    let curriculum = &ws.curriculum;
    let progress = ws.progress()?;
    ok(if as_json {
        export::json(&render::list_entries(curriculum, &progress))
    } else {
        render::list(curriculum, &progress, style)
    })
}

pub fn show_progress(ws: &Workspace, style: Style) -> Result<Done> {
    let curriculum = &ws.curriculum;
    let progress = ws.progress()?;
    ok(render::progress(curriculum, &progress, style))
}

pub fn hint(ws: &Workspace, id: Option<&str>, advice: Advice, style: Style) -> Result<Done> {
    let curriculum = &ws.curriculum;
    let progress = ws.progress()?;
    // With no id, the hint is about the exercise the learner just checked, whichever it is;
    // once that one is passed, about the current one.
    let last_checked = progress
        .last_checked
        .as_deref()
        .and_then(|id| curriculum.exercises().find(|e| e.id() == id))
        .filter(|e| !progress.passed(e.id()));
    let exercise = match (id, last_checked) {
        (None, Some(exercise)) => exercise,
        _ => exercise_or_current(ws, &progress, id)?,
    };
    let id = exercise.id();
    let total = exercise.hints.len();
    let shown = ws.update_progress(|p| {
        let entry = p.exercises.entry(id.to_string()).or_default();
        entry.hints_shown = (entry.hints_shown + 1).min(total);
        entry.hints_shown
    })?;
    let mut out = format!("{id} · hint {shown} of {total}\n\n");
    out.push_str(&text::markdown(&exercise.hints[shown - 1], style, ""));
    let advice = if shown < total {
        match advice {
            Advice::Commands => format!("Run `learnml hint {id}` again for a more specific one."),
            Advice::Watch => "Press `h` then Enter again for a more specific one.".to_string(),
        }
    } else if progress.passed(id) {
        format!("That was the last hint; `learnml solution {id}` shows the reference solution.")
    } else {
        format!(
            "That was the last hint. The reference solution opens once you pass (`learnml solution {id}`)."
        )
    };
    out.push('\n');
    out.push_str(&text::wrap(&advice, style.width, ""));
    ok(out)
}

pub fn solution(ws: &Workspace, id: &str, force: bool, style: Style) -> Result<Done> {
    let progress = ws.progress()?;
    let exercise = named(ws, id)?;
    let passed = progress.passed(exercise.id());
    if !passed && !force {
        let id = exercise.id();
        let refusal = format!(
            "{id} is not passed yet, so its solution stays closed: working it out is where the learning is.\n\
             `learnml hint {id}` helps; `learnml solution {id} --force` opens it anyway and records that you saw it."
        );
        return Ok(Done {
            stdout: text::wrap(&refusal, style.width, ""),
            code: 1,
        });
    }
    if !passed {
        eprintln!(
            "warning: {} is not passed; your progress will record that you saw its solution.",
            exercise.id()
        );
        ws.update_progress(|p| {
            p.exercises
                .entry(exercise.id().to_string())
                .or_default()
                .solution_seen = true
        })?;
    }
    let path = exercise.solution_path();
    let text = std::fs::read_to_string(ws.path(&path))
        .with_context(|| format!("cannot read {}", path.display()))?;
    ok(format!(
        "// {} (your file, {}, is unchanged)\n\n{text}",
        path.display(),
        exercise.work_path().display()
    ))
}

pub fn reset(ws: &Workspace, id: &str, style: Style) -> Result<Done> {
    let exercise = named(ws, id)?;
    let _lock = ws.lock_progress()?;
    let backup = workspace::backup_work_file(ws, exercise)?;
    check::copy_stub(ws, exercise)?;
    let work = exercise.work_path();
    let kept = match backup {
        Some(backup) => format!("Your previous file is kept as {}.\n", backup.display()),
        None => String::new(),
    };
    let done = format!("{kept}{} is the stub again.", work.display());
    ok(text::wrap(&done, style.width, ""))
}

pub fn repair(ws: &Workspace, style: Style) -> Result<Done> {
    let done = match ws.repair_progress(&workspace::compact_now())? {
        Some(backup) => format!(
            "The damaged progress file was moved to {}; a fresh one starts now. Your exercise files are untouched; `learnml check ID` re-records each one you pass.",
            backup.display()
        ),
        None => "The progress file is readable: nothing to repair.".into(),
    };
    ok(text::wrap(&done, style.width, ""))
}

/// Build the API docs of the course's crates (`cargo doc`, its progress on stderr) and list
/// their front pages.
pub fn doc(ws: &Workspace, open: bool) -> Result<Done> {
    let crates = crate::doc::crates(ws.root())?;
    let target = ws.target_dir();
    eprintln!(
        "Building the API docs of the course's {} crates: a few minutes the first time.",
        crates.len()
    );
    let status = crate::doc::command(ws.root(), target, &crates, open)
        .stdin(std::process::Stdio::null())
        .status()
        .context("cannot run cargo doc: is the Rust toolchain installed and on PATH?")?;
    if !status.success() {
        bail!("cargo doc failed: its errors are above");
    }
    let width = crates.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::from("The API docs of the course's crates, to open in a browser:\n");
    for spec in &crates {
        out.push_str(&format!(
            "  {spec:<width$}  {}\n",
            crate::doc::index(target, spec).display()
        ));
    }
    ok(out)
}

/// The exercise `id` names, or every exercise when there is no id.
fn one_or_all<'a>(curriculum: &'a Curriculum, id: Option<&str>) -> Result<Vec<&'a Exercise>> {
    Ok(match id {
        Some(id) => vec![curriculum.find(id)?],
        None => curriculum.exercises().collect(),
    })
}

/// Verify the exercise set: every manifest loads, every stub earns nothing, every reference
/// solution passes with margin, every catalogued mistake is rejected and named, every
/// alternative passes, nothing in `exercises/` is stray.
pub fn dev_verify(ws: &Workspace, id: Option<&str>) -> Result<Done> {
    let exercises = one_or_all(&ws.curriculum, id)?;
    let mut out = String::new();
    let mut bad = 0;
    if id.is_none() {
        for stray in verify::unlisted(ws)? {
            bad += 1;
            out.push_str(&format!("PROBLEM  {stray}\n"));
        }
    }
    let verified = verify::verify_all(ws, &exercises)?;
    bad += verified.iter().filter(|v| !v.problems.is_empty()).count();
    let rows: Vec<_> = exercises.into_iter().zip(verified).collect();
    out.push_str(&verify::table(&rows));
    Ok(Done {
        stdout: out,
        code: u8::from(bad > 0),
    })
}

/// Lint the exercise set as `tests/style.rs` does: `rustfmt --check --edition 2024` on every
/// Rust file of the exercises' folders, clippy on every source but the stub (each built with
/// its grader, so the grader is linted too).
pub fn dev_lint(ws: &Workspace, id: Option<&str>) -> Result<Done> {
    let exercises = one_or_all(&ws.curriculum, id)?;
    let mut files = Vec::new();
    for exercise in &exercises {
        let folder = ws.path(crate::manifest::exercise_folder(
            &exercise.module,
            &exercise.name,
        ));
        for sub in [
            folder.clone(),
            folder.join("mistakes"),
            folder.join("alternatives"),
        ] {
            let Ok(entries) = std::fs::read_dir(&sub) else {
                continue;
            };
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "rs")),
            );
        }
    }
    files.sort();
    let rustfmt = std::process::Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .output()
        .context("cannot run rustfmt: is it installed (rustup component add rustfmt)?")?;
    let mut out = String::new();
    let mut findings = 0;
    if !rustfmt.status.success() {
        findings += 1;
        out.push_str(&ws.relative(&String::from_utf8_lossy(&rustfmt.stdout)));
        out.push_str(&String::from_utf8_lossy(&rustfmt.stderr));
        out.push_str("run `rustfmt --edition 2024` on these files\n\n");
    }
    let binaries: Vec<_> = exercises
        .iter()
        .flat_map(|e| {
            verify::sources(ws, e)
                .into_iter()
                .filter(|s| *s != Source::Stub)
                .map(move |s| (*e, s))
        })
        .collect();
    for finding in crate::build::clippy(ws, &binaries)? {
        findings += 1;
        out.push_str(&finding);
        out.push_str("\n\n");
    }
    if findings == 0 {
        out.push_str(&format!(
            "{} file(s) formatted, {} source(s) clippy-clean\n",
            files.len(),
            binaries.len()
        ));
    }
    Ok(Done {
        stdout: out,
        code: u8::from(findings > 0),
    })
}

/// Grade many learners' submissions into a gradebook.
pub fn grade(
    ws: &Workspace,
    submissions: &Path,
    out: &Path,
    partition: Option<crate::batch::Partition>,
    allow_unconfined: bool,
) -> Result<Done> {
    check::set_require_confinement(!allow_unconfined);
    let results = crate::batch::grade_all(ws, submissions, out, partition)?;
    ok(grade_summary(&results, out))
}

pub fn grade_merge(ws: &Workspace, shares: &[std::path::PathBuf], out: &Path) -> Result<Done> {
    let results = crate::batch::merge(ws, shares, out)?;
    ok(grade_summary(&results, out))
}

fn grade_summary(results: &[crate::batch::LearnerResult], out: &Path) -> String {
    let mut text = String::new();
    for result in results {
        let points: u32 = result.reports.values().map(|r| r.points).sum();
        let passed = result.reports.values().filter(|r| r.passed).count();
        match &result.problem {
            Some(problem) => {
                text.push_str(&format!("{:<20} not graded: {problem}\n", result.learner))
            }
            None => text.push_str(&format!(
                "{:<20} {} exercises submitted, {passed} passed, {points} points\n",
                result.learner,
                result.reports.len()
            )),
        }
    }
    let reused: usize = results.iter().map(|r| r.reused).sum();
    if reused > 0 {
        text.push_str(&format!(
            "\n{reused} submitted file(s) were byte for byte another learner's (an untouched stub, a shared file): each such file was compiled and graded once.\n"
        ));
    }
    let combined: usize = results.iter().map(|r| r.combined).sum();
    if combined > 0 {
        text.push_str(&format!(
            "{}{combined} file(s) were compiled together with other files, up to 8 per binary (each check still runs in a process of its own, with only its file's code).\n",
            if reused > 0 { "" } else { "\n" }
        ));
    }
    text.push_str(&format!(
        "\nWrote {} (gradebook), {} (pass rate per check) and {}.\n",
        out.join("gradebook.csv").display(),
        out.join("item_analysis.csv").display(),
        out.join("reports").display()
    ));
    text
}
