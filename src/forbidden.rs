//! What a learner's file may not contain, checked on its tokens before it is compiled: the
//! ways Rust code reaches past its own text at compile time (other files, the environment,
//! the graders' crate) or past safe Rust (`unsafe`, foreign code, assembly). Everything else
//! is left to the compiler (`#[deny(unsafe_code)]` on the learner's module repeats the
//! `unsafe` rule) and, at run time, to the harness's confinement.
//!
//! Tokens, not text: comments and string literals may say anything. Names are compared
//! after removing the raw-identifier prefix `r#`. No macro of the course's crates builds an
//! identifier from pieces, so a forbidden name cannot be spelt any other way.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};

/// One forbidden construct, with its place in the file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub what: String,
}

/// The outcome of reading a file's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screened {
    Clean,
    Forbidden(Vec<Finding>),
    /// Not valid Rust tokens (unbalanced brackets, an unterminated string...): the compiler
    /// will say what is wrong, and a file it accepts anyway is refused.
    Unreadable(String),
}

/// Macros that read other files or the environment while compiling, or emit assembly. The
/// names that are no ordinary word are refused even without `!` (a macro could be handed
/// the name and call it); `include` and `env` are refused when called, and a macro may not
/// call a macro it was handed (`$name!`).
const FORBIDDEN_MACROS: &[(&str, &str)] = &[
    ("include", "reads another file while compiling"),
    ("include_str", "reads another file while compiling"),
    ("include_bytes", "reads another file while compiling"),
    ("env", "reads the environment while compiling"),
    ("option_env", "reads the environment while compiling"),
    ("asm", "is assembly, outside safe Rust"),
    ("global_asm", "is assembly, outside safe Rust"),
    ("naked_asm", "is assembly, outside safe Rust"),
];

/// Of [`FORBIDDEN_MACROS`], those too common as ordinary names to refuse without `!`.
const ORDINARY_WORDS: &[&str] = &["include", "env", "asm"];

pub fn screen(source: &str) -> Screened {
    let tokens: TokenStream = match source.parse() {
        Ok(tokens) => tokens,
        Err(error) => {
            let at = error.span().start();
            return Screened::Unreadable(format!("{error} (line {})", at.line));
        }
    };
    let mut findings = Vec::new();
    walk(tokens, false, &mut findings);
    findings.sort_by_key(|f| (f.line, f.column));
    if findings.is_empty() {
        Screened::Clean
    } else {
        Screened::Forbidden(findings)
    }
}

fn name(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_string).unwrap_or(text)
}

fn finding(span: Span, what: String) -> Finding {
    let at = span.start();
    Finding {
        line: at.line,
        column: at.column + 1,
        what,
    }
}

