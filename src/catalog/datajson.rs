//! `/data.json`: the catalogue in Project Open Data metadata schema v1.1 (issue 5 §4), which
//! data.gov-style harvesters read. Every field the schema requires is written for every dataset
//! (ANCHORS.md §3.3: `title`, `description`, `keyword` ≥ 1, `modified`, `publisher.name`,
//! `contactPoint.fn` + `hasEmail` as `mailto:`, `identifier`, `accessLevel`; `bureauCode` and
//! `programCode` are for US federal agencies only). `keyword` falls back to the theme titles when
//! a dataset has no keyword; `modified` to `issued`, then to the newest date of the portal.
//! A distribution with `downloadURL` always has its `mediaType`.

use super::{distributions, last_change, plain, portal_modified};
use crate::model::{Dataset, Portal, Status};
use crate::urls::{self, Site};
use serde_json::{Value, json};

/// ISO 8601 repeating interval of our frequencies (POD `accrualPeriodicity`).
fn periodicity(id: &str) -> Option<&'static str> {
    Some(match id {
        "daily" => "R/P1D",
        "weekly" => "R/P1W",
        "monthly" => "R/P1M",
        "quarterly" => "R/P3M",
        "semiannual" => "R/P6M",
        "annual" => "R/P1Y",
        "irregular" => "irregular",
        _ => return None,
    })
}

/// The whole `data.json` (tests and small portals; the build streams it with [`write`]).
pub fn catalog(portal: &Portal, site: &Site) -> Value {
    let mut v = head(site);
    v["dataset"] = Value::Array(portal.datasets.iter().map(|d| dataset(portal, d, site)).collect());
    v
}

fn head(site: &Site) -> Value {
    json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": site.absolute("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
    })
}

/// Writes `data.json` one dataset at a time, so memory does not grow with the portal.
pub fn write(portal: &Portal, site: &Site, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let head = serde_json::to_string_pretty(&head(site))?;
    // The head object without its closing brace, then the dataset array.
    w.write_all(head.trim_end().trim_end_matches('}').trim_end().as_bytes())?;
    w.write_all(b",\n  \"dataset\": [")?;
    for (i, d) in portal.datasets.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(serde_json::to_string(&dataset(portal, d, site))?.as_bytes())?;
    }
    w.write_all(b"\n  ]\n}\n")
}

/// One dataset of `data.json`.
fn dataset(portal: &Portal, d: &crate::model::Dataset, site: &Site) -> Value {
    let cfg = &portal.config;
    {
        {
            let page = site.absolute(&urls::dataset(&d.id));
            let publisher = portal.publishers.get(&d.publisher.value);
            let contact = d.contact.as_ref().or(publisher.map(|p| &p.contact));
            let mut keywords: Vec<String> = d.keywords.clone();
            if keywords.is_empty() {
                keywords = d.themes.iter().filter_map(|t| cfg.theme(&t.value)).map(|t| t.title.vi.clone()).collect();
            }
            let mut v = json!({
                "@type": "dcat:Dataset",
                "identifier": page,
                "title": d.title.vi,
                "description": described_with_status(d),
                "keyword": keywords,
                "modified": last_change(d).or_else(|| portal_modified(portal)),
                "publisher": {
                    "@type": "org:Organization",
                    "name": publisher.map_or(d.publisher.value.clone(), |p| p.name.vi.clone()),
                },
                "contactPoint": contact.map(|c| json!({
                    "@type": "vcard:Contact",
                    "fn": c.name,
                    "hasEmail": format!("mailto:{}", c.email),
                })),
                "accessLevel": "public",
                "landingPage": page,
                "language": ["vi"],
            });
            if let Some(l) = super::license_url(portal, d, site) {
                v["license"] = json!(l);
            }
            if let Some(i) = &d.issued {
                v["issued"] = json!(i);
            }
            if let Some(p) = periodicity(&d.frequency.value) {
                v["accrualPeriodicity"] = json!(p);
            }
            if let Some(t) = d.temporal.as_ref().and_then(|t| t.end.as_ref().map(|e| format!("{}/{e}", t.start))) {
                v["temporal"] = json!(t);
            }
            if let Some(s) = &d.spatial {
                v["spatial"] = json!(s);
            }
            if let Some(r) = &d.rights {
                // POD caps `rights` at 255 characters.
                let short: String = r.chars().take(254).collect();
                v["rights"] = json!(if short.len() < r.len() { format!("{short}…") } else { short });
            }
            let themes: Vec<String> =
                d.themes.iter().filter_map(|t| cfg.theme(&t.value)).map(|t| t.title.vi.clone()).collect();
            if !themes.is_empty() {
                v["theme"] = json!(themes);
            }
            let dists: Vec<Value> = distributions(d, site)
                .iter()
                .map(|x| {
                    let mut o = json!({ "@type": "dcat:Distribution", "title": x.title_vi, "format": x.format });
                    if let Some(desc) = &x.description_vi {
                        o["description"] = json!(plain(desc));
                    }
                    match (&x.service, x.media_type) {
                        (Some(s), _) => {
                            o["accessURL"] = json!(s.url);
                            if let Some(doc) = s.documentation.as_deref().filter(|u| u.starts_with("http")) {
                                o["describedBy"] = json!(doc);
                            }
                        }
                        (None, Some(mt)) => {
                            o["downloadURL"] = json!(x.url);
                            o["mediaType"] = json!(mt);
                        }
                        (None, None) => o["accessURL"] = json!(x.url),
                    }
                    o
                })
                .collect();
            if !dists.is_empty() {
                v["distribution"] = json!(dists);
            }
            v
        }
    }
}

/// POD v1.1 has no status field: a withdrawn or deprecated dataset stays in data.json (issue 6
/// item 5) and its description says so first, with the status date and reason when given.
fn described_with_status(d: &Dataset) -> String {
    let label = match d.status {
        Status::Active => return plain(&d.description.vi),
        Status::Deprecated => "Không còn khuyến nghị dùng",
        Status::Withdrawn => "Đã thu hồi",
    };
    let mut head = label.to_string();
    if let Some(date) = &d.status_date {
        head += &format!(" ngày {date}");
    }
    if let Some(reason) = d.status_reason.as_deref().map(plain).filter(|r| !r.is_empty()) {
        head += &format!(": {reason}");
    }
    format!("[{head}] {}", plain(&d.description.vi))
}
