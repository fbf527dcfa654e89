//! A CKAN-compatible read API as static files (issue 5 §3), so harvesters written for CKAN
//! (data.gov.vn runs CKAN; ckanext-harvest, `ckanapi`) read the portal as they read CKAN 2.x.
//! Each action is an extension-less JSON file under `/api/3/action/` with CKAN's envelope
//! `{"help", "success": true, "result"}`:
//!
//! | file | CKAN call |
//! | --- | --- |
//! | `package_list` | `package_list` |
//! | `package_show/<id>` | `package_show?id=<id>` |
//! | `package_search` | `package_search` (first page, `rows` = [`PAGE_SIZE`]) |
//! | `package_search_pages/<start>` | `package_search?start=<start>` |
//! | `organization_list`, `organization_show/<id>` | the publishers (agencies) |
//! | `group_list`, `group_show/<id>` | the themes (lĩnh vực) |
//! | `tag_list`, `license_list`, `status_show` | the same |
//!
//! Static hosts serve files by path, so CKAN's query-string form needs the host's rewrite rules:
//! `deploy::redirects` writes them in Netlify syntax (`/api/3/action/package_show id=:id
//! /api/3/action/package_show/:id 200`), for `/api/3/action/` and for `/api/action/` (the
//! version-less prefix `ckanapi` calls). Only GET works (a static host refuses POST): clients
//! must use GET, e.g. `ckanapi.RemoteCKAN(url, get_only=True)`. Filters (`q`, `fq`, `rows`,
//! `sort`) are not supported: `package_search` ignores them and returns the unfiltered pages.

use super::{Dist, absolute_or_site, distributions, last_change, plain};
use crate::model::{Dataset, Portal, Publisher, Status};
use crate::urls::{self, Site};
use anyhow::{Result, bail};
use serde_json::{Value, json};

pub const ACTION_DIR: &str = "api/3/action/";
/// Datasets per `package_search` page (CKAN's default `rows`).
pub const PAGE_SIZE: usize = 10;
/// The CKAN version whose action API these files follow (`status_show`).
pub const CKAN_VERSION: &str = "2.11.0";

/// Every file of the CKAN API, site-relative.
pub fn files(portal: &Portal) -> Vec<String> {
    let a = ACTION_DIR;
    let mut out: Vec<String> = ["package_list", "package_search", "organization_list", "group_list", "tag_list"]
        .iter()
        .chain(&["license_list", "status_show"])
        .map(|f| format!("{a}{f}"))
        .collect();
    out.extend(portal.datasets.iter().map(|d| format!("{a}package_show/{}", d.id)));
    out.extend(portal.publishers.keys().map(|id| format!("{a}organization_show/{id}")));
    out.extend(portal.config.themes.iter().map(|t| format!("{a}group_show/{}", t.id)));
    out.extend(page_starts(portal.datasets.len(), PAGE_SIZE).map(|s| format!("{a}package_search_pages/{s}")));
    out
}

/// The `start` of every `package_search` page (at least one, for an empty portal).
pub fn page_starts(count: usize, size: usize) -> impl Iterator<Item = usize> {
    (0..count.max(1)).step_by(size)
}

/// CKAN's envelope; `help` points to the API guide page (CKAN points to `help_show`).
fn envelope(site: &Site, result: Value) -> Value {
    json!({
        "help": site.absolute("api/"),
        "success": true,
        "result": result,
    })
}

