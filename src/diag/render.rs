//! Prints diagnostics the way their readers need them: `human` (compiler style with the source
//! line and a caret), `short` (one `path:line:col:` line each, clickable in editors),
//! `json` (a stable schema for tools) and `github` (workflow annotations on a pull request).

use super::{Diagnostic, Severity};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The output formats of `odp check` / `odp build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Short,
    Json,
    Github,
}

fn label(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn location(d: &Diagnostic) -> String {
    if d.pos.line == 0 { d.path.clone() } else { format!("{}:{}:{}", d.path, d.pos.line, d.pos.col) }
}

/// One line per problem: `path:line:col: error[CODE]: vi — en`.
pub fn short(d: &Diagnostic) -> String {
    format!("{}: {}[{}]: {} — {}", location(d), label(d.severity), d.code(), d.msg.vi(), d.msg.en())
}

/// Reads one line of a file without loading the whole file (data files may be gigabytes).
fn source_line(root: &Path, path: &str, line: u32) -> Option<String> {
    let file = std::fs::File::open(root.join(path)).ok()?;
    let text = BufReader::new(file).lines().nth(line as usize - 1)?.ok()?;
    let text = text.trim_end_matches('\r').to_string();
    // Very long lines (a minified JSON file) are not worth printing.
    (text.chars().count() <= 300).then_some(text)
}

/// Compiler-style report with the offending line and a caret under the problem.
pub fn human(d: &Diagnostic, root: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}[{}]: {}", label(d.severity), d.code(), d.msg.vi());
    let _ = writeln!(out, "  --> {}", location(d));
    if d.pos.line > 0
        && d.pos.len > 0
        && let Some(text) = source_line(root, &d.path, d.pos.line)
    {
        let num = d.pos.line.to_string();
        let pad = " ".repeat(num.len());
        let caret_pad: String = text
            .chars()
            .take(d.pos.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {text}");
        let _ = writeln!(out, "{pad} | {caret_pad}{}", "^".repeat(d.pos.len.max(1) as usize));
    }
    let _ = writeln!(out, "   = en: {}", d.msg.en());
    out
}

/// GitHub Actions workflow command; newlines and `%` escaped as GitHub requires.
pub fn github(d: &Diagnostic) -> String {
    fn esc_data(s: &str) -> String {
        s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut props = format!("file={}", esc_prop(&d.path));
    if d.pos.line > 0 {
        let _ = write!(props, ",line={},col={}", d.pos.line, d.pos.col);
    }
    let _ = write!(props, ",title={}", esc_prop(&format!("odp {}", d.code())));
    format!("::{} {props}::{}", label(d.severity), esc_data(&format!("{}\n{}", d.msg.vi(), d.msg.en())))
}

/// The JSON document of `--format json` (schema version 1; documented in README.md).
#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
    pub length: u32,
    pub severity: Severity,
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

pub fn json(diags: &[Diagnostic]) -> String {
    let report = JsonReport {
        version: 1,
        errors: diags.iter().filter(|d| d.severity == Severity::Error).count(),
        warnings: diags.iter().filter(|d| d.severity == Severity::Warning).count(),
        diagnostics: diags
            .iter()
            .map(|d| JsonDiagnostic {
                path: &d.path,
                line: d.pos.line,
                column: d.pos.col,
                length: d.pos.len,
                severity: d.severity,
                code: d.code(),
                message_vi: d.msg.vi(),
                message_en: d.msg.en(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).expect("diagnostics serialize") + "\n"
}

/// The whole report in one format, as printed on stderr (human, short, github) or stdout (json).
pub fn report(diags: &[Diagnostic], format: Format, root: &Path) -> String {
    match format {
        Format::Json => json(diags),
        Format::Human => diags.iter().map(|d| human(d, root) + "\n").collect(),
        Format::Short => diags.iter().map(|d| short(d) + "\n").collect(),
        Format::Github => diags.iter().map(|d| github(d) + "\n").collect(),
    }
}

/// The closing line: counts in both languages.
pub fn summary(diags: &[Diagnostic]) -> String {
    let e = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let w = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    format!("{e} lỗi, {w} cảnh báo — {e} error(s), {w} warning(s)")
}
