//! What a learner reads: every view is a function from data to text, so snapshots can pin
//! it. Floats are rounded by the graders; nothing here prints a path outside the workspace
//! or a time.

use std::fmt::Write;

use learnml_protocol::Outcome;

use crate::grade::GradeReport;
use crate::manifest::{Curriculum, Exercise};
use crate::progress::{Progress, Status};
use crate::style::Style;
use crate::text;

/// How many lines of a check's output, and of compiler errors, a report shows.
const SHOWN_OUTPUT_LINES: usize = 12;
const SHOWN_COMPILE_ERRORS: usize = 5;
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

pub fn grade_report(report: &GradeReport, work_file: &str, style: Style) -> String {
    let width = style.width;
    let mut out = String::new();
    let header = format!("{} · {}", style.bold(&report.exercise), report.title);
    let _ = writeln!(out, "{}", text::hanging(&header, width, "", ""));
    if !report.compile_errors.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            style.red(&format!("{work_file} does not compile:"))
        );
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
    let (verdict, next) = if report.passed {
        (
            style.green("Passed:"),
            "Next: `learnml next` for the next exercise.".to_string(),
        )
    } else if report
        .checks
        .iter()
        .all(|c| c.outcome == Outcome::NotAttempted)
    {
        (
            style.yellow("Not passed yet:"),
            format!(
                "Next: replace the `todo!()` in {work_file} with your code, then `learnml check {id}` again."
            ),
        )
    } else {
        (
            style.yellow("Not passed yet:"),
            format!(
                "Next: edit {work_file} and run `learnml check {id}` again; `learnml hint {id}` gives a hint."
            ),
        )
    };
    out.push('\n');
    out.push_str(&text::hanging(
        &format!("{verdict} {counts}."),
        width,
        "",
        "",
    ));
    out.push_str(&text::hanging(&next, width, "", "      "));
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!(
            "Limits per check: {} s, {} MB.",
            report.time_limit_secs, report.memory_limit_mb
        ))
    );
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
    let entry = progress.of(&id);
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
        style.bold(&id),
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
            let entry = progress.of(&exercise.id());
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
            let entry = progress.of(&e.id());
            ListEntry {
                id: e.id(),
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
            .filter(|e| progress.passed(&e.id()))
            .count();
        let points: u32 = module
            .exercises
            .iter()
            .map(|e| progress.of(&e.id()).best_points)
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
        .filter(|e| progress.of(&e.id()).solution_seen)
        .map(|e| e.id())
        .collect();
    if !seen.is_empty() {
        let _ = writeln!(out, "\n  Solution seen before passing: {}", seen.join(", "));
    }
    out
}