/// The JSON of one file of [`files`].
pub fn render(rel: &str, portal: &Portal, site: &Site) -> Result<Value> {
    let Some(action) = rel.strip_prefix(ACTION_DIR) else { bail!("not a CKAN file: `{rel}`") };
    let (name, arg) = match action.split_once('/') {
        Some((n, a)) => (n, Some(a)),
        None => (action, None),
    };
    let result = match (name, arg) {
        ("package_list", None) => json!(portal.datasets.iter().map(|d| &d.id).collect::<Vec<_>>()),
        ("package_show", Some(id)) => match portal.dataset(id) {
            Some(d) => package(portal, d, site),
            None => bail!("no dataset `{id}`"),
        },
        ("package_search", None) => search_page(portal, site, 0, PAGE_SIZE),
        ("package_search_pages", Some(start)) => search_page(portal, site, start.parse()?, PAGE_SIZE),
        ("organization_list", None) => json!(portal.publishers.keys().collect::<Vec<_>>()),
        ("organization_show", Some(id)) => match portal.publishers.get(id) {
            Some(p) => organization(portal, p, site),
            None => bail!("no publisher `{id}`"),
        },
        ("group_list", None) => json!(portal.config.themes.iter().map(|t| &t.id).collect::<Vec<_>>()),
        ("group_show", Some(id)) => match portal.config.theme(id) {
            Some(t) => group(portal, t, site),
            None => bail!("no theme `{id}`"),
        },
        ("tag_list", None) => {
            let mut tags: Vec<&String> = portal.datasets.iter().flat_map(|d| &d.keywords).collect();
            tags.sort();
            tags.dedup();
            json!(tags)
        }
        ("license_list", None) => json!(
            portal
                .config
                .licenses
                .iter()
                .map(|l| json!({
                    "id": l.id,
                    "title": l.title.vi,
                    "url": absolute_or_site(&l.url, site),
                    "status": "active",
                    "maintainer": "",
                    "family": "",
                    "od_conformance": "approved",
                    "osd_conformance": "not reviewed",
                    "domain_content": true,
                    "domain_data": true,
                    "domain_software": false,
                }))
                .collect::<Vec<_>>()
        ),
        ("status_show", None) => json!({
            "site_title": portal.config.title.vi,
            "site_description": plain(&portal.config.description.vi),
            "site_url": site.absolute("").trim_end_matches('/'),
            "ckan_version": CKAN_VERSION,
            "error_emails_to": null,
            "locale_default": "vi",
            "extensions": [],
        }),
        _ => bail!("no CKAN file `{rel}`"),
    };
    Ok(envelope(site, result))
}

fn search_page(portal: &Portal, site: &Site, start: usize, size: usize) -> Value {
    let results: Vec<Value> = portal.datasets.iter().skip(start).take(size).map(|d| package(portal, d, site)).collect();
    json!({
        "count": portal.datasets.len(),
        "sort": "name asc",
        "facets": {},
        "search_facets": {},
        "results": results,
    })
}

fn timestamp(date: Option<&str>) -> Value {
    date.map_or(Value::Null, |d| json!(format!("{d}T00:00:00")))
}

fn org_dict(portal: &Portal, p: &Publisher, site: &Site) -> Value {
    let members = portal.memberships().publishers.get(&p.id);
    json!({
        "id": p.id,
        "name": p.id,
        "title": p.name.vi,
        "display_name": p.name.vi,
        "description": plain(&p.description),
        "image_url": "",
        "type": "organization",
        "is_organization": true,
        "state": "active",
        "approval_status": "approved",
        "created": timestamp(members.and_then(|m| m.1.as_deref())),
        "package_count": members.map_or(0, |m| m.0),
        "url": site.absolute(&urls::publisher(&p.id)),
    })
}

fn organization(portal: &Portal, p: &Publisher, site: &Site) -> Value {
    let mut v = org_dict(portal, p, site);
    v["users"] = json!([]);
    v["extras"] = json!([
        { "key": "contact_name", "value": p.contact.name },
        { "key": "contact_email", "value": p.contact.email },
    ]);
    v
}

fn group_dict(portal: &Portal, t: &crate::model::Theme, site: &Site) -> Value {
    json!({
        "id": t.id,
        "name": t.id,
        "title": t.title.vi,
        "display_name": t.title.vi,
        "description": t.description.as_ref().map(|d| d.vi.clone()).unwrap_or_default(),
        "image_url": "",
        "type": "group",
        "is_organization": false,
        "state": "active",
        "approval_status": "approved",
        "package_count": portal.memberships().themes.get(&t.id).copied().unwrap_or(0),
        "url": site.absolute(&urls::theme(&t.id)),
    })
}

fn group(portal: &Portal, t: &crate::model::Theme, site: &Site) -> Value {
    let mut v = group_dict(portal, t, site);
    v["users"] = json!([]);
    v["extras"] = json!([]);
    v
}

