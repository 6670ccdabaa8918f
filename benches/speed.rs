//! Speed of what learners wait for, as medians of repeated runs on this machine.
//!
//! ```text
//! cargo bench --bench speed                         # next, and check on two exercises
//! cargo bench --bench speed -- ID [ID…]             # check on these exercises
//! cargo bench --bench speed -- --slowest            # also: every check of every solution
//! cargo bench --bench speed -- --opt-levels         # also: which exercises may build at
//!                                                   # opt-level 0 (docs/AUTHORING.md)
//! ```
//! It prints a Markdown table. Targets (issue 10): edit-to-grade median <= 0.6 s, the
//! slowest single grader run < 2 s. The first numbers after a cold build include nothing
//! cold: each measurement is preceded by a warm-up run.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Workspace;
use learnml::build::{self, Built, Source};
use learnml::sandbox::Limits;
use learnml::{catalogue, check};

const RUNS: usize = 9;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(mut run: impl FnMut()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn du(path: &Path) -> String {
    let output = std::process::Command::new("du")
        .args(["-sh"])
        .arg(path)
        .output()
        .expect("du runs");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_string()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let slowest = args.iter().any(|a| a == "--slowest");
    let opt_levels = args.iter().any(|a| a == "--opt-levels");
    let mut ids: Vec<String> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
    let repository =
        learnml::workspace::Workspace::at(common::repo()).expect("the curriculum loads");
    let curriculum = &repository.curriculum;
    if ids.is_empty() {
        ids = [
            "preprocessing/load_csv",
            "supervised/logistic",
            "neural/train_digits",
        ]
        .iter()
        .filter(|id| curriculum.find(id).is_ok())
        .map(|id| id.to_string())
        .collect();
    }
    let modules: Vec<&str> = curriculum.modules.iter().map(|m| m.name.as_str()).collect();
    let ws = Workspace::new(&modules);

    println!("| what | median of {RUNS} |\n| --- | --- |");
    ws.run(&["next"]);
    let next = median(
        (0..RUNS)
            .map(|_| time(|| assert_eq!(ws.run(&["next"]).code, 0)))
            .collect(),
    );
    println!("| `learnml next` | {} |", secs(next));

    for id in &ids {
        let exercise = curriculum.find(id).expect("a known exercise");
        let work = exercise.work_path().display().to_string();
        let solution = ws.read(&exercise.solution_path().display().to_string());
        ws.write(&work, &solution);
        assert_eq!(
            ws.run(&["check", id]).code,
            0,
            "the solution of {id} passes"
        );
        let floor = median(
            (0..RUNS)
                .map(|_| time(|| assert_eq!(ws.run(&["check", id]).code, 0)))
                .collect(),
        );
        let edit = median(
            (0..RUNS)
                .map(|n| {
                    ws.write(&work, &format!("{solution}\n// edit {n}\n"));
                    time(|| assert_eq!(ws.run(&["check", id]).code, 0))
                })
                .collect(),
        );
        println!(
            "| `learnml check {id}`, unchanged file (floor: no-op cargo build + grader) | {} |",
            secs(floor)
        );
        println!(
            "| `learnml check {id}` after a one-line edit | {} |",
            secs(edit)
        );
    }
    println!(
        "| disk used by the course build (`target/course`) | {} |",
        du(&common::repo().join("target/course"))
    );

    if slowest {
        let limits = Limits {
            time: Duration::from_secs(60),
            memory_bytes: 4 << 30,
            output_bytes: 1 << 16,
        };
        let mut runs = Vec::new();
        for exercise in curriculum.exercises() {
            let Ok(Built::Binary(binary, _)) =
                build::build(&repository, exercise, &Source::Solution, false)
            else {
                panic!("the solution of {} builds", exercise.id());
            };
            for check in &exercise.checks {
                let took = median(
                    (0..3)
                        .map(|_| {
                            time(|| {
                                check::run_check(
                                    &repository,
                                    exercise,
                                    &check::Program::alone(&binary),
                                    &check.id,
                                    limits,
                                )
                                .expect("the check runs");
                            })
                        })
                        .collect(),
                );
                runs.push((took, format!("{}:{}", exercise.id(), check.id)));
            }
        }
        runs.sort();
        runs.reverse();
        for (took, check) in runs.iter().take(5) {
            println!("| grader run `{check}` (median of 3) | {} |", secs(*took));
        }
        println!("| checks timed | {} |", runs.len());
    }
    if opt_levels {
        opt_level_table(&repository);
    }
}

/// At most this share of its time limit may an exercise's slowest check take when its
/// reference solution or any file of its catalogue runs at opt-level 0, for the exercise to
/// build there: a learner's correct file 20 times slower than those still passes, and a
/// mistake is named long before the limit could stop it.
const OPT_LEVEL_0_SHARE: f64 = 0.05;

/// Every solution and catalogue file built at opt-level 0 and each check run once: per exercise,
/// the slowest check's share of the time limit, and whether `opt_level` in exercise.toml
/// follows [`OPT_LEVEL_0_SHARE`].
fn opt_level_table(repository: &learnml::workspace::Workspace) {
    println!(
        "\n| exercise | slowest check at opt-level 0 | share of its limit | opt_level | rule (<= {:.0} %: 0) |\n| --- | --- | --- | --- | --- |",
        OPT_LEVEL_0_SHARE * 100.0
    );
    let limits = Limits {
        time: Duration::from_secs(60),
        memory_bytes: 4 << 30,
        output_bytes: 1 << 16,
    };
    let mut rows = Vec::new();
    for exercise in repository.curriculum.exercises() {
        let mut at_0 = exercise.clone();
        at_0.opt_level = 0;
        let catalogue = catalogue::load(repository, exercise).expect("the catalogue loads");
        let sources = std::iter::once(Source::Solution)
            .chain(
                catalogue
                    .alternatives
                    .into_iter()
                    .map(|alternative| Source::Alternative {
                        file: alternative.file,
                    }),
            )
            .chain(
                catalogue
                    .mistakes
                    .into_iter()
                    .map(|mistake| Source::Mistake { file: mistake.file }),
            );
        let mut slowest = Duration::ZERO;
        for source in sources {
            // A catalogued mistake may be a compile error: nothing to time.
            let Ok(Built::Binary(binary, _)) = build::build(repository, &at_0, &source, false)
            else {
                continue;
            };
            for check in &at_0.checks {
                slowest = slowest.max(time(|| {
                    check::run_check(
                        repository,
                        &at_0,
                        &check::Program::alone(&binary),
                        &check.id,
                        limits,
                    )
                    .expect("the check runs");
                }));
            }
            // Catalogue binaries are not kept: over a thousand of them would fill gigabytes.
            if source != Source::Solution {
                build::remove_binary(repository, exercise, &source);
            }
        }
        let share = slowest.as_secs_f64() / exercise.time_limit_secs as f64;
        let rule = if share <= OPT_LEVEL_0_SHARE { 0 } else { 1 };
        rows.push((
            share,
            exercise.id().to_string(),
            slowest,
            exercise.opt_level,
            rule,
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (share, id, slowest, opt_level, rule) in &rows {
        let differs = if opt_level == rule { "" } else { " (differs)" };
        println!(
            "| {id} | {} | {:.1} % | {opt_level} | {rule}{differs} |",
            secs(*slowest),
            share * 100.0
        );
    }
}
