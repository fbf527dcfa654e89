//! Tests of the JSON row source on the fixtures of tests/fixtures/sources (rebuilt by
//! make-fixtures.py) and on inline samples: exact records, exact error positions and texts,
//! every buffer boundary, and a generated multi-megabyte array read with bounded memory.

#![allow(clippy::result_large_err)] // rows and errors side by side, as the engine gets them

use super::*;
use crate::diag::Msg;
use std::io::{self, Read};

type Row = Result<(u64, Vec<String>), SourceError>;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/sources/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every row and every error until the end, as the validation engine would see them.
fn drain(source: &mut impl RowSource) -> Vec<Row> {
    let mut record = csv::StringRecord::new();
    let mut out = Vec::new();
    loop {
        match source.next_row(&mut record) {
            Ok(Some(line)) => out.push(Ok((line, record.iter().map(String::from).collect()))),
            Ok(None) => return out,
            Err(e) => out.push(Err(e)),
        }
    }
}

fn rows(bytes: &[u8]) -> Vec<Row> {
    drain(&mut json_rows(bytes).unwrap())
}

fn row(line: u64, cells: &[&str]) -> Row {
    Ok((line, cells.iter().map(|c| c.to_string()).collect()))
}

fn error(line: u64, col: u64, msg: Msg) -> Row {
    Err(SourceError { line, col, msg })
}

fn syntax(found: Option<&str>, expected: &[&'static str]) -> Msg {
    Msg::JsonSyntax { found: found.map(String::from), expected: expected.iter().map(|e| (*e).into()).collect() }
}

/// The first problem reading `text`: the one from `json_rows`, or the first row error.
fn first_error(text: &[u8]) -> SourceError {
    match json_rows(text) {
        Err(e) => e,
        Ok(mut r) => drain(&mut r).into_iter().find_map(Result::err).expect("an error"),
    }
}

/// A reader that hands out `step` bytes at a time, so every chunk boundary case is exercised.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn reads_strings_numbers_booleans_nulls_and_missing_keys() {
    let bytes = fixture("provinces.json");
    // The fixture really holds a decomposed (NFD) name, and the row gives it back composed.
    let nfd_da_nang: String = unicode_normalization::UnicodeNormalization::nfd("Đà Nẵng").collect();
    assert!(String::from_utf8_lossy(&bytes).contains(&nfd_da_nang));
    let da_nang = crate::text::nfc("Đà Nẵng");
    assert_ne!(nfd_da_nang, da_nang);

    let mut source = json_rows(bytes.as_slice()).unwrap();
    assert_eq!(source.header(), ["ma_tinh", "ten_tinh", "dan_so", "dien_tich_km2", "la_thanh_pho", "ghi_chu"]);
    assert!(source.canonical());
    assert_eq!(
        drain(&mut source),
        [
            row(2, &["01", "Hà Nội", "8587100", "3359.84", "true", ""]),
            row(3, &["79", "Thành phố Hồ Chí Minh", "9456700", "2095.390", "true", "Số liệu \"sơ bộ\"\nnăm 2024"]),
            // Keys in another order; `dien_tich_km2` and `ghi_chu` missing; the number as written.
            row(11, &["48", &da_nang, "1.22019e6", "", "false", ""]),
            // An integer beyond u64 and `-0.0` kept exactly; `\u` escapes, a surrogate pair.
            row(12, &["96", "Cà Mau", "12345678901234567890123", "-0.0", "false", "🌾 lúa"]),
        ]
    );
}

#[test]
fn every_buffer_boundary_gives_the_same_rows() {
    let bytes = fixture("provinces.json");
    let whole = rows(&bytes);
    for step in [1, 2, 3, 5, 7, 64] {
        let mut source = json_rows(Trickle { data: &bytes, step }).unwrap();
        assert_eq!(drain(&mut source), whole, "step {step}");
    }
    // A cut inside an invalid UTF-8 sequence is still found at the right place.
    let bad = b"[{\"a\": \"H\xe0 N\xf4i\"}]";
    for step in [1, 2, 3] {
        let e = json_rows(Trickle { data: bad, step }).err().unwrap();
        assert_eq!(e, SourceError { line: 1, col: 10, msg: syntax(Some("0xE0"), &["UTF-8"]) }, "step {step}");
    }
}

