//! The downloads of a dataset: `datapackage.json` (Frictionless Data Package v2 with `sha256:`
//! hashes), the zip package (data files + datapackage.json + README + usage terms +
//! SHA256SUMS) and `SHA256SUMS` in `sha256sum -c` format. Zips are byte-reproducible: entries
//! sorted, fixed times and modes; files are streamed, never read whole into memory.

use crate::model::{Dataset, FieldType, Lang, Portal, ResourceKind, Status};
use crate::urls::{self, Site};
use crate::validate::published::PublishedFile;
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use zip::write::SimpleFileOptions;

/// Zips up to this size are assembled in memory, hashed there and written with one call; larger
/// ones stream to their file. A zip's writer seeks back over every entry's header, which through a
/// file costs a flush and several system calls per entry, and the file had to be read back to
/// hash it (issue 7: 10,000 small zips in a 5,000-dataset build).
pub const IN_MEMORY_ZIP: u64 = 8 << 20;

/// Where a zip is written: memory or its file (see [`IN_MEMORY_ZIP`]).
pub enum ZipSink {
    Memory(std::io::Cursor<Vec<u8>>, PathBuf),
    File(BufWriter<File>, PathBuf),
}

impl ZipSink {
    /// A sink for a zip of about `estimate` bytes (before compression) bound for `dest`.
    pub fn new(dest: PathBuf, estimate: u64) -> Result<ZipSink> {
        if estimate <= IN_MEMORY_ZIP {
            return Ok(ZipSink::Memory(std::io::Cursor::new(Vec::with_capacity(estimate as usize / 2 + 4096)), dest));
        }
        let out = File::create(&dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
        Ok(ZipSink::File(BufWriter::new(out), dest))
    }

    /// Puts the bytes in their file; returns their SHA-256 (hex) and size.
    pub fn close(self) -> Result<(String, u64)> {
        match self {
            ZipSink::Memory(cursor, dest) => {
                let bytes = cursor.into_inner();
                std::fs::write(&dest, &bytes).with_context(|| format!("failed to write `{}`", dest.display()))?;
                Ok((sha256_hex(&bytes), bytes.len() as u64))
            }
            ZipSink::File(mut w, dest) => {
                w.flush()?;
                drop(w);
                crate::validate::table::sha256_file(&dest)
                    .with_context(|| format!("failed to read `{}`", dest.display()))
            }
        }
    }
}

impl Write for ZipSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            ZipSink::Memory(c, _) => c.write(buf),
            ZipSink::File(f, _) => f.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            ZipSink::Memory(c, _) => c.write_all(buf),
            ZipSink::File(f, _) => f.write_all(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            ZipSink::Memory(c, _) => c.flush(),
            ZipSink::File(f, _) => f.flush(),
        }
    }
}

impl std::io::Seek for ZipSink {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match self {
            ZipSink::Memory(c, _) => c.seek(pos),
            ZipSink::File(f, _) => f.seek(pos),
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::validate::table::hex(&sha2::Sha256::digest(bytes))
}

/// What goes into a zip entry.
pub enum Source {
    /// A data file, as validation kept it or read again (`validate::published`).
    File(PublishedFile),
    Bytes(Vec<u8>),
}

/// The entry settings of every zip odp writes (packages, XLSX copies): the given date, mode
/// 0644, deflate; nothing taken from the machine, so the bytes are reproducible.
pub fn zip_options(date: zip::DateTime) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644)
        .large_file(false)
}

/// Zip entries under 16 KiB (a package's README, usage terms, descriptor, checksums, a small
/// table; an XLSX copy's workbook and small sheet) are deflated at level 1: level 6 saves a
/// few hundred bytes per file, and building its Huffman codes for such small inputs cost more
/// than the rest of the package (issue 7: 7 entries per dataset, a sixth of a 5,000-dataset
/// build's CPU). Larger entries keep the default level, where its ratio pays.
pub fn small_entry_level(size: u64) -> Option<i64> {
    (size < 16 * 1024).then_some(1)
}

/// Entries under this size are stored, not deflated: deflate saves at most a couple of hundred
/// bytes there (a package's `TERMS.md`, 79 bytes, came out 85; `SHA256SUMS` 1% smaller), and
/// each deflated entry first clears the compressor's 128 KiB hash table (3.6% of a 5,000-dataset
/// build's samples were that `memset`: 7 entries per dataset, 3 of them this small).
pub const STORED_BELOW: u64 = 512;

