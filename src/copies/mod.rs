//! Format copies of every table (issue 5 §1; formats of 000 Art. 4.4.a): beside
//! `/datasets/<id>/<resource>.<ext>` the build writes, typed by the resource's data dictionary,
//!
//! - `<resource>.json`: an array of objects; numbers as numbers, booleans as booleans, dates and
//!   datetimes ISO 8601, years as integers, geopoints `[lon, lat]`, a missing cell `null`;
//! - `<resource>.csv`: UTF-8 CSV with canonical values (`.` decimal point, no grouping, ISO dates);
//! - `<resource>.excel.csv`: the same CSV preceded by a byte-order mark, which Excel needs to
//!   read UTF-8 (for a CSV original it is the original text with a BOM);
//! - `<resource>.xlsx`: one worksheet, header row frozen, numbers as numbers, dates as dates;
//! - `<resource>.xml`: `<table><row><field>value</field>…</row>…</table>`.
//!
//! A copy in the original's own format is not written (a CSV original is already the `.csv`).
//! Copies are written in one streaming pass over the rows (`validate::table::open_source`, the
//! reader validation used), so memory stays bounded; the XLSX is written by hand (see `xlsx`) so
//! its zip entries carry the dataset's date, like the package zip, and the bytes are reproducible.

mod xlsx;

use crate::model::{CopyFacts, Dataset, FieldType, FileResource, Portal, ResourceKind, Schema};
use crate::output::Staging;
use crate::urls;
use crate::validate::published::{PublishedFile, changed_since_validation};
use crate::validate::rows::{CellParser, Value};
use crate::validate::table::open_source;
use anyhow::{Context, Result};
use serde_json::{Value as Json, json};
use std::fs::File;
use std::io::{BufWriter, Write};
use time::{Date, PrimitiveDateTime, UtcOffset};

/// Excel's row limit (header included): a bigger table gets no `.xlsx` copy.
pub const XLSX_MAX_ROWS: u64 = 1_048_575;

/// The kinds of copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    Json,
    Csv,
    ExcelCsv,
    Xlsx,
    Xml,
}

impl CopyKind {
    /// Suffix appended to the resource id.
    pub fn suffix(self) -> &'static str {
        match self {
            CopyKind::Json => ".json",
            CopyKind::Csv => ".csv",
            CopyKind::ExcelCsv => ".excel.csv",
            CopyKind::Xlsx => ".xlsx",
            CopyKind::Xml => ".xml",
        }
    }
    pub fn format(self) -> &'static str {
        match self {
            CopyKind::Json => "JSON",
            CopyKind::Csv | CopyKind::ExcelCsv => "CSV",
            CopyKind::Xlsx => "XLSX",
            CopyKind::Xml => "XML",
        }
    }
}

/// The copies file resource `id` gets: tables with a data dictionary only, never one that would
/// take the original's own URL or the package descriptor's (a resource named `datapackage`).
pub fn kinds(id: &str, f: &FileResource) -> Vec<CopyKind> {
    if !f.is_tabular() || f.schema.is_none() || id == "datapackage" {
        return Vec::new();
    }
    let rows = f.facts.as_ref().and_then(|x| x.rows).unwrap_or(0);
    [CopyKind::Json, CopyKind::Csv, CopyKind::ExcelCsv, CopyKind::Xlsx, CopyKind::Xml]
        .into_iter()
        .filter(|k| format!(".{}", f.extension) != k.suffix())
        .filter(|k| *k != CopyKind::Xlsx || rows <= XLSX_MAX_ROWS)
        .collect()
}

/// Whether a resource has any copy (so the pipeline plans a job for it).
pub fn has_copies(id: &str, f: &FileResource) -> bool {
    !kinds(id, f).is_empty()
}