#[test]
fn nested_values_are_reported_and_reading_goes_on() {
    let nested = |key: &str| Msg::JsonNestedValue { key: key.to_string() };
    assert_eq!(
        rows(&fixture("nested.json")),
        [
            row(2, &["00001", "Phúc Xá", ""]),
            error(3, 55, nested("toa_do")),
            error(4, 55, nested("toa_do")),
            row(5, &["00007", "Cống Vị", "21.03,105.80"]),
        ]
    );
    let msg = nested("toa_do");
    assert_eq!(msg.code(), "E0423");
    assert_eq!(
        msg.vi(),
        "giá trị của `toa_do` là mảng hoặc đối tượng lồng nhau; dữ liệu dạng bảng chỉ nhận chuỗi, số, true/false \
         hoặc null"
    );
    assert_eq!(
        msg.en(),
        "the value of `toa_do` is a nested array or object; tabular data takes only strings, numbers, true/false or \
         null"
    );
}

#[test]
fn unknown_and_duplicate_keys_and_non_objects_are_row_errors() {
    let columns = vec!["ma_tinh".to_string(), "ten_tinh".to_string()];
    let unknown = Msg::JsonUnknownKey { key: "ghi_chu".into(), columns };
    assert_eq!(
        rows(&fixture("unknown-key.json")),
        [
            row(2, &["01", "Hà Nội"]),
            error(3, 45, unknown.clone()),
            error(4, 45, Msg::JsonDuplicateKey { key: "ma_tinh".into() }),
            error(5, 3, Msg::JsonRowNotObject { index: 4 }),
            row(6, &["08", "Tuyên Quang"]),
        ]
    );
    assert_eq!(unknown.code(), "E0424");
    assert_eq!(
        unknown.vi(),
        "khóa `ghi_chu` không có trong đối tượng đầu tiên (đối tượng đầu tiên xác định các cột: `ma_tinh`, \
         `ten_tinh`); hãy thêm khóa này vào đối tượng đầu tiên, với giá trị null nếu không có dữ liệu"
    );
    assert_eq!(
        unknown.en(),
        "key `ghi_chu` is not in the first object (the first object defines the columns: `ma_tinh`, `ten_tinh`); \
         add the key to the first object, with null if it has no value"
    );
    let duplicate = Msg::JsonDuplicateKey { key: "ma_tinh".into() };
    assert_eq!(duplicate.code(), "E0425");
    assert_eq!(duplicate.vi(), "khóa `ma_tinh` xuất hiện hai lần trong cùng một đối tượng");
    assert_eq!(duplicate.en(), "key `ma_tinh` appears twice in the same object");
    let not_object = Msg::JsonRowNotObject { index: 4 };
    assert_eq!(not_object.code(), "E0421");
    assert_eq!(
        not_object.vi(),
        "phần tử thứ 4 của mảng không phải đối tượng `{...}`; mỗi dòng dữ liệu phải là một đối tượng"
    );
    assert_eq!(not_object.en(), "array element 4 is not an object `{...}`; each data row must be an object");
}

#[test]
fn malformed_json_stops_reading_at_its_position() {
    let bytes = fixture("malformed.json");
    let mut source = json_rows(bytes.as_slice()).unwrap();
    assert_eq!(
        drain(&mut source),
        [row(2, &["01", "Hà Nội"]), row(3, &["02", "Hà Giang"]), error(4, 3, syntax(Some("{"), &[",", "]"]))]
    );
    // Nothing more after a syntax error.
    assert_eq!(source.next_row(&mut csv::StringRecord::new()), Ok(None));

    let msg = syntax(Some("{"), &[",", "]"]);
    assert_eq!(msg.code(), "E0422");
    assert_eq!(msg.vi(), "JSON không hợp lệ: gặp `{`, cần `,` hoặc `]`");
    assert_eq!(msg.en(), "malformed JSON: found `{`, expected `,` or `]`");
    let msg = syntax(None, &["\""]);
    assert_eq!(msg.vi(), "JSON không hợp lệ: gặp cuối tệp, cần `\"`");
    assert_eq!(msg.en(), "malformed JSON: found the end of the file, expected `\"`");
    let msg = syntax(Some("x"), &[]);
    assert_eq!(msg.vi(), "JSON không hợp lệ: gặp `x`, cần kết thúc tệp");
    assert_eq!(msg.en(), "malformed JSON: found `x`, expected the end of the file");
    let msg = syntax(Some("NaN"), &["\"", "0-9", "-", "true", "false", "null"]);
    assert_eq!(msg.en(), "malformed JSON: found `NaN`, expected `\"`, `0-9`, `-`, `true`, `false` or `null`");
    assert_eq!(msg.vi(), "JSON không hợp lệ: gặp `NaN`, cần `\"`, `0-9`, `-`, `true`, `false` hoặc `null`");
}

