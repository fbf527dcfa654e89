//! The byte level of the JSON row source: a buffered reader that knows the line and character
//! column of every byte, and reads JSON strings, numbers and literals (checked against RFC 8259)
//! and skips whole values. Memory: one 64 KiB buffer; values go into buffers the caller owns.

use super::super::SourceError;
use crate::diag::Msg;
use std::io::{self, Read};

/// Errors are boxed inside the reader, where every byte read returns a `Result`.
pub(super) type Res<T> = Result<T, Box<SourceError>>;

const BUFFER: usize = 1 << 16;

/// What may start a scalar value, for "expected" lists.
const VALUE: &[&str] = &["\"", "0-9", "-", "true", "false", "null"];
/// The escapes a JSON string may contain.
const ESCAPES: &[&str] = &["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\uXXXX"];
const HEX: &[&str] = &["0-9", "a-f", "A-F"];

/// A buffered byte reader that knows the line and character column of the next byte.
pub(super) struct Input<R> {
    pub(super) reader: R,
    pub(super) buf: Box<[u8]>,
    pos: usize,
    end: usize,
    eof: bool,
    pub(super) line: u64,
    /// Counts characters, not bytes, so a caret lands under the right Vietnamese letter.
    pub(super) col: u64,
}

impl<R: Read> Input<R> {
    pub(super) fn new(reader: R) -> Self {
        Input { reader, buf: vec![0; BUFFER].into_boxed_slice(), pos: 0, end: 0, eof: false, line: 1, col: 1 }
    }

    pub(super) fn error(&self, msg: Msg) -> Box<SourceError> {
        Box::new(SourceError { line: self.line, col: self.col, msg })
    }

