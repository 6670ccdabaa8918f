//! What a learner reads: every view is a function from data to text, so snapshots can pin
//! it. Floats are rounded by the graders; nothing here prints a path outside the workspace
//! or a time.

use std::fmt::Write;

use learnml_protocol::Outcome;

use crate::manifest::{Curriculum, Exercise};
use crate::progress::{Progress, Status};
use crate::report::GradeReport;
use crate::style::Style;
use crate::text;

/// How many lines of a check's output, and of compiler errors, a report shows.
const SHOWN_OUTPUT_LINES: usize = 12;
const SHOWN_COMPILE_ERRORS: usize = 5;
/// Warnings are advice: a line each, and only the first few.
const SHOWN_WARNINGS: usize = 3;
const INDENT: &str = "                       ";

fn outcome_label(outcome: Outcome, style: Style) -> String {
    let (text, paint): (&str, fn(&Style, &str) -> String) = match outcome {
        Outcome::Pass => ("pass", Style::green),
        Outcome::Fail => ("fail", Style::red),
        Outcome::Error => ("error", Style::red),
        Outcome::NotAttempted => ("not attempted", Style::yellow),
    };
    paint(&style, &format!("{text:<13}"))
}

/// Where a report is read: after `learnml check`, or in `learnml watch`, whose advice is to
/// save the file, not to run a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    Commands,
    Watch,
}

/// What a text report needs beyond the grade.
pub struct ReportContext {
    /// The learner's file, as shown.
    pub work_file: String,
    /// Why some compile errors are in the grader, when they are ([`grader_error_note`]).
    pub grader_note: Option<String>,
    pub advice: Advice,
}

/// When the learner changed a signature the grader relies on, the compiler's errors point into
/// the grader: say so, and which of the stub's items they involve. `None` when no error is in
/// `grader_file`. `stub` is the stub's text, `stub_file` its path as shown.
pub fn grader_error_note(
    errors: &[String],
    grader_file: &str,
    stub: &str,
    stub_file: &str,
) -> Option<String> {
    let location = format!("--> {grader_file}:");
    // The grader's lines quoted in the errors (not the notes that quote the learner's file).
    let mut grader_lines = String::new();
    for error in errors {
        let mut quoting = false;
        for line in error.lines() {
            if line.trim_start().starts_with("-->") {
                quoting = line.contains(&location);
            } else if !line.starts_with(' ') && !line.starts_with(|c: char| c.is_ascii_digit()) {
                quoting = false;
            }
            if quoting {
                grader_lines.push_str(line);
                grader_lines.push('\n');
            }
        }
    }
    if grader_lines.is_empty() {
        return None;
    }
    let items: Vec<String> = public_items(stub)
        .into_iter()
        .filter(|item| mentions(&grader_lines, item))
        .map(|item| format!("`{item}`"))
        .collect();
    let keep = match items.as_slice() {
        [] => format!("keep the signatures of the stub ({stub_file})"),
        [one] => format!("keep the signature of {one} from the stub ({stub_file})"),
        [rest @ .., last] => format!(
            "keep the signatures of {} and {last} from the stub ({stub_file})",
            rest.join(", ")
        ),
    };
    Some(format!(
        "Some errors are in the grader ({grader_file}), where it calls your code: {keep}."
    ))
}

/// A compiler warning in one line: what it says and where (`warning: unused variable: `x`
/// (work/m/e.rs:3:9)`).
fn warning_line(rendered: &str, style: Style) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let what = first.strip_prefix("warning: ").unwrap_or(first);
    let place = lines
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .map(|place| format!(" ({place})"))
        .unwrap_or_default();
    format!("{} {what}{place}", style.yellow("warning:"))
}

/// The names of the stub's public functions, types and constants.
fn public_items(stub: &str) -> Vec<String> {
    let mut items = Vec::new();
    for line in stub.lines() {
        let Some(rest) = line.trim_start().strip_prefix("pub ") else {
            continue;
        };
        let rest = rest.trim_start_matches("const fn ");
        for keyword in ["fn ", "struct ", "enum ", "type ", "trait ", "const "] {
            if let Some(item) = rest.strip_prefix(keyword) {
                let name: String = item
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && !items.contains(&name) {
                    items.push(name);
                }
            }
        }
    }
    items
}

/// Whether `name` appears in `text` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

