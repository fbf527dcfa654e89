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
use serde::Serialize;
use serde_json::{Value, json};
use std::borrow::Cow;

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
#[derive(Serialize)]
struct Envelope<T: Serialize> {
    help: String,
    success: bool,
    result: T,
}

/// The file's bytes: CKAN's envelope around `result`, pretty-printed, with a final newline.
fn enveloped(site: &Site, result: impl Serialize) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(&Envelope { help: site.absolute("api/"), success: true, result })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The bytes of one file of [`files`]. Packages, the bulk of the files (one per dataset and
/// ten per search page), are typed structs serialised directly (issue 7: building each as a
/// `serde_json::Value` first was 5% of a 5,000-dataset build); the rest are small.
pub fn render(rel: &str, portal: &Portal, site: &Site) -> Result<Vec<u8>> {
    let Some(action) = rel.strip_prefix(ACTION_DIR) else { bail!("not a CKAN file: `{rel}`") };
    let (name, arg) = match action.split_once('/') {
        Some((n, a)) => (n, Some(a)),
        None => (action, None),
    };
    let result = match (name, arg) {
        ("package_list", None) => json!(portal.datasets.iter().map(|d| &d.id).collect::<Vec<_>>()),
        ("package_show", Some(id)) => match portal.dataset(id) {
            Some(d) => return enveloped(site, package(portal, d, site)),
            None => bail!("no dataset `{id}`"),
        },
        ("package_search", None) => return enveloped(site, search_page(portal, site, 0, PAGE_SIZE)),
        ("package_search_pages", Some(start)) => {
            return enveloped(site, search_page(portal, site, start.parse()?, PAGE_SIZE));
        }
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
    enveloped(site, result)
}

/// A `package_search` result page.
#[derive(Serialize)]
struct SearchPage<'a> {
    count: usize,
    sort: &'static str,
    facets: Empty,
    search_facets: Empty,
    results: Vec<Package<'a>>,
}

/// `{}`.
#[derive(Serialize)]
struct Empty {}

fn search_page<'a>(portal: &'a Portal, site: &Site, start: usize, size: usize) -> SearchPage<'a> {
    SearchPage {
        count: portal.datasets.len(),
        sort: "name asc",
        facets: Empty {},
        search_facets: Empty {},
        results: portal.datasets.iter().skip(start).take(size).map(|d| package(portal, d, site)).collect(),
    }
}

/// CKAN's timestamp of a date (`null` without one).
fn timestamp(date: Option<&str>) -> Option<String> {
    date.map(|d| format!("{d}T00:00:00"))
}

/// CKAN's group dict, of a theme or (`is_organization`) of a publisher: CKAN's organizations are
/// groups with a creation date.
#[derive(Serialize)]
struct GroupDict<'a> {
    id: &'a str,
    name: &'a str,
    title: &'a str,
    display_name: &'a str,
    description: Cow<'a, str>,
    image_url: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    is_organization: bool,
    state: &'static str,
    approval_status: &'static str,
    /// Organizations only (`null` without a date); a group has no such key.
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<Option<String>>,
    package_count: usize,
    url: String,
}

fn org_dict<'a>(portal: &Portal, p: &'a Publisher, site: &Site) -> GroupDict<'a> {
    let members = portal.memberships().publishers.get(&p.id);
    GroupDict {
        id: &p.id,
        name: &p.id,
        title: &p.name.vi,
        display_name: &p.name.vi,
        description: Cow::Owned(plain(&p.description)),
        image_url: "",
        kind: "organization",
        is_organization: true,
        state: "active",
        approval_status: "approved",
        created: Some(timestamp(members.and_then(|m| m.1.as_deref()))),
        package_count: members.map_or(0, |m| m.0),
        url: site.absolute(&urls::publisher(&p.id)),
    }
}

fn organization(portal: &Portal, p: &Publisher, site: &Site) -> Value {
    let mut v = json!(org_dict(portal, p, site));
    v["users"] = json!([]);
    v["extras"] = json!([
        { "key": "contact_name", "value": p.contact.name },
        { "key": "contact_email", "value": p.contact.email },
    ]);
    v
}

fn group_dict<'a>(portal: &Portal, t: &'a crate::model::Theme, site: &Site) -> GroupDict<'a> {
    GroupDict {
        id: &t.id,
        name: &t.id,
        title: &t.title.vi,
        display_name: &t.title.vi,
        description: Cow::Borrowed(t.description.as_ref().map_or("", |d| d.vi.as_str())),
        image_url: "",
        kind: "group",
        is_organization: false,
        state: "active",
        approval_status: "approved",
        created: None,
        package_count: portal.memberships().themes.get(&t.id).copied().unwrap_or(0),
        url: site.absolute(&urls::theme(&t.id)),
    }
}

fn group(portal: &Portal, t: &crate::model::Theme, site: &Site) -> Value {
    let mut v = json!(group_dict(portal, t, site));
    v["users"] = json!([]);
    v["extras"] = json!([]);
    v
}

