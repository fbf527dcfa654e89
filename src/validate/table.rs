//! Reads one data file once, streaming: its SHA-256 and size for every file; for text files the
//! encoding (converted to UTF-8 NFC or refused, issue 3 §2); and for tables (CSV, TSV) the header
//! check against the data dictionary, the row count, a preview, how often each column is empty
//! (issue 3 §7) and the personal-data scan (§3). Memory stays bounded whatever the file size.

use super::codelist::CodeLists;
use super::encoding::{
    Detection, Encoding, Problem, SAMPLE_LEN, decoding_reader, detect, sample_text, sniff_delimiter,
};
use super::privacy::{Basis, ColumnScanner, Finding, Risk};
use super::published::{Keeper, Published, PublishedFile, changed_since_validation};
use super::rows::RowChecker;
use super::sources::{CsvRows, RowSource, decode_failure, json_rows, xlsx_rows};
use crate::diag::{Diagnostics, Msg, Pos};
use crate::model::{DeclaredPublic, FileFacts, FileResource};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Rows shown in a dataset page's preview (header excluded).
pub const PREVIEW_ROWS: usize = 10;

/// A reader that hashes and counts every byte that passes through it, and keeps them
/// ([`HashingReader::keeping`]) or checks them at the end ([`HashingReader::expecting`]) when asked.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    keeper: Option<Keeper>,
    /// The SHA-256 validation found, and the file's path for the message.
    expected: Option<(String, std::path::PathBuf)>,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), bytes: 0, keeper: None, expected: None }
    }

    /// Fails at the end (`InvalidData`) unless what was read hashes to `sha256`: a data file
    /// the build reads again must still be the one validated (see `published`).
    pub fn expecting(inner: R, path: &Path, sha256: &str) -> Self {
        HashingReader { expected: Some((sha256.to_string(), path.to_path_buf())), ..HashingReader::new(inner) }
    }

    /// Also keeps the bytes read, if the file is small enough (see `published`).
    pub fn keeping(inner: R) -> Self {
        HashingReader { keeper: Some(Keeper::new()), ..HashingReader::new(inner) }
    }

    /// Reads what is left, then returns (hex SHA-256, size).
    pub fn finish(self) -> io::Result<(String, u64)> {
        self.finish_kept().map(|(sha, bytes, _)| (sha, bytes))
    }

    /// [`HashingReader::finish`], with the bytes kept (if any).
    pub fn finish_kept(mut self) -> io::Result<(String, u64, Published)> {
        io::copy(&mut self.inner, &mut HashSink(&mut self.hasher, &mut self.bytes, &mut self.keeper))?;
        let kept = self.keeper.map_or_else(Published::default, Keeper::finish);
        Ok((hex(&self.hasher.finalize()), self.bytes, kept))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        if let Some(k) = &mut self.keeper {
            k.push(&buf[..n]);
        }
        if n == 0
            && !buf.is_empty()
            && let Some((sha256, path)) = &self.expected
            && hex(&self.hasher.clone().finalize()) != *sha256
        {
            return Err(io::Error::new(io::ErrorKind::InvalidData, changed_since_validation(path)));
        }
        Ok(n)
    }
}

struct HashSink<'a>(&'a mut Sha256, &'a mut u64, &'a mut Option<Keeper>);

impl io::Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        *self.1 += buf.len() as u64;
        if let Some(k) = self.2 {
            k.push(buf);
        }
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

/// Formats published as decoded text (UTF-8, NFC, no BOM). XML is left byte for byte: its prolog
/// may declare an encoding that re-encoding would make false.
fn is_text(format: &str) -> bool {
    matches!(format, "CSV" | "TSV" | "JSON" | "GEOJSON" | "TXT")
}

/// Opens a data file as it is published: decoded text for text files, raw bytes otherwise.
/// Used by the pipeline for the file's fixed URL and for the zip, so both carry what was hashed.
pub fn open_published(path: &Path, encoding: Option<Encoding>) -> io::Result<Box<dyn Read + Send>> {
    let file = BufReader::with_capacity(1 << 16, File::open(path)?);
    Ok(match encoding {
        Some(enc) => Box::new(decoding_reader(file, enc)),
        None => Box::new(file),
    })
}

