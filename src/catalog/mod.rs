//! Machine-readable views of the whole portal (issue 5): our JSON API (`/api/v1/`), a
//! CKAN-compatible read API as static files (`/api/3/action/`), DCAT-AP 3.0.1 (`/catalog.jsonld`,
//! `/catalog.ttl`), Project Open Data v1.1 (`/data.json`), schema.org `Dataset` JSON-LD for the
//! dataset pages, `/sitemap.xml`, `/robots.txt` and the Atom feed `/feed.xml`.
//!
//! Every file is a pure function of the loaded portal (no wall clock: dates come from the
//! metadata), listed by [`files`] and produced by [`render`], one build job per file.

pub mod api;
pub mod ckan;
pub mod datajson;
pub mod dcat;
pub mod host;
pub mod rdf;
pub mod schemaorg;
pub mod web;

use crate::model::{Dataset, Portal, ResourceKind, Status};
use crate::package::media_type;
use crate::render::MachineLink;
use crate::urls::{self, Site};
use anyhow::{Result, bail};
use serde_json::Value;

/// Every catalogue/API file of the portal, site-relative, sorted, but the DCAT-AP catalogue
/// ([`DCAT_FILES`], written together by [`write_dcat`]).
pub fn files(portal: &Portal) -> Vec<String> {
    let mut out: Vec<String> = [
        "api/v1/catalog.json",
        "api/v1/catalog.schema.json",
        "api/v1/dataset.schema.json",
        "data.json",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    out.extend(portal.datasets.iter().map(|d| api::dataset_path(&d.id)));
    out.extend(ckan::files(portal));
    out.sort();
    out
}

/// Pretty-printed JSON and a final newline, as every JSON file of the API is written.
fn json(v: &impl serde::Serialize) -> Result<Vec<u8>> {
    let mut b = serde_json::to_vec_pretty(v)?;
    b.push(b'\n');
    Ok(b)
}

/// The bytes of one file of [`files`].
pub fn render(rel: &str, portal: &Portal, site: &Site) -> Result<Vec<u8>> {
    Ok(match rel {
        "api/v1/catalog.json" => json(&api::catalog(portal, site))?,
        "api/v1/catalog.schema.json" => api::CATALOG_SCHEMA.as_bytes().to_vec(),
        "api/v1/dataset.schema.json" => api::DATASET_SCHEMA.as_bytes().to_vec(),
        "data.json" => json(&datajson::catalog(portal, site))?,
        "sitemap.xml" => web::sitemap(portal, site).into_bytes(),
        "robots.txt" => web::robots(site).into_bytes(),
        "feed.xml" => {
            let mut entries = web::feed_entries(portal, site);
            entries.extend(web::history_entries(portal, site));
            entries.extend(web::status_entries(portal, site));
            web::atom(&entries, portal, site).into_bytes()
        }
        _ => {
            if let Some(id) = rel.strip_prefix("api/v1/datasets/").and_then(|r| r.strip_suffix(".json")) {
                let Some(d) = portal.dataset(id) else { bail!("no dataset `{id}` for `{rel}`") };
                json(&api::dataset(portal, d, site))?
            } else if rel.starts_with(ckan::ACTION_DIR) {
                ckan::render(rel, portal, site)?
            } else {
                bail!("no catalogue file `{rel}`")
            }
        }
    })
}

/// Writes one file of [`files`] into `dest`: `data.json` streamed a dataset at a time (it grows
/// to many MB), the others through [`render`].
pub fn write(rel: &str, portal: &Portal, site: &Site, dest: &std::path::Path) -> Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    if rel != "data.json" {
        return std::fs::write(dest, render(rel, portal, site)?)
            .with_context(|| format!("failed to write `{}`", dest.display()));
    }
    let file = std::fs::File::create(dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
    let mut w = std::io::BufWriter::new(file);
    datajson::write(portal, site, &mut w).with_context(|| format!("failed to write `{}`", dest.display()))?;
    w.flush()?;
    Ok(())
}

/// The DCAT-AP 3 catalogue's files, in JSON-LD and Turtle.
pub const DCAT_FILES: [&str; 2] = ["catalog.jsonld", "catalog.ttl"];

/// Writes the DCAT-AP catalogue, [`DCAT_FILES`] at `dests`, streamed a dataset at a time (they
/// grow to many MB); each dataset's graph is built once for both.
pub fn write_dcat(portal: &Portal, site: &Site, dests: [&std::path::Path; 2]) -> Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let create = |dest: &std::path::Path| -> Result<std::io::BufWriter<std::fs::File>> {
        let file = std::fs::File::create(dest).with_context(|| format!("failed to create `{}`", dest.display()))?;
        Ok(std::io::BufWriter::new(file))
    };
    let (mut jsonld, mut turtle) = (create(dests[0])?, create(dests[1])?);
    dcat::write(portal, site, &mut [(dcat::Syntax::JsonLd, &mut jsonld), (dcat::Syntax::Turtle, &mut turtle)])
        .with_context(|| format!("failed to write `{}` and `{}`", dests[0].display(), dests[1].display()))?;
    jsonld.flush()?;
    turtle.flush()?;
    Ok(())
}

