//! Our own JSON API (issue 5 §2): `/api/v1/catalog.json` (every dataset, summarised) and
//! `/api/v1/datasets/<id>.json` (full metadata, resources with URLs, sizes, hashes, format
//! copies and the data dictionary), with their JSON Schemas (draft 2020-12) published beside
//! them as `/api/v1/catalog.schema.json` and `/api/v1/dataset.schema.json`.
//! Texts are `{"vi": …, "en": … | null}`; dates are ISO 8601 (`YYYY-MM-DD`); URLs absolute.

use super::{absolute_or_site, last_change, portal_modified};
use crate::model::{Dataset, Portal, ResourceKind, Status, Text};
use crate::urls::{self, Site};
use serde::Serialize;

pub const CATALOG_SCHEMA: &str = include_str!("schemas/catalog.schema.json");
pub const DATASET_SCHEMA: &str = include_str!("schemas/dataset.schema.json");

/// Site-relative path of a dataset's API file.
pub fn dataset_path(id: &str) -> String {
    format!("api/v1/datasets/{id}.json")
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Deprecated => "deprecated",
        Status::Withdrawn => "withdrawn",
    }
}

/// The formats a dataset offers, sorted, copies included.
pub fn formats(d: &Dataset) -> Vec<String> {
    let mut f: Vec<String> = d
        .resources
        .iter()
        .flat_map(|r| match &r.kind {
            ResourceKind::File(f) => {
                let mut v = vec![f.format.clone()];
                v.extend(f.facts.iter().flat_map(|x| &x.copies).map(|c| c.format.clone()));
                v
            }
            ResourceKind::Service(_) => vec!["API".to_string()],
        })
        .collect();
    f.sort();
    f.dedup();
    f
}

/// `/api/v1/catalog.json`.
pub fn catalog<'a>(portal: &'a Portal, site: &Site) -> CatalogV<'a> {
    let cfg = &portal.config;
    let datasets: Vec<SummaryV<'a>> = portal
        .datasets
        .iter()
        .map(|d| SummaryV {
            id: &d.id,
            title: text_v(&d.title),
            url: site.absolute(&urls::dataset(&d.id)),
            api_url: site.absolute(&dataset_path(&d.id)),
            publisher: &d.publisher.value,
            themes: d.themes.iter().map(|t| t.value.as_str()).collect(),
            keywords: &d.keywords,
            license: &d.license.value,
            frequency: &d.frequency.value,
            issued: d.issued.as_deref(),
            modified: d.modified.as_deref(),
            status: status(d.status),
            formats: formats(d),
        })
        .collect();
    CatalogV {
        schema: site.absolute("api/v1/catalog.schema.json"),
        api_version: 1,
        title: text_v(&cfg.title),
        description: text_v(&cfg.description),
        url: site.absolute(""),
        languages: &cfg.languages,
        modified: portal_modified(portal),
        count: datasets.len(),
        publishers: (portal.publishers.values())
            .map(|p| PublisherLinkV { id: &p.id, name: text_v(&p.name), url: site.absolute(&urls::publisher(&p.id)) })
            .collect(),
        themes: (cfg.themes.iter())
            .map(|t| ThemeLinkV { id: &t.id, title: text_v(&t.title), url: site.absolute(&urls::theme(&t.id)) })
            .collect(),
        datasets,
    }
}

/// `/api/v1/catalog.json` (schema: `schemas/catalog.schema.json`), typed like [`DatasetV`]: as a
/// `serde_json::Value` tree, its 5,000 summaries were ~12 MB at the build's memory peak (issue 7).
#[derive(Serialize)]
pub struct CatalogV<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    api_version: u32,
    title: TextV<'a>,
    description: TextV<'a>,
    url: String,
    languages: &'a [crate::model::Lang],
    modified: Option<&'a str>,
    count: usize,
    publishers: Vec<PublisherLinkV<'a>>,
    themes: Vec<ThemeLinkV<'a>>,
    datasets: Vec<SummaryV<'a>>,
}

#[derive(Serialize)]
struct PublisherLinkV<'a> {
    id: &'a str,
    name: TextV<'a>,
    url: String,
}

#[derive(Serialize)]
struct ThemeLinkV<'a> {
    id: &'a str,
    title: TextV<'a>,
    url: String,
}

/// One dataset in the catalogue.
#[derive(Serialize)]
struct SummaryV<'a> {
    id: &'a str,
    title: TextV<'a>,
    url: String,
    api_url: String,
    publisher: &'a str,
    themes: Vec<&'a str>,
    keywords: &'a [String],
    license: &'a str,
    frequency: &'a str,
    issued: Option<&'a str>,
    modified: Option<&'a str>,
    status: &'static str,
    formats: Vec<String>,
}

