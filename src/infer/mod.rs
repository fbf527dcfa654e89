//! `odp infer`: reads a CSV/TSV file once, streaming, and proposes its data dictionary as a
//! ready-to-paste `[[resources]]` block (issue 3 §6).
//!
//! Every row is read and counted. What needs only a few flags per column (types, number and date
//! layouts, `required`) is decided over every row, so the proposal holds for the whole file. What
//! needs the values themselves (`unique`, the primary key, code-list matches) is decided over the
//! first [`SAMPLE_ROWS`] rows, and at most [`DISTINCT_CAP`] distinct values are kept per column:
//! memory stays bounded whatever the file size.

pub mod codelist;
pub mod propose;
pub mod values;

use crate::validate::encoding::{self, Detection, Encoding, Problem};
use std::collections::HashSet;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufReader, Read};
use std::path::Path;
use values::{DATE_FORMATS, DATETIME_FORMATS, NUMBER_FORMATS, Num};

/// Rows whose values are kept to judge uniqueness and code lists.
pub const SAMPLE_ROWS: u64 = 100_000;
/// Distinct values kept per column for code-list matching (the largest administrative code list,
/// the communes before 2025, has 10,040).
pub const DISTINCT_CAP: usize = 20_000;

/// Why a file cannot be read as a table, in both languages.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read: the environment's problem.
    Io(io::Error),
    /// The content is not a readable table: the author's problem.
    Content { vi: String, en: String },
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        match e.get_ref().and_then(|inner| inner.downcast_ref::<encoding::DecodeError>()) {
            Some(d) => ReadError::Content {
                vi: format!("tệp có byte không hợp lệ theo mã {} gần byte {}", d.encoding, d.byte_offset),
                en: format!("the file has bytes that are not valid {} near byte {}", d.encoding, d.byte_offset),
            },
            None => ReadError::Io(e),
        }
    }
}

/// A table file opened for reading: decoded to UTF-8 NFC, with its field separator.
pub struct OpenTable {
    pub encoding: Encoding,
    pub delimiter: u8,
    pub reader: csv::Reader<Box<dyn Read>>,
}

/// Opens a CSV/TSV file the way odp reads data files: the encoding detected (legacy Vietnamese
/// encodings decoded), the delimiter `\t` for `.tsv`, else sniffed among `,` `;` and tab.
pub fn open_table(path: &Path) -> Result<OpenTable, ReadError> {
    let mut sample = Vec::with_capacity(encoding::SAMPLE_LEN);
    File::open(path)?.take(encoding::SAMPLE_LEN as u64).read_to_end(&mut sample)?;
    let encoding = match encoding::detect(&sample) {
        Detection::Accept(e) => e,
        Detection::Reject { problem, .. } => return Err(rejected(&problem)),
    };
    let tsv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    let delimiter = if tsv {
        b'\t'
    } else {
        encoding::sample_text(&sample, encoding).map_or(b',', |t| encoding::sniff_delimiter(&t))
    };
    let file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let decoded: Box<dyn Read> = Box::new(encoding::decoding_reader(file, encoding));
    let reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(decoded);
    Ok(OpenTable { encoding, delimiter, reader })
}

fn rejected(problem: &Problem) -> ReadError {
    let (vi, en) = match problem {
        Problem::Lossy { line, example, .. } => (
            format!(
                "dòng {line} (\"{example}\"): chữ đã bị thay bằng `?` khi xuất từ Excel; hãy xuất lại dạng \"CSV UTF-8\""
            ),
            format!(
                "line {line} (\"{example}\"): letters were replaced by `?` when exported from Excel; export again as \"CSV UTF-8\""
            ),
        ),
        Problem::DoubleEncoded { line, example } => (
            format!("dòng {line} (\"{example}\"): UTF-8 đã bị đọc nhầm và lưu lại (lỗi phông); hãy lấy lại tệp gốc"),
            format!("line {line} (\"{example}\"): UTF-8 was misread and saved again (mojibake); get the original file"),
        ),
        Problem::LegacyFont { font, line, example } => (
            format!("dòng {line} (\"{example}\"): văn bản gõ bằng phông {font}; hãy chuyển sang Unicode"),
            format!("line {line} (\"{example}\"): text typed with a {font} font; convert it to Unicode"),
        ),
        Problem::Unrecognised => (
            "không nhận ra mã ký tự của tệp; hãy lưu lại dạng \"CSV UTF-8\"".into(),
            "the file's encoding is not recognised; save it again as \"CSV UTF-8\"".into(),
        ),
        Problem::Ambiguous { first, second } => (
            format!("tệp đọc được bằng cả {first} và {second}; hãy lưu lại dạng \"CSV UTF-8\""),
            format!("the file reads as both {first} and {second}; save it again as \"CSV UTF-8\""),
        ),
        Problem::Malformed { line } => (
            format!("dòng {line}: byte không hợp lệ theo mã ký tự của tệp"),
            format!("line {line}: bytes that are not valid in the file's encoding"),
        ),
        Problem::Binary => ("tệp không phải văn bản (CSV, TSV)".into(), "the file is not text (CSV, TSV)".into()),
    };
    ReadError::Content { vi, en }
}