/// A CKAN package dict for a dataset.
pub fn package(portal: &Portal, d: &Dataset, site: &Site) -> Value {
    let cfg = &portal.config;
    let publisher = portal.publishers.get(&d.publisher.value);
    let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact));
    let license = cfg.license(&d.license.value);
    let modified = timestamp(last_change(d));
    let resources: Vec<Value> =
        distributions(d, site).iter().enumerate().map(|(i, x)| resource(d, x, i, &modified)).collect();
    let tags: Vec<Value> = d
        .keywords
        .iter()
        .map(|k| json!({ "id": k, "name": k, "display_name": k, "state": "active", "vocabulary_id": null }))
        .collect();
    let mut extras =
        vec![json!({ "key": "frequency", "value": d.frequency.value }), json!({ "key": "language", "value": "vi" })];
    for (key, value) in [
        ("issued", &d.issued),
        ("modified", &d.modified),
        ("spatial", &d.spatial),
        ("rights", &d.rights),
        ("status_reason", &d.status_reason),
        ("status_date", &d.status_date),
    ] {
        if let Some(v) = value {
            extras.push(json!({ "key": key, "value": v }));
        }
    }
    // CKAN's `state` knows only active/deleted: a deprecated dataset would look active, so the
    // status itself is an extra too (issue 6 item 5).
    match d.status {
        Status::Active => {}
        Status::Deprecated => extras.push(json!({ "key": "status", "value": "deprecated" })),
        Status::Withdrawn => extras.push(json!({ "key": "status", "value": "withdrawn" })),
    }
    if let Some(t) = &d.temporal {
        extras.push(json!({ "key": "temporal_start", "value": t.start }));
        if let Some(e) = &t.end {
            extras.push(json!({ "key": "temporal_end", "value": e }));
        }
    }
    if let Some(en) = &d.title.en {
        extras.push(json!({ "key": "title_en", "value": en }));
    }
    json!({
        "id": d.id,
        "name": d.id,
        "title": d.title.vi,
        "notes": d.description.vi,
        "url": site.absolute(&urls::dataset(&d.id)),
        "version": d.version,
        "type": "dataset",
        "state": if d.status == Status::Withdrawn { "deleted" } else { "active" },
        "private": false,
        "isopen": true,
        "license_id": d.license.value,
        "license_title": license.map(|l| l.title.vi.clone()),
        "license_url": license.map(|l| absolute_or_site(&l.url, site)),
        "author": publisher.map(|p| p.name.vi.clone()),
        "author_email": null,
        "maintainer": contact.map(|c| c.name.clone()),
        "maintainer_email": contact.map(|c| c.email.clone()),
        "metadata_created": timestamp(d.issued.as_deref().or(d.modified.as_deref())),
        "metadata_modified": modified,
        "owner_org": d.publisher.value,
        "organization": publisher.map(|p| org_dict(portal, p, site)),
        "groups": d.themes.iter().filter_map(|t| cfg.theme(&t.value)).map(|t| group_dict(portal, t, site)).collect::<Vec<_>>(),
        "tags": tags,
        "num_tags": d.keywords.len(),
        "resources": resources,
        "num_resources": resources.len(),
        "extras": extras,
        "relationships_as_object": [],
        "relationships_as_subject": [],
    })
}

fn resource(d: &Dataset, x: &Dist, position: usize, modified: &Value) -> Value {
    json!({
        "id": format!("{}.{}", d.id, x.key),
        "package_id": d.id,
        "name": x.title_vi,
        "description": x.description_vi.clone().unwrap_or_default(),
        "format": x.format,
        "mimetype": x.media_type,
        "url": x.url,
        "url_type": null,
        "size": x.bytes,
        "hash": x.sha256.as_ref().map(|h| format!("sha256:{h}")).unwrap_or_default(),
        "position": position,
        "state": "active",
        "created": modified,
        "last_modified": modified,
        "resource_type": if x.service.is_some() { "api" } else { "file" },
    })
}

#[cfg(test)]
mod tests {
    use super::page_starts;

    #[test]
    fn search_pages_cover_every_dataset() {
        assert_eq!(page_starts(0, 10).collect::<Vec<_>>(), [0]);
        assert_eq!(page_starts(10, 10).collect::<Vec<_>>(), [0]);
        assert_eq!(page_starts(11, 10).collect::<Vec<_>>(), [0, 10]);
        assert_eq!(page_starts(25, 10).collect::<Vec<_>>(), [0, 10, 20]);
    }
}
