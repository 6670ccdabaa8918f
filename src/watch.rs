//! `learnml watch`: check the current exercise each time its file is saved, move on when it
//! passes. Keys (each followed by Enter, so it works in any terminal): `h` hint, `s` the
//! statement, `l` list, `c` check now, `q` quit. On a terminal, the screen is cleared before
//! each report after an exercise's first, so the latest report is the one in view. Saves are noticed by polling the file's modification time and
//! size, which works on every file system (network mounts and containers included, where
//! file events are unreliable); `--manual` turns that off and checks only on `c`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::commands;
use crate::export::Format;
use crate::render::Advice;
use crate::style::Style;
use crate::workspace::Workspace;

const POLL: Duration = Duration::from_millis(250);
/// A save must be quiet this long before a check starts (editors write in several steps).
const DEBOUNCE: Duration = Duration::from_millis(300);

enum Event {
    Key(String),
    Saved,
    Quit,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
}

fn keys() -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if send.send(line.trim().to_lowercase()).is_err() {
                break;
            }
        }
        let _ = send.send("eof".into());
    });
    receive
}

/// Wait for a key or a save of `file`. `checked` is the file's stamp when it was last
/// checked: a save made while a check was running, or while a hint was printing, still counts.
fn wait(
    keys: &Receiver<String>,
    file: &Path,
    manual: bool,
    stdin_open: &mut bool,
    checked: &mut Option<(SystemTime, u64)>,
) -> Event {
    let mut last = *checked;
    let mut changed_at = None;
    loop {
        match keys.recv_timeout(POLL) {
            Ok(key) if key == "eof" => *stdin_open = false,
            Ok(key) => return Event::Key(key),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => *stdin_open = false,
        }
        if manual {
            if !*stdin_open {
                return Event::Quit;
            }
            continue;
        }
        let now = stamp(file);
        if now != last {
            last = now;
            changed_at = Some(std::time::Instant::now());
        } else if changed_at.is_some_and(|at| at.elapsed() >= DEBOUNCE) {
            *checked = now;
            return Event::Saved;
        }
    }
}

fn print(text: &str) {
    print!("{text}");
    let _ = std::io::stdout().flush();
}

/// Clear the terminal and put the cursor top left; nothing when stdout is not a terminal (a
/// log or a pipe keeps every report).
fn clear_screen() {
    if std::io::stdout().is_terminal() {
        print("\x1b[2J\x1b[H");
    }
}

pub fn watch(ws: &Workspace, manual: bool, style: Style) -> Result<u8> {
    let keys = keys();
    let mut stdin_open = true;
    let help = if manual {
        "[c] check  [h] hint  [s] statement  [l] list  [q] quit  (each followed by Enter)\n"
    } else {
        "Save the file to check it.  [c] check  [h] hint  [s] statement  [l] list  [q] quit\n(each followed by Enter)\n"
    };
    loop {
        let progress = ws.progress()?;
        let Some(exercise) = ws
            .curriculum
            .exercises()
            .find(|e| !progress.passed(e.id()))
            .cloned()
        else {
            print("Every exercise is passed. Well done!\n");
            return Ok(0);
        };
        let statement = commands::next(ws, style)?.stdout;
        print(&statement);
        print(&format!("\n{help}"));
        let file = ws.path(exercise.work_path());
        let mut check_now = !manual;
        let mut first_report = true;
        let mut checked = stamp(&file);
        loop {
            if check_now {
                checked = stamp(&file);
                let done = commands::check(
                    ws,
                    Some(exercise.id()),
                    Format::Text,
                    None,
                    Advice::Watch,
                    style,
                )?;
                // The first report stays under the statement (and under the previous exercise's
                // pass); later ones replace what was there.
                if !first_report {
                    clear_screen();
                }
                first_report = false;
                print(&format!("\n{}", done.stdout));
                if done.code == 0 {
                    print("\nPassed: on to the next exercise.\n\n");
                    break;
                }
                print(help);
            }
            check_now = false;
            match wait(&keys, &file, manual, &mut stdin_open, &mut checked) {
                Event::Saved => check_now = true,
                Event::Quit => return Ok(0),
                Event::Key(key) => match key.as_str() {
                    "q" | "quit" => return Ok(0),
                    "c" | "check" | "" => check_now = true,
                    "h" | "hint" => print(&format!(
                        "\n{}",
                        commands::hint(ws, Some(exercise.id()), Advice::Watch, style)?.stdout
                    )),
                    "s" | "statement" => print(&format!("\n{statement}\n{help}")),
                    "l" | "list" => {
                        print(&format!("\n{}", commands::list(ws, false, style)?.stdout))
                    }
                    other => print(&format!("unknown key `{other}`. {help}")),
                },
            }
        }
    }
}