/// What was learned about one column.
#[derive(Debug, Clone)]
pub struct ColumnStats {
    pub name: String,
    /// Rows where the cell is empty (or blank, or missing from a short row).
    pub empty: u64,
    /// Non-empty cells.
    pub values: u64,
    /// Per `NUMBER_FORMATS` entry: `None` once a value does not read in it, else whether every
    /// value so far is an integer.
    pub numbers: [Option<bool>; 4],
    /// Every value looks like `1.234` (see `values::looks_grouped`); the first such value.
    pub grouped: Option<String>,
    pub leading_zero: bool,
    pub boolean: bool,
    pub year: bool,
    pub geopoint: bool,
    /// Per `DATE_FORMATS` entry, whether every value reads in it.
    pub dates: [bool; 3],
    /// ISO 8601, then per `DATETIME_FORMATS[1..]` entry.
    pub datetimes: [bool; 5],
    /// Hashes of the sampled values while they are all different; `None` after a repeat.
    hashes: Option<HashSet<u64>>,
    /// The distinct sampled values, while there are at most `DISTINCT_CAP`.
    pub distinct: Option<HashSet<String>>,
}

impl ColumnStats {
    pub fn new(name: &str) -> Self {
        ColumnStats {
            name: name.to_string(),
            empty: 0,
            values: 0,
            numbers: [Some(true); 4],
            grouped: None,
            leading_zero: false,
            boolean: true,
            year: true,
            geopoint: true,
            dates: [true; 3],
            datetimes: [true; 5],
            hashes: Some(HashSet::new()),
            distinct: Some(HashSet::new()),
        }
    }

    /// Takes one cell into account; `sampled` when its row is among the first `SAMPLE_ROWS`.
    pub fn observe(&mut self, v: &str, sampled: bool) {
        if v.trim().is_empty() {
            self.empty += 1;
            return;
        }
        // Values are read trimmed, as `odp check` reads them.
        let v = v.trim();
        let first = self.values == 0;
        self.values += 1;
        self.leading_zero |= values::has_leading_zero(v);
        self.boolean &= values::is_boolean(v);
        self.year &= values::is_year(v);
        self.geopoint = self.geopoint && values::is_geopoint(v);
        for (fit, f) in self.numbers.iter_mut().zip(NUMBER_FORMATS) {
            if let Some(all_integer) = fit {
                match values::parse_number(v, f) {
                    Some(n) => *all_integer &= n == Num::Integer,
                    None => *fit = None,
                }
            }
        }
        if first || self.grouped.is_some() {
            self.grouped = values::looks_grouped(v).then(|| self.grouped.take().unwrap_or_else(|| v.to_string()));
        }
        for (ok, fmt) in self.dates.iter_mut().zip(DATE_FORMATS) {
            *ok = *ok && values::matches_format(v, fmt);
        }
        self.datetimes[0] = self.datetimes[0] && values::is_iso_datetime(v);
        for (ok, fmt) in self.datetimes[1..].iter_mut().zip(&DATETIME_FORMATS[1..]) {
            *ok = *ok && values::matches_format(v, fmt);
        }
        if sampled {
            if let Some(h) = &mut self.hashes {
                let mut hasher = std::hash::DefaultHasher::new();
                v.hash(&mut hasher);
                if !h.insert(hasher.finish()) {
                    self.hashes = None;
                }
            }
            if let Some(d) = &mut self.distinct
                && !d.contains(v)
            {
                d.insert(v.to_string());
                if d.len() > DISTINCT_CAP {
                    self.distinct = None;
                }
            }
        }
    }

    /// No value repeats among the sampled rows.
    pub fn unique(&self) -> bool {
        self.hashes.is_some()
    }
}

/// What one pass over a table learned.
#[derive(Debug, Clone)]
pub struct TableFacts {
    pub encoding: Encoding,
    pub delimiter: u8,
    /// Data rows (header excluded).
    pub rows: u64,
    pub columns: Vec<ColumnStats>,
}

/// Reads the whole file once.
pub fn read_table(path: &Path) -> Result<TableFacts, ReadError> {
    let OpenTable { encoding, delimiter, mut reader } = open_table(path)?;
    let mut record = csv::StringRecord::new();
    if !read_record(&mut reader, &mut record)? {
        return Err(ReadError::Content {
            vi: "tệp rỗng (không có dòng tiêu đề)".into(),
            en: "the file is empty (no header row)".into(),
        });
    }
    let mut columns: Vec<ColumnStats> = record.iter().map(|h| ColumnStats::new(h.trim())).collect();
    let mut rows = 0u64;
    while read_record(&mut reader, &mut record)? {
        // A blank line is not a row.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        rows += 1;
        let sampled = rows <= SAMPLE_ROWS;
        for (i, column) in columns.iter_mut().enumerate() {
            column.observe(record.get(i).unwrap_or(""), sampled);
        }
    }
    Ok(TableFacts { encoding, delimiter, rows, columns })
}

fn read_record(reader: &mut csv::Reader<Box<dyn Read>>, record: &mut csv::StringRecord) -> Result<bool, ReadError> {
    reader.read_record(record).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ReadError::from(io),
            other => ReadError::Content {
                vi: format!("dòng {line}: tệp CSV không đọc được ({other:?})"),
                en: format!("line {line}: malformed CSV ({other:?})"),
            },
        }
    })
}