/// Writes every copy of one resource into the staging folder; returns their facts in `kinds` order.
pub fn write(d: &Dataset, resource: &str, root: &std::path::Path, out: &Staging) -> Result<Vec<CopyFacts>> {
    let r = d.resources.iter().find(|r| r.id == resource).context("resource vanished")?;
    let ResourceKind::File(f) = &r.kind else { return Ok(Vec::new()) };
    let Some(schema) = &f.schema else { return Ok(Vec::new()) };
    let kinds = kinds(&r.id, f);
    let src = root.join(&d.dir).join(&f.path.value);
    let path_of = |k: CopyKind| format!("datasets/{}/{}{}", d.id, r.id, k.suffix());

    let mut source = open_source(&src, f, f.facts.as_ref())
        .with_context(|| format!("failed to read `{}` as a table", src.display()))?;
    let header = source.header().to_vec();
    let columns: Vec<Option<usize>> =
        schema.fields.iter().map(|fl| header.iter().position(|h| *h == fl.name.value)).collect();
    let parsers: Vec<CellParser> = schema
        .fields
        .iter()
        .map(|fl| CellParser::new(fl, schema))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{}: data dictionary not usable: {e:?}", src.display()))?;
    let canonical = source.canonical();
    let names: Vec<&str> = schema.fields.iter().map(|fl| fl.name.value.as_str()).collect();

    let mut json_w = open_if(out, kinds.contains(&CopyKind::Json), &path_of(CopyKind::Json))?;
    let mut csv_w = open_if(out, kinds.contains(&CopyKind::Csv), &path_of(CopyKind::Csv))?
        .map(|w| csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(w));
    let mut xml_w = open_if(out, kinds.contains(&CopyKind::Xml), &path_of(CopyKind::Xml))?;
    let mut xlsx_w = if kinds.contains(&CopyKind::Xlsx) {
        let dest = out.file(&path_of(CopyKind::Xlsx))?;
        let rows = f.facts.as_ref().and_then(|x| x.rows).unwrap_or(0);
        let extent = (names.len(), rows + 1);
        // The sheet's XML is a few times the table's text; its size decides memory or file.
        let estimate = f.facts.as_ref().map_or(u64::MAX, |x| x.bytes.saturating_mul(4));
        Some(xlsx::SheetWriter::create(dest, &r.id, crate::package::zip_date(d), extent, estimate)?)
    } else {
        None
    };
    let xml_names = XmlNames::of(&names);

    if let Some(w) = &mut csv_w {
        w.write_record(&names)?;
    }
    if let Some(w) = &mut xlsx_w {
        w.header(&names)?;
    }
    if let Some(w) = &mut json_w {
        w.write_all(b"[")?;
    }
    if let Some(w) = &mut xml_w {
        writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        write!(w, "<table dataset=\"{}\" resource=\"{}\"", xml_escape(&d.id), xml_escape(&r.id))?;
        writeln!(w, " source=\"{}\">", xml_escape(&format!("{}.{}", r.id, f.extension)))?;
    }

    let mut record = csv::StringRecord::new();
    let mut first = true;
    let mut text = String::new();
    loop {
        let row = match source.next_row(&mut record) {
            Ok(Some(_)) => &record,
            Ok(None) => break,
            // Validation refused every unreadable row before the build started; a row that
            // fails now means the file changed under us.
            Err(e) => {
                let row = anyhow::anyhow!("row unreadable while writing copies: {:?}", e.msg);
                return Err(row.context(changed_since_validation(&src)));
            }
        };
        let mut cells: Vec<Value<'_>> = Vec::with_capacity(names.len());
        for (i, p) in parsers.iter().enumerate() {
            let raw = columns[i].and_then(|c| row.get(c)).unwrap_or("");
            cells.push(p.parse(raw, canonical).unwrap_or(Value::String(raw)));
        }
        if let Some(w) = &mut json_w {
            w.write_all(if first { b"\n{" } else { b",\n{" })?;
            for (i, v) in cells.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, names[i])?;
                w.write_all(b":")?;
                write_json(w, v)?;
            }
            w.write_all(b"}")?;
        }
        if let Some(w) = &mut csv_w {
            for v in &cells {
                text.clear();
                canonical_text(&mut text, v);
                w.write_field(&text)?;
            }
            w.write_record(None::<&[u8]>)?;
        }
        if let Some(w) = &mut xml_w {
            w.write_all(b"  <row>")?;
            for (i, v) in cells.iter().enumerate() {
                if matches!(v, Value::Null) {
                    continue;
                }
                text.clear();
                canonical_text(&mut text, v);
                xml_names.write(w, i, &xml_escape(&text))?;
            }
            w.write_all(b"</row>\n")?;
        }
        if let Some(w) = &mut xlsx_w {
            w.row(&cells)?;
        }
        first = false;
    }
    // (kind, (SHA-256, bytes)) of each copy as it is closed.
    let mut written: Vec<(CopyKind, (String, u64))> = Vec::new();
    if let Some(mut w) = json_w {
        w.write_all(if first { b"]\n" } else { b"\n]\n" })?;
        written.push((CopyKind::Json, HashedFile::close(w)?));
    }
    if let Some(w) = csv_w {
        let w = w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        written.push((CopyKind::Csv, HashedFile::close(w)?));
    }
    if let Some(mut w) = xml_w {
        w.write_all(b"</table>\n")?;
        written.push((CopyKind::Xml, HashedFile::close(w)?));
    }
    if let Some(w) = xlsx_w {
        written.push((CopyKind::Xlsx, w.finish()?));
    }
    if kinds.contains(&CopyKind::ExcelCsv) {
        // BOM + the UTF-8 CSV: the original when it is a CSV, else the canonical copy.
        let csv_src = if f.extension == "csv" {
            let facts = f.facts.as_ref().context("data file facts missing after validation")?;
            PublishedFile::of(src.clone(), facts).reader()?
        } else {
            Box::new(std::io::BufReader::new(File::open(out.written_path(&path_of(CopyKind::Csv)))?))
        };
        let mut reader = csv_src;
        let mut w = open_if(out, true, &path_of(CopyKind::ExcelCsv))?.context("excel csv")?;
        w.write_all("\u{feff}".as_bytes())?;
        std::io::copy(&mut reader, &mut w)?;
        written.push((CopyKind::ExcelCsv, HashedFile::close(w)?));
    }

    let mut facts = Vec::new();
    for k in kinds {
        let rel = path_of(k);
        let (sha256, bytes) =
            written.iter().find(|(w, _)| *w == k).map(|(_, h)| h.clone()).context("copy not written")?;
        facts.push(CopyFacts {
            file_name: rel.rsplit('/').next().unwrap_or(&rel).to_string(),
            format: k.format().to_string(),
            encoding: (k == CopyKind::ExcelCsv).then(|| "utf-8-sig".to_string()),
            bytes,
            sha256,
        });
    }
    Ok(facts)
}

