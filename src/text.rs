//! Text that fits the terminal: prose wrapped at spaces (never inside a word) to the width in
//! [`Style`], and the Markdown of statements and hints rendered (bold, code spans, lists,
//! paragraphs) rather than printed raw. Code (compiler errors, a check's output, solutions) is
//! never wrapped: its line breaks mean something.

use pulldown_cmark::{Event, Options as MarkdownOptions, Parser, Tag, TagEnd};
use textwrap::{Options, WordSeparator, WordSplitter};

use crate::style::Style;

/// Fewer columns than this for wrapped text is unreadable whatever the terminal: text then
/// overflows rather than stacking one word per line.
const MIN_COLUMNS: usize = 20;

fn options<'a>(width: usize, first: &'a str, rest: &'a str) -> Options<'a> {
    Options::new(width.max(textwrap::core::display_width(first) + MIN_COLUMNS))
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(WordSeparator::AsciiSpace)
        // A word longer than the line (a path, a long code span) overflows, whole.
        .word_splitter(WordSplitter::NoHyphenation)
        .break_words(false)
}

/// One paragraph wrapped to `width`: its first line starts with `first`, the others with
/// `rest` (a hanging indent), each ending in a newline.
pub fn hanging(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let text = keep_code_spans_whole(text.trim());
    for line in textwrap::wrap(&text, options(width, first, rest)) {
        out.push_str(&line.trim_end().replace(UNBREAKABLE_SPACE, " "));
        out.push('\n');
    }
    out
}

/// Stands for a space inside a code span while text is wrapped: textwrap breaks lines at
/// ASCII spaces only.
const UNBREAKABLE_SPACE: char = '\u{a0}';

/// `text` with the spaces inside each pair of backticks made unbreakable, so that a code span
/// (`learnml hint supervised/knn`, `x.select(Axis(0), &[0, 2])`) stays on one line and can be
/// copied. An unpaired backtick protects nothing.
fn keep_code_spans_whole(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else {
            break;
        };
        let close = open + 1 + length;
        out.push_str(&rest[..open]);
        out.push_str(&rest[open..=close].replace(' ', &UNBREAKABLE_SPACE.to_string()));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Every line of `text` wrapped to `width` after `indent`, its continuation lines indented
/// like the line. Blank lines are kept, and so are lines with aligned columns (two spaces in
/// a row): a table cut across lines could not be read.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start();
        if body.is_empty() {
            out.push('\n');
            continue;
        }
        let indent = format!("{indent}{}", &line[..line.len() - body.len()]);
        if body.trim_end().contains("  ") {
            out.push_str(&format!("{indent}{}\n", body.trim_end()));
        } else {
            out.push_str(&hanging(body, width, &indent, &indent));
        }
    }
    out
}

/// Markdown rendered for the terminal and wrapped to `style.width`, each line prefixed with
/// `indent`. Paragraphs are separated by a blank line; the text ends with a newline.
pub fn markdown(source: &str, style: Style, indent: &str) -> String {
    let source = end_lists_at_the_margin(source);
    let mut renderer = Renderer {
        style,
        width: style.width,
        out: String::new(),
        spans: vec![String::new()],
        lists: Vec::new(),
        items: Vec::new(),
        marker: None,
        indent: indent.to_string(),
        code_block: None,
        link: None,
    };
    for event in Parser::new_ext(&source, MarkdownOptions::empty()) {
        renderer.event(event);
    }
    renderer.flush();
    let mut out = renderer.out.trim_end().to_string();
    out.push('\n');
    out
}