/// `options` for an entry of `size` bytes: stored, or deflated at [`small_entry_level`].
pub fn entry_options(options: SimpleFileOptions, size: u64) -> SimpleFileOptions {
    if size < STORED_BELOW {
        options.compression_method(zip::CompressionMethod::Stored).compression_level(None)
    } else {
        options.compression_level(small_entry_level(size))
    }
}

/// Writes a reproducible zip: entries in name order, [`zip_options`]. Returns its SHA-256 (hex).
pub fn write_zip(dest: PathBuf, mut entries: Vec<(String, Source)>, date: zip::DateTime) -> Result<String> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // Each entry's size (as validation counted it): it sizes the sink and decides the zip64 flag.
    let sizes = (entries.iter())
        .map(|(_, source)| match source {
            Source::Bytes(b) => b.len() as u64,
            Source::File(file) => file.bytes,
        })
        .collect::<Vec<u64>>();
    let mut zip = zip::ZipWriter::new(ZipSink::new(dest, sizes.iter().sum())?);
    let options = zip_options(date);
    for ((name, source), size) in entries.into_iter().zip(sizes) {
        match source {
            Source::Bytes(bytes) => {
                zip.start_file(name.as_str(), entry_options(options, size))?;
                zip.write_all(&bytes)?;
            }
            Source::File(file) => {
                let large = size >= u32::MAX as u64 / 2;
                let failed = || format!("failed to read `{}`", file.path.display());
                let mut f = file.reader().with_context(failed)?;
                zip.start_file(name.as_str(), entry_options(options.large_file(large), size))?;
                copy_in_blocks(&mut f, &mut zip).with_context(failed)?;
            }
        }
    }
    Ok(zip.finish()?.close()?.0)
}

/// How much of a file the deflater is given at a time.
const FEED: usize = 64 * 1024;

/// Copies `from` into `to` in whole blocks of [`FEED`] bytes (the last one shorter), however
/// `from` returns them: zlib-rs's output depends on how its input is cut (a 177 KB table came
/// out 3 bytes apart fed as the decoder returned it or 8 KiB at a time), and a file comes from
/// validation's kept bytes or from the disk (`validate::published`), so the zip's bytes must not
/// depend on which.
fn copy_in_blocks(from: &mut dyn Read, to: &mut impl Write) -> std::io::Result<()> {
    let mut block = Vec::new();
    loop {
        block.clear();
        let filled = from.take(FEED as u64).read_to_end(&mut block)?;
        to.write_all(&block)?;
        if filled < FEED {
            return Ok(());
        }
    }
}

/// The zip timestamp of a dataset: its `modified` (else `issued`) date, else 1980-01-01,
/// so the package is reproducible and still carries a meaningful date.
pub fn zip_date(d: &Dataset) -> zip::DateTime {
    let date = d.modified.as_deref().or(d.issued.as_deref()).and_then(crate::load::toml_read::parse_iso_date);
    date.and_then(|d| zip::DateTime::from_date_and_time(d.year() as u16, d.month() as u8, d.day(), 0, 0, 0).ok())
        .unwrap_or_default()
}

/// `sha256sum -c` format: `<hex>  <name>` lines sorted by name.
pub fn sha256sums(mut entries: Vec<(String, String)>) -> String {
    entries.sort();
    entries.iter().map(|(name, hex)| format!("{hex}  {name}\n")).collect()
}

/// The Frictionless media type of a format.
pub fn media_type(format: &str) -> &'static str {
    match format {
        "CSV" => "text/csv",
        "TSV" => "text/tab-separated-values",
        "JSON" => "application/json",
        "GEOJSON" => "application/geo+json",
        "XML" => "application/xml",
        "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLS" => "application/vnd.ms-excel",
        "PDF" => "application/pdf",
        "DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOC" => "application/msword",
        "PNG" => "image/png",
        "JPEG" => "image/jpeg",
        "ZIP" => "application/zip",
        "TXT" => "text/plain",
        "MD" => "text/markdown",
        "HTML" => "text/html",
        _ => "application/octet-stream",
    }
}

