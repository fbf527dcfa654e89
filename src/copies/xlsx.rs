//! A minimal streaming XLSX writer for the `.xlsx` copy: one worksheet of inline strings,
//! numbers, booleans and dates, the header row bold and frozen. Written by hand over the `zip`
//! crate the package already uses, rather than with rust_xlsxwriter, because (1) rows are
//! streamed into the deflated sheet entry, so memory stays bounded for big tables, (2) every zip
//! entry carries the dataset's date and there are no docProps with a creation time, so the file
//! is byte-reproducible, and (3) no extra crate (rust_xlsxwriter costs ~40 s of release build).
//! The parts are the ones ECMA-376 requires of a workbook; Excel, LibreOffice, calamine and
//! openpyxl read them.

use crate::validate::rows::Value;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Cell styles: 0 general, 1 date, 2 date-time, 3 bold (header).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd\ hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// Writes one worksheet row by row; `finish` adds the other parts and closes the zip.
pub struct SheetWriter {
    zip: zip::ZipWriter<crate::package::ZipSink>,
    options: SimpleFileOptions,
    date: zip::DateTime,
    sheet_name: String,
    row: u32,
    /// Sheet XML not yet handed to the deflater: many small writes each cost a compressor call
    /// (issue 7), so rows are gathered here and written in large pieces.
    buf: Vec<u8>,
    parts: ConstantParts,
}

type ConstantParts = zip::ZipArchive<std::io::Cursor<&'static [u8]>>;

/// The parts every copy has byte for byte, deflated once per run and copied raw into each file
/// with its own date (issue 7: four of the six deflate streams of a small table's copy). The
/// same compressor and settings as `start_file`, so the files' bytes are what they were. The
/// archive is read once; each file gets a clone (its index is shared).
fn constant_parts() -> Result<ConstantParts> {
    static PARTS: std::sync::OnceLock<Option<ConstantParts>> = std::sync::OnceLock::new();
    let build = || -> zip::result::ZipResult<ConstantParts> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = crate::package::zip_options(zip::DateTime::default());
        for (name, text) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ] {
            zip.start_file(name, options)?;
            zip.write_all(text.as_bytes())?;
        }
        // Kept for the whole run, as the constants it is made of are.
        let bytes: &'static [u8] = Box::leak(zip.finish()?.into_inner().into_boxed_slice());
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
    };
    PARTS.get_or_init(|| build().ok()).clone().context("failed to prepare the XLSX parts every copy shares")
}

/// How much sheet XML is gathered before it is deflated.
const SHEET_CHUNK: usize = 1 << 16;

impl SheetWriter {
    /// Starts the file with the sheet entry open. `sheet` is the worksheet's name (≤ 31 chars);
    /// `extent` is (columns, rows including the header), declared as the sheet's `<dimension>` so
    /// readers give every row its full width even when its last cells are empty.
    /// `estimate` is the expected size of the sheet's XML (memory or file: `package::ZipSink`).
    pub fn create(
        dest: PathBuf,
        sheet: &str,
        date: zip::DateTime,
        extent: (usize, u64),
        estimate: u64,
    ) -> Result<SheetWriter> {
        let mut zip = zip::ZipWriter::new(crate::package::ZipSink::new(dest, estimate)?);
        let options = crate::package::zip_options(date);
        let mut parts = constant_parts()?;
        zip.raw_copy_file_touch(parts.by_name("[Content_Types].xml")?, date, Some(0o644))?;
        zip.raw_copy_file_touch(parts.by_name("_rels/.rels")?, date, Some(0o644))?;
        let level = crate::package::small_entry_level(estimate);
        zip.start_file("xl/worksheets/sheet1.xml", options.large_file(true).compression_level(level))?;
        let mut buf = Vec::with_capacity(SHEET_CHUNK + 4096);
        let last = format!("{}{}", column(extent.0.max(1) - 1), extent.1.max(1));
        write!(
            buf,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:{last}\"/>"
        )?;
        buf.extend_from_slice(
            b"<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>",
        );
        let sheet_name: String = sheet.chars().take(31).collect();
        Ok(SheetWriter { zip, options, date, sheet_name, row: 0, buf, parts })
    }

    /// The header row (bold).
    pub fn header(&mut self, names: &[&str]) -> Result<()> {
        self.row += 1;
        let r = self.row;
        write!(self.buf, "<row r=\"{r}\">")?;
        for (i, n) in names.iter().enumerate() {
            write!(self.buf, "<c r=\"{}{r}\" s=\"3\" t=\"inlineStr\"><is>{}</is></c>", column(i), text_run(n))?;
        }
        self.buf.extend_from_slice(b"</row>");
        self.spill()?;
        Ok(())
    }