#[test]
fn syntax_errors_name_what_was_found_and_what_was_expected() {
    const VALUE: &[&str] = &["\"", "0-9", "-", "true", "false", "null"];
    const ESCAPES: &[&str] = &["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\uXXXX"];
    // (text, line, column, found, expected)
    type Case<'a> = (&'a str, u64, u64, Option<&'a str>, &'a [&'a str]);
    let cases: &[Case] = &[
        ("[{\"a\": 1,}]", 1, 10, Some("}"), &["\""]),
        ("[{\"a\": 'x'}]", 1, 8, Some("'"), VALUE),
        ("[{\"a\": NaN}]", 1, 8, Some("NaN"), VALUE),
        ("[{\"a\": True}]", 1, 8, Some("True"), VALUE),
        ("[{\"a\": }]", 1, 8, Some("}"), VALUE),
        ("[{\"a\": 01}]", 1, 9, Some("1"), &[",", "}"]),
        ("[{\"a\": 1.}]", 1, 10, Some("}"), &["0-9"]),
        ("[{\"a\": -}]", 1, 9, Some("}"), &["0-9"]),
        ("[{\"a\": - 1}]", 1, 9, Some("U+0020"), &["0-9"]),
        ("[{\"a\": 1e}]", 1, 10, Some("}"), &["0-9"]),
        ("[{\"a\": tru}]", 1, 11, Some("}"), &["true"]),
        ("[{\"a\": \"x\\qy\"}]", 1, 10, Some("\\qy"), ESCAPES),
        ("[{\"a\": \"x\\u12G4\"}]", 1, 14, Some("G4"), &["0-9", "a-f", "A-F"]),
        ("[{\"a\": \"line\nbreak\"}]", 1, 13, Some("U+000A"), &["\"", "\\n"]),
        ("[{\"a\": \"tab\t\"}]", 1, 12, Some("U+0009"), &["\"", "\\t"]),
        ("[{\"a\": \"x\u{1}\"}]", 1, 10, Some("U+0001"), &["\"", "\\uXXXX"]),
        ("[{\"a\": \"\\ud800x\"}]", 1, 9, Some("\\uD800"), &["\\uDC00-\\uDFFF"]),
        ("[{\"a\": \"\\ud800\\u0041\"}]", 1, 9, Some("\\uD800"), &["\\uDC00-\\uDFFF"]),
        ("[{\"a\": \"\\udc00\"}]", 1, 9, Some("\\uDC00"), &["\\uD800-\\uDBFF"]),
        ("[{\"a\": \"abc", 1, 12, None, &["\""]),
        ("[{\"a\": 1}", 1, 10, None, &[",", "]"]),
        ("[{\"a\": 1}] x", 1, 12, Some("x"), &[]),
        ("[{\"a\": 1},]", 1, 11, Some("]"), &["{"]),
        ("[{\"a\": 1},", 1, 11, None, &["{"]),
        ("[{\"a\": 1}, @]", 1, 12, Some("@"), &["{"]),
        ("[{\"a\" 1}]", 1, 7, Some("1"), &[":"]),
        ("[{a: 1}]", 1, 3, Some("a"), &["\""]),
        ("[{\"a\": 1} {\"a\": 2}]", 1, 11, Some("{"), &[",", "]"]),
        ("[", 1, 2, None, &["{", "]"]),
        // Inside skipped values: a nested value and a non-object element are still checked.
        ("[{\"a\": 1}, {\"a\": [1, 2}]", 1, 23, Some("}"), &[",", "]"]),
        ("[{\"a\": 1}, {\"a\": {\"b\" 1}}]", 1, 23, Some("1"), &[":"]),
        ("[{\"a\": 1}, [1,]]", 1, 15, Some("]"), VALUE),
        // Columns count characters, not bytes.
        ("[{\"tên\": \"Hà Nội\", \"số\": x}]", 1, 26, Some("x"), VALUE),
        ("[\n  {\"a\": 1},\n  {\"a\": ?}\n]", 3, 9, Some("?"), VALUE),
    ];
    for &(text, line, col, found, expected) in cases {
        let e = first_error(text.as_bytes());
        assert_eq!((e.line, e.col, e.msg), (line, col, syntax(found, expected)), "{text:?}");
    }
}

#[test]
fn whole_file_problems() {
    for text in ["", "  \n", "[]", " [ \n ] ", "[{}]"] {
        assert_eq!(first_error(text.as_bytes()), SourceError { line: 0, col: 0, msg: Msg::EmptyDataFile }, "{text:?}");
    }
    let not_array = |line, col| SourceError { line, col, msg: Msg::JsonNotArray };
    assert_eq!(first_error(b"{\"a\": 1}"), not_array(1, 1));
    assert_eq!(first_error(b"\n  {\"data\": [{\"a\": 1}]}"), not_array(2, 3));
    assert_eq!(first_error(b"\"[]\""), not_array(1, 1));
    // Without a first object there is no header.
    let e = first_error(b"[1, {\"a\": 1}]");
    assert_eq!(e, SourceError { line: 1, col: 2, msg: Msg::JsonRowNotObject { index: 1 } });
    assert_eq!(Msg::JsonNotArray.code(), "E0420");
    assert_eq!(
        Msg::JsonNotArray.vi(),
        "tệp JSON phải là một mảng các đối tượng, mỗi đối tượng là một dòng: `[{\"cột\": giá trị, ...}, ...]`"
    );
    assert_eq!(
        Msg::JsonNotArray.en(),
        "a JSON data file must be an array of objects, one object per row: `[{\"column\": value, ...}, ...]`"
    );
}

#[test]
fn a_problem_in_the_first_object_keeps_its_header() {
    let text = "[{\"a\": 1, \"b\": [2], \"a\": 3},\n {\"b\": 4}]";
    let mut source = json_rows(text.as_bytes()).unwrap();
    assert_eq!(source.header(), ["a", "b"]);
    assert_eq!(drain(&mut source), [error(1, 16, Msg::JsonNestedValue { key: "b".into() }), row(2, &["", "4"])]);
}

#[test]
fn byte_order_mark_and_crlf() {
    let text = b"\xEF\xBB\xBF[\r\n{\"a\": \"x\"},\r\n{\"a\": x}]";
    assert_eq!(
        rows(text),
        [row(2, &["x"]), error(3, 7, syntax(Some("x"), &["\"", "0-9", "-", "true", "false", "null"]))]
    );
    // A BOM is not a column: the first character after it is column 1.
    assert_eq!(first_error(b"\xEF\xBB\xBF{}"), SourceError { line: 1, col: 1, msg: Msg::JsonNotArray });
}

#[test]
fn keys_are_normalised_like_values() {
    // The header is NFC, and a later object spelling the key in NFD still matches it.
    let text = "[{\"te\u{302}n\": \"Hue\u{302}\u{301}\"}, {\"tên\": \"Vinh\"}]";
    let mut source = json_rows(text.as_bytes()).unwrap();
    assert_eq!(source.header(), ["tên"]);
    assert_eq!(drain(&mut source), [row(1, &["Huế"]), row(1, &["Vinh"])]);
}

#[test]
fn read_errors_are_reported_once() {
    struct Broken(usize);
    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let text = b"[{\"a\": 1},\n{\"a\": 2},";
            if self.0 >= text.len() {
                return Err(io::Error::other("disk on fire"));
            }
            let n = buf.len().min(4).min(text.len() - self.0);
            buf[..n].copy_from_slice(&text[self.0..self.0 + n]);
            self.0 += n;
            Ok(n)
        }
    }
    let mut source = json_rows(Broken(0)).unwrap();
    let msg = Msg::SourceUnreadable { detail: "disk on fire".into() };
    assert_eq!(drain(&mut source), [row(1, &["1"]), row(2, &["2"]), error(2, 10, msg.clone())]);
    assert_eq!(msg.code(), "E0428");
    assert_eq!(msg.vi(), "không đọc được tệp dữ liệu: disk on fire");
    assert_eq!(msg.en(), "cannot read the data file: disk on fire");
}