pub fn grade_report(report: &GradeReport, context: &ReportContext, style: Style) -> String {
    let width = style.width;
    let work_file = &context.work_file;
    let mut out = String::new();
    let header = format!("{} · {}", style.bold(&report.exercise), report.title);
    let _ = writeln!(out, "{}", text::hanging(&header, width, "", ""));
    if !report.compile_errors.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            style.red(&format!("{work_file} does not compile:"))
        );
        if let Some(note) = &context.grader_note {
            let _ = writeln!(out, "{}", text::wrap(note, width, ""));
        }
        for error in report.compile_errors.iter().take(SHOWN_COMPILE_ERRORS) {
            let _ = writeln!(out, "{error}\n");
        }
        let hidden = report
            .compile_errors
            .len()
            .saturating_sub(SHOWN_COMPILE_ERRORS);
        if hidden > 0 {
            let _ = writeln!(
                out,
                "… and {hidden} more errors: fix the first ones, the rest often follow.\n"
            );
        }
    }
    let untouched = report
        .checks
        .iter()
        .all(|c| c.outcome == Outcome::NotAttempted);
    // A stub's warnings (a given error variant not constructed yet) are not news.
    if report.compile_errors.is_empty() && !untouched && !report.warnings.is_empty() {
        for warning in report.warnings.iter().take(SHOWN_WARNINGS) {
            out.push_str(&text::hanging(
                &warning_line(warning, style),
                width,
                "",
                "  ",
            ));
        }
        let hidden = report.warnings.len().saturating_sub(SHOWN_WARNINGS);
        if hidden > 0 {
            let _ = writeln!(
                out,
                "… and {hidden} more warnings (your editor shows them all)."
            );
        }
        out.push('\n');
    }
    for check in &report.checks {
        let points = format!("{}/{}", check.points, check.max_points);
        let optional = if check.required { "" } else { " (optional)" };
        let line = format!(
            "{} {points:>5}  {}{optional}",
            outcome_label(check.outcome, style),
            check.name
        );
        out.push_str(&text::hanging(&line, width, "  ", INDENT));
        if report.compile_errors.is_empty() {
            out.push_str(&text::wrap(&check.message, width, INDENT));
        }
        if let Some(hint) = &check.hint {
            let first = format!("{INDENT}{} ", style.dim("hint:"));
            out.push_str(&text::hanging(hint, width, &first, INDENT));
        }
        for figure in &check.figures {
            let _ = writeln!(out);
            for line in crate::plot::text(figure).lines() {
                let _ = writeln!(out, "{INDENT}{line}");
            }
        }
        if let Some(output) = &check.output {
            let lines: Vec<&str> = output.lines().collect();
            let skipped = lines.len().saturating_sub(SHOWN_OUTPUT_LINES);
            let _ = writeln!(
                out,
                "{INDENT}{}",
                style.dim(if skipped > 0 {
                    "output (last lines):"
                } else {
                    "output:"
                })
            );
            for line in &lines[skipped..] {
                let _ = writeln!(out, "{INDENT}| {line}");
            }
        }
    }
    let total = report.checks.len();
    let counts = format!(
        "{} of {total} checks passed, {}/{} points",
        report.checks_passed, report.points, report.max_points
    );
    let id = &report.exercise;
    let next = match (report.passed, untouched, context.advice) {
        (true, _, Advice::Commands) => "Next: `learnml next` for the next exercise.".to_string(),
        // watch moves on by itself.
        (true, _, Advice::Watch) => String::new(),
        (false, true, Advice::Commands) => format!(
            "Next: replace the `todo!()` in {work_file} with your code, then `learnml check {id}` again."
        ),
        (false, true, Advice::Watch) => format!(
            "Next: replace the `todo!()` in {work_file} with your code and save it: it is checked again."
        ),
        (false, false, Advice::Commands) => format!(
            "Next: edit {work_file} and run `learnml check {id}` again; `learnml hint {id}` gives a hint."
        ),
        (false, false, Advice::Watch) => format!(
            "Next: edit {work_file} and save it to check it again; `h` then Enter gives a hint."
        ),
    };
    let verdict = if report.passed {
        style.green("Passed:")
    } else {
        style.yellow("Not passed yet:")
    };
    out.push('\n');
    out.push_str(&text::hanging(
        &format!("{verdict} {counts}."),
        width,
        "",
        "",
    ));
    if !next.is_empty() {
        out.push_str(&text::hanging(&next, width, "", "      "));
    }
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!(
            "Limits per check: {} s, {} MB.",
            report.time_limit_secs, report.memory_limit_mb
        ))
    );
    if let Some(missing) = &report.unconfined {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&format!(
                "Note: this machine does not confine exercise code fully ({missing}); your grade is the same, but `learnml grade` would refuse to run here."
            ))
        );
    }
    out
}

