//! schema.org `Dataset` JSON-LD for each dataset page (issue 5 §4), which Google Dataset Search
//! reads (ANCHORS.md §3.2): `name`, `description` (cut to 5,000 characters; `odp check` warns
//! under 50, W0101), `url`, `identifier`, `license`, `creator` and `publisher` (the agency),
//! `distribution` (`DataDownload` with `contentUrl`, `encodingFormat`, size and SHA-256),
//! dates, keywords, temporal coverage, `includedInDataCatalog`. Texts follow the page language.

use super::{distributions, license_url, plain};
use crate::model::{Dataset, Lang, Portal};
use crate::urls::{self, Site};
use serde_json::{Value, json};

/// Google's upper bound for `description`.
const MAX_DESCRIPTION: usize = 5000;

pub fn dataset(portal: &Portal, d: &Dataset, site: &Site, lang: Lang) -> Value {
    let page = site.absolute(&urls::in_lang(lang, &urls::dataset(&d.id)));
    let mut description = plain(d.description.get(lang));
    if description.chars().count() > MAX_DESCRIPTION {
        description = description.chars().take(MAX_DESCRIPTION - 1).collect::<String>() + "…";
    }
    let publisher = portal.publishers.get(&d.publisher.value).map(|p| {
        json!({
            "@type": "GovernmentOrganization",
            "name": p.name.get(lang),
            "url": site.absolute(&urls::in_lang(lang, &urls::publisher(&p.id))),
        })
    });
    let mut v = json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": site.absolute(&urls::dataset(&d.id)),
        "name": d.title.get(lang),
        "description": description,
        "url": page,
        "identifier": site.absolute(&urls::dataset(&d.id)),
        "inLanguage": "vi",
        "isAccessibleForFree": true,
        "keywords": d.keywords,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": portal.config.title.get(lang),
            "url": site.absolute(&urls::in_lang(lang, "")),
        },
    });
    if let Some(l) = license_url(portal, d, site) {
        v["license"] = json!(l);
    }
    if let Some(p) = publisher {
        v["creator"] = p.clone();
        v["publisher"] = p;
    }
    if let Some(i) = &d.issued {
        v["datePublished"] = json!(i);
    }
    if let Some(m) = &d.modified {
        v["dateModified"] = json!(m);
    }
    if let Some(ver) = &d.version {
        v["version"] = json!(ver);
    }
    if let Some(t) = &d.temporal {
        v["temporalCoverage"] = json!(format!("{}/{}", t.start, t.end.as_deref().unwrap_or("..")));
    }
    let downloads: Vec<Value> = distributions(d, site)
        .into_iter()
        .filter(|x| x.service.is_none())
        .map(|x| {
            let mut o = json!({
                "@type": "DataDownload",
                "name": if lang == Lang::En { x.title_en.clone().unwrap_or(x.title_vi.clone()) } else { x.title_vi.clone() },
                "contentUrl": x.url,
                "encodingFormat": x.media_type.unwrap_or("application/octet-stream"),
            });
            if let Some(b) = x.bytes {
                o["contentSize"] = json!(format!("{b} B"));
            }
            if let Some(h) = &x.sha256 {
                o["sha256"] = json!(h);
            }
            o
        })
        .collect();
    if !downloads.is_empty() {
        v["distribution"] = json!(downloads);
    }
    v
}

/// The JSON-LD as text safe inside `<script>`: `<` is escaped so no `</script>` can close it.
pub fn script_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default().replace('<', "\\u003c")
}
