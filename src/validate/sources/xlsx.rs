//! The XLSX row source: the first visible worksheet, or a named one, read with calamine.
//!
//! Memory: calamine loads the whole sheet (`Range<Data>`, about 32 bytes per cell plus the
//! strings) before the first row is returned. That is bounded by Excel's own limit of 1,048,576
//! rows × 16,384 columns and, for the sheets agencies publish, a few hundred MB at worst; an
//! accepted cost, unlike JSON, which has no such limit and is streamed. The workbook itself (the
//! shared-string table, styles) is dropped once the sheet is loaded. XLSX needs `Seek` (it is a
//! zip file), so it is read from its path, separately from the hashing pass over its bytes.
//!
//! Cells become text the way they would in a canonical CSV: strings as typed (NFC), numbers
//! without a fractional part as integers (`8587100`, never `8587100.0`), other numbers in the
//! shortest text that reads back to the same `f64`, booleans as `true`/`false`, dates as ISO 8601
//! (`2024-01-15`, `2024-01-15T08:30:00`, a time of day alone as `08:30:00`, a duration as
//! `PT36H30M0S`). An error cell (`#N/A`, `#DIV/0!`…) is reported with its reference.

use super::{RowSource, SourceError, nfc_tail};
use crate::diag::Msg;
use calamine::{Data, Range, Reader, SheetType, SheetVisible, Xlsx, open_workbook};
use std::fmt::Write;
use std::path::Path;

/// Rows of one worksheet; see `xlsx_rows`.
pub struct XlsxRows {
    sheet: String,
    range: Range<Data>,
    header: Vec<String>,
    /// The next row of `range` to read, relative to its first row.
    next: usize,
    /// Absolute (0-based) sheet row and column of the range's first cell.
    origin: (u32, u32),
    /// The current cell's text when it has to be built.
    cell: String,
}

/// Opens a workbook and loads one sheet: `sheet` by name (compared in NFC), else the first
/// visible worksheet. The header is the first non-empty row, its cells trimmed; fully empty rows
/// are skipped like the blank lines of a CSV. Errors: unreadable file (E0428), unknown sheet,
/// listing the sheets (E0426), an empty sheet (E0403), an error cell in the header (E0427).
#[allow(clippy::result_large_err)] // see `SourceError`
pub fn xlsx_rows(path: &Path, sheet: Option<&str>) -> Result<XlsxRows, SourceError> {
    let unreadable = |detail: String| SourceError { line: 0, col: 0, msg: Msg::SourceUnreadable { detail } };
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let worksheets: Vec<&calamine::Sheet> =
        book.sheets_metadata().iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let name = match sheet {
        Some(wanted) => {
            let wanted = crate::text::nfc(wanted);
            match worksheets.iter().find(|s| crate::text::nfc(&s.name) == wanted) {
                Some(s) => s.name.clone(),
                None => {
                    let sheets = worksheets.iter().map(|s| s.name.clone()).collect();
                    return Err(SourceError { line: 0, col: 0, msg: Msg::SheetNotFound { sheet: wanted, sheets } });
                }
            }
        }
        None => match worksheets.iter().find(|s| s.visible == SheetVisible::Visible).or(worksheets.first()) {
            Some(s) => s.name.clone(),
            None => return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile }),
        },
    };
    let range = book.worksheet_range(&name).map_err(|e| unreadable(e.to_string()))?;
    drop(book);
    let Some(origin) = range.start() else {
        return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile });
    };
    let mut rows = XlsxRows { sheet: name, range, header: Vec::new(), next: 0, origin, cell: String::new() };
    let mut record = csv::StringRecord::new();
    if rows.next_row(&mut record)?.is_none() {
        return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile });
    }
    let mut header: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    while header.last().is_some_and(|h| h.is_empty()) {
        header.pop();
    }
    rows.header = header;
    Ok(rows)
}

impl XlsxRows {
    /// The name of the sheet being read.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }
}

impl RowSource for XlsxRows {
    fn header(&self) -> &[String] {
        &self.header
    }