/// `datapackage.json` (Data Package v2). Paths are the published file names, so the same
/// descriptor works beside the files on the site and inside the zip.
pub fn datapackage(portal: &Portal, d: &Dataset, site: &Site) -> Value {
    let cfg = &portal.config;
    let license = cfg.license(&d.license.value);
    let publisher = portal.publishers.get(&d.publisher.value);
    let mut resources = Vec::new();
    for r in &d.resources {
        let ResourceKind::File(f) = &r.kind else { continue };
        let name = format!("{}.{}", r.id, f.extension);
        let mut res = json!({
            "name": r.id,
            "path": name,
            "title": r.title.vi,
            "format": f.extension,
            "mediatype": media_type(&f.format),
        });
        if let Some(desc) = &r.description {
            res["description"] = json!(desc.vi);
        }
        if let Some(facts) = &f.facts {
            res["bytes"] = json!(facts.bytes);
            res["hash"] = json!(format!("sha256:{}", facts.sha256));
        }
        if f.is_tabular() {
            res["type"] = json!("table");
            res["encoding"] = json!("utf-8");
            let delimiter = if f.format == "TSV" { Some('\t') } else { f.facts.as_ref().and_then(|x| x.delimiter) };
            if let Some(d) = delimiter {
                res["dialect"] = json!({ "delimiter": d.to_string() });
            }
        }
        if let Some(schema) = &f.schema {
            let fields: Vec<Value> = schema
                .fields
                .iter()
                .map(|field| {
                    let mut v = field_descriptor(field, |v| {
                        if let Some(fmt) = &field.format {
                            v["format"] = json!(fmt);
                        }
                        if field.ty == FieldType::Number {
                            if let Some(c) = &schema.decimal_char {
                                v["decimalChar"] = json!(c);
                            }
                            if let Some(c) = &schema.group_char {
                                v["groupChar"] = json!(c);
                            }
                        }
                        if field.ty == FieldType::Integer
                            && let Some(c) = &schema.group_char
                        {
                            v["groupChar"] = json!(c);
                        }
                        if field.ty == FieldType::Boolean {
                            // The spellings `odp check` accepts (validate/rows/parse.rs), so Frictionless
                            // reads the same cells (issue 5: frictionless validates every package).
                            v["trueValues"] =
                                json!(["true", "True", "TRUE", "1", "có", "Có", "CÓ", "đúng", "Đúng", "ĐÚNG"]);
                            v["falseValues"] =
                                json!(["false", "False", "FALSE", "0", "không", "Không", "KHÔNG", "sai", "Sai", "SAI"]);
                        }
                    });
                    if let Some(r) = &field.references {
                        // Code lists live in other packages; Data Package foreign keys cannot
                        // point across packages portably, so the link is kept as an extension.
                        v["odp:references"] = json!({
                            "dataset": r.value.dataset,
                            "resource": r.value.resource,
                            "field": r.value.field,
                            "url": site.absolute(&urls::dataset(&r.value.dataset)),
                        });
                    }
                    v
                })
                .collect();
            let mut s = json!({ "fields": fields });
            if !schema.primary_key.is_empty() {
                s["primaryKey"] = json!(schema.primary_key.iter().map(|k| &k.value).collect::<Vec<_>>());
            }
            res["schema"] = s;
        }
        resources.push(res);
    }
    let mut dp = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": d.id,
        "id": site.absolute(&urls::dataset(&d.id)),
        "title": d.title.vi,
        "description": d.description.vi,
        "homepage": site.absolute(&urls::dataset(&d.id)),
    });
    if let Some(v) = &d.version {
        dp["version"] = json!(v);
    }
    if let Some(issued) = &d.issued {
        dp["created"] = json!(format!("{issued}T00:00:00Z"));
    }
    if !d.keywords.is_empty() {
        dp["keywords"] = json!(d.keywords);
    }
    if let Some(l) = license {
        let path = if l.url.starts_with('/') { site.absolute(l.url.trim_start_matches('/')) } else { l.url.clone() };
        let mut lic = json!({ "path": path, "title": l.title.vi });
        if let Some(spdx) = &l.spdx {
            lic["name"] = json!(spdx);
        }
        dp["licenses"] = json!([lic]);
    }
    if let Some(p) = publisher {
        let contact = d.contact.as_ref().unwrap_or(&p.contact);
        dp["contributors"] = json!([
            { "title": p.name.vi, "roles": ["publisher"], "path": site.absolute(&urls::publisher(&p.id)) },
            { "title": contact.name, "email": contact.email, "roles": ["contact"] },
        ]);
    }
    dp["resources"] = Value::Array(resources);
    dp
}