/// A text in both languages, `{"vi": …, "en": … | null}`.
#[derive(Serialize)]
struct TextV<'a> {
    vi: &'a str,
    en: Option<&'a str>,
}

fn text_v(t: &Text) -> TextV<'_> {
    TextV { vi: &t.vi, en: t.en.as_deref() }
}

/// `/api/v1/datasets/<id>.json`, its properties in the order the file lists them (schema:
/// `schemas/dataset.schema.json`). Typed rather than a `serde_json::Value` tree: one is built
/// per dataset (issue 7).
#[derive(Serialize)]
pub struct DatasetV<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    id: &'a str,
    url: String,
    title: TextV<'a>,
    description: TextV<'a>,
    publisher: Option<PublisherV<'a>>,
    contact: Option<ContactV<'a>>,
    themes: Vec<ThemeV<'a>>,
    keywords: &'a [String],
    license: Option<LicenseV<'a>>,
    frequency: &'a str,
    issued: Option<&'a str>,
    modified: Option<&'a str>,
    last_change: Option<&'a str>,
    spatial: Option<&'a str>,
    temporal: Option<TemporalV<'a>>,
    version: Option<&'a str>,
    rights: Option<&'a str>,
    status: &'static str,
    status_reason: Option<&'a str>,
    status_date: Option<&'a str>,
    aliases: Vec<&'a str>,
    package: PackageV,
    resources: Vec<ResourceV<'a>>,
}

#[derive(Serialize)]
struct PublisherV<'a> {
    id: &'a str,
    name: TextV<'a>,
    url: String,
    website: Option<&'a str>,
}

#[derive(Serialize)]
struct ContactV<'a> {
    name: &'a str,
    email: &'a str,
    phone: Option<&'a str>,
}

#[derive(Serialize)]
struct ThemeV<'a> {
    id: &'a str,
    title: TextV<'a>,
    eu_data_theme: Option<String>,
}

#[derive(Serialize)]
struct LicenseV<'a> {
    id: &'a str,
    title: TextV<'a>,
    url: String,
    spdx: Option<&'a str>,
}

#[derive(Serialize)]
struct TemporalV<'a> {
    start: &'a str,
    end: Option<&'a str>,
}

#[derive(Serialize)]
struct PackageV {
    zip: String,
    datapackage: String,
    sha256sums: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResourceV<'a> {
    File(FileV<'a>),
    Service(ServiceV<'a>),
}

#[derive(Serialize)]
struct FileV<'a> {
    id: &'a str,
    kind: &'static str,
    title: TextV<'a>,
    description: Option<TextV<'a>>,
    format: &'a str,
    media_type: &'static str,
    url: String,
    bytes: Option<u64>,
    sha256: Option<&'a str>,
    rows: Option<u64>,
    schema: Option<SchemaV<'a>>,
    copies: Vec<CopyV<'a>>,
}

#[derive(Serialize)]
struct SchemaV<'a> {
    fields: Vec<FieldV<'a>>,
    primary_key: Vec<&'a str>,
    decimal_char: Option<&'a str>,
    group_char: Option<&'a str>,
}

#[derive(Serialize)]
struct FieldV<'a> {
    name: &'a str,
    title: TextV<'a>,
    description: Option<TextV<'a>>,
    #[serde(rename = "type")]
    ty: &'a str,
    format: Option<&'a str>,
    unit: Option<&'a str>,
    required: bool,
    unique: bool,
    #[serde(rename = "enum")]
    enum_values: &'a [String],
    minimum: &'a Option<crate::model::Bound>,
    maximum: &'a Option<crate::model::Bound>,
    pattern: Option<&'a str>,
    references: Option<ReferenceV<'a>>,
}

#[derive(Serialize)]
struct ReferenceV<'a> {
    dataset: &'a str,
    resource: &'a str,
    field: &'a str,
    url: String,
}

#[derive(Serialize)]
struct CopyV<'a> {
    format: &'a str,
    media_type: &'static str,
    encoding: Option<&'a str>,
    url: String,
    bytes: u64,
    sha256: &'a str,
}

#[derive(Serialize)]
struct ServiceV<'a> {
    id: &'a str,
    kind: &'static str,
    title: TextV<'a>,
    description: Option<TextV<'a>>,
    url: &'a str,
    provider: Option<&'a str>,
    sharing: Option<&'a str>,
    data_structure: Option<&'a str>,
    connection_model: Option<&'a str>,
    method: Option<&'a str>,
    requirements: Option<&'a str>,
    documentation: Option<&'a str>,
}