/// A CKAN package dict (a dataset).
#[derive(Serialize)]
struct Package<'a> {
    id: &'a str,
    name: &'a str,
    title: &'a str,
    notes: &'a str,
    url: String,
    version: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    state: &'static str,
    private: bool,
    isopen: bool,
    license_id: &'a str,
    license_title: Option<&'a str>,
    license_url: Option<String>,
    author: Option<&'a str>,
    author_email: Option<&'a str>,
    maintainer: Option<&'a str>,
    maintainer_email: Option<&'a str>,
    metadata_created: Option<String>,
    metadata_modified: Option<String>,
    owner_org: &'a str,
    organization: Option<GroupDict<'a>>,
    groups: Vec<GroupDict<'a>>,
    tags: Vec<Tag<'a>>,
    num_tags: usize,
    resources: Vec<Resource<'a>>,
    num_resources: usize,
    extras: Vec<Extra<'a>>,
    relationships_as_object: [(); 0],
    relationships_as_subject: [(); 0],
}

#[derive(Serialize)]
struct Tag<'a> {
    id: &'a str,
    name: &'a str,
    display_name: &'a str,
    state: &'static str,
    vocabulary_id: Option<&'a str>,
}

#[derive(Serialize)]
struct Extra<'a> {
    key: &'static str,
    value: &'a str,
}

/// A CKAN resource dict (a file or a data service).
#[derive(Serialize)]
struct Resource<'a> {
    id: String,
    package_id: &'a str,
    name: String,
    description: String,
    format: String,
    mimetype: Option<&'static str>,
    url: String,
    url_type: Option<&'static str>,
    size: Option<u64>,
    hash: String,
    position: usize,
    state: &'static str,
    created: Option<String>,
    last_modified: Option<String>,
    resource_type: &'static str,
}

/// A CKAN package dict for a dataset.
fn package<'a>(portal: &'a Portal, d: &'a Dataset, site: &Site) -> Package<'a> {
    let cfg = &portal.config;
    let publisher = portal.publishers.get(&d.publisher.value);
    let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact));
    let license = cfg.license(&d.license.value);
    let modified = timestamp(last_change(d));
    let resources: Vec<Resource<'a>> =
        distributions(d, site).into_iter().enumerate().map(|(i, x)| resource(d, x, i, &modified)).collect();
    let tags: Vec<Tag<'a>> = d
        .keywords
        .iter()
        .map(|k| Tag { id: k, name: k, display_name: k, state: "active", vocabulary_id: None })
        .collect();
    let mut extras =
        vec![Extra { key: "frequency", value: &d.frequency.value }, Extra { key: "language", value: "vi" }];
    for (key, value) in [
        ("issued", &d.issued),
        ("modified", &d.modified),
        ("spatial", &d.spatial),
        ("rights", &d.rights),
        ("status_reason", &d.status_reason),
        ("status_date", &d.status_date),
    ] {
        if let Some(v) = value {
            extras.push(Extra { key, value: v });
        }
    }
    // CKAN's `state` knows only active/deleted: a deprecated dataset would look active, so the
    // status itself is an extra too (issue 6 item 5).
    match d.status {
        Status::Active => {}
        Status::Deprecated => extras.push(Extra { key: "status", value: "deprecated" }),
        Status::Withdrawn => extras.push(Extra { key: "status", value: "withdrawn" }),
    }
    if let Some(t) = &d.temporal {
        extras.push(Extra { key: "temporal_start", value: &t.start });
        if let Some(e) = &t.end {
            extras.push(Extra { key: "temporal_end", value: e });
        }
    }
    if let Some(en) = &d.title.en {
        extras.push(Extra { key: "title_en", value: en });
    }
    Package {
        id: &d.id,
        name: &d.id,
        title: &d.title.vi,
        notes: &d.description.vi,
        url: site.absolute(&urls::dataset(&d.id)),
        version: d.version.as_deref(),
        kind: "dataset",
        state: if d.status == Status::Withdrawn { "deleted" } else { "active" },
        private: false,
        isopen: true,
        license_id: &d.license.value,
        license_title: license.map(|l| l.title.vi.as_str()),
        license_url: license.map(|l| absolute_or_site(&l.url, site)),
        author: publisher.map(|p| p.name.vi.as_str()),
        author_email: None,
        maintainer: contact.map(|c| c.name.as_str()),
        maintainer_email: contact.map(|c| c.email.as_str()),
        metadata_created: timestamp(d.issued.as_deref().or(d.modified.as_deref())),
        metadata_modified: modified,
        owner_org: &d.publisher.value,
        organization: publisher.map(|p| org_dict(portal, p, site)),
        groups: d.themes.iter().filter_map(|t| cfg.theme(&t.value)).map(|t| group_dict(portal, t, site)).collect(),
        num_tags: tags.len(),
        tags,
        num_resources: resources.len(),
        resources,
        extras,
        relationships_as_object: [],
        relationships_as_subject: [],
    }
}

fn resource<'a>(d: &'a Dataset, x: Dist, position: usize, modified: &Option<String>) -> Resource<'a> {
    Resource {
        id: format!("{}.{}", d.id, x.key),
        package_id: &d.id,
        name: x.title_vi,
        description: x.description_vi.unwrap_or_default(),
        format: x.format,
        mimetype: x.media_type,
        url: x.url,
        url_type: None,
        size: x.bytes,
        hash: x.sha256.as_ref().map(|h| format!("sha256:{h}")).unwrap_or_default(),
        position,
        state: "active",
        created: modified.clone(),
        last_modified: modified.clone(),
        resource_type: if x.service.is_some() { "api" } else { "file" },
    }
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
