//! Terminal styling, decided as clap decides it (anstream): colour when stdout is a terminal,
//! unless `NO_COLOR` is set and not empty or `TERM=dumb`, and always with `CLICOLOR_FORCE`;
//! styles are anstyle's. Also the width text is wrapped to.

use std::io::IsTerminal;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Effects};

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
        let color = match anstream::AutoStream::choice(&std::io::stdout()) {
            ColorChoice::Always | ColorChoice::AlwaysAnsi => true,
            ColorChoice::Never | ColorChoice::Auto => false,
        };
        Style { color, width }
    }

    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Effects::BOLD.into(), text)
    }
    pub fn green(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
    pub fn red(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }
    pub fn yellow(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(Effects::DIMMED.into(), text)
    }
    pub fn italic(&self, text: &str) -> String {
        self.paint(Effects::ITALIC.into(), text)
    }
    /// Code spans in prose.
    pub fn code(&self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default(), text)
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