/// The README.md shipped in the package: what the data is, who to ask, how to cite it.
pub fn readme(portal: &Portal, d: &Dataset, site: &Site) -> String {
    let cfg = &portal.config;
    let mut out = format!("# {}\n\n", d.title.vi);
    if let Some(en) = &d.title.en {
        out += &format!("_{en}_\n\n");
    }
    if d.status != Status::Active {
        out += &format!(
            "**{}**: {} ({})\n\n",
            if d.status == Status::Withdrawn {
                "Đã thu hồi / Withdrawn"
            } else {
                "Không còn khuyến nghị dùng / Deprecated"
            },
            d.status_reason.as_deref().unwrap_or(""),
            d.status_date.as_deref().unwrap_or("")
        );
    }
    out += &format!("{}\n\n", d.description.vi);
    if let Some(en) = &d.description.en {
        out += &format!("{en}\n\n");
    }
    let publisher = portal.publishers.get(&d.publisher.value);
    let publisher_name = publisher.map_or(d.publisher.value.as_str(), |p| p.name.vi.as_str());
    out += "## Thông tin / Metadata\n\n";
    out += &format!("- Trang bộ dữ liệu / Dataset page: {}\n", site.absolute(&urls::dataset(&d.id)));
    out += &format!("- Cơ quan công bố / Publisher: {publisher_name}\n");
    if let Some(c) = d.contact.as_ref().or(publisher.map(|p| &p.contact)) {
        let phone = c.phone.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
        out += &format!("- Đầu mối liên hệ / Contact point: {} <{}>{phone}\n", c.name, c.email);
    }
    let freq = cfg
        .frequency(&d.frequency.value)
        .map_or(d.frequency.value.clone(), |f| format!("{} / {}", f.title.vi, f.title.get(Lang::En)));
    out += &format!("- Tần suất cập nhật / Update frequency: {freq}\n");
    for (label, value) in [
        ("Ngày công bố / Issued", &d.issued),
        ("Ngày cập nhật / Modified", &d.modified),
        ("Phiên bản / Version", &d.version),
        ("Quyền / Rights", &d.rights),
    ] {
        if let Some(v) = value {
            out += &format!("- {label}: {v}\n");
        }
    }
    if let Some(l) = cfg.license(&d.license.value) {
        out += &format!("- Điều khoản / Licence: {} ({})\n", l.title.vi, l.url);
    }
    out += &format!("\n## Trích dẫn / Cite as\n\n{}\n\n", cite_as(portal, d, site));
    out += "## Tệp / Files\n\n";
    for r in &d.resources {
        match &r.kind {
            ResourceKind::File(f) => {
                out += &format!("### {}.{} — {}\n\n", r.id, f.extension, r.title.vi);
                if let Some(desc) = &r.description {
                    out += &format!("{}\n\n", desc.vi);
                }
                if let Some(schema) = &f.schema {
                    out += "| Trường / Field | Tên / Title | Kiểu / Type | Đơn vị / Unit | Mô tả / Description |\n|---|---|---|---|---|\n";
                    for field in &schema.fields {
                        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                        out += &format!(
                            "| {} | {} | {} | {} | {} |\n",
                            field.name.value,
                            cell(&field.title.vi),
                            field.ty.name(),
                            field.unit.as_deref().unwrap_or(""),
                            cell(field.description.as_ref().map_or("", |t| t.vi.as_str()))
                        );
                    }
                    out += "\n";
                }
            }
            ResourceKind::Service(s) => {
                out += &format!("### {} (dịch vụ dữ liệu / data service)\n\n{}\n\n", r.title.vi, s.url);
            }
        }
    }
    if let Some(agency_readme) = &d.readme {
        out += "---\n\n";
        out += agency_readme;
        out += "\n";
    }
    out
}

/// "Cite as" line (002 Art. 25: users must cite the source).
pub fn cite_as(portal: &Portal, d: &Dataset, site: &Site) -> String {
    let publisher =
        portal.publishers.get(&d.publisher.value).map_or(d.publisher.value.as_str(), |p| p.name.vi.as_str());
    let year = d.modified.as_deref().or(d.issued.as_deref()).map(|s| &s[..4]);
    let year = year.map(|y| format!(" ({y})")).unwrap_or_default();
    let version = d.version.as_deref().map(|v| format!(", phiên bản {v}")).unwrap_or_default();
    format!(
        "{publisher}{year}. {}{version}. {}. {}",
        d.title.vi,
        portal.config.title.vi,
        site.absolute(&urls::dataset(&d.id))
    )
}

/// The usage terms shipped in every package: the portal's terms page in both languages.
pub fn terms_text(portal: &Portal) -> String {
    let mut out = String::new();
    for lang in Lang::ALL {
        if let Some(p) = portal.pages.iter().find(|p| p.slug == "terms" && p.lang == lang) {
            out += &format!("# {}\n\n{}\n\n", p.title, p.body);
        }
    }
    if out.is_empty() {
        out = STATUTORY_TERMS.to_string();
    }
    out
}