/// Statements write the continuation lines of a list item indented, and end a list by going
/// back to the margin. CommonMark would make such a line a "lazy continuation" of the last
/// item, so a blank line is put before it.
fn end_lists_at_the_margin(source: &str) -> String {
    let is_item = |line: &str| {
        let line = line.trim_start();
        let ordered = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        line.starts_with("- ") || line.starts_with("* ") || ordered
    };
    let mut out = String::new();
    let mut in_item = false;
    for line in source.lines() {
        if line.trim().is_empty() {
            in_item = false;
        } else if is_item(line) {
            in_item = true;
        } else if in_item && !line.starts_with(' ') {
            out.push('\n');
            in_item = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

struct Renderer {
    style: Style,
    width: usize,
    out: String,
    /// The text of the current block; nested spans (bold, emphasis) on top.
    spans: Vec<String>,
    /// For each open list, the number of its next item (`None`: a bullet list).
    lists: Vec<Option<u64>>,
    /// For each open item, the width of its marker (its text hangs that far in).
    items: Vec<usize>,
    /// The marker of a list item whose first line is not written yet.
    marker: Option<String>,
    /// What starts every line of the current block (list nesting).
    indent: String,
    code_block: Option<String>,
    link: Option<String>,
}

impl Renderer {
    fn push(&mut self, text: &str) {
        if let Some(code) = &mut self.code_block {
            code.push_str(text);
        } else {
            self.spans
                .last_mut()
                .expect("the block's span is never popped")
                .push_str(text);
        }
    }

    fn open_span(&mut self) {
        self.spans.push(String::new());
    }

    fn close_span(&mut self, paint: fn(&Style, &str) -> String) {
        let inner = self.spans.pop().expect("a span was opened");
        let painted = paint(&self.style, &inner);
        self.push(&painted);
    }

    /// Write the current block's text, wrapped, as a paragraph or a list item's text.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.spans[0]);
        if text.trim().is_empty() {
            return;
        }
        let first = match self.marker.take() {
            Some(marker) => format!(
                "{}{marker}",
                &self.indent[..self.indent.len() - marker.len()]
            ),
            None => self.indent.clone(),
        };
        // Hard breaks (`\` or two spaces at a line's end) are kept as line breaks.
        for (i, line) in text.split('\n').enumerate() {
            let start = if i == 0 { &first } else { &self.indent };
            self.out
                .push_str(&hanging(line, self.width, start, &self.indent));
        }
    }

    fn blank_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            // Paragraphs inside list items (a loose list) stay close to their marker.
            Event::Start(Tag::Paragraph) if self.lists.is_empty() => self.blank_line(),
            Event::End(TagEnd::Paragraph) => self.flush(),
            Event::Start(Tag::Heading { .. }) => {
                self.blank_line();
                self.open_span();
            }
            Event::End(TagEnd::Heading(_)) => {
                self.close_span(Style::bold);
                self.flush();
            }
            Event::Start(Tag::List(start)) => {
                // A nested list starts inside an item: that item's text comes first.
                self.flush();
                if self.lists.is_empty() {
                    self.blank_line();
                }
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.indent.push_str(&" ".repeat(marker.len()));
                self.items.push(marker.len());
                self.marker = Some(marker);
            }
            Event::End(TagEnd::Item) => {
                self.flush();
                let width = self.items.pop().expect("an item was opened");
                self.indent.truncate(self.indent.len() - width);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.blank_line();
                self.code_block = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = self.code_block.take().unwrap_or_default();
                for line in code.trim_end().lines() {
                    let line = format!("{}    {line}", self.indent);
                    self.out.push_str(line.trim_end());
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::Strong) | Event::Start(Tag::Emphasis) => self.open_span(),
            Event::End(TagEnd::Strong) => self.close_span(Style::bold),
            Event::End(TagEnd::Emphasis) => self.close_span(Style::italic),
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link = Some(dest_url.into_string());
                self.open_span();
            }
            Event::End(TagEnd::Link) => {
                let url = self.link.take().unwrap_or_default();
                let text = self.spans.pop().expect("a span was opened");
                let shown = if text == url || url.is_empty() {
                    text
                } else {
                    format!("{text} ({url})")
                };
                self.push(&shown);
            }
            Event::Code(code) => {
                // Backticks stay, colour or not: they tell code from prose, as everywhere else
                // in learnml's messages.
                let painted = self.style.code(&format!("`{code}`"));
                self.push(&painted);
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => self.push(&text),
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push("\n"),
            Event::Rule => {
                self.flush();
                self.blank_line();
                let rule = "-".repeat(self.width.min(40));
                self.out.push_str(&format!("{}{rule}\n", self.indent));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(width: usize) -> Style {
        Style {
            color: false,
            width,
        }
    }

    #[test]
    fn markdown_is_rendered_and_wrapped_never_mid_word() {
        let statement = "\
Every project starts by **reading data**, and real files are broken in boring ways: a row with a
missing field, a `n/a` where a number belongs.

Write `load(text, target)`: report problems as a `LoadError`:
- a row with a different number of fields than the header, which is a long item: `Ragged`;
- a feature field that is not a number:
  `NotANumber`;
Bar: iris loads as 150 x 4.

    weight(g, y) = n_y · n_g / (n · n_{g,y}) and a long line of code that is never wrapped at all
";
        let rendered = markdown(statement, plain(40), "");
        assert_eq!(
            rendered,
            "\
Every project starts by reading data,
and real files are broken in boring
ways: a row with a missing field, a
`n/a` where a number belongs.

Write `load(text, target)`: report
problems as a `LoadError`:

- a row with a different number of
  fields than the header, which is a
  long item: `Ragged`;
- a feature field that is not a number:
  `NotANumber`;

Bar: iris loads as 150 x 4.

    weight(g, y) = n_y · n_g / (n · n_{g,y}) and a long line of code that is never wrapped at all
"
        );
        for line in rendered.lines().filter(|l| !l.starts_with("    ")) {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
    }

    #[test]
    fn ordered_and_nested_lists_hang_under_their_marker() {
        let rendered = markdown(
            "1. first step, long enough to wrap here\n2. second\n   - nested bullet that wraps too\n",
            plain(30),
            "  ",
        );
        assert_eq!(
            rendered,
            "  1. first step, long enough
     to wrap here
  2. second
     - nested bullet that
       wraps too
"
        );
    }

    #[test]
    fn colour_marks_bold_and_code_only_on_a_terminal() {
        let styled = Style {
            color: true,
            width: 80,
        };
        assert_eq!(
            markdown("a **b** `c`", styled, ""),
            "a \x1b[1mb\x1b[0m \x1b[36m`c`\x1b[0m\n"
        );
        assert_eq!(markdown("a **b** `c`", plain(80), ""), "a b `c`\n");
    }

    #[test]
    fn plain_text_wraps_with_its_indent_and_long_words_overflow() {
        assert_eq!(
            wrap(
                "  hint: use work/supervised/a_very_long_file_name.rs here\n\nnext",
                24,
                ""
            ),
            "  hint: use\n  work/supervised/a_very_long_file_name.rs\n  here\n\nnext\n"
        );
        assert_eq!(
            wrap(
                "prose that is long enough\ngroup      n  base rate\nA        602      0.103",
                20,
                "> "
            ),
            "> prose that is long\n> enough\n> group      n  base rate\n> A        602      0.103\n"
        );
        assert_eq!(
            hanging("Then: `learnml check a/b` to grade it", 25, "", "      "),
            "Then: `learnml check a/b`\n      to grade it\n"
        );
        assert_eq!(
            hanging("x ` aaaa bbbb cccc dddd", 20, "", ""),
            "x ` aaaa bbbb cccc\ndddd\n",
            "an unpaired backtick protects nothing"
        );
    }
}
