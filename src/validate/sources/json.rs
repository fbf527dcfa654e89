//! The JSON row source: a streaming reader of one JSON array of flat objects
//! (`[{"ma_tinh":"01","dan_so":8587100}, …]`), one object per row.
//!
//! A small hand-written tokenizer rather than serde_json: serde hands numbers to a visitor as
//! `u64`/`i64`/`f64`, so `1.50` would come back as `1.5` and integers above 2^64 as floats unless
//! serde_json's crate-wide `arbitrary_precision` feature were turned on (which changes
//! `serde_json::Value` for every other module). Here a number's text is kept exactly as written,
//! every position is a real line:column, and memory is bounded whatever the file size: a 64 KiB
//! input buffer plus the text of the current row, reused from row to row (no allocation per row
//! once the buffers have grown to the widest row).

mod input;

use super::{RowSource, SourceError, nfc_tail};
use crate::diag::Msg;
use input::{Input, Res};
use std::collections::HashMap;
use std::io::Read;

/// Rows of a JSON array of flat objects; see `json_rows`.
pub struct JsonRows<R> {
    input: Input<R>,
    header: Vec<String>,
    columns: HashMap<String, usize>,
    /// The current row's cell texts, back to back; `spans` index them by column.
    values: String,
    spans: Vec<Option<(usize, usize)>>,
    key: String,
    /// Text of values that are read only to be skipped.
    scratch: String,
    /// Array elements read so far.
    elements: u64,
    /// The first row, read by `json_rows` to learn the header.
    first: Option<Step>,
    done: bool,
}

enum Step {
    Row(u64),
    Skipped(Box<SourceError>),
    End,
}

/// Opens a JSON array of flat objects. The header is the keys of the first object, in order;
/// reading it is the only work done here, so a multi-gigabyte file costs nothing more up front.
///
/// Cells: strings as written (NFC), numbers as their JSON text (`8587100`, `1.50`, `-2e3`),
/// `true`/`false`, `null` and missing keys as empty cells. Errors here concern the whole file:
/// empty (E0403), not an array (E0420), first element not an object (E0421), malformed JSON
/// (E0422), unreadable (E0428).
#[allow(clippy::result_large_err)] // see `SourceError`
pub fn json_rows<R: Read>(reader: R) -> Result<JsonRows<R>, SourceError> {
    let mut rows = JsonRows {
        input: Input::new(reader),
        header: Vec::new(),
        columns: HashMap::new(),
        values: String::new(),
        spans: Vec::new(),
        key: String::new(),
        scratch: String::new(),
        elements: 0,
        first: None,
        done: false,
    };
    let input = &mut rows.input;
    input.skip_bom()?;
    match input.skip_ws()? {
        None => return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile }),
        Some(b'[') => input.bump(),
        Some(_) => return Err(*input.error(Msg::JsonNotArray)),
    }
    match input.skip_ws()? {
        Some(b']') => return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile }),
        None => return Err(*input.unexpected(&["{", "]"])),
        Some(_) => {}
    }
    // Without a first object there is no header to read the other rows against.
    let first = match rows.element(true)? {
        Step::Skipped(e) if matches!(e.msg, Msg::JsonRowNotObject { .. }) => return Err(*e),
        step => step,
    };
    if rows.header.is_empty() {
        return Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile });
    }
    rows.first = Some(first);
    Ok(rows)
}

impl<R: Read> RowSource for JsonRows<R> {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError> {
        record.clear();
        let step = match self.first.take() {
            Some(step) => step,
            None if self.done => return Ok(None),
            None => self.advance().inspect_err(|_| self.done = true)?,
        };
        match step {
            Step::Row(line) => {
                for span in &self.spans {
                    record.push_field(span.map_or("", |(start, end)| &self.values[start..end]));
                }
                Ok(Some(line))
            }
            Step::Skipped(e) => Err(*e),
            Step::End => Ok(None),
        }
    }
}

impl<R: Read> JsonRows<R> {
    /// The underlying reader, e.g. to finish hashing the file. Bytes already buffered were
    /// read from it; nothing is pushed back.
    pub fn into_inner(self) -> R {
        self.input.reader
    }

    /// The underlying reader, e.g. to see how many bytes a counting reader has passed on.
    pub fn get_ref(&self) -> &R {
        &self.input.reader
    }