    /// Reads more bytes, keeping the unconsumed ones; false at the end of the input.
    fn fill(&mut self) -> Res<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        debug_assert!(self.end < self.buf.len());
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.error(Msg::SourceUnreadable { detail: e.to_string() })),
            }
        }
    }

    /// Buffers at least `n` bytes when the input has them.
    fn want(&mut self, n: usize) -> Res<&[u8]> {
        while self.end - self.pos < n && self.fill()? {}
        Ok(&self.buf[self.pos..self.end])
    }

    fn peek(&mut self) -> Res<Option<u8>> {
        if self.pos == self.end && !self.fill()? {
            return Ok(None);
        }
        Ok(Some(self.buf[self.pos]))
    }

    /// Consumes one byte already seen by `peek`.
    pub(super) fn bump(&mut self) {
        let b = self.buf[self.pos];
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if b & 0xC0 != 0x80 {
            self.col += 1;
        }
    }

    /// A UTF-8 byte-order mark (Notepad writes one) is skipped and not counted as a column.
    pub(super) fn skip_bom(&mut self) -> Res<()> {
        if self.want(3)?.starts_with(b"\xEF\xBB\xBF") {
            self.pos += 3;
        }
        Ok(())
    }

    /// Skips JSON whitespace; returns the next byte without consuming it.
    pub(super) fn skip_ws(&mut self) -> Res<Option<u8>> {
        loop {
            while let Some(&b) = self.buf[..self.end].get(self.pos) {
                match b {
                    b' ' | b'\t' | b'\r' => self.col += 1,
                    b'\n' => {
                        self.line += 1;
                        self.col = 1;
                    }
                    _ => return Ok(Some(b)),
                }
                self.pos += 1;
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// A syntax error at the next byte: what is there, and what JSON allows there
    /// (an empty `expected` means the end of the file).
    pub(super) fn unexpected(&mut self, expected: &[&'static str]) -> Box<SourceError> {
        let found = match self.want(32) {
            Ok(_) => self.found(),
            Err(e) => return e,
        };
        self.error(Msg::JsonSyntax { found, expected: expected.iter().map(|e| (*e).into()).collect() })
    }

    /// What the next bytes look like, for messages: a word (`NaN`, `True`), a character, a
    /// control or space character as `U+000A`, a byte that is not UTF-8 as `0xFF`; None at the end.
    fn found(&self) -> Option<String> {
        let bytes = &self.buf[self.pos..self.end];
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        let Some(c) = text.chars().next() else {
            return bytes.first().map(|b| format!("0x{b:02X}"));
        };
        Some(if c.is_alphanumeric() {
            text.chars().take_while(|c| c.is_alphanumeric()).take(20).collect()
        } else if c.is_control() || c.is_whitespace() {
            format!("U+{:04X}", c as u32)
        } else {
            c.to_string()
        })
    }

    /// Reads a string, number, `true`, `false` or `null` into `out` (null adds nothing).
    /// Returns true for a string (whose text may need NFC).
    pub(super) fn read_scalar(&mut self, out: &mut String) -> Res<bool> {
        match self.peek()? {
            Some(b'"') => {
                self.bump();
                self.read_string(out)?;
                return Ok(true);
            }
            Some(b'-' | b'0'..=b'9') => self.read_number(out)?,
            Some(b't') => self.literal("true", out)?,
            Some(b'f') => self.literal("false", out)?,
            Some(b'n') => self.literal("null", &mut String::new())?,
            _ => return Err(self.unexpected(VALUE)),
        }
        Ok(false)
    }

    fn literal(&mut self, word: &'static str, out: &mut String) -> Res<()> {
        for &b in word.as_bytes() {
            if self.peek()? != Some(b) {
                return Err(self.unexpected(&[word]));
            }
            self.bump();
        }
        out.push_str(word);
        Ok(())
    }

    /// A number, kept as written after checking it against the JSON grammar.
    fn read_number(&mut self, out: &mut String) -> Res<()> {
        if self.peek()? == Some(b'-') {
            self.take(out);
        }
        match self.peek()? {
            Some(b'0') => self.take(out),
            Some(b'1'..=b'9') => self.digits(out)?,
            _ => return Err(self.unexpected(&["0-9"])),
        }
        if self.peek()? == Some(b'.') {
            self.take(out);
            self.required_digits(out)?;
        }
        if let Some(b'e' | b'E') = self.peek()? {
            self.take(out);
            if let Some(b'+' | b'-') = self.peek()? {
                self.take(out);
            }
            self.required_digits(out)?;
        }
        Ok(())
    }

    /// Moves one ASCII byte already seen by `peek` into `out`.
    fn take(&mut self, out: &mut String) {
        out.push(self.buf[self.pos] as char);
        self.bump();
    }

    fn required_digits(&mut self, out: &mut String) -> Res<()> {
        match self.peek()? {
            Some(b'0'..=b'9') => self.digits(out),
            _ => Err(self.unexpected(&["0-9"])),
        }
    }

    fn digits(&mut self, out: &mut String) -> Res<()> {
        while let Some(b'0'..=b'9') = self.peek()? {
            self.take(out);
        }
        Ok(())
    }

    /// Reads a string's text after its opening quote, decoding escapes.
    pub(super) fn read_string(&mut self, out: &mut String) -> Res<()> {
        loop {
            if self.pos == self.end && !self.fill()? {
                return Err(self.unexpected(&["\""]));
            }
            let chunk = &self.buf[self.pos..self.end];
            let run = chunk.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(chunk.len());
            if run > 0 {
                let (text, cut) = match std::str::from_utf8(&chunk[..run]) {
                    Ok(s) => (s, false),
                    Err(e) => {
                        // A character cut by the end of the buffer is completed by the next fill.
                        let cut = e.error_len().is_none() && run == chunk.len();
                        (std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or_default(), cut)
                    }
                };
                out.push_str(text);
                self.pos += text.len();
                self.col += text.chars().count() as u64;
                if text.len() < run && !(cut && self.fill()?) {
                    let found = Some(format!("0x{:02X}", self.buf[self.pos]));
                    return Err(self.error(Msg::JsonSyntax { found, expected: vec!["UTF-8".into()] }));
                }
                continue;
            }
            match chunk[0] {
                b'"' => {
                    self.bump();
                    return Ok(());
                }
                b'\\' => self.read_escape(out)?,
                b'\n' => return Err(self.unexpected(&["\"", "\\n"])),
                b'\r' => return Err(self.unexpected(&["\"", "\\r"])),
                b'\t' => return Err(self.unexpected(&["\"", "\\t"])),
                _ => return Err(self.unexpected(&["\"", "\\uXXXX"])),
            }
        }
    }

    /// Decodes one escape; the next byte is its backslash.
    fn read_escape(&mut self, out: &mut String) -> Res<()> {
        let (line, col) = (self.line, self.col);
        let error = |found: String, expected: &'static str| {
            Box::new(SourceError {
                line,
                col,
                msg: Msg::JsonSyntax { found: Some(found), expected: vec![expected.into()] },
            })
        };
        self.bump();
        let c = match self.peek()? {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                let high = self.hex4()?;
                let c = match high {
                    0xD800..=0xDBFF => {
                        // A character beyond U+FFFF: a surrogate pair `\uD83D\uDE00`.
                        let lone = error(format!("\\u{high:04X}"), "\\uDC00-\\uDFFF");
                        if self.want(2)?.starts_with(b"\\u") {
                            self.bump();
                            self.bump();
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return Err(lone);
                            }
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                        } else {
                            return Err(lone);
                        }
                    }
                    0xDC00..=0xDFFF => return Err(error(format!("\\u{high:04X}"), "\\uD800-\\uDBFF")),
                    _ => char::from_u32(high),
                };
                out.extend(c);
                return Ok(());
            }
            _ => {
                self.want(32)?;
                let found = self.found().map_or_else(|| "\\".to_string(), |f| format!("\\{f}"));
                let msg =
                    Msg::JsonSyntax { found: Some(found), expected: ESCAPES.iter().map(|e| (*e).into()).collect() };
                return Err(Box::new(SourceError { line, col, msg }));
            }
        };
        self.bump();
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Res<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self.peek()?.and_then(|b| (b as char).to_digit(16));
            let Some(d) = digit else { return Err(self.unexpected(HEX)) };
            n = n * 16 + d;
            self.bump();
        }
        Ok(n)
    }

    /// Reads and checks any JSON value (nested ones included) without keeping it. Depth costs
    /// one byte of stack per level, on the heap.
    pub(super) fn skip_value(&mut self, scratch: &mut String) -> Res<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value.
            match self.skip_ws()? {
                Some(b @ (b'{' | b'[')) => {
                    self.bump();
                    let close = if b == b'{' { b'}' } else { b']' };
                    if self.skip_ws()? == Some(close) {
                        self.bump();
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.member_key(scratch)?;
                        }
                        continue;
                    }
                }
                _ => {
                    scratch.clear();
                    self.read_scalar(scratch)?;
                }
            }
            // What follows it: close containers until a `,` starts the next value.
            loop {
                let Some(&close) = open.last() else { return Ok(()) };
                match self.skip_ws()? {
                    Some(b',') => {
                        self.bump();
                        if close == b'}' {
                            self.member_key(scratch)?;
                        }
                        break;
                    }
                    Some(b) if b == close => {
                        self.bump();
                        open.pop();
                    }
                    _ => return Err(self.unexpected(if close == b'}' { &[",", "}"] } else { &[",", "]"] })),
                }
            }
        }
    }

    /// `"key" :` of an object member inside a skipped value.
    fn member_key(&mut self, scratch: &mut String) -> Res<()> {
        if self.skip_ws()? != Some(b'"') {
            return Err(self.unexpected(&["\""]));
        }
        self.bump();
        scratch.clear();
        self.read_string(scratch)?;
        if self.skip_ws()? != Some(b':') {
            return Err(self.unexpected(&[":"]));
        }
        self.bump();
        Ok(())
    }
}