/// Analyses one file resource. `None` when the file cannot be read (already reported by load)
/// or cannot be published as text (reported here).
pub fn analyse(
    root: &Path,
    dir: &str,
    file: &FileResource,
    codelists: &CodeLists,
    diags: &mut Diagnostics,
) -> Option<FileFacts> {
    let rel = format!("{dir}/{}", file.path.value);
    let path = root.join(&rel);
    let mut raw = BufReader::with_capacity(1 << 16, File::open(&path).ok()?);
    let mut facts = FileFacts::default();
    let table = Table { file, rel: &rel, codelists };
    if !is_text(&file.format) {
        if file.format == "XLSX" && file.schema.is_some() {
            match xlsx_rows(&path, file.sheet.as_deref()) {
                Ok(mut rows) => table.scan(&mut rows, &mut facts, diags),
                Err(e) => diags.push(&rel, e.pos(), e.msg),
            }
        }
        let (sha256, bytes, published) = HashingReader::keeping(raw).finish_kept().ok()?;
        return Some(FileFacts { sha256, bytes, published, ..facts });
    }
    let mut sample = Vec::new();
    (&mut raw).take(SAMPLE_LEN as u64).read_to_end(&mut sample).ok()?;
    let encoding = match detect(&sample) {
        Detection::Accept(enc) => enc,
        Detection::Reject { problem, .. } => {
            let (pos, msg) = rejection(problem);
            diags.push(&rel, pos, msg);
            return None;
        }
    };
    if encoding.is_legacy() || matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be) {
        diags.push(&rel, Pos::FILE, Msg::DataEncodingConverted { encoding: encoding.name().to_string() });
    }
    facts.encoding = Some(encoding);
    let text = sample_text(&sample, encoding).unwrap_or_default();
    let mut reader = HashingReader::keeping(decoding_reader(io::Cursor::new(sample).chain(raw), encoding));
    if matches!(file.format.as_str(), "CSV" | "TSV") {
        let delimiter = if file.format == "TSV" { b'\t' } else { sniff_delimiter(&text) };
        if delimiter != b',' && file.format == "CSV" {
            facts.delimiter = Some(delimiter as char);
        }
        match CsvRows::new(&mut reader, delimiter) {
            Ok(mut rows) => table.scan(&mut rows, &mut facts, diags),
            Err(e) => diags.push(&rel, e.pos(), e.msg),
        }
    } else if file.format == "JSON" && file.schema.is_some() {
        match json_rows(&mut reader) {
            Ok(mut rows) => table.scan(&mut rows, &mut facts, diags),
            Err(e) => diags.push(&rel, e.pos(), e.msg),
        }
    }
    match reader.finish_kept() {
        Ok((sha256, bytes, published)) => {
            facts.sha256 = sha256;
            facts.bytes = bytes;
            facts.published = published;
            Some(facts)
        }
        Err(e) => {
            diags.push(&rel, Pos::FILE, decode_failure(&e, encoding));
            None
        }
    }
}

/// The values of one column of a code-list table (danh mục dùng chung, 002 Art. 11), read the
/// way `analyse` reads it. `None` when the file cannot be read as a table; `analyse` of that
/// resource reports why.
pub fn read_column(root: &Path, dir: &str, file: &FileResource, column: &str) -> Option<HashSet<String>> {
    let mut source = open_source(&root.join(dir).join(&file.path.value), file, None)?;
    let index = source.header().iter().position(|h| h == column)?;
    let mut values = HashSet::new();
    let mut record = csv::StringRecord::new();
    while let Ok(Some(_)) = source.next_row(&mut record) {
        if let Some(v) = record.get(index).map(str::trim).filter(|v| !v.is_empty()) {
            values.insert(v.to_string());
        }
    }
    Some(values)
}