/// A copy's file, hashed as it is written: its SHA-256 and size without reading it back.
struct HashedFile {
    file: File,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl HashedFile {
    /// Flushes the buffered writer; returns the file's SHA-256 (hex) and size.
    fn close(w: BufWriter<HashedFile>) -> Result<(String, u64)> {
        use sha2::Digest;
        let h = w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        Ok((crate::validate::table::hex(&h.hasher.finalize()), h.bytes))
    }
}

impl Write for HashedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn open_if(out: &Staging, wanted: bool, rel: &str) -> Result<Option<BufWriter<HashedFile>>> {
    if !wanted {
        return Ok(None);
    }
    let dest = out.file(rel)?;
    let file = File::create(&dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
    Ok(Some(BufWriter::with_capacity(1 << 16, HashedFile { file, hasher: Default::default(), bytes: 0 })))
}

/// Fills a portal's file facts with the copies written in the build's first phase.
pub fn attach(portal: &mut Portal, facts: Vec<(String, String, Vec<CopyFacts>)>) {
    for (dataset, resource, copies) in facts {
        // Datasets are sorted by id (`Portal::dataset`); a linear find here was quadratic.
        let Ok(i) = portal.datasets.binary_search_by(|d| d.id.as_str().cmp(&dataset)) else { continue };
        let d = &mut portal.datasets[i];
        if let Some(r) = d.resources.iter_mut().find(|r| r.id == resource)
            && let ResourceKind::File(f) = &mut r.kind
            && let Some(x) = &mut f.facts
        {
            x.copies = copies;
        }
    }
}

/// The site-relative URL of a copy.
pub fn copy_path(dataset: &str, copy: &CopyFacts) -> String {
    format!("{}{}", urls::dataset(dataset), copy.file_name)
}

// --- values ---

fn write_json(w: &mut impl Write, v: &Value<'_>) -> std::io::Result<()> {
    match *v {
        Value::Null => w.write_all(b"null"),
        Value::String(s) => serde_json::to_writer(&mut *w, s).map_err(std::io::Error::other),
        Value::Integer(i) => write!(w, "{i}"),
        Value::Number(n) if n.is_finite() => serde_json::to_writer(&mut *w, &n).map_err(std::io::Error::other),
        // JSON has no NaN or infinity: Table Schema's lexical forms, as strings.
        Value::Number(n) => write!(w, "\"{}\"", non_finite(n)),
        Value::Boolean(b) => write!(w, "{b}"),
        Value::Year(y) => write!(w, "{y}"),
        Value::Geopoint { lon, lat } => {
            w.write_all(b"[")?;
            serde_json::to_writer(&mut *w, &lon).map_err(std::io::Error::other)?;
            w.write_all(b",")?;
            serde_json::to_writer(&mut *w, &lat).map_err(std::io::Error::other)?;
            w.write_all(b"]")
        }
        Value::Date(d) => write!(w, "\"{}\"", iso_date(d)),
        Value::Datetime(dt, off) => write!(w, "\"{}\"", iso_datetime(dt, off)),
    }
}

fn non_finite(n: f64) -> &'static str {
    if n.is_nan() {
        "NaN"
    } else if n > 0.0 {
        "INF"
    } else {
        "-INF"
    }
}

/// A number as text: the shortest form that reads back to the same `f64`, `.` as decimal point.
pub(crate) fn number_text(n: f64) -> String {
    if !n.is_finite() {
        return non_finite(n).to_string();
    }
    let a = n.abs();
    if a != 0.0 && !(1e-6..1e16).contains(&a) { format!("{n:e}") } else { format!("{n}") }
}

/// A cell as canonical text (CSV and XML copies): what Table Schema reads by default.
fn canonical_text(out: &mut String, v: &Value<'_>) {
    use std::fmt::Write as _;
    match *v {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        Value::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Year(y) => {
            let _ = write!(out, "{y}");
        }
        Value::Geopoint { lon, lat } => {
            let _ = write!(out, "{}, {}", number_text(lon), number_text(lat));
        }
        Value::Date(d) => out.push_str(&iso_date(d)),
        Value::Datetime(dt, off) => out.push_str(&iso_datetime(dt, off)),
    }
}

pub(crate) fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(crate) fn iso_datetime(dt: PrimitiveDateTime, off: Option<UtcOffset>) -> String {
    let (h, m, s, nanos) = dt.time().as_hms_nano();
    let mut out = format!("{}T{h:02}:{m:02}:{s:02}", iso_date(dt.date()));
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    if let Some(off) = off {
        if off.is_utc() {
            out.push('Z');
        } else {
            let (oh, om, _) = off.as_hms();
            let sign = if off.is_negative() { '-' } else { '+' };
            out.push_str(&format!("{sign}{:02}:{:02}", oh.unsigned_abs(), om.unsigned_abs()));
        }
    }
    out
}

/// Escapes text for XML content and attributes; drops the control characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// How fields are written in the XML copy: as elements named after the fields when every name is
/// an XML name (`<province_code>01</province_code>`), else as `<field name="…">` for all.
enum XmlNames {
    Elements(Vec<String>),
    Attributes(Vec<String>),
}

impl XmlNames {
    fn of(names: &[&str]) -> XmlNames {
        let ok = |n: &str| {
            let mut chars = n.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !n.to_ascii_lowercase().starts_with("xml")
        };
        if names.iter().all(|n| ok(n)) {
            XmlNames::Elements(names.iter().map(|n| n.to_string()).collect())
        } else {
            XmlNames::Attributes(names.iter().map(|n| xml_escape(n)).collect())
        }
    }