/// `/api/v1/datasets/<id>.json`.
pub fn dataset<'a>(portal: &'a Portal, d: &'a Dataset, site: &Site) -> DatasetV<'a> {
    let cfg = &portal.config;
    let publisher = portal.publishers.get(&d.publisher.value);
    let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact));
    let license = cfg.license(&d.license.value);
    let resources = d
        .resources
        .iter()
        .map(|r| match &r.kind {
            ResourceKind::File(f) => {
                let facts = f.facts.as_ref();
                let rel = urls::resource_file(&d.id, &r.id, f);
                ResourceV::File(FileV {
                    id: &r.id,
                    kind: "file",
                    title: text_v(&r.title),
                    description: r.description.as_ref().map(text_v),
                    format: &f.format,
                    media_type: crate::package::media_type(&f.format),
                    url: site.absolute(&rel),
                    bytes: facts.map(|x| x.bytes),
                    sha256: facts.map(|x| x.sha256.as_str()),
                    rows: facts.and_then(|x| x.rows),
                    schema: f.schema.as_ref().map(|s| SchemaV {
                        fields: s
                            .fields
                            .iter()
                            .map(|fl| FieldV {
                                name: &fl.name.value,
                                title: text_v(&fl.title),
                                description: fl.description.as_ref().map(text_v),
                                ty: fl.ty.name(),
                                format: fl.format.as_deref(),
                                unit: fl.unit.as_deref(),
                                required: fl.required,
                                unique: fl.unique,
                                enum_values: &fl.enum_values,
                                minimum: &fl.minimum,
                                maximum: &fl.maximum,
                                pattern: fl.pattern.as_deref(),
                                references: fl.references.as_ref().map(|x| ReferenceV {
                                    dataset: &x.value.dataset,
                                    resource: &x.value.resource,
                                    field: &x.value.field,
                                    url: site.absolute(&dataset_path(&x.value.dataset)),
                                }),
                            })
                            .collect(),
                        primary_key: s.primary_key.iter().map(|k| k.value.as_str()).collect(),
                        decimal_char: s.decimal_char.as_deref(),
                        group_char: s.group_char.as_deref(),
                    }),
                    copies: facts
                        .map(|x| {
                            x.copies
                                .iter()
                                .map(|c| CopyV {
                                    format: &c.format,
                                    media_type: crate::package::media_type(&c.format),
                                    encoding: c.encoding.as_deref(),
                                    url: site.absolute(&crate::copies::copy_path(&d.id, c)),
                                    bytes: c.bytes,
                                    sha256: &c.sha256,
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            }
            ResourceKind::Service(s) => ResourceV::Service(ServiceV {
                id: &r.id,
                kind: "service",
                title: text_v(&r.title),
                description: r.description.as_ref().map(text_v),
                url: &s.url,
                provider: s.provider.as_deref(),
                sharing: s.sharing.as_deref(),
                data_structure: s.data_structure.as_deref(),
                connection_model: s.connection_model.as_deref(),
                method: s.method.as_deref(),
                requirements: s.requirements.as_deref(),
                documentation: s.documentation.as_deref(),
            }),
        })
        .collect();
    DatasetV {
        schema: site.absolute("api/v1/dataset.schema.json"),
        id: &d.id,
        url: site.absolute(&urls::dataset(&d.id)),
        title: text_v(&d.title),
        description: text_v(&d.description),
        publisher: publisher.map(|p| PublisherV {
            id: &p.id,
            name: text_v(&p.name),
            url: site.absolute(&urls::publisher(&p.id)),
            website: p.website.as_deref(),
        }),
        contact: contact.map(|c| ContactV { name: &c.name, email: &c.email, phone: c.phone.as_deref() }),
        themes: d
            .themes
            .iter()
            .filter_map(|t| cfg.theme(&t.value))
            .map(|t| ThemeV {
                id: &t.id,
                title: text_v(&t.title),
                eu_data_theme: t.dcat.as_ref().map(|c| format!("{}{c}", super::dcat::EU_THEME)),
            })
            .collect(),
        keywords: &d.keywords,
        license: license.map(|l| LicenseV {
            id: &l.id,
            title: text_v(&l.title),
            url: absolute_or_site(&l.url, site),
            spdx: l.spdx.as_deref(),
        }),
        frequency: &d.frequency.value,
        issued: d.issued.as_deref(),
        modified: d.modified.as_deref(),
        last_change: last_change(d),
        spatial: d.spatial.as_deref(),
        temporal: d.temporal.as_ref().map(|t| TemporalV { start: &t.start, end: t.end.as_deref() }),
        version: d.version.as_deref(),
        rights: d.rights.as_deref(),
        status: status(d.status),
        status_reason: d.status_reason.as_deref(),
        status_date: d.status_date.as_deref(),
        aliases: d.aliases.iter().map(|a| a.value.as_str()).collect(),
        package: PackageV {
            zip: site.absolute(&urls::package(&d.id)),
            datapackage: site.absolute(&urls::datapackage(&d.id)),
            sha256sums: site.absolute(&urls::checksums(&d.id)),
        },
        resources,
    }
}
