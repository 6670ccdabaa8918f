use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use learnml::commands::{self, Done};
use learnml::export::Format;
use learnml::render::Advice;
use learnml::style::Style;
use learnml::workspace::Workspace;

/// Hands-on, graded machine-learning exercises in Rust.
///
/// Exit codes: 0 success (for `check`: the exercise passes), 1 the exercise does not pass
/// (or the request was refused), 2 a usage or environment error.
#[derive(Parser)]
#[command(name = "learnml", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the first exercise you have not passed yet: what to do, the file, the data, the bar.
    Next,
    /// Build an exercise's binary (and so the course's crates) without grading it: what
    /// `next` starts in the background for a learner at a terminal.
    #[command(hide = true)]
    BuildCourse { id: String },
    /// Show any exercise as `next` does (default: the current one).
    Show {
        /// The exercise: `module/name`, its name alone when unambiguous, or its file's path.
        id: Option<String>,
    },
    /// Compile and grade an exercise (default: the current one).
    Check {
        /// The exercise: `module/name`, its name alone when unambiguous, or its file's path.
        id: Option<String>,
        /// The report's format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Short for `--format json`.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Also write the report's figures as SVG files into this folder.
        #[arg(long, value_name = "DIR")]
        svg: Option<std::path::PathBuf>,
    },
    /// Check the current exercise on every save; move on when it passes.
    Watch {
        /// Do not watch the file: check only when you press `c` and Enter.
        #[arg(long)]
        manual: bool,
    },
    /// Build the API docs of the crates the exercises use (linfa, ndarray, smartcore...) and
    /// print where they are.
    Doc {
        /// Also open them in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Print a completion script for your shell (e.g. `learnml completions bash >> ~/.bashrc`).
    Completions { shell: clap_complete::Shell },
    /// List every exercise with its status and points.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Completion per module and overall.
    Progress,
    /// The next hint for an exercise; hints get more specific.
    Hint {
        /// Default: the exercise you last checked, or the current one once that is passed.
        id: Option<String>,
    },
    /// Show the reference solution of an exercise you have passed.
    Solution {
        id: String,
        /// Show it before passing (recorded in your progress).
        #[arg(long)]
        force: bool,
    },
    /// Restore the stub of an exercise; your file is backed up first in .learnml/backups/.
    Reset { id: String },
    /// Move a damaged progress file aside (keeping it) and start a fresh one.
    Repair,
    /// Grade many learners' submissions: a gradebook CSV, pass rates per check, reports.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Grade {
        #[command(subcommand)]
        merge: Option<GradeMerge>,
        /// One folder per learner, laid out like `work/` (MODULE/NAME.rs).
        #[arg(required = true)]
        submissions: Option<std::path::PathBuf>,
        /// Grade only share K of N of the learners (`K/N` or `hash:K/N`, as nextest's
        /// --partition): the same learner always falls in the same share.
        #[arg(long)]
        partition: Option<learnml::batch::Partition>,
        /// Where to write gradebook.csv, item_analysis.csv and reports/.
        #[arg(long, default_value = "grades")]
        out: std::path::PathBuf,
        /// Grade even where learner code cannot be confined (no Landlock or seccomp: macOS,
        /// an old kernel): each learner's code could then read or change others' files.
        #[arg(long)]
        allow_unconfined: bool,
    },
    /// The fairness report of a binary classifier's predictions in a CSV file: per-group
    /// rates, and parity in fairlearn's and (with --privileged) AIF360's conventions.
    Fairness {
        /// A CSV file with a header row.
        file: std::path::PathBuf,
        /// The column of true labels.
        #[arg(long, default_value = "y_true")]
        truth: String,
        /// The column of predicted labels.
        #[arg(long, default_value = "y_pred")]
        prediction: String,
        /// The column of group names (the sensitive attribute).
        #[arg(long)]
        group: String,
        /// The label of the positive class (a selection: granted credit, predicted sick...).
        #[arg(long, default_value = "1")]
        positive: String,
        /// The privileged (reference) group, for AIF360's signed differences and ratios.
        #[arg(long)]
        privileged: Option<String>,
    },
    /// Grade on the engines classes already use: Gradescope's autograder, GitHub Classroom.
    #[command(subcommand)]
    Export(Export),
    /// Tools for course authors.
    #[command(subcommand)]
    Dev(Dev),
}

#[derive(Subcommand)]
enum Export {
    /// Write Gradescope's autograder bundle (setup.sh, run_autograder, the course) into DIR.
    Gradescope {
        dir: std::path::PathBuf,
        /// The assignment's exercises: an id, or a module for all of its exercises
        /// (repeatable; default: every exercise).
        #[arg(long = "exercise", value_name = "ID_OR_MODULE")]
        only: Vec<String>,
    },
    /// Write the GitHub Classroom workflow (.github/workflows/learnml.yml) and the script it
    /// runs (.github/learnml-classroom.sh) into DIR.
    Classroom {
        dir: std::path::PathBuf,
        /// The assignment's exercises, as for `export gradescope`.
        #[arg(long = "exercise", value_name = "ID_OR_MODULE")]
        only: Vec<String>,
    },
    /// Grade one learner's submission and print the engine's result (what the exported
    /// scripts run).
    #[command(hide = true)]
    Results {
        submission: std::path::PathBuf,
        #[arg(long, value_enum)]
        engine: learnml::engines::Engine,
        #[arg(long = "exercise", value_name = "ID_OR_MODULE")]
        only: Vec<String>,
    },
}

