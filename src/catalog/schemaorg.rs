//! schema.org `Dataset` JSON-LD for each dataset page (issue 5 §4), which Google Dataset Search
//! reads (ANCHORS.md §3.2): `name`, `description` (cut to 5,000 characters; `odp check` warns
//! under 50, W0101), `url`, `identifier`, `license`, `creator` and `publisher` (the agency),
//! `distribution` (`DataDownload` with `contentUrl`, `encodingFormat`, size and SHA-256),
//! dates, keywords, temporal coverage, `includedInDataCatalog`. Texts follow the page language.

use super::{distributions, license_url, plain};
use crate::model::{Dataset, Lang, Portal};
use crate::urls::{self, Site};
use serde::Serialize;

/// Google's upper bound for `description`.
const MAX_DESCRIPTION: usize = 5000;

/// A schema.org `Dataset`, its properties in the order the JSON-LD lists them. Typed rather than
/// a `serde_json::Value` tree: both pages of every dataset build one (issue 7).
#[derive(Serialize)]
pub struct SchemaDataset<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    description: String,
    url: String,
    identifier: String,
    #[serde(rename = "inLanguage")]
    in_language: &'static str,
    #[serde(rename = "isAccessibleForFree")]
    is_accessible_for_free: bool,
    keywords: &'a [String],
    #[serde(rename = "includedInDataCatalog")]
    included_in_data_catalog: Named<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(rename = "temporalCoverage", skip_serializing_if = "Option::is_none")]
    temporal_coverage: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    distribution: Vec<DataDownload>,
}

/// A `DataCatalog` or `GovernmentOrganization`: a type, a name and a page.
#[derive(Serialize, Clone)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct DataDownload {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    #[serde(rename = "contentUrl")]
    content_url: String,
    #[serde(rename = "encodingFormat")]
    encoding_format: &'static str,
    #[serde(rename = "contentSize", skip_serializing_if = "Option::is_none")]
    content_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
}

pub fn dataset<'a>(portal: &'a Portal, d: &'a Dataset, site: &Site, lang: Lang) -> SchemaDataset<'a> {
    let mut description = plain(d.description.get(lang));
    if description.chars().count() > MAX_DESCRIPTION {
        description = description.chars().take(MAX_DESCRIPTION - 1).collect::<String>() + "…";
    }
    let publisher = portal.publishers.get(&d.publisher.value).map(|p| Named {
        kind: "GovernmentOrganization",
        name: p.name.get(lang),
        url: site.absolute(&urls::in_lang(lang, &urls::publisher(&p.id))),
    });
    let distribution = distributions(d, site)
        .into_iter()
        .filter(|x| x.service.is_none())
        .map(|x| DataDownload {
            kind: "DataDownload",
            name: if lang == Lang::En { x.title_en.unwrap_or(x.title_vi) } else { x.title_vi },
            content_url: x.url,
            encoding_format: x.media_type.unwrap_or("application/octet-stream"),
            content_size: x.bytes.map(|b| format!("{b} B")),
            sha256: x.sha256,
        })
        .collect();
    SchemaDataset {
        context: "https://schema.org/",
        kind: "Dataset",
        id: site.absolute(&urls::dataset(&d.id)),
        name: d.title.get(lang),
        description,
        url: site.absolute(&urls::in_lang(lang, &urls::dataset(&d.id))),
        identifier: site.absolute(&urls::dataset(&d.id)),
        in_language: "vi",
        is_accessible_for_free: true,
        keywords: &d.keywords,
        included_in_data_catalog: Named {
            kind: "DataCatalog",
            name: portal.config.title.get(lang),
            url: site.absolute(&urls::in_lang(lang, "")),
        },
        license: license_url(portal, d, site),
        creator: publisher.clone(),
        publisher,
        date_published: d.issued.as_deref(),
        date_modified: d.modified.as_deref(),
        version: d.version.as_deref(),
        temporal_coverage: d.temporal.as_ref().map(|t| format!("{}/{}", t.start, t.end.as_deref().unwrap_or(".."))),
        distribution,
    }
}

/// The JSON-LD as text safe inside `<script>`: `<` is escaped so no `</script>` can close it.
pub fn script_text(v: &SchemaDataset<'_>) -> String {
    serde_json::to_string(v).unwrap_or_default().replace('<', "\\u003c")
}