/// The footer's machine-readable links; those with a media type are also announced in every
/// page's `<head>` as `<link rel="alternate">` (autodiscovery).
pub fn machine_links() -> Vec<MachineLink> {
    let link = |label: &str, path: &str, mt: Option<&str>| MachineLink {
        label: label.into(),
        path: path.into(),
        media_type: mt.map(String::from),
    };
    vec![
        link("DCAT-AP (JSON-LD)", "catalog.jsonld", Some("application/ld+json")),
        link("DCAT-AP (Turtle)", "catalog.ttl", Some("text/turtle")),
        link("data.json", "data.json", Some("application/json")),
        link("API JSON", "api/v1/catalog.json", None),
        link("CKAN API", "api/3/action/package_list", None),
        link("Atom", "feed.xml", Some("application/atom+xml")),
        link("Sitemap", "sitemap.xml", None),
    ]
}

/// One downloadable file of a dataset (an original or a format copy), or a data service.
#[derive(Debug, Clone)]
pub struct Dist {
    /// Unique within the dataset: the file name (`provinces.json`) or the service's resource id.
    pub key: String,
    pub resource: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub description_vi: Option<String>,
    /// Site-relative path of a file; `None` for a data service.
    pub path: Option<String>,
    /// Absolute URL (the file's, or the service's endpoint).
    pub url: String,
    /// Upper-case format: CSV, JSON, XLSX, XML, PDF…; `API` for a service.
    pub format: String,
    pub media_type: Option<&'static str>,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    /// The original's file name when this is a format copy.
    pub copy_of: Option<String>,
    pub service: Option<crate::model::ServiceResource>,
}

/// The files and services of a dataset, originals each followed by their copies. A withdrawn
/// dataset offers none (its page says why; 002 Art. 22.4 keeps the record, not the downloads).
pub fn distributions(d: &Dataset, site: &Site) -> Vec<Dist> {
    let mut out = Vec::new();
    if d.status == Status::Withdrawn {
        return out;
    }
    for r in &d.resources {
        match &r.kind {
            ResourceKind::File(f) => {
                let path = urls::resource_file(&d.id, &r.id, f);
                let facts = f.facts.as_ref();
                let name = format!("{}.{}", r.id, f.extension);
                out.push(Dist {
                    key: name.clone(),
                    resource: r.id.clone(),
                    title_vi: r.title.vi.clone(),
                    title_en: r.title.en.clone(),
                    description_vi: r.description.as_ref().map(|t| t.vi.clone()),
                    url: site.absolute(&path),
                    path: Some(path),
                    format: f.format.clone(),
                    media_type: Some(media_type(&f.format)),
                    bytes: facts.map(|x| x.bytes),
                    sha256: facts.map(|x| x.sha256.clone()).filter(|s| !s.is_empty()),
                    copy_of: None,
                    service: None,
                });
                for c in facts.iter().flat_map(|x| &x.copies) {
                    let path = crate::copies::copy_path(&d.id, c);
                    let label = copy_label(crate::copies::kind_of(&c.file_name));
                    out.push(Dist {
                        key: c.file_name.clone(),
                        resource: r.id.clone(),
                        title_vi: format!("{} ({})", r.title.vi, label.0),
                        title_en: Some(format!("{} ({})", r.title.en.as_deref().unwrap_or(&r.title.vi), label.1)),
                        description_vi: r.description.as_ref().map(|t| t.vi.clone()),
                        url: site.absolute(&path),
                        path: Some(path),
                        format: c.format.clone(),
                        media_type: Some(media_type(&c.format)),
                        bytes: Some(c.bytes),
                        sha256: Some(c.sha256.clone()),
                        copy_of: Some(name.clone()),
                        service: None,
                    });
                }
            }
            ResourceKind::Service(s) => out.push(Dist {
                key: r.id.clone(),
                resource: r.id.clone(),
                title_vi: r.title.vi.clone(),
                title_en: r.title.en.clone(),
                description_vi: r.description.as_ref().map(|t| t.vi.clone()),
                path: None,
                url: s.url.clone(),
                format: "API".into(),
                media_type: None,
                bytes: None,
                sha256: None,
                copy_of: None,
                service: Some(s.clone()),
            }),
        }
    }
    out
}