    /// A row holds the header's width, or more when it has cells past the header's last column
    /// (so the engine can report the extra cells as it does for CSV).
    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError> {
        record.clear();
        let width = self.range.width();
        while self.next < self.range.height() {
            let r = self.next;
            self.next += 1;
            let filled = |c: &usize| match self.range.get((r, *c)) {
                None | Some(Data::Empty) => false,
                Some(Data::String(s)) => !s.is_empty(),
                Some(_) => true,
            };
            let Some(last) = (0..width).rev().find(filled) else { continue };
            let row = u64::from(self.origin.0) + r as u64 + 1;
            for c in 0..(last + 1).max(self.header.len()) {
                let data = self.range.get((r, c)).unwrap_or(&Data::Empty);
                match cell_text(data, &mut self.cell) {
                    Ok(text) => record.push_field(text),
                    Err(error) => {
                        record.clear();
                        let col = self.origin.1 + c as u32;
                        let cell = format!("{}{row}", column_name(col));
                        let msg = Msg::XlsxCellError { sheet: self.sheet.clone(), cell, error: error.to_string() };
                        return Err(SourceError { line: row, col: u64::from(col) + 1, msg });
                    }
                }
            }
            return Ok(Some(row));
        }
        Ok(None)
    }
}

/// The canonical text of a cell; built in `buf` unless the cell holds it already.
fn cell_text<'a>(data: &'a Data, buf: &'a mut String) -> Result<&'a str, calamine::CellErrorType> {
    buf.clear();
    match data {
        Data::Empty => return Ok(""),
        Data::String(s) => {
            if s.is_ascii() || unicode_normalization::is_nfc(s) {
                return Ok(s);
            }
            buf.push_str(s);
            nfc_tail(buf, 0);
        }
        Data::Int(i) => write!(buf, "{i}").unwrap_or_default(),
        Data::Float(f) => number(*f, buf),
        Data::Bool(b) => return Ok(if *b { "true" } else { "false" }),
        Data::DateTime(dt) if dt.is_duration() => {
            let seconds = (dt.as_f64() * 86_400.0).round() as i64;
            let sign = if seconds < 0 { "-" } else { "" };
            let s = seconds.unsigned_abs();
            write!(buf, "{sign}PT{}H{}M{}S", s / 3600, s / 60 % 60, s % 60).unwrap_or_default();
        }
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            // A serial below 1 is a time of day with no date (Excel shows it as 00/01/1900).
            let date = dt.as_f64() >= 1.0;
            let time = !date || (h, mi, s, ms) != (0, 0, 0, 0);
            if date {
                write!(buf, "{y:04}-{mo:02}-{d:02}").unwrap_or_default();
            }
            if date && time {
                buf.push('T');
            }
            if time {
                write!(buf, "{h:02}:{mi:02}:{s:02}").unwrap_or_default();
            }
            if time && ms != 0 {
                write!(buf, ".{ms:03}").unwrap_or_default();
            }
        }
        Data::DateTimeIso(s) => {
            let midnight = ["T00:00:00", "T00:00:00Z", "T00:00:00.000", "T00:00:00.000Z", "T00:00"];
            return Ok(midnight.iter().find_map(|m| s.strip_suffix(m)).unwrap_or(s));
        }
        Data::DurationIso(s) => return Ok(s),
        Data::Error(e) => return Err(e.clone()),
    }
    Ok(buf)
}

/// Integers without `.0` (exact below 2^53, where every integer is an `f64`); other numbers in
/// the shortest text that reads back to the same value (Rust's `Display` for `f64`).
fn number(f: f64, buf: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if f.fract() == 0.0 && f.abs() < EXACT {
        write!(buf, "{}", f as i64).unwrap_or_default();
    } else {
        write!(buf, "{f}").unwrap_or_default();
    }
}

/// `A`, `B`… `Z`, `AA`… for a 0-based column.
fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        n -= 1;
        name.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn numbers_are_integers_when_whole() {
        let text = |f: f64| {
            let mut s = String::new();
            number(f, &mut s);
            s
        };
        assert_eq!(text(8_587_100.0), "8587100");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(-42.0), "-42");
        assert_eq!(text(1234.5), "1234.5");
        assert_eq!(text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(text(9_007_199_254_740_991.0), "9007199254740991");
        assert_eq!(text(1e20), "100000000000000000000");
        assert_eq!(text(1.5e-7), "0.00000015");
    }
}