    fn write(&self, w: &mut impl Write, i: usize, escaped: &str) -> std::io::Result<()> {
        match self {
            XmlNames::Elements(n) => write!(w, "<{0}>{escaped}</{0}>", n[i]),
            XmlNames::Attributes(n) => write!(w, "<field name=\"{}\">{escaped}</field>", n[i]),
        }
    }
}

// --- Data Package entries ---

/// The Table Schema of a copy: the dictionary with canonical spellings (no `decimalChar`,
/// `groupChar` or date `format`; geopoints as `[lon, lat]` arrays in the JSON copy).
pub fn canonical_schema(schema: &Schema, kind: CopyKind) -> Json {
    let fields: Vec<Json> = schema
        .fields
        .iter()
        .map(|field| {
            crate::package::field_descriptor(field, |v| {
                if field.ty == FieldType::Geopoint && kind == CopyKind::Json {
                    v["format"] = json!("array");
                }
            })
        })
        .collect();
    let mut s = json!({ "fields": fields });
    if !schema.primary_key.is_empty() {
        s["primaryKey"] = json!(schema.primary_key.iter().map(|k| &k.value).collect::<Vec<_>>());
    }
    s
}

/// The Data Package resources of a table's copies (appended to the site's `datapackage.json`).
pub fn package_resources(d: &Dataset) -> Vec<Json> {
    let mut out = Vec::new();
    for r in &d.resources {
        let ResourceKind::File(f) = &r.kind else { continue };
        let (Some(schema), Some(facts)) = (&f.schema, &f.facts) else { continue };
        for c in &facts.copies {
            let kind = kind_of(&c.file_name);
            let ext = c.file_name.rsplit('.').next().unwrap_or("");
            let mut res = json!({
                "name": c.file_name,
                "path": c.file_name,
                "title": format!("{} ({})", r.title.vi, copy_label_vi(kind)),
                "format": ext,
                "mediatype": crate::package::media_type(&c.format),
                "bytes": c.bytes,
                "hash": format!("sha256:{}", c.sha256),
                "odp:copyOf": format!("{}.{}", r.id, f.extension),
            });
            if kind != CopyKind::Xml {
                res["type"] = json!("table");
                if kind != CopyKind::Xlsx {
                    res["encoding"] = json!(c.encoding.as_deref().unwrap_or("utf-8"));
                }
                res["schema"] = canonical_schema(schema, kind);
            }
            out.push(res);
        }
    }
    out
}

/// The kind of a copy from its file name.
pub fn kind_of(file_name: &str) -> CopyKind {
    if file_name.ends_with(".excel.csv") {
        CopyKind::ExcelCsv
    } else if file_name.ends_with(".csv") {
        CopyKind::Csv
    } else if file_name.ends_with(".xlsx") {
        CopyKind::Xlsx
    } else if file_name.ends_with(".xml") {
        CopyKind::Xml
    } else {
        CopyKind::Json
    }
}

fn copy_label_vi(k: CopyKind) -> &'static str {
    match k {
        CopyKind::Json => "bản JSON có kiểu dữ liệu",
        CopyKind::Csv => "bản CSV UTF-8",
        CopyKind::ExcelCsv => "bản CSV cho Excel, có BOM",
        CopyKind::Xlsx => "bản Excel XLSX",
        CopyKind::Xml => "bản XML",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_text() {
        assert_eq!(number_text(3359.97), "3359.97");
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(1e300), "1e300");
        assert_eq!(number_text(f64::NEG_INFINITY), "-INF");
        let dt = PrimitiveDateTime::new(time::macros::date!(2025 - 07 - 01), time::macros::time!(08:30:00.25));
        assert_eq!(iso_datetime(dt, Some(UtcOffset::UTC)), "2025-07-01T08:30:00.25Z");
        assert_eq!(iso_datetime(dt, Some(time::macros::offset!(+7))), "2025-07-01T08:30:00.25+07:00");
        assert_eq!(iso_datetime(dt, None), "2025-07-01T08:30:00.25");
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn xml_names_fall_back_to_attributes() {
        let mut out = Vec::new();
        XmlNames::of(&["ma", "ten"]).write(&mut out, 1, "x").unwrap();
        XmlNames::of(&["ma", "tên cột"]).write(&mut out, 1, "y").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "<ten>x</ten><field name=\"tên cột\">y</field>");
    }
}
