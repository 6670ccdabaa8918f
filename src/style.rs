//! Terminal styling: colour only when stdout is a terminal and `NO_COLOR` is not set.

use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn detect() -> Style {
        Style {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    pub fn plain() -> Style {
        Style { color: false }
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
