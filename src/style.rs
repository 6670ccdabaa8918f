//! Terminal styling: colour only when stdout is a terminal and `NO_COLOR` is not set, and
//! the width text is wrapped to.

use std::io::IsTerminal;

/// The width of text when stdout is not a terminal (a pipe, a file, a test).
pub const DEFAULT_WIDTH: usize = 80;
/// Prose wider than this is hard to read, however wide the terminal.
const MAX_WIDTH: usize = 100;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// The columns text is wrapped to.
    pub width: usize,
}

impl Style {
    pub fn detect() -> Style {
        let terminal = std::io::stdout().is_terminal();
        let width = terminal_size::terminal_size_of(std::io::stdout())
            .filter(|_| terminal)
            .map_or(DEFAULT_WIDTH, |(width, _)| {
                usize::from(width.0).min(MAX_WIDTH)
            });
        Style {
            color: terminal && std::env::var_os("NO_COLOR").is_none(),
            width,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn italic(&self, text: &str) -> String {
        self.paint("3", text)
    }
    /// Code spans in prose.
    pub fn code(&self, text: &str) -> String {
        self.paint("36", text)
    }

    /// `text` as a clickable link to a file (OSC 8, shown as plain text where unsupported).
    pub fn file_link(&self, text: &str, file: &std::path::Path) -> String {
        if self.color {
            format!(
                "\x1b]8;;file://{}\x1b\\{text}\x1b]8;;\x1b\\",
                file.display()
            )
        } else {
            text.to_string()
        }
    }
}