/// The rows of a table file, decoded, without the hashing and checks of `analyse`
/// (also read by the format copies, `crate::copies`). `known` is what `analyse` found (the
/// encoding and separator): given, the file is not sniffed again (the format copies of a
/// 5,000-dataset build spent 4% of it re-detecting encodings).
pub(crate) fn open_source(path: &Path, file: &FileResource, known: Option<&FileFacts>) -> Option<Box<dyn RowSource>> {
    if file.format == "XLSX" {
        return xlsx_rows(path, file.sheet.as_deref()).ok().map(|r| Box::new(r) as Box<dyn RowSource>);
    }
    // Kept by validation: already decoded (UTF-8, NFC), with the separator it found.
    if let Some(facts) = known
        && facts.published.bytes().is_some()
    {
        let delimiter = if file.format == "TSV" { b'\t' } else { facts.delimiter.map_or(b',', |c| c as u8) };
        let reader = PublishedFile::of(path.to_path_buf(), facts).reader().ok()?;
        return match file.format.as_str() {
            "CSV" | "TSV" => CsvRows::new(reader, delimiter).ok().map(|r| Box::new(r) as Box<dyn RowSource>),
            "JSON" => json_rows(reader).ok().map(|r| Box::new(r) as Box<dyn RowSource>),
            _ => None,
        };
    }
    let mut raw = BufReader::with_capacity(1 << 16, File::open(path).ok()?);
    let mut sample = Vec::new();
    let (encoding, delimiter) = match known.and_then(|f| Some((f.encoding?, f.delimiter))) {
        Some((encoding, delimiter)) => (encoding, delimiter.map_or(b',', |c| c as u8)),
        None => {
            (&mut raw).take(SAMPLE_LEN as u64).read_to_end(&mut sample).ok()?;
            let Detection::Accept(encoding) = detect(&sample) else { return None };
            (encoding, sniff_delimiter(&sample_text(&sample, encoding).unwrap_or_default()))
        }
    };
    let decoded = decoding_reader(io::Cursor::new(sample).chain(raw), encoding);
    // Read again for the build (the bytes were not kept): they must be those validated.
    let reader: Box<dyn Read + Send> = match known {
        Some(facts) => Box::new(HashingReader::expecting(decoded, path, &facts.sha256)),
        None => Box::new(decoded),
    };
    match file.format.as_str() {
        "CSV" | "TSV" => {
            let delimiter = if file.format == "TSV" { b'\t' } else { delimiter };
            CsvRows::new(reader, delimiter).ok().map(|r| Box::new(r) as Box<dyn RowSource>)
        }
        "JSON" => json_rows(reader).ok().map(|r| Box::new(r) as Box<dyn RowSource>),
        _ => None,
    }
}

/// The diagnostic of a file `detect` refused.
fn rejection(problem: Problem) -> (Pos, Msg) {
    let at = |line: u64| Pos::new(line as u32, 1, 1);
    match problem {
        Problem::Lossy { count, line, example } => (at(line), Msg::DataLossyExport { count, line, example }),
        Problem::DoubleEncoded { line, example } => (at(line), Msg::DataMojibake { line, example }),
        Problem::LegacyFont { font, line, example } => {
            (at(line), Msg::DataLegacyFont { font: font.name().to_string(), line, example })
        }
        Problem::Unrecognised => (Pos::FILE, Msg::DataEncodingUnknown { candidates: Vec::new() }),
        Problem::Ambiguous { first, second } => (
            Pos::FILE,
            Msg::DataEncodingUnknown { candidates: vec![first.name().to_string(), second.name().to_string()] },
        ),
        Problem::Malformed { line } => (at(line), Msg::DataNotUtf8),
        Problem::Binary => (Pos::FILE, Msg::DataNotText),
    }
}

/// One table being read: the resource, its path for messages, the portal's code lists.
struct Table<'a> {
    file: &'a FileResource,
    rel: &'a str,
    codelists: &'a CodeLists,
}

/// Rows the personal-data scan reads in full; after them, one row in `PRIVACY_SAMPLE_EVERY`.
const PRIVACY_FULL_ROWS: u64 = 20_000;
const PRIVACY_SAMPLE_EVERY: u64 = 16;

