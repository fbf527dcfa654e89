//! Tests of the CSV/TSV row source: record for record and line for line what `csv::Reader` (the
//! reader it replaced, with the options odp used) gives on tricky inputs, fed whole and one byte
//! at a time; exact errors; and the spare parsers not leaking one file's state into the next.

#![allow(clippy::result_large_err)] // rows and errors side by side, as the engine gets them

use super::*;
use crate::diag::Msg;
use std::io::{self, Read};

type Row = Result<(u64, Vec<String>), SourceError>;

/// Header, then every row and every error until the end, as the validation engine sees them.
fn drain(bytes: &[u8], delimiter: u8, one_byte_reads: bool) -> Result<(Vec<String>, Vec<Row>), SourceError> {
    let reader: Box<dyn Read + '_> = if one_byte_reads { Box::new(OneByte(bytes)) } else { Box::new(bytes) };
    let mut source = CsvRows::new(reader, delimiter)?;
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    loop {
        match source.next_row(&mut record) {
            Ok(Some(line)) => rows.push(Ok((line, record.iter().map(String::from).collect()))),
            Ok(None) => return Ok((source.header().to_vec(), rows)),
            Err(e) => rows.push(Err(e)),
        }
    }
}

/// What odp read before this source existed: `csv::Reader` without headers, flexible, the header
/// trimmed, blank lines skipped, each row at the line its record starts on.
fn with_csv_crate(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<Row>) {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.records();
    let header = records.next().unwrap().unwrap().iter().map(|h| h.trim().to_string()).collect();
    let rows = records
        .map(Result::unwrap)
        .filter(|r| !(r.len() == 1 && r[0].is_empty()))
        .map(|r| Ok((r.position().unwrap().line(), r.iter().map(String::from).collect())))
        .collect();
    (header, rows)
}

struct OneByte<'a>(&'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(buf.len()).min(1);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// Its bytes, then the error a decoder gives for bytes it refuses.
struct FailsAfter<'a>(&'a [u8]);

impl Read for FailsAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Err(io::Error::other("bytes the decoder refused"));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn reads_what_the_csv_crate_read() {
    let long_field = "ô".repeat(3000);
    let wide_row = (0..70).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let samples: Vec<(String, u8)> = vec![
        ("ma,ten\n01,Hà Nội\n79,Hồ Chí Minh\n".into(), b','),
        (" ma , ten \r\n01,\"Phường Ba Đình, Hà Nội\"\r\n\r\n02,\"dòng một\ndòng hai\"\r\n03,cuối".into(), b','),
        ("a;b\n1,5;\"x;y\"\n\n\n2,5;\"\"\"trích\"\"\"\n".into(), b';'),
        ("a\tb\n1\t\"tab\there\"\n2\t\n".into(), b'\t'),
        ("a,b,c\n1\n1,2,3,4\n,,\n".into(), b','),
        ("a\rb\r1\r\r2\r".into(), b','),
        (format!("x,y\n{long_field},1\n{wide_row}\n"), b','),
        ("a,b\n\"never closed,1\n2,3\n".into(), b','),
        ("a|b\n1|2\n".into(), b'|'),
    ];
    for (text, delimiter) in &samples {
        let expected = with_csv_crate(text.as_bytes(), *delimiter);
        assert_eq!(drain(text.as_bytes(), *delimiter, false).unwrap(), expected, "{text:?}");
        assert_eq!(drain(text.as_bytes(), *delimiter, true).unwrap(), expected, "{text:?}, one byte per read");
    }
}

#[test]
fn a_line_that_is_not_utf8_is_reported_where_its_record_starts_and_ends_the_rows() {
    let bytes = b"a,b\n1,2\n\"x\n\xff\",3\n4,5\n";
    let (_, rows) = drain(bytes, b',', false).unwrap();
    let not_utf8 = Err(SourceError { line: 3, col: 1, msg: Msg::DataNotUtf8 });
    assert_eq!(rows, vec![Ok((2, vec!["1".into(), "2".into()])), not_utf8]);
}

#[test]
fn a_header_that_cannot_be_read_is_reported_at_its_start() {
    let header_not_utf8 = SourceError { line: 1, col: 1, msg: Msg::DataNotUtf8 };
    assert_eq!(drain(b"m\xe3,b\n1,2\n", b',', false).unwrap_err(), header_not_utf8);
    let empty = SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile };
    assert_eq!(drain(b"", b',', false).unwrap_err(), empty);
}

#[test]
fn a_decoder_failure_names_the_whole_file() {
    let mut source = CsvRows::new(FailsAfter(b"a,b\n1,2\n"), b',').unwrap();
    let mut record = csv::StringRecord::new();
    assert_eq!(source.next_row(&mut record), Ok(Some(2)));
    let failure = Msg::DataMalformedEncoding { encoding: Encoding::Utf8.name().to_string(), line: 0 };
    assert_eq!(source.next_row(&mut record), Err(SourceError { line: 0, col: 1, msg: failure }));
    assert_eq!(source.next_row(&mut record), Ok(None));
}

#[test]
fn the_spare_parsers_start_every_file_fresh() {
    // A file given up inside a quoted field (its decoder failed there), or read past its header
    // only, must not carry its state or its line count into the next file's parser, whichever
    // separator came before it.
    let mut given_up = CsvRows::new(FailsAfter(b"a,b\n\n\n\"x,"), b',').unwrap();
    assert!(given_up.next_row(&mut csv::StringRecord::new()).is_err());
    drop(given_up);
    drop(CsvRows::new(&b"a;b\n\"x\n\n"[..], b';').unwrap());
    for _ in 0..3 {
        let (header, rows) = drain(b"a,b\n\"open,1\n", b',', false).unwrap();
        assert_eq!(header, ["a", "b"]);
        assert_eq!(rows, vec![Ok((2, vec!["open,1\n".into()]))]);
    }
}

#[test]
fn a_reader_dropped_while_its_thread_ends_does_not_panic() {
    // A reader held by another thread-local can outlive the spare parsers when the thread ends
    // (destructors run in reverse order of first use): its drop must then let the parser go.
    thread_local! {
        static HELD: std::cell::RefCell<Option<CsvRows<&'static [u8]>>> = const { std::cell::RefCell::new(None) };
    }
    let ended = std::thread::spawn(|| {
        HELD.with(|held| held.borrow_mut().take()); // first use: destroyed after the spare parsers
        let rows = CsvRows::new(&b"a,b\n1,2\n"[..], b',').unwrap();
        HELD.with(|held| *held.borrow_mut() = Some(rows));
    })
    .join();
    assert!(ended.is_ok());
}