/// An exercise as `next` and `show` present it: the task, the file, the data, the bar;
/// `root` makes the file a clickable link in terminals.
pub fn exercise(
    curriculum: &Curriculum,
    exercise: &Exercise,
    progress: &Progress,
    root: &std::path::Path,
    style: Style,
) -> String {
    let id = exercise.id();
    let all: Vec<&Exercise> = curriculum.exercises().collect();
    let overall = all.iter().position(|e| e.id() == id).map_or(0, |i| i + 1);
    let module = curriculum
        .modules
        .iter()
        .find(|m| m.name == exercise.module)
        .expect("exercise belongs to a module");
    let in_module = module
        .exercises
        .iter()
        .position(|e| e.name == exercise.name)
        .map_or(0, |i| i + 1);
    let entry = progress.of(id);
    let status = match entry.status {
        Status::NotStarted => String::new(),
        status => format!(
            " · {}, {}/{} points",
            status_label(status),
            entry.best_points,
            exercise.max_points()
        ),
    };
    let width = style.width;
    let header = format!(
        "{}  {}",
        style.bold(id),
        style.dim(&format!(
            "exercise {in_module} of {} in {} · {overall} of {} overall{status}",
            module.exercises.len(),
            module.title,
            all.len()
        ))
    );
    let mut out = text::hanging(&header, width, "", "");
    out.push_str(&text::hanging(&style.bold(&exercise.title), width, "", ""));
    out.push('\n');
    out.push_str(&text::markdown(&exercise.statement, style, ""));
    out.push('\n');
    let work = exercise.work_path();
    // Never wrapped: the link's escape sequence holds the file's absolute path.
    let _ = writeln!(
        out,
        "Edit:    {}",
        style.file_link(&work.display().to_string(), &root.join(&work))
    );
    let labelled = |label: &str, text: &str| text::hanging(text, width, label, "         ");
    if !exercise.datasets.is_empty() {
        let data: Vec<String> = exercise
            .datasets
            .iter()
            .map(|d| format!("datasets/{d}"))
            .collect();
        out.push_str(&labelled(
            "Data:    ",
            &format!(
                "{} (provenance in the .md beside each file)",
                data.join(", ")
            ),
        ));
    }
    out.push_str(&labelled(
        "Checks:  ",
        &format!(
            "{} checks, {} points; {} s and {} MB per check",
            exercise.checks.len(),
            exercise.max_points(),
            exercise.time_limit_secs,
            exercise.memory_limit_mb
        ),
    ));
    out.push_str(&labelled(
        "Then:    ",
        &format!("`learnml check {id}` to grade it, `learnml hint {id}` for a hint"),
    ));
    out.push_str(&labelled(
        "         ",
        &style.dim("(`learnml` is `cargo run --` in this folder, until `cargo install --path .`)"),
    ));
    out
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "not started",
        Status::Attempted => "attempted",
        Status::Passed => "passed",
    }
}

pub fn list(curriculum: &Curriculum, progress: &Progress, style: Style) -> String {
    let mut out = String::new();
    let width = curriculum
        .exercises()
        .map(|e| e.id().len())
        .max()
        .unwrap_or(0);
    for module in &curriculum.modules {
        let _ = writeln!(out, "{}", style.bold(&module.title));
        for exercise in &module.exercises {
            let entry = progress.of(exercise.id());
            let status = status_label(entry.status);
            let status = match entry.status {
                Status::Passed => style.green(&format!("{status:<11}")),
                Status::Attempted => style.yellow(&format!("{status:<11}")),
                Status::NotStarted => style.dim(&format!("{status:<11}")),
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {status}  {:>3}/{}",
                exercise.id(),
                entry.best_points,
                exercise.max_points(),
            );
            // The title on a line of its own: beside the id and status columns, no terminal
            // narrower than 140 columns would fit the longest ones.
            out.push_str(&text::hanging(&exercise.title, style.width, "    ", "    "));
        }
    }
    out
}

#[derive(serde::Serialize)]
pub struct ListEntry {
    pub id: String,
    pub module: String,
    pub title: String,
    pub path: String,
    pub solution: String,
    pub status: Status,
    pub best_points: u32,
    pub max_points: u32,
    pub attempts: u32,
}

pub fn list_entries(curriculum: &Curriculum, progress: &Progress) -> Vec<ListEntry> {
    curriculum
        .exercises()
        .map(|e| {
            let entry = progress.of(e.id());
            ListEntry {
                id: e.id().to_string(),
                module: e.module.clone(),
                title: e.title.clone(),
                path: e.work_path().display().to_string(),
                solution: e.solution_path().display().to_string(),
                status: entry.status,
                best_points: entry.best_points,
                max_points: e.max_points(),
                attempts: entry.attempts,
            }
        })
        .collect()
}

