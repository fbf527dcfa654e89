//! Reads one data file once, streaming: its SHA-256 and size for every file, and for tables
//! (CSV, TSV) the header check against the data dictionary, the row count, a preview of the
//! first rows and how often each column is empty (issue 3 §7). Memory stays bounded whatever
//! the file size.

use crate::diag::{Diagnostics, Msg, Pos};
use crate::model::{FileFacts, FileResource};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Rows shown in a dataset page's preview (header excluded).
pub const PREVIEW_ROWS: usize = 10;

/// A reader that hashes and counts every byte that passes through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Reads what is left, then returns (hex SHA-256, size).
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        io::copy(&mut self.inner, &mut HashSink(&mut self.hasher, &mut self.bytes))?;
        Ok((hex(&self.hasher.finalize()), self.bytes))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

struct HashSink<'a>(&'a mut Sha256, &'a mut u64);

impl io::Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        *self.1 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Lower-case hex of a digest (sha2 0.11 digests do not implement `LowerHex`).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// SHA-256 and size of a file, streaming.
pub fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    HashingReader::new(BufReader::with_capacity(1 << 16, File::open(path)?)).finish()
}

/// Analyses one file resource. `None` when the file cannot be read (already reported by load).
pub fn analyse(root: &Path, dir: &str, file: &FileResource, diags: &mut Diagnostics) -> Option<FileFacts> {
    let rel = format!("{dir}/{}", file.path.value);
    let f = File::open(root.join(&rel)).ok()?;
    let mut reader = HashingReader::new(BufReader::with_capacity(1 << 16, f));
    let mut facts = FileFacts::default();
    if file.is_tabular() {
        let delimiter = if file.format == "TSV" { b'\t' } else { b',' };
        read_table(&mut reader, delimiter, file, &rel, &mut facts, diags);
    }
    let (sha256, bytes) = reader.finish().ok()?;
    facts.sha256 = sha256;
    facts.bytes = bytes;
    Some(facts)
}

fn read_table<R: Read>(
    reader: R,
    delimiter: u8,
    file: &FileResource,
    rel: &str,
    facts: &mut FileFacts,
    diags: &mut Diagnostics,
) {
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => record.clone(),
        Ok(false) => {
            diags.push(rel, Pos::FILE, Msg::EmptyDataFile);
            return;
        }
        Err(e) => {
            diags.push(rel, Pos::new(1, 1, 1), Msg::MalformedCsv { detail: e.to_string() });
            return;
        }
    };
    let mut header_names = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = if i == 0 { h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h) } else { h };
        match std::str::from_utf8(h) {
            Ok(s) => header_names.push(s.trim().to_string()),
            Err(_) => {
                diags.push(rel, Pos::new(1, 1, 1), Msg::DataNotUtf8);
                return;
            }
        }
    }
    facts.preview.push(header_names.clone());

    // Columns of the file in dictionary order; a missing column is reported and skipped.
    let mut columns: Vec<Option<usize>> = Vec::new();
    if let Some(schema) = &file.schema {
        let missing: Vec<String> = schema
            .fields
            .iter()
            .filter(|f| !header_names.contains(&f.name.value))
            .map(|f| f.name.value.clone())
            .collect();
        let extra: Vec<String> =
            header_names.iter().filter(|h| !schema.fields.iter().any(|f| &f.name.value == *h)).cloned().collect();
        if !missing.is_empty() || !extra.is_empty() {
            diags.push(rel, Pos::new(1, 1, 1), Msg::HeaderMismatch { missing, extra });
        }
        columns = schema.fields.iter().map(|f| header_names.iter().position(|h| h == &f.name.value)).collect();
    }
    facts.empty_counts = vec![0; columns.len()];

    let width = header.len();
    let mut rows: u64 = 0;
    let mut reported_width = false;
    let mut reported_utf8 = false;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                diags.push(rel, Pos::new(line, 1, 1), Msg::MalformedCsv { detail: e.to_string() });
                break;
            }
        }
        // A blank line at the end of a file is not a row.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        rows += 1;
        let line = record.position().map_or(0, |p| p.line() as u32);
        if record.len() != width && !reported_width {
            reported_width = true;
            let detail = format!("{} fields, header has {width}", record.len());
            diags.push(rel, Pos::new(line, 1, 1), Msg::MalformedCsv { detail });
        }
        if !reported_utf8 && std::str::from_utf8(record.as_slice()).is_err() {
            reported_utf8 = true;
            diags.push(rel, Pos::new(line, 1, 1), Msg::DataNotUtf8);
        }
        for (count, col) in facts.empty_counts.iter_mut().zip(&columns) {
            if col.and_then(|c| record.get(c)).is_none_or(|v| v.iter().all(u8::is_ascii_whitespace)) {
                *count += 1;
            }
        }
        if facts.preview.len() <= PREVIEW_ROWS {
            facts.preview.push(record.iter().map(|v| String::from_utf8_lossy(v).into_owned()).collect());
        }
    }
    facts.rows = Some(rows);
    // Drain whatever the CSV reader left so the hash covers the whole file.
    let _ = csv.into_inner();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_reader_matches_known_digest() {
        let r = HashingReader::new(&b"abc"[..]);
        let (hex, n) = r.finish().unwrap();
        assert_eq!(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(n, 3);
    }
}