    /// One data row; a missing value leaves its cell out.
    pub fn row(&mut self, cells: &[Value<'_>]) -> Result<()> {
        self.row += 1;
        let r = self.row;
        write!(self.buf, "<row r=\"{r}\">")?;
        for (i, v) in cells.iter().enumerate() {
            let at = format!("{}{r}", column(i));
            match *v {
                Value::Null => continue,
                Value::String(s) => write!(self.buf, "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>", text_run(s))?,
                Value::Integer(n) => write!(self.buf, "<c r=\"{at}\"><v>{n}</v></c>")?,
                Value::Year(n) => write!(self.buf, "<c r=\"{at}\"><v>{n}</v></c>")?,
                Value::Number(n) if n.is_finite() => {
                    write!(self.buf, "<c r=\"{at}\"><v>{}</v></c>", super::number_text(n))?
                }
                Value::Number(n) => {
                    write!(self.buf, "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>", text_run(&super::number_text(n)))?
                }
                Value::Boolean(b) => write!(self.buf, "<c r=\"{at}\" t=\"b\"><v>{}</v></c>", u8::from(b))?,
                Value::Date(d) => match serial(d) {
                    Some(s) => write!(self.buf, "<c r=\"{at}\" s=\"1\"><v>{s}</v></c>")?,
                    None => write!(
                        self.buf,
                        "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>",
                        text_run(&super::iso_date(d))
                    )?,
                },
                // Excel has no time zones: a datetime with an offset stays ISO 8601 text.
                Value::Datetime(dt, None) if serial(dt.date()).is_some() => {
                    let day = serial(dt.date()).unwrap_or(0) as f64;
                    let (h, m, s, nanos) = dt.time().as_hms_nano();
                    let secs = f64::from(h) * 3600.0 + f64::from(m) * 60.0 + f64::from(s) + f64::from(nanos) / 1e9;
                    write!(self.buf, "<c r=\"{at}\" s=\"2\"><v>{}</v></c>", super::number_text(day + secs / 86400.0))?
                }
                Value::Datetime(dt, off) => write!(
                    self.buf,
                    "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>",
                    text_run(&super::iso_datetime(dt, off))
                )?,
                Value::Geopoint { lon, lat } => write!(
                    self.buf,
                    "<c r=\"{at}\" t=\"inlineStr\"><is>{}</is></c>",
                    text_run(&format!("{}, {}", super::number_text(lon), super::number_text(lat)))
                )?,
            }
        }
        self.buf.extend_from_slice(b"</row>");
        self.spill()?;
        Ok(())
    }

    /// Deflates the gathered rows once there are enough of them.
    fn spill(&mut self) -> Result<()> {
        if self.buf.len() >= SHEET_CHUNK {
            self.zip.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Closes the sheet, writes the workbook and styles; returns the file's SHA-256 and size.
    pub fn finish(mut self) -> Result<(String, u64)> {
        self.buf.extend_from_slice(b"</sheetData></worksheet>");
        self.zip.write_all(&self.buf)?;
        let date = self.date;
        self.zip.raw_copy_file_touch(self.parts.by_name("xl/_rels/workbook.xml.rels")?, date, Some(0o644))?;
        self.zip.raw_copy_file_touch(self.parts.by_name("xl/styles.xml")?, date, Some(0o644))?;
        let workbook = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            super::xml_escape(&self.sheet_name)
        );
        let options = crate::package::entry_options(self.options, workbook.len() as u64);
        self.zip.start_file("xl/workbook.xml", options)?;
        self.zip.write_all(workbook.as_bytes())?;
        self.zip.finish()?.close()
    }
}

/// `<t>` with `xml:space="preserve"` when the text has edge spaces Excel would otherwise trim.
fn text_run(s: &str) -> String {
    let esc = super::xml_escape(s);
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        format!("<t xml:space=\"preserve\">{esc}</t>")
    } else {
        format!("<t>{esc}</t>")
    }
}

/// Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA.
fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Excel's day number of a date (1900 system), for dates from 1900-03-01 on (earlier ones hit
/// Excel's fictitious 1900-02-29 and are written as text).
fn serial(d: time::Date) -> Option<i64> {
    let epoch = time::macros::date!(1899 - 12 - 30);
    (d >= time::macros::date!(1900 - 03 - 01)).then(|| i64::from(d.to_julian_day() - epoch.to_julian_day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_serials() {
        assert_eq!([column(0), column(25), column(26), column(701), column(702)], ["A", "Z", "AA", "ZZ", "AAA"]);
        assert_eq!(serial(time::macros::date!(2025 - 07 - 01)), Some(45839));
        assert_eq!(serial(time::macros::date!(1900 - 01 - 01)), None);
    }
}