    /// Bytes held by the reader's buffers (for the bounded-memory test).
    #[cfg(test)]
    pub(super) fn buffered_capacity(&self) -> usize {
        self.input.buf.len() + self.values.capacity() + self.key.capacity() + self.scratch.capacity()
    }

    /// Moves past the `,` or `]` after an element and reads the next element.
    fn advance(&mut self) -> Res<Step> {
        match self.input.skip_ws()? {
            Some(b',') => self.input.bump(),
            Some(b']') => {
                self.input.bump();
                self.done = true;
                if self.input.skip_ws()?.is_some() {
                    return Err(self.input.unexpected(&[]));
                }
                return Ok(Step::End);
            }
            _ => return Err(self.input.unexpected(&[",", "]"])),
        }
        match self.input.skip_ws()? {
            Some(b']') | None => Err(self.input.unexpected(&["{"])),
            Some(_) => self.element(false),
        }
    }

    /// Reads one array element: an object is a row, anything else is skipped and reported.
    fn element(&mut self, define_header: bool) -> Res<Step> {
        let next = self.input.skip_ws()?;
        let (line, col) = (self.input.line, self.input.col);
        self.elements += 1;
        match next {
            Some(b'{') => {
                self.input.bump();
                Ok(match self.read_object(define_header)? {
                    None => Step::Row(line),
                    Some(problem) => Step::Skipped(problem),
                })
            }
            Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                self.input.skip_value(&mut self.scratch)?;
                let msg = Msg::JsonRowNotObject { index: self.elements };
                Ok(Step::Skipped(Box::new(SourceError { line, col, msg })))
            }
            _ => Err(self.input.unexpected(&["{"])),
        }
    }

    /// Reads an object's members after its `{`, filling `values`/`spans` in header order.
    /// `Err` when the JSON is malformed; `Ok(Some(problem))` for the first problem confined to
    /// this row (the object is still read to its end, so reading can go on).
    fn read_object(&mut self, define_header: bool) -> Res<Option<Box<SourceError>>> {
        self.values.clear();
        self.spans.clear();
        self.spans.resize(self.header.len(), None);
        let mut problem = None;
        let mut next = self.input.skip_ws()?;
        if next == Some(b'}') {
            self.input.bump();
            return Ok(None);
        }
        loop {
            if next != Some(b'"') {
                return Err(self.input.unexpected(&["\""]));
            }
            let (line, col) = (self.input.line, self.input.col);
            self.input.bump();
            self.key.clear();
            self.input.read_string(&mut self.key)?;
            nfc_tail(&mut self.key, 0);
            if self.input.skip_ws()? != Some(b':') {
                return Err(self.input.unexpected(&[":"]));
            }
            self.input.bump();
            let mut note = |msg| {
                problem.get_or_insert(Box::new(SourceError { line, col, msg }));
            };
            let column = match self.columns.get(self.key.as_str()).copied() {
                Some(i) if self.spans[i].is_some() => {
                    note(Msg::JsonDuplicateKey { key: self.key.clone() });
                    None
                }
                Some(i) => Some(i),
                None if define_header => {
                    self.columns.insert(self.key.clone(), self.header.len());
                    self.header.push(self.key.clone());
                    self.spans.push(None);
                    Some(self.header.len() - 1)
                }
                None => {
                    note(Msg::JsonUnknownKey { key: self.key.clone(), columns: self.header.clone() });
                    None
                }
            };
            let start = self.values.len();
            match (self.input.skip_ws()?, column) {
                (Some(b'{' | b'['), _) => {
                    let msg = Msg::JsonNestedValue { key: self.key.clone() };
                    problem.get_or_insert(self.input.error(msg));
                    self.input.skip_value(&mut self.scratch)?;
                }
                (_, Some(_)) => {
                    if self.input.read_scalar(&mut self.values)? {
                        nfc_tail(&mut self.values, start);
                    }
                }
                (_, None) => {
                    self.scratch.clear();
                    self.input.read_scalar(&mut self.scratch)?;
                }
            }
            if let Some(i) = column {
                self.spans[i] = Some((start, self.values.len()));
            }
            match self.input.skip_ws()? {
                Some(b',') => {
                    self.input.bump();
                    next = self.input.skip_ws()?;
                }
                Some(b'}') => {
                    self.input.bump();
                    return Ok(problem);
                }
                _ => return Err(self.input.unexpected(&[",", "}"])),
            }
        }
    }
}