#[derive(Subcommand)]
enum GradeMerge {
    /// Put the shares of a class graded with --partition together into one gradebook and
    /// item analysis, identical to grading the class at once.
    Merge {
        /// The output folders of the shares (each holds results.json).
        #[arg(required = true)]
        shares: Vec<std::path::PathBuf>,
        /// Where to write the merged gradebook.csv, item_analysis.csv and reports/.
        #[arg(long, default_value = "grades")]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum Dev {
    /// Check the exercise set: stubs earn nothing, reference solutions pass with margin, no
    /// stray files.
    Verify { id: Option<String> },
    /// Lint the exercise set as the test suite does: rustfmt on every file of an exercise,
    /// clippy on its solution, catalogue and grader.
    Lint { id: Option<String> },
    /// Write a new exercise's folder from a template and append it to its module's list.
    New {
        /// MODULE/NAME, in an existing module.
        id: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = Style::detect();
    // Commands that need no workspace.
    match &cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "learnml",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        Command::Fairness {
            file,
            truth,
            prediction,
            group,
            positive,
            privileged,
        } => {
            let columns = learnml::fairness::Columns {
                truth,
                prediction,
                group,
                positive,
                privileged: privileged.as_deref(),
            };
            let report = learnml::fairness::report(file, &columns);
            return finish(report.map(|stdout| Done { stdout, code: 0 }));
        }
        _ => {}
    }
    let result = std::env::current_dir()
        .map_err(anyhow::Error::from)
        .and_then(|dir| Workspace::open(&dir))
        .and_then(|ws| match &cli.command {
            Command::Next => commands::next(&ws, style),
            Command::BuildCourse { id } => commands::build_course(&ws, id),
            Command::Show { id } => commands::show(&ws, id.as_deref(), style),
            Command::Check {
                id,
                format,
                json,
                svg,
            } => {
                let format = if *json { Format::Json } else { *format };
                commands::check(
                    &ws,
                    id.as_deref(),
                    format,
                    svg.as_deref(),
                    Advice::Commands,
                    style,
                )
            }
            Command::Watch { manual } => {
                learnml::watch::watch(&ws, *manual, style).map(|code| Done {
                    stdout: String::new(),
                    code,
                })
            }
            Command::Completions { .. } | Command::Fairness { .. } => {
                unreachable!("handled before finding the workspace")
            }
            Command::Doc { open } => commands::doc(&ws, *open),
            Command::List { json } => commands::list(&ws, *json, style),
            Command::Progress => commands::show_progress(&ws, style),
            Command::Hint { id } => commands::hint(&ws, id.as_deref(), Advice::Commands, style),
            Command::Solution { id, force } => commands::solution(&ws, id, *force, style),
            Command::Reset { id } => commands::reset(&ws, id, style),
            Command::Repair => commands::repair(&ws, style),
            Command::Grade {
                merge: Some(GradeMerge::Merge { shares, out }),
                ..
            } => commands::grade_merge(&ws, shares, out),
            Command::Grade {
                submissions,
                out,
                partition,
                allow_unconfined,
                ..
            } => commands::grade(
                &ws,
                submissions.as_deref().expect("clap requires SUBMISSIONS"),
                out,
                *partition,
                *allow_unconfined,
            ),
            Command::Export(Export::Gradescope { dir, only }) => {
                learnml::engines::export_gradescope(&ws, dir, only).map(|stdout| Done {
                    stdout,
                    code: 0,
                })
            }
            Command::Export(Export::Classroom { dir, only }) => {
                learnml::engines::export_classroom(&ws, dir, only).map(|stdout| Done {
                    stdout,
                    code: 0,
                })
            }
            Command::Export(Export::Results {
                submission,
                engine,
                only,
            }) => learnml::engines::results(&ws, submission, *engine, only)
                .map(|stdout| Done { stdout, code: 0 }),
            Command::Dev(Dev::Verify { id }) => commands::dev_verify(&ws, id.as_deref()),
            Command::Dev(Dev::Lint { id }) => commands::dev_lint(&ws, id.as_deref()),
            Command::Dev(Dev::New { id }) => learnml::new_exercise::create(&ws, id).map(|folder| {
                Done {
                    stdout: format!(
                        "Wrote {} from the template; `learnml dev verify {id}` proves it sound as you change it.\n",
                        folder.display()
                    ),
                    code: 0,
                }
            }),
        });
    finish(result)
}

fn finish(result: anyhow::Result<Done>) -> ExitCode {
    match result {
        Ok(Done { stdout, code }) => {
            print!("{stdout}");
            ExitCode::from(code)
        }
        Err(error) => {
            let message = format!("error: {error:#}");
            // Wrapped on a terminal only: in a log or a pipe, an error stays one line to grep.
            match terminal_size::terminal_size_of(std::io::stderr()) {
                Some((width, _)) if std::io::stderr().is_terminal() => {
                    eprint!(
                        "{}",
                        learnml::text::wrap(&message, usize::from(width.0), "")
                    )
                }
                _ => eprintln!("{message}"),
            }
            ExitCode::from(2)
        }
    }
}