const BAR_WIDTH: usize = 20;

fn bar(done: usize, total: usize) -> String {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled))
}

pub fn progress(curriculum: &Curriculum, progress: &Progress, style: Style) -> String {
    let mut out = String::new();
    let (mut passed_all, mut total_all, mut points_all, mut max_all) = (0, 0, 0, 0);
    let width = curriculum
        .modules
        .iter()
        .map(|m| m.name.len())
        .max()
        .unwrap_or(0);
    for module in &curriculum.modules {
        let total = module.exercises.len();
        let passed = module
            .exercises
            .iter()
            .filter(|e| progress.passed(e.id()))
            .count();
        let points: u32 = module
            .exercises
            .iter()
            .map(|e| progress.of(e.id()).best_points)
            .sum();
        let max: u32 = module.exercises.iter().map(Exercise::max_points).sum();
        let done = if passed == total {
            style.green(" complete")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {} {passed:>2}/{total:<2} exercises  {points:>4}/{max:<4} points{done}",
            module.name,
            bar(passed, total)
        );
        (passed_all, total_all, points_all, max_all) = (
            passed_all + passed,
            total_all + total,
            points_all + points,
            max_all + max,
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<width$}  {} {passed_all:>2}/{total_all:<2} exercises  {points_all:>4}/{max_all:<4} points",
        "overall",
        bar(passed_all, total_all)
    );
    let seen: Vec<String> = curriculum
        .exercises()
        .filter(|e| progress.of(e.id()).solution_seen)
        .map(|e| e.id().to_string())
        .collect();
    if !seen.is_empty() {
        let _ = writeln!(out, "\n  Solution seen before passing: {}", seen.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUB: &str = "use ndarray::Array2;\n\npub struct Model {}\n\n\
        pub fn train(x: &Array2<f64>, y: &[bool]) -> Model {\n    todo!()\n}\n\n\
        impl Model {\n    pub fn predict(&self, x: &Array2<f64>) -> Vec<bool> {\n        todo!()\n    }\n}\n\n\
        pub fn trained_rows() -> usize {\n    todo!()\n}\n";

    #[test]
    fn errors_in_the_grader_name_the_stub_items_they_involve() {
        let in_grader = "error[E0061]: this function takes 3 arguments but 2 arguments were supplied\n  \
            --> exercises/supervised/logistic/grader.rs:40:17\n   |\n40 |     let model = train(&x, &y);\n\
            note: function defined here\n  --> work/supervised/logistic.rs:5:8\n   |\n\
            5 | pub fn train(x: &Array2<f64>, y: &[bool], z: bool) -> Model {\n";
        let in_work = "error[E0308]: mismatched types\n  --> work/supervised/logistic.rs:9:5\n";
        let note = |errors: &[&str]| {
            let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            grader_error_note(
                &errors,
                "exercises/supervised/logistic/grader.rs",
                STUB,
                "exercises/supervised/logistic/stub.rs",
            )
        };
        assert_eq!(note(&[in_work]), None);
        assert_eq!(
            note(&[in_work, in_grader]).as_deref(),
            Some(
                "Some errors are in the grader (exercises/supervised/logistic/grader.rs), where it calls \
                 your code: keep the signature of `train` from the stub \
                 (exercises/supervised/logistic/stub.rs)."
            )
        );
        let both = in_grader.replace("train(&x, &y)", "train(&x, &y).predict(&x)");
        assert!(
            note(&[&both])
                .unwrap()
                .contains("keep the signatures of `train` and `predict` from the stub")
        );
        let neither = in_grader.replace("train(&x, &y)", "fit(&x)");
        assert!(
            note(&[&neither]).unwrap().contains(
                "keep the signatures of the stub (exercises/supervised/logistic/stub.rs)"
            )
        );
    }

    #[test]
    fn a_warning_takes_one_line() {
        let rendered = "warning: unused variable: `count`\n  --> work/m/e.rs:3:9\n   |\n\
                        3 |     let count = 1;\n   |         ^^^^^ help: prefix it with an underscore";
        assert_eq!(
            warning_line(
                rendered,
                Style {
                    color: false,
                    width: crate::style::DEFAULT_WIDTH
                }
            ),
            "warning: unused variable: `count` (work/m/e.rs:3:9)"
        );
    }

    #[test]
    fn public_items_are_read_from_the_stub() {
        assert_eq!(
            public_items(STUB),
            ["Model", "train", "predict", "trained_rows"]
        );
        assert!(mentions("let m = train(&x);", "train"));
        assert!(!mentions("let m = trained_rows();", "train"));
    }
}
