//! Row sources (issue 3): one interface, `RowSource`, over every tabular format, so a single
//! validation engine checks them all. CSV/TSV is read in `delimited`; JSON (an array of flat
//! objects) streaming in `json`; XLSX (first or named sheet) through calamine in `xlsx`. Rows come
//! out as `csv::StringRecord`s in header order.

mod delimited;
mod json;
mod xlsx;

#[cfg(test)]
mod delimited_tests;
#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod xlsx_tests;

pub use delimited::CsvRows;
pub use json::{JsonRows, json_rows};
pub use xlsx::{XlsxRows, xlsx_rows};

use super::encoding::{DecodeError, Encoding};
use crate::diag::{Msg, Pos};
use std::fmt;
use std::io;
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// Rows of one table, whatever the file format.
///
/// After an `Err` the caller may call `next_row` again: a problem confined to one row (an unknown
/// key, a nested value, an array element that is not an object, a duplicate key, an Excel error
/// cell) consumes that row and reading goes on with the next one; after a problem that leaves the
/// rest unreadable (malformed JSON, an I/O error) the next call returns `Ok(None)`.
pub trait RowSource {
    /// Column names in file order (JSON: the keys of the first object, in order; XLSX: the first
    /// non-empty row, trimmed).
    ///
    /// JSON's header is known once the first object is read, so reading stays streaming: a later
    /// object with another key is reported (`E0424`) instead of widening the table.
    fn header(&self) -> &[String];

    /// Reads the next row into `record` (cleared first). Returns the row's 1-based position for diagnostics
    /// (XLSX: the sheet row number; JSON: the line of the object's opening brace), None at the end.
    #[allow(clippy::result_large_err)] // see `SourceError`
    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError>;

    /// Cells are canonical (numbers with '.', dates ISO 8601), not typed by a person.
    fn canonical(&self) -> bool {
        true
    }
}

/// So the caller can pick a source at run time: `Box<dyn RowSource + '_>`.
impl<S: RowSource + ?Sized> RowSource for Box<S> {
    fn header(&self) -> &[String] {
        (**self).header()
    }
    #[allow(clippy::result_large_err)] // see `SourceError`
    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError> {
        (**self).next_row(record)
    }
    fn canonical(&self) -> bool {
        (**self).canonical()
    }
}

/// A problem found while reading a source, at a 1-based line (JSON) or sheet row (XLSX) and a
/// 1-based character column (JSON) or sheet column (XLSX). `line == 0` means the whole file.
///
/// `Msg` is large (about 120 bytes), so clippy's `result_large_err` is allowed on the few public
/// functions that return this: an error ends a row at most, and a plain struct is simpler for
/// callers to match than a box.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceError {
    pub line: u64,
    pub col: u64,
    pub msg: Msg,
}

impl SourceError {
    /// The position as a diagnostic `Pos` (one character underlined; the whole file for line 0).
    pub fn pos(&self) -> Pos {
        if self.line == 0 {
            return Pos::FILE;
        }
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Pos::new(clamp(self.line), clamp(self.col.max(1)), 1)
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {} {}", self.line, self.col, self.msg.code(), self.msg.en())
    }
}

impl std::error::Error for SourceError {}

impl From<Box<SourceError>> for SourceError {
    fn from(e: Box<SourceError>) -> Self {
        *e
    }
}

/// Brings `s[start..]` to NFC in place; allocates only when that part is not already NFC.
fn nfc_tail(s: &mut String, start: usize) {
    let tail = &s[start..];
    if tail.is_ascii() || is_nfc_quick(tail.chars()) == IsNormalized::Yes {
        return;
    }
    let normal = crate::text::nfc(tail);
    s.truncate(start);
    s.push_str(&normal);
}

/// Bytes that break the encoding past the sample surface as an I/O error from the decoder.
pub(crate) fn decode_failure(e: &io::Error, encoding: Encoding) -> Msg {
    let line = 0;
    match e.get_ref().and_then(|inner| inner.downcast_ref::<DecodeError>()) {
        Some(d) => Msg::DataMalformedEncoding { encoding: d.encoding.name().to_string(), line },
        None => Msg::DataMalformedEncoding { encoding: encoding.name().to_string(), line },
    }
}
