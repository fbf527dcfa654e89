//! The CSV/TSV row source: cells as people typed them, read with `csv_core`'s state machine.
//!
//! Not `csv::Reader`: each one builds `csv_core`'s DFA anew (about 13 µs), and every table is
//! opened twice per build (checked by `table::analyse`, then read again by the format copies),
//! which made the DFA build 3% of a 5,000-dataset build's CPU. Here a finished file's parser is
//! reset and kept for the next file with the same separator on that thread. (Not cloned from one
//! built parser: csv-core 0.1.13's `Clone` for its DFA copies the transition table only, and a
//! clone ends a record at every byte; `the_spare_parsers_start_every_file_fresh` and
//! `reads_what_the_csv_crate_read` would catch a change to cloning.) The dialect is
//! `csv`'s default, which this replaces: `"` quotes, `""` inside quotes, `\n`, `\r\n` or `\r`
//! ends a record, rows may differ in length.

use super::{RowSource, SourceError, decode_failure};
use crate::diag::Msg;
use crate::validate::encoding::Encoding;
use csv_core::ReadRecordResult;
use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read};

/// Rows of a CSV or TSV file already decoded to UTF-8; see [`CsvRows::new`].
pub struct CsvRows<R: Read> {
    input: BufReader<R>,
    parser: csv_core::Reader,
    delimiter: u8,
    /// The current record's field bytes, back to back, and where each field ends.
    bytes: Vec<u8>,
    ends: Vec<usize>,
    header: Vec<String>,
    done: bool,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header (the first record, names trimmed). An empty file is `Msg::EmptyDataFile`;
    /// a first line that is not UTF-8 or cannot be read is reported at 1:1.
    #[allow(clippy::result_large_err)] // see `SourceError`
    pub fn new(reader: R, delimiter: u8) -> Result<Self, SourceError> {
        let mut rows = CsvRows {
            input: BufReader::with_capacity(8 * 1024, reader),
            parser: take_parser(delimiter),
            delimiter,
            bytes: vec![0; 1024],
            ends: vec![0; 32],
            header: Vec::new(),
            done: false,
        };
        let mut record = csv::StringRecord::new();
        match rows.read_record(&mut record) {
            Ok(Some(_)) => {
                rows.header = record.iter().map(|h| h.trim().to_string()).collect();
                Ok(rows)
            }
            Ok(None) => Err(SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile }),
            Err(e) => Err(SourceError { line: 1, col: 1, ..e }),
        }
    }

    /// The next record into `record`, with the line it starts on; `None` at the end of the input.
    /// A blank line is a record of one empty field, as in `csv`.
    #[allow(clippy::result_large_err)] // see `SourceError`
    fn read_record(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError> {
        record.clear();
        let line = self.parser.line();
        let (mut used, mut fields) = (0, 0);
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                // The decoder reports bytes that are not valid in the file's encoding as an I/O
                // error; the whole file is named, as `csv` gave no position for it.
                Err(e) => return Err(SourceError { line: 0, col: 1, msg: decode_failure(&e, Encoding::Utf8) }),
            };
            let (result, read, written, ended) =
                self.parser.read_record(input, &mut self.bytes[used..], &mut self.ends[fields..]);
            self.input.consume(read);
            used += written;
            fields += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Ok(None),
            }
        }
        // Separators and quotes are ASCII, so field boundaries are character boundaries.
        let text = std::str::from_utf8(&self.bytes[..used]).map_err(|_| SourceError {
            line,
            col: 1,
            msg: Msg::DataNotUtf8,
        })?;
        let mut start = 0;
        for &end in &self.ends[..fields] {
            record.push_field(&text[start..end]);
            start = end;
        }
        Ok(Some(line))
    }
}

impl<R: Read> RowSource for CsvRows<R> {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, SourceError> {
        while !self.done {
            match self.read_record(record) {
                Ok(None) => self.done = true,
                // A blank line (at the end of a file, typically) is not a row.
                Ok(Some(_)) if record.len() == 1 && record[0].is_empty() => {}
                Ok(Some(line)) => return Ok(Some(line)),
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
        Ok(None)
    }

    fn canonical(&self) -> bool {
        false
    }
}

impl<R: Read> Drop for CsvRows<R> {
    fn drop(&mut self) {
        let mut parser = std::mem::take(&mut self.parser);
        parser.reset();
        // `try_with`: a reader dropped while its thread is being torn down just lets it go.
        let _ = SPARE_PARSERS.try_with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.len() < SPARE_PARSERS_KEPT {
                spare.push((self.delimiter, parser));
            }
        });
    }
}

thread_local! {
    /// Parsers of finished files, reset, with their separators.
    static SPARE_PARSERS: RefCell<Vec<(u8, csv_core::Reader)>> = const { RefCell::new(Vec::new()) };
}

/// Enough for the few files one thread has open at once (a code list read while a table is).
const SPARE_PARSERS_KEPT: usize = 4;

/// A parser at the start of a file, for `delimiter`: a spare one of this thread, or a new one.
fn take_parser(delimiter: u8) -> csv_core::Reader {
    let spare = SPARE_PARSERS
        .try_with(|spare| {
            let mut spare = spare.borrow_mut();
            let i = spare.iter().position(|(d, _)| *d == delimiter)?;
            Some(spare.swap_remove(i).1)
        })
        .ok()
        .flatten();
    spare.unwrap_or_else(|| csv_core::ReaderBuilder::new().delimiter(delimiter).build())
}