/// Source errors shown per file before the rest are only counted (a file where every row has
/// the same structural problem must still give a readable report).
const SOURCE_ERRORS_SHOWN: usize = 5;

impl Table<'_> {
    /// Reads every row once: header against the dictionary, row checks (types, constraints,
    /// keys, code lists), completeness, preview and the personal-data scan.
    fn scan(&self, source: &mut dyn RowSource, facts: &mut FileFacts, diags: &mut Diagnostics) {
        let (file, rel) = (self.file, self.rel);
        let header_names: Vec<String> = source.header().to_vec();
        facts.preview.push(header_names.clone());

        // Columns of the file in dictionary order; a missing column is reported and skipped.
        let mut columns: Vec<Option<usize>> = Vec::new();
        let mut checker = None;
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
            checker = Some(RowChecker::new(schema, &header_names, self.codelists, rel, source.canonical()));
        }
        facts.empty_counts = vec![0; columns.len()];
        let mut privacy = ColumnScanner::new(&header_names);

        let width = header_names.len();
        let mut rows: u64 = 0;
        let mut reported_width = false;
        let mut source_errors = 0;
        let mut record = csv::StringRecord::new();
        loop {
            let line = match source.next_row(&mut record) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    source_errors += 1;
                    if source_errors <= SOURCE_ERRORS_SHOWN {
                        diags.push(rel, e.pos(), e.msg);
                    }
                    continue;
                }
            };
            rows += 1;
            if record.len() != width && !reported_width {
                reported_width = true;
                let detail = format!("{} fields, header has {width}", record.len());
                diags.push(rel, Pos::new(line as u32, 1, 1), Msg::MalformedCsv { detail });
            }
            if let Some(c) = checker.as_mut() {
                c.check_row(line, &record);
            }
            for (count, col) in facts.empty_counts.iter_mut().zip(&columns) {
                if col.and_then(|c| record.get(c)).is_none_or(|v| v.trim().is_empty()) {
                    *count += 1;
                }
            }
            // The scan decides on column rates, so past the first rows a systematic sample gives
            // the same verdicts at a fraction of the cost on multi-million-row files.
            if rows <= PRIVACY_FULL_ROWS || rows.is_multiple_of(PRIVACY_SAMPLE_EVERY) {
                privacy.observe_row(line, record.iter());
            }
            if facts.preview.len() <= PREVIEW_ROWS {
                facts.preview.push(record.iter().map(str::to_string).collect());
            }
        }
        if let Some(c) = checker {
            c.finish(diags);
        }
        facts.rows = Some(rows);
        report_personal_data(privacy.finish(), file, rel, facts, diags);
    }
}

/// Personal data blocks publication unless the dictionary declares the column public with a
/// reason (002 Art. 24.1.b; DESIGN.md "No personal data"). Declared columns are kept for the page.
fn report_personal_data(
    findings: Vec<Finding>,
    file: &FileResource,
    rel: &str,
    facts: &mut FileFacts,
    diags: &mut Diagnostics,
) {
    for f in findings {
        let field = file.schema.as_ref().and_then(|s| s.fields.iter().find(|x| x.name.value == f.header));
        let (kind_vi, kind_en) = (f.kind.vi().to_string(), f.kind.en().to_string());
        if let Some(reason) = field.and_then(|x| x.public_reason.clone()) {
            facts.declared_public.push(DeclaredPublic { column: f.header, kind_vi, kind_en, reason });
            continue;
        }
        let line = f.example_rows.first().copied().unwrap_or(1);
        let pos = Pos::new(line as u32, f.column as u32 + 1, 1);
        let column = f.header;
        let msg = if f.kind.risk() == Risk::Low {
            Msg::PublicRegisterData { column, kind_vi, kind_en }
        } else {
            Msg::PersonalData {
                column,
                kind_vi,
                kind_en,
                matched: f.rows_matched,
                seen: f.rows_seen,
                rows: f.example_rows,
                by_header: f.basis == Basis::Header,
                sensitive: f.kind.risk() == Risk::Sensitive,
            }
        };
        diags.push(rel, pos, msg);
    }
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