#[test]
fn the_hash_covers_the_whole_file() {
    // How table.rs uses it: rows through the hashing reader, then `finish` drains the rest.
    let bytes = fixture("provinces.json");
    let mut source = json_rows(crate::validate::table::HashingReader::new(bytes.as_slice())).unwrap();
    let mut record = csv::StringRecord::new();
    assert_eq!(source.next_row(&mut record), Ok(Some(2)));
    let (hash, size) = source.into_inner().finish().unwrap();
    let (expected, _) = crate::validate::table::HashingReader::new(bytes.as_slice()).finish().unwrap();
    assert_eq!((hash, size), (expected, bytes.len() as u64));
}

#[test]
fn works_as_a_trait_object() {
    let bytes = fixture("provinces.json");
    let mut source: Box<dyn RowSource + '_> = Box::new(json_rows(bytes.as_slice()).unwrap());
    assert_eq!(drain(&mut source).len(), 4);
}

/// Generates `[{…},\n{…},\n…]` on the fly, counting the bytes handed out, so the test itself
/// holds no large buffer either.
struct Generated {
    rows: u64,
    next: u64,
    line: Vec<u8>,
    pos: usize,
    sent: u64,
}

impl Generated {
    fn line(i: u64) -> String {
        format!(
            "{{\"ma_xa\": \"{i:06}\", \"ten_xa\": \"Xã Phúc Xá số {i}\", \"dan_so\": {}, \"ty_le\": 0.{:03}, \
             \"ghi_chu\": null}}",
            i * 7 % 100_000,
            i % 1000
        )
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::io::Write;
        if self.pos == self.line.len() {
            self.line.clear();
            self.pos = 0;
            match self.next {
                n if n < self.rows => {
                    let sep = if n == 0 { "[\n" } else { ",\n" };
                    write!(self.line, "{sep}{}", Generated::line(n))?;
                }
                n if n == self.rows => self.line.extend_from_slice(b"\n]\n"),
                _ => return Ok(0),
            }
            self.next += 1;
        }
        let n = buf.len().min(self.line.len() - self.pos);
        buf[..n].copy_from_slice(&self.line[self.pos..self.pos + n]);
        self.pos += n;
        self.sent += n as u64;
        Ok(n)
    }
}