/// (Vietnamese, English) label of a copy kind.
pub fn copy_label(k: crate::copies::CopyKind) -> (&'static str, &'static str) {
    use crate::copies::CopyKind as K;
    match k {
        K::Json => ("bản JSON có kiểu dữ liệu", "typed JSON copy"),
        K::Csv => ("bản CSV UTF-8", "UTF-8 CSV copy"),
        K::ExcelCsv => ("bản CSV cho Excel, có BOM", "CSV for Excel, with BOM"),
        K::Xlsx => ("bản Excel XLSX", "Excel XLSX copy"),
        K::Xml => ("bản XML", "XML copy"),
    }
}

/// Turns the package's descriptor (`package::datapackage`, what the zip holds) into the
/// site's `datapackage.json`, which also lists the format copies beside the files.
pub fn add_copies(dp: &mut Value, d: &Dataset) {
    if let Some(res) = dp.get_mut("resources").and_then(Value::as_array_mut) {
        let mut copies = crate::copies::package_resources(d);
        // The Excel CSV of a CSV original is the original's text: it keeps its dialect and
        // number format, so it takes the original's schema.
        for c in &mut copies {
            let Some(of) = c["odp:copyOf"].as_str().filter(|o| o.ends_with(".csv")) else { continue };
            if !c["name"].as_str().is_some_and(|n| n.ends_with(".excel.csv")) {
                continue;
            }
            if let Some(orig) = res.iter().find(|r| r["path"].as_str() == Some(of)) {
                for key in ["schema", "dialect"] {
                    if let Some(v) = orig.get(key) {
                        c[key] = v.clone();
                    }
                }
            }
        }
        res.extend(copies);
    }
}

/// The date a dataset last changed, per its metadata: `modified`, else `issued`.
pub fn last_change(d: &Dataset) -> Option<&str> {
    d.modified.as_deref().or(d.issued.as_deref())
}

/// The newest metadata date of the portal (the catalogue's `modified`), `None` if no dataset has one.
/// Computed once per build: data.json asks for it beside every dataset, which made a
/// 10,000-dataset catalogue quadratic (13% of an `odp serve` session's CPU).
pub fn portal_modified(portal: &Portal) -> Option<&str> {
    portal
        .derived
        .portal_modified
        .get_or_init(|| portal.datasets.iter().filter_map(last_change).max().map(String::from))
        .as_deref()
}

/// The licence URL of a dataset, absolute.
pub fn license_url(portal: &Portal, d: &Dataset, site: &Site) -> Option<String> {
    portal.config.license(&d.license.value).map(|l| absolute_or_site(&l.url, site))
}

/// An absolute URL from a config value that is either absolute or a site path (`/terms/`).
pub fn absolute_or_site(url: &str, site: &Site) -> String {
    if url.starts_with('/') { site.absolute(url.trim_start_matches('/')) } else { url.to_string() }
}

/// Plain text of Markdown (for catalogue descriptions): the text without markup, blocks
/// separated by a blank line, runs of spaces collapsed.
pub fn plain(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(s) | Event::Code(s) => cur.push_str(&s),
            Event::SoftBreak | Event::HardBreak => cur.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableRow,
            ) => {
                let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
                if !t.is_empty() {
                    blocks.push(t);
                }
                cur.clear();
            }
            Event::End(TagEnd::TableCell) => cur.push_str(" | "),
            _ => {}
        }
    }
    let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if !t.is_empty() {
        blocks.push(t);
    }
    blocks.join("\n\n")
}