/// Look at every token, descending into groups; `in_attribute` is set inside `#[...]`.
fn walk(tokens: TokenStream, in_attribute: bool, findings: &mut Vec<Finding>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        let after = tokens.get(i + 2);
        match token {
            TokenTree::Group(group) => {
                let attribute = group.delimiter() == Delimiter::Bracket
                    && i > 0
                    && is_punct(&tokens[i - 1], '#')
                    || group.delimiter() == Delimiter::Bracket
                        && i > 1
                        && is_punct(&tokens[i - 1], '!')
                        && is_punct(&tokens[i - 2], '#');
                walk(group.stream(), in_attribute || attribute, findings);
            }
            TokenTree::Ident(ident) => {
                let name = name(ident);
                let bang = next.is_some_and(|t| is_punct(t, '!'));
                if let Some((_, why)) = FORBIDDEN_MACROS.iter().find(|(m, _)| *m == name)
                    && (bang || !ORDINARY_WORDS.contains(&name.as_str()))
                {
                    findings.push(finding(ident.span(), format!("`{name}!` {why}")));
                }
                if bang && i > 0 && is_punct(&tokens[i - 1], '$') {
                    findings.push(finding(
                        ident.span(),
                        format!("`${name}!` calls a macro handed to a macro: write the call out"),
                    ));
                }
                match name.as_str() {
                    "unsafe" => findings.push(finding(
                        ident.span(),
                        "`unsafe` code: exercise files are safe Rust only".into(),
                    )),
                    "extern" => findings.push(finding(
                        ident.span(),
                        "`extern` (another crate or foreign code): use the crates the course provides with `use`".into(),
                    )),
                    "learnml_grader" => findings.push(finding(
                        ident.span(),
                        "`learnml_grader` is the graders' crate: an exercise file may use `learnml_kit`, not the grader's tools".into(),
                    )),
                    "path" if in_attribute => findings.push(finding(
                        ident.span(),
                        "`#[path]` loads another file: keep all your code in this file".into(),
                    )),
                    // `mod name;` loads `name.rs` from beside the file; `mod name { ... }` is
                    // fine.
                    "mod" if matches!(next, Some(TokenTree::Ident(_)))
                        && after.is_some_and(|t| is_punct(t, ';')) =>
                    {
                        findings.push(finding(
                            ident.span(),
                            "`mod name;` loads another file: write the module inline (`mod name { ... }`)".into(),
                        ))
                    }
                    _ => {}
                }
            }
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// The findings as compiler-style errors pointing into `file`.
pub fn describe(file: &str, findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "error: {}\n --> {file}:{}:{}\n  = learnml refuses this before compiling: an exercise file may only compute with what the grader hands it",
                f.what, f.line, f.column
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(source: &str) -> Vec<(usize, String)> {
        match screen(source) {
            Screened::Forbidden(findings) => findings
                .into_iter()
                .map(|f| (f.line, f.what.split(' ').next().unwrap().to_string()))
                .collect(),
            Screened::Clean => Vec::new(),
            Screened::Unreadable(e) => panic!("unreadable: {e}"),
        }
    }

    #[test]
    fn compile_time_reads_are_found_wherever_they_hide() {
        let source = r##"
            const A: &str = include_str!("../../graders/x.rs");
            const B: &[u8] = std::include_bytes!("/etc/passwd");
            include!("x.rs");
            const C: Option<&str> = option_env!("HOME");
            const D: &str = env!("CARGO_MANIFEST_DIR");
            #[doc = r#include_str!("secret")]
            fn f() {}
            macro_rules! sneak { ($m:ident) => { $m!("x") } }
            const E: &str = sneak!(include_str);
        "##;
        let lines: Vec<usize> = whats(source).iter().map(|(l, _)| *l).collect();
        // Line 9 calls a macro it is handed; line 10 hands it `include_str`.
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 9, 10]);
        assert_eq!(
            whats("macro_rules! m { ($e:ident) => { $e!(\"x\") } } const E: &str = m!(env);"),
            vec![(1, "`$e!`".to_string())]
        );
    }

    #[test]
    fn unsafe_foreign_code_other_files_and_the_graders_crate_are_found() {
        let source = r#"
            #[path = "../../graders/foundations/vectors.rs"]
            mod stolen;
            mod helper;
            mod inline { pub fn f() {} }
            unsafe fn g() {}
            extern "C" { fn puts(); }
            extern crate learnml_grader as g2;
            use learnml_grader::harness;
            #[cfg_attr(all(), path = "x.rs")]
            mod other {}
            core::arch::global_asm!("");
        "#;
        let found: Vec<(usize, String)> = whats(source);
        assert_eq!(
            found,
            vec![
                (2, "`#[path]`".into()),
                (3, "`mod".into()),
                (4, "`mod".into()),
                (6, "`unsafe`".into()),
                (7, "`extern`".into()),
                (8, "`extern`".into()),
                (8, "`learnml_grader`".into()),
                (9, "`learnml_grader`".into()),
                (10, "`#[path]`".into()),
                (12, "`global_asm!`".into()),
            ]
        );
    }

    #[test]
    fn ordinary_code_comments_and_strings_pass() {
        let source = r#"
            //! Uses learnml_kit::split. include_str!("x") in a comment is fine.
            use learnml_kit::split::rng;
            use ndarray::Array1;
            /// unsafe, extern, learnml_grader, #[path] in docs are words.
            pub fn f(path: &str, env: u32) -> String {
                let include = "include_str!(\"/etc/passwd\")";
                let r#unsafe_name = 1;
                format!("{path}{env}{include}{}", r#unsafe_name)
            }
            mod inline { pub fn g() {} }
            fn h() -> Array1<f64> { let _ = rng(0); Array1::zeros(3) }
        "#;
        assert_eq!(screen(source), Screened::Clean);
    }

    #[test]
    fn a_file_that_is_not_tokens_is_unreadable() {
        assert!(matches!(screen("fn f() { \"open"), Screened::Unreadable(_)));
    }
}