/// A multi-megabyte array streams: the first row comes after at most one 64 KiB buffer of input,
/// and the reader's buffers stay under 128 KiB to the end. The default size (8 MB) keeps the
/// debug test under a few seconds; `ODP_JSON_STREAM_MB=50 cargo test json_streams` (or
/// `ODP_JSON_STREAM_MB=4000 cargo test --release json_streams` for a multi-gigabyte file)
/// checks the same at scale.
#[test]
fn json_streams_with_bounded_memory() {
    let megabytes: u64 = std::env::var("ODP_JSON_STREAM_MB").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let rows = megabytes * 1_000_000 / (Generated::line(500_000).len() as u64 + 2);
    let mut source = json_rows(Generated { rows, next: 0, line: Vec::new(), pos: 0, sent: 0 }).unwrap();
    assert_eq!(source.header(), ["ma_xa", "ten_xa", "dan_so", "ty_le", "ghi_chu"]);
    assert!(source.get_ref().sent <= 1 << 16, "read {} bytes before the first row", source.get_ref().sent);

    let mut record = csv::StringRecord::new();
    let mut count = 0;
    while let Some(line) = source.next_row(&mut record).unwrap() {
        assert_eq!(line, count + 2);
        if count % 9973 == 0 {
            let ma = format!("{count:06}");
            let ten = format!("Xã Phúc Xá số {count}");
            let dan_so = (count * 7 % 100_000).to_string();
            let ty_le = format!("0.{:03}", count % 1000);
            assert_eq!(record, vec![ma.as_str(), &ten, &dan_so, &ty_le, ""]);
        }
        count += 1;
    }
    assert_eq!(count, rows);
    assert!(source.buffered_capacity() < 128 << 10, "buffers grew to {}", source.buffered_capacity());
    let sent = source.into_inner().sent;
    assert!(sent >= megabytes * 990_000, "only {sent} bytes for {megabytes} MB");
}