/// The four usage terms of open data (002 Art. 25), used when a portal has no terms page.
const STATUTORY_TERMS: &str = "# Điều khoản sử dụng dữ liệu mở\n\n\
1. Tổ chức, cá nhân được tự do truy cập, sao chép, chia sẻ, trao đổi, sử dụng và kết hợp dữ liệu mở, kể cả cho mục đích thương mại và phi thương mại; việc sử dụng không mất phí.\n\
2. Phải trích dẫn, ghi nhận nguồn của dữ liệu mở trong sản phẩm, tài liệu có sử dụng dữ liệu mở.\n\
3. Dữ liệu mở được cung cấp nguyên trạng; cách trình bày, thông tin có được từ dữ liệu mở không phải là một phần của dữ liệu mở.\n\
4. Cơ quan nhà nước không chịu trách nhiệm về bất kỳ tổn thất, thiệt hại nào phát sinh từ việc sử dụng dữ liệu mở.\n\n\
# Open data terms of use\n\n\
1. Anyone may freely access, copy, share, exchange, use and combine open data, for commercial and non-commercial purposes, free of charge.\n\
2. Users must cite the source of the open data in products and documents that use it.\n\
3. Open data is provided as is; presentations of and information derived from it are not part of it.\n\
4. The state agency is not liable for any loss or damage arising from the use of open data.\n";

/// A field's Table Schema `constraints` (required, unique, enum, pattern, minimum, maximum), or
/// `None` when it has none; shared by the packages and the format copies' schemas.
/// A Table Schema field descriptor: name, type, title and description, then what `middle`
/// adds (formats, separators…), then constraints and the unit — the shape shared by the
/// package's dictionary and the format copies' canonical one (key order is part of the
/// byte-identical output).
pub fn field_descriptor(field: &crate::model::Field, middle: impl FnOnce(&mut Value)) -> Value {
    let mut v = json!({ "name": field.name.value, "type": field.ty.name(), "title": field.title.vi });
    if let Some(desc) = &field.description {
        v["description"] = json!(desc.vi);
    }
    middle(&mut v);
    if let Some(c) = field_constraints(field) {
        v["constraints"] = c;
    }
    if let Some(unit) = &field.unit {
        v["odp:unit"] = json!(unit);
    }
    v
}

pub fn field_constraints(field: &crate::model::Field) -> Option<Value> {
    let mut c = serde_json::Map::new();
    if field.required {
        c.insert("required".into(), json!(true));
    }
    if field.unique {
        c.insert("unique".into(), json!(true));
    }
    if !field.enum_values.is_empty() {
        c.insert("enum".into(), json!(field.enum_values));
    }
    if let Some(p) = &field.pattern {
        c.insert("pattern".into(), json!(p));
    }
    for (key, bound) in [("minimum", &field.minimum), ("maximum", &field.maximum)] {
        if let Some(b) = bound {
            c.insert(key.into(), serde_json::to_value(b).unwrap_or(Value::Null));
        }
    }
    (!c.is_empty()).then_some(Value::Object(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileFacts;
    use crate::validate::encoding::Encoding;
    use crate::validate::published::Keeper;

    /// A zip of a data file has the same bytes whether the file comes from validation's kept
    /// bytes or from the disk through its decoder (whose reads come in other sizes).
    #[test]
    fn a_zip_entry_does_not_depend_on_where_its_file_comes_from() {
        let table =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/don-vi-hanh-chinh-cap-xa-2025/wards.csv");
        let bytes = std::fs::read(&table).unwrap();
        assert!(bytes.len() > 2 * FEED, "the test needs a file of several blocks");
        let mut keeper = Keeper::new();
        keeper.push(&bytes);
        let kept = keeper.finish();
        assert!(kept.bytes().is_some());
        let dir = tempfile::tempdir().unwrap();
        let facts = FileFacts {
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
            encoding: Some(Encoding::Utf8),
            ..FileFacts::default()
        };
        let zip = |name: &str, published| {
            let dest = dir.path().join(name);
            let source = Source::File(PublishedFile::of(table.clone(), &FileFacts { published, ..facts.clone() }));
            let hash = write_zip(dest.clone(), vec![("wards.csv".into(), source)], zip::DateTime::default()).unwrap();
            (hash, std::fs::read(dest).unwrap())
        };
        let (from_disk, from_memory) = (zip("disk.zip", Default::default()), zip("memory.zip", kept));
        assert_eq!(from_disk.0, from_memory.0);
        assert!(from_disk.1 == from_memory.1);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(from_memory.1)).unwrap();
        let mut unzipped = Vec::new();
        archive.by_name("wards.csv").unwrap().read_to_end(&mut unzipped).unwrap();
        assert!(unzipped == bytes);
    }
}
