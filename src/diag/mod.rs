//! Problems found in the user's input, as values: every stage pushes `Diagnostic`s into a
//! `Diagnostics` sink and keeps going, so an agency sees every problem in one run.
//! Environment failures (I/O on the output, a template engine crash) are `anyhow` errors instead.

pub mod messages;
pub mod render;

pub use messages::Msg;

use serde::Serialize;

/// How bad a problem is. Errors block `odp build`; warnings are shown and do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based position in a source file. `line == 0` means the whole file.
/// `len` is the number of characters to underline (at least 1 when a line is known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, serde::Deserialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Pos {
    /// The whole file, no particular line.
    pub const FILE: Pos = Pos { line: 0, col: 0, len: 0 };

    pub fn new(line: u32, col: u32, len: u32) -> Pos {
        Pos { line, col, len }
    }
}

/// One problem at one place, with its text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Repository-relative path with `/` separators, as agencies see it in their pull request.
    pub path: String,
    pub pos: Pos,
    pub severity: Severity,
    pub msg: Msg,
}

impl Diagnostic {
    pub fn code(&self) -> &'static str {
        self.msg.code()
    }
}

/// The sink every stage writes problems into.
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem; its severity comes from the message kind.
    pub fn push(&mut self, path: impl Into<String>, pos: Pos, msg: Msg) {
        let severity = msg.severity();
        self.items.push(Diagnostic { path: path.into(), pos, severity, msg });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Problems in a stable order (path, then position, then code), so output is reproducible
    /// whatever order parallel stages finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| (&a.path, a.pos, a.code(), a.severity).cmp(&(&b.path, b.pos, b.code(), b.severity)));
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Maps byte offsets of one text file to 1-based line and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// Position of a byte range; columns and lengths count characters, not bytes, so the
    /// caret sits under the right Vietnamese letter.
    pub fn pos(&self, text: &str, range: std::ops::Range<usize>) -> Pos {
        let start = range.start.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= start);
        let line_start = self.line_starts[line - 1];
        let col = text.get(line_start..start).map_or(0, |s| s.chars().count()) + 1;
        let end = range.end.clamp(start, text.len());
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let len = text.get(start..end.min(line_end)).map_or(0, |s| s.chars().count()).max(1);
        Pos::new(line as u32, col as u32, len as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title = \"Hà Nội\"\nfoo = 1\n";
        let idx = LineIndex::new(text);
        let foo = text.find("foo").unwrap();
        assert_eq!(idx.pos(text, foo..foo + 3), Pos::new(2, 1, 3));
        let noi = text.find("Nội").unwrap();
        assert_eq!(idx.pos(text, noi..noi + "Nội".len()), Pos::new(1, 13, 3));
    }
}
