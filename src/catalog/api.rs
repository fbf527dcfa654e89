//! Our own JSON API (issue 5 §2): `/api/v1/catalog.json` (every dataset, summarised) and
//! `/api/v1/datasets/<id>.json` (full metadata, resources with URLs, sizes, hashes, format
//! copies and the data dictionary), with their JSON Schemas (draft 2020-12) published beside
//! them as `/api/v1/catalog.schema.json` and `/api/v1/dataset.schema.json`.
//! Texts are `{"vi": …, "en": … | null}`; dates are ISO 8601 (`YYYY-MM-DD`); URLs absolute.

use super::{absolute_or_site, last_change, portal_modified};
use crate::model::{Dataset, Portal, ResourceKind, Status, Text};
use crate::urls::{self, Site};
use serde_json::{Value, json};

pub const CATALOG_SCHEMA: &str = include_str!("schemas/catalog.schema.json");
pub const DATASET_SCHEMA: &str = include_str!("schemas/dataset.schema.json");

/// Site-relative path of a dataset's API file.
pub fn dataset_path(id: &str) -> String {
    format!("api/v1/datasets/{id}.json")
}

fn text(t: &Text) -> Value {
    json!({ "vi": t.vi, "en": t.en })
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
pub fn catalog(portal: &Portal, site: &Site) -> Value {
    let cfg = &portal.config;
    let datasets: Vec<Value> = portal
        .datasets
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "title": text(&d.title),
                "url": site.absolute(&urls::dataset(&d.id)),
                "api_url": site.absolute(&dataset_path(&d.id)),
                "publisher": d.publisher.value,
                "themes": d.themes.iter().map(|t| &t.value).collect::<Vec<_>>(),
                "keywords": d.keywords,
                "license": d.license.value,
                "frequency": d.frequency.value,
                "issued": d.issued,
                "modified": d.modified,
                "status": status(d.status),
                "formats": formats(d),
            })
        })
        .collect();
    json!({
        "$schema": site.absolute("api/v1/catalog.schema.json"),
        "api_version": 1,
        "title": text(&cfg.title),
        "description": text(&cfg.description),
        "url": site.absolute(""),
        "languages": cfg.languages,
        "modified": portal_modified(portal),
        "count": datasets.len(),
        "publishers": portal.publishers.values().map(|p| json!({
            "id": p.id,
            "name": text(&p.name),
            "url": site.absolute(&urls::publisher(&p.id)),
        })).collect::<Vec<_>>(),
        "themes": cfg.themes.iter().map(|t| json!({
            "id": t.id,
            "title": text(&t.title),
            "url": site.absolute(&urls::theme(&t.id)),
        })).collect::<Vec<_>>(),
        "datasets": datasets,
    })
}

/// `/api/v1/datasets/<id>.json`.
pub fn dataset(portal: &Portal, d: &Dataset, site: &Site) -> Value {
    let cfg = &portal.config;
    let publisher = portal.publishers.get(&d.publisher.value);
    let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact));
    let license = cfg.license(&d.license.value);
    let resources: Vec<Value> = d
        .resources
        .iter()
        .map(|r| match &r.kind {
            ResourceKind::File(f) => {
                let facts = f.facts.as_ref();
                let rel = urls::resource_file(&d.id, &r.id, f);
                json!({
                    "id": r.id,
                    "kind": "file",
                    "title": text(&r.title),
                    "description": r.description.as_ref().map(text),
                    "format": f.format,
                    "media_type": crate::package::media_type(&f.format),
                    "url": site.absolute(&rel),
                    "bytes": facts.map(|x| x.bytes),
                    "sha256": facts.map(|x| x.sha256.as_str()),
                    "rows": facts.and_then(|x| x.rows),
                    "schema": f.schema.as_ref().map(|s| json!({
                        "fields": s.fields.iter().map(|fl| json!({
                            "name": fl.name.value,
                            "title": text(&fl.title),
                            "description": fl.description.as_ref().map(text),
                            "type": fl.ty.name(),
                            "format": fl.format,
                            "unit": fl.unit,
                            "required": fl.required,
                            "unique": fl.unique,
                            "enum": fl.enum_values,
                            "minimum": fl.minimum,
                            "maximum": fl.maximum,
                            "pattern": fl.pattern,
                            "references": fl.references.as_ref().map(|x| json!({
                                "dataset": x.value.dataset,
                                "resource": x.value.resource,
                                "field": x.value.field,
                                "url": site.absolute(&dataset_path(&x.value.dataset)),
                            })),
                        })).collect::<Vec<_>>(),
                        "primary_key": s.primary_key.iter().map(|k| &k.value).collect::<Vec<_>>(),
                        "decimal_char": s.decimal_char,
                        "group_char": s.group_char,
                    })),
                    "copies": facts.map(|x| x.copies.iter().map(|c| json!({
                        "format": c.format,
                        "media_type": crate::package::media_type(&c.format),
                        "encoding": c.encoding,
                        "url": site.absolute(&crate::copies::copy_path(&d.id, c)),
                        "bytes": c.bytes,
                        "sha256": c.sha256,
                    })).collect::<Vec<_>>()).unwrap_or_default(),
                })
            }
            ResourceKind::Service(s) => json!({
                "id": r.id,
                "kind": "service",
                "title": text(&r.title),
                "description": r.description.as_ref().map(text),
                "url": s.url,
                "provider": s.provider,
                "sharing": s.sharing,
                "data_structure": s.data_structure,
                "connection_model": s.connection_model,
                "method": s.method,
                "requirements": s.requirements,
                "documentation": s.documentation,
            }),
        })
        .collect();
    json!({
        "$schema": site.absolute("api/v1/dataset.schema.json"),
        "id": d.id,
        "url": site.absolute(&urls::dataset(&d.id)),
        "title": text(&d.title),
        "description": text(&d.description),
        "publisher": publisher.map(|p| json!({
            "id": p.id,
            "name": text(&p.name),
            "url": site.absolute(&urls::publisher(&p.id)),
            "website": p.website,
        })),
        "contact": contact.map(|c| json!({ "name": c.name, "email": c.email, "phone": c.phone })),
        "themes": d.themes.iter().filter_map(|t| cfg.theme(&t.value)).map(|t| json!({
            "id": t.id,
            "title": text(&t.title),
            "eu_data_theme": t.dcat.as_ref().map(|c| format!("{}{c}", super::dcat::EU_THEME)),
        })).collect::<Vec<_>>(),
        "keywords": d.keywords,
        "license": license.map(|l| json!({
            "id": l.id,
            "title": text(&l.title),
            "url": absolute_or_site(&l.url, site),
            "spdx": l.spdx,
        })),
        "frequency": d.frequency.value,
        "issued": d.issued,
        "modified": d.modified,
        "last_change": last_change(d),
        "spatial": d.spatial,
        "temporal": d.temporal.as_ref().map(|t| json!({ "start": t.start, "end": t.end })),
        "version": d.version,
        "rights": d.rights,
        "status": status(d.status),
        "status_reason": d.status_reason,
        "status_date": d.status_date,
        "aliases": d.aliases.iter().map(|a| &a.value).collect::<Vec<_>>(),
        "package": {
            "zip": site.absolute(&urls::package(&d.id)),
            "datapackage": site.absolute(&urls::datapackage(&d.id)),
            "sha256sums": site.absolute(&urls::checksums(&d.id)),
        },
        "resources": resources,
    })
}
